"""Every knowledge entry as a FAQ page: grouped by topic, with its body rendered to safe HTML."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from markupsafe import Markup

from retrieval.knowledge_entries import KnowledgeEntry, Source, knowledge_fingerprint, load_entries

# Raw HTML in an entry is shown as text, never passed through: entries can come from ingested documents.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?])")


_MARKDOWN_KEEPING_LINES = MarkdownIt("commonmark", {"html": False, "breaks": True})


def render_markdown(markdown: str, keep_line_breaks: bool = False) -> Markup:
    """Markdown as safe HTML: raw HTML in it shows as text. `keep_line_breaks` renders each
    newline as a break, as chat windows show the bot's messages."""
    return Markup((_MARKDOWN_KEEPING_LINES if keep_line_breaks else _MARKDOWN).render(markdown))


def plain_text(markdown: str) -> str:
    """What a reader sees of some Markdown, without its markup (for search snippets)."""
    words = " ".join(BeautifulSoup(_MARKDOWN.render(markdown), "html.parser").get_text(" ").split())
    # get_text(" ") also puts a space where an inline tag ends before punctuation ("**MHA**:").
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", words)


@dataclass(frozen=True)
class FaqEntry:
    id: str
    title: str
    topic: str
    body_html: Markup
    questions: tuple[str, ...]
    sources: tuple[Source, ...]

    @property
    def ask(self) -> str:
        """What "Ask the advisor" sends: the entry's first phrasing, else its title."""
        return self.questions[0] if self.questions else self.title

    @property
    def path(self) -> str:
        return f"/faq/{self.id}"


@dataclass(frozen=True)
class TopicSection:
    id: str
    title: str
    entries: tuple[FaqEntry, ...]


def faq_entry(entry: KnowledgeEntry) -> FaqEntry:
    return FaqEntry(
        id=entry.id,
        title=entry.title,
        topic=entry.topic,
        body_html=render_markdown(entry.body),
        questions=tuple(entry.questions),
        sources=tuple(entry.source),
    )


def group_by_topic(entries: Sequence[FaqEntry], topic_titles: Mapping[str, str]) -> list[TopicSection]:
    """Sections in the order of `topic_titles`; topics it does not name (ingested documents) come last."""
    order = {topic: position for position, topic in enumerate(topic_titles)}
    by_topic: dict[str, list[FaqEntry]] = {}
    for entry in entries:
        by_topic.setdefault(entry.topic, []).append(entry)
    return [
        TopicSection(
            id=topic,
            title=topic_titles.get(topic, topic.replace("_", " ").replace("-", " ").capitalize()),
            entries=tuple(sorted(grouped, key=lambda entry: entry.title.lower())),
        )
        for topic, grouped in sorted(
            by_topic.items(), key=lambda item: (order.get(item[0], len(order)), item[0])
        )
    ]


class FaqCatalog:
    """The entries under the knowledge folders, re-read when a file there changes."""

    def __init__(self, knowledge_dirs: Sequence[Path], topic_titles: Mapping[str, str]) -> None:
        self._dirs = list(knowledge_dirs)
        self._topic_titles = dict(topic_titles)
        self._lock = threading.Lock()
        self._fingerprint: tuple | None = None
        self._sections: list[TopicSection] = []
        self._by_id: dict[str, FaqEntry] = {}

    def _refresh(self) -> None:
        fingerprint = knowledge_fingerprint(self._dirs)
        with self._lock:
            if fingerprint == self._fingerprint:
                return
            entries = [faq_entry(entry) for entry in load_entries(self._dirs)]
            self._sections = group_by_topic(entries, self._topic_titles)
            self._by_id = {entry.id: entry for entry in entries}
            self._fingerprint = fingerprint

    def current(self) -> tuple[list[TopicSection], dict[str, FaqEntry]]:
        """Sections and entries by id, checked against the files once (a request needs one look)."""
        self._refresh()
        return self._sections, self._by_id

    def sections(self) -> list[TopicSection]:
        return self.current()[0]

    def entry(self, entry_id: str) -> FaqEntry | None:
        return self.current()[1].get(entry_id)

    def __len__(self) -> int:
        return len(self.current()[1])
