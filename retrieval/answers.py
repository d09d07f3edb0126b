"""Turning search hits into a reply: a confident answer, a "did you mean", or an honest no."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urlsplit

from retrieval.chunking import Passage
from retrieval.hybrid_search import Hit
from retrieval.knowledge_entries import REFERRAL, Source
from retrieval.settings import Bands

SUGGESTIONS_WHEN_UNSURE = 3


class Band(str, Enum):
    CONFIDENT = "confident"
    UNSURE = "unsure"
    NO_MATCH = "no_match"


@dataclass(frozen=True)
class Suggestion:
    passage_id: str
    question: str


@dataclass(frozen=True)
class Reply:
    band: Band
    score: float
    text: str | None = None
    passage: Passage | None = None
    suggestions: list[Suggestion] = field(default_factory=list)


@dataclass(frozen=True)
class Match:
    """One entry's best passage for a search, with its score and band."""

    passage: Passage
    score: float
    band: Band


def band_for(score: float, bands: Bands) -> Band:
    if score >= bands.confident:
        return Band.CONFIDENT
    if score >= bands.unsure:
        return Band.UNSURE
    return Band.NO_MATCH


def _leads(hits: list[Hit], bands: Bands) -> bool:
    runner_up = next((hit for hit in hits if hit.entry_id != hits[0].entry_id), None)
    return runner_up is None or hits[0].score - runner_up.score >= bands.margin


def top_band(hits: list[Hit], bands: Bands) -> Band:
    """The band of the best hit: confident only with the margin over any other entry's best,
    since two entries that fit about equally well are a choice for the person, not a guess."""
    band = band_for(hits[0].score, bands)
    if band is Band.CONFIDENT and not _leads(hits, bands):
        return Band.UNSURE
    return band


def source_line(sources: tuple[Source, ...]) -> str:
    """ "Source: Guide — Section (bls.gov)": the guide by its title; a link only to the page
    the guide itself cites, named by its site, so no one takes it for the guide."""
    cited = []
    for source in sources:
        link = f" ([{urlsplit(source.url).netloc.removeprefix('www.')}]({source.url}))" if source.url else ""
        cited.append(f"{source.guide} — {source.section}{link}")
    return "Source: " + "; ".join(cited)


def as_question(passage: Passage) -> str:
    """How a button offers a passage: its first phrasing, else its title."""
    return passage.questions[0] if passage.questions else passage.title


def answer_with(passage: Passage, related: list[Passage], score: float = 1.0) -> Reply:
    # A referral restates no guide: it says the guides leave this open, so it cites nothing.
    text = f"{passage.text}\n\n_{source_line(passage.sources)}_" if passage.sources else passage.text
    return Reply(
        band=Band.CONFIDENT,
        score=score,
        text=text,
        passage=passage,
        suggestions=[Suggestion(other.id, as_question(other)) for other in related],
    )


def compose_reply(
    hits: list[Hit], passages: dict[str, Passage], related: dict[str, list[str]], bands: Bands
) -> Reply:
    if not hits:
        return Reply(band=Band.NO_MATCH, score=0.0)
    best = hits[0]
    band = top_band(hits, bands)
    if band is Band.UNSURE and passages[best.passage_id].kind == REFERRAL and _leads(hits, bands):
        # A referral claims no fact: saying "the guides don't cover this, ask X" needs less certainty.
        band = Band.CONFIDENT
    if band is Band.CONFIDENT:
        passage = passages[best.passage_id]
        return answer_with(passage, [passages[other] for other in related.get(passage.id, [])], best.score)
    if band is Band.UNSURE:
        candidates: list[Suggestion] = []
        entries: set[str] = set()
        for hit in hits:
            if hit.entry_id not in entries:
                entries.add(hit.entry_id)
                candidates.append(Suggestion(hit.passage_id, as_question(passages[hit.passage_id])))
        return Reply(band=band, score=best.score, suggestions=candidates[:SUGGESTIONS_WHEN_UNSURE])
    return Reply(band=band, score=best.score)


def rank_entries(hits: list[Hit], passages: dict[str, Passage], bands: Bands, limit: int) -> list[Match]:
    """The best passage of each entry that scores at least "unsure", best first (FAQ search)."""
    matches: list[Match] = []
    seen: set[str] = set()
    for hit in hits:
        band = top_band(hits, bands) if not matches else band_for(hit.score, bands)
        if band is Band.NO_MATCH or hit.entry_id in seen:
            continue
        seen.add(hit.entry_id)
        matches.append(Match(passages[hit.passage_id], hit.score, band))
    return matches[:limit]
