"""Splitting entries into passages that fit one answer, and the texts the index searches.

Each passage is searched through its own text and through the ways a person would ask
for it (the entry's questions and title), so a short casual question can match a
phrasing even when it shares few words with the passage.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from retrieval.knowledge_entries import KnowledgeEntry, Source

MAX_PASSAGE_WORDS = 120
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Passage:
    id: str
    entry_id: str
    title: str
    topic: str
    text: str
    questions: tuple[str, ...]
    sources: tuple[Source, ...]
    kind: str = "answer"  # the entry's kind: "answer", or "referral" (the guides leave it open)


@dataclass(frozen=True)
class SearchText:
    """One thing the index holds a vector and a BM25 document for."""

    passage_id: str
    kind: str  # "passage" or "question"
    text: str


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _sections(body: str) -> list[tuple[str | None, list[str]]]:
    """Paragraphs grouped under the Markdown heading they follow (None before the first)."""
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = block.strip().splitlines()
        if not lines:
            continue
        heading = _HEADING.match(lines[0])
        if heading:
            sections.append((heading.group(1), []))
            lines = lines[1:]
        if lines:
            sections[-1][1].append("\n".join(lines))
    return [(heading, paragraphs) for heading, paragraphs in sections if paragraphs]


def _pack(paragraphs: list[str], max_words: int) -> list[str]:
    """Consecutive paragraphs joined up to max_words; a longer paragraph is split by sentence."""
    pieces: list[str] = []
    for paragraph in paragraphs:
        if word_count(paragraph) <= max_words:
            pieces.append(paragraph)
        else:
            pieces.extend(re.split(r"(?<=[.!?])\s+", paragraph))
    chunks: list[list[str]] = []
    size = max_words + 1
    for piece in pieces:
        words = word_count(piece)
        if size + words > max_words:
            chunks.append([])
            size = 0
        chunks[-1].append(piece)
        size += words
    return ["\n\n".join(chunk) for chunk in chunks]


def chunk_entry(entry: KnowledgeEntry, max_words: int = MAX_PASSAGE_WORDS) -> list[Passage]:
    """An entry as passages: one when it is short (the usual case), more when it is long."""
    parts: list[tuple[str, str | None, str]] = []
    for heading, paragraphs in _sections(entry.body):
        title = f"{entry.title}: {heading}" if heading else entry.title
        parts.extend((title, heading, text) for text in _pack(paragraphs, max_words))
    ids = [entry.id] if len(parts) == 1 else [f"{entry.id}--{number}" for number in range(1, len(parts) + 1)]
    return [
        Passage(
            id=passage_id,
            entry_id=entry.id,
            title=title,
            topic=entry.topic,
            text=text,
            # The entry's phrasings ask for the whole entry: they lead to its first passage.
            questions=tuple(entry.questions) if number == 0 else (),
            sources=_sources_for(entry, section),
            kind=entry.kind,
        )
        for number, (passage_id, (title, section, text)) in enumerate(zip(ids, parts, strict=True))
    ]


def _sources_for(entry: KnowledgeEntry, section: str | None) -> tuple[Source, ...]:
    """A passage under a heading cites that heading, with the entry's own section after it."""
    if section is None:
        return tuple(entry.source)
    return tuple(
        Source(guide=source.guide, section=f"{section} ({source.section})", url=source.url)
        for source in entry.source
    )


def passage_to_json(passage: Passage) -> dict:
    return {**asdict(passage), "sources": [source.model_dump() for source in passage.sources]}


def passage_from_json(raw: dict) -> Passage:
    return Passage(
        **{**raw, "questions": tuple(raw["questions"]), "sources": tuple(Source(**s) for s in raw["sources"])}
    )


def search_texts(passages: list[Passage]) -> list[SearchText]:
    texts: list[SearchText] = []
    for passage in passages:
        texts.append(SearchText(passage.id, "passage", f"{passage.title}\n{passage.text}"))
        texts.extend(SearchText(passage.id, "question", question) for question in passage.questions)
    return texts
