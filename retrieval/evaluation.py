"""Measuring retrieval on the dev set, and choosing the answer bands from it.

recall@k: share of in-domain questions whose expected entry is among the first k
distinct entries; MRR: mean of 1/rank (0 when not in the first 10); decline rate:
share of out-of-domain questions whose best score falls below the "unsure" band, so
the bot says it has no answer instead of guessing or offering suggestions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from retrieval.hybrid_search import HybridSearcher, Mode
from retrieval.knowledge_entries import REFERRAL
from retrieval.settings import Bands

RANK_DEPTH = 10
BAND_GAP = 0.03
WRONG_COST = 3
MARGINS = tuple(round(0.005 * step, 3) for step in range(21))  # 0 to 0.1


@dataclass(frozen=True)
class DevQuestion:
    question: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class DevSet:
    in_domain: list[DevQuestion]
    out_of_domain: list[str]


@dataclass(frozen=True)
class Scored:
    """One question's outcome: the rank of the expected entry (None if absent), the best score,
    and its lead over the best passage of any other entry."""

    rank: int | None
    top_score: float
    margin: float = 1.0
    referral: bool = False  # the best passage is a referral: the question is pointed to who would know


def load_dev_set(*paths: Path) -> DevSet:
    """Dev questions from the retrieval dev set (`in_domain`, `out_of_domain`) and from
    message sets written the way staff write (tests/messages/dev.yml: `questions`, `out_of_scope`)."""
    in_domain: list[DevQuestion] = []
    out_of_domain: list[str] = []
    for path in paths:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        in_domain += [DevQuestion(item["q"], tuple(item["expect"])) for item in raw.get("in_domain") or []]
        in_domain += [DevQuestion(item["text"], tuple(item["expect"])) for item in raw.get("questions") or []]
        out_of_domain += list(raw.get("out_of_domain") or [])
        out_of_domain += [item["text"] for item in raw.get("out_of_scope") or []]
    return DevSet(in_domain=in_domain, out_of_domain=out_of_domain)


def rank_of(expected: tuple[str, ...], ranked_entries: list[str]) -> int | None:
    for position, entry_id in enumerate(ranked_entries, start=1):
        if entry_id in expected:
            return position
    return None


def score_questions(searcher: HybridSearcher, dev: DevSet, mode: Mode) -> tuple[list[Scored], list[Scored]]:
    """Each in-domain and out-of-domain question scored; the questions are encoded in one batch."""

    def scored(hits: list, expected: tuple[str, ...]) -> Scored:
        entries = list(dict.fromkeys(hit.entry_id for hit in hits))[:RANK_DEPTH]
        if not hits:
            return Scored(rank_of(expected, entries), 0.0, 0.0)
        runner_up = next((hit.score for hit in hits if hit.entry_id != hits[0].entry_id), 0.0)
        referral = searcher.index.passages[hits[0].passage_id].kind == REFERRAL
        return Scored(rank_of(expected, entries), hits[0].score, hits[0].score - runner_up, referral)

    questions = [item.question for item in dev.in_domain] + list(dev.out_of_domain)
    found = searcher.search_many(questions, k=3 * RANK_DEPTH, mode=mode)
    in_domain = [scored(hits, item.expected) for hits, item in zip(found, dev.in_domain, strict=False)]
    out_of_domain = [scored(hits, ()) for hits in found[len(dev.in_domain) :]]
    return in_domain, out_of_domain


def is_confident(item: Scored, bands: Bands) -> bool:
    return item.top_score >= bands.confident and item.margin >= bands.margin


def metrics(in_domain: list[Scored], out_of_domain: list[Scored], bands: Bands) -> dict[str, float]:
    ranks = [item.rank for item in in_domain]
    confident = [item for item in in_domain if is_confident(item, bands)]
    return {
        "recall_at_1": _share(rank == 1 for rank in ranks),
        "recall_at_3": _share(rank is not None and rank <= 3 for rank in ranks),
        "mrr": round(float(np.mean([1 / rank if rank else 0.0 for rank in ranks])), 4),
        # Declined, or answered by a referral that says who would know.
        "decline_rate": _share(
            item.top_score < bands.unsure or (item.referral and item.margin >= bands.margin)
            for item in out_of_domain
        ),
        "in_domain_declined": _share(item.top_score < bands.unsure for item in in_domain),
        "in_domain_confident": _share(is_confident(item, bands) for item in in_domain),
        "confident_precision": _share(item.rank == 1 for item in confident) if confident else 0.0,
        "confidently_right": _share(is_confident(item, bands) and item.rank == 1 for item in in_domain),
        "confidently_wrong": _share(is_confident(item, bands) and item.rank != 1 for item in in_domain),
        "out_of_domain_confident": _share(
            is_confident(item, bands) and not item.referral for item in out_of_domain
        ),
    }


def _share(flags) -> float:
    flags = list(flags)
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def tune_bands(in_domain: list[Scored], out_of_domain: list[Scored]) -> Bands:
    """Answer bands from the dev set's best scores and margins.

    unsure: the threshold that best separates in-domain from out-of-domain questions
    (in-domain kept + out-of-domain declined), the lowest of equals, so a doubtful
    in-domain question gets suggestions rather than a refusal.
    confident and margin: of the thresholds at least BAND_GAP above that and the margins
    in MARGINS, the pair with the most right answers less WRONG_COST times the wrong ones
    (a confident wrong answer misleads; a "did you mean" with the right entry among the
    suggestions only costs a click), with no out-of-domain question answered with
    confidence unless by a referral.
    """
    # A question the guides leave open is fine at any score when a referral answers it.
    ood_scores = [item.top_score for item in out_of_domain if not item.referral]
    scores = sorted(
        {round(item.top_score, 3) for item in in_domain} | {round(score, 3) for score in ood_scores}
    )
    midpoints = [round((a + b) / 2, 3) for a, b in itertools.pairwise(scores)] or scores

    def separation(threshold: float) -> float:
        kept = np.mean([item.top_score >= threshold for item in in_domain])
        declined = np.mean([score < threshold for score in ood_scores]) if ood_scores else 1.0
        return float(kept + declined)

    best = max(separation(t) for t in midpoints)
    unsure = min(t for t in midpoints if separation(t) == best)
    floor = round(max(unsure + BAND_GAP, max(ood_scores, default=0.0) + 0.001), 3)
    chosen, best_value = Bands(confident=floor, unsure=unsure, margin=MARGINS[-1]), -np.inf
    for threshold in sorted({floor, *(t for t in midpoints if t >= floor)}):
        for margin in MARGINS:
            bands = Bands(confident=threshold, unsure=unsure, margin=margin)
            right = sum(is_confident(item, bands) and item.rank == 1 for item in in_domain)
            wrong = sum(is_confident(item, bands) and item.rank != 1 for item in in_domain)
            if right - WRONG_COST * wrong > best_value:
                chosen, best_value = bands, right - WRONG_COST * wrong
    return chosen
