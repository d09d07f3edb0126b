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
from retrieval.settings import Bands

RANK_DEPTH = 10
CONFIDENT_PRECISION = 0.95
BAND_GAP = 0.03


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
    """One question's outcome: the rank of the expected entry (None if absent) and the best score."""

    rank: int | None
    top_score: float


def load_dev_set(path: Path) -> DevSet:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return DevSet(
        in_domain=[DevQuestion(item["q"], tuple(item["expect"])) for item in raw["in_domain"]],
        out_of_domain=list(raw["out_of_domain"]),
    )


def rank_of(expected: tuple[str, ...], ranked_entries: list[str]) -> int | None:
    for position, entry_id in enumerate(ranked_entries, start=1):
        if entry_id in expected:
            return position
    return None


def score_questions(searcher: HybridSearcher, dev: DevSet, mode: Mode) -> tuple[list[Scored], list[float]]:
    in_domain = []
    for item in dev.in_domain:
        hits = searcher.search(item.question, k=3 * RANK_DEPTH, mode=mode)
        entries = list(dict.fromkeys(hit.entry_id for hit in hits))[:RANK_DEPTH]
        in_domain.append(Scored(rank_of(item.expected, entries), hits[0].score if hits else 0.0))
    out_of_domain = []
    for question in dev.out_of_domain:
        hits = searcher.search(question, k=1, mode=mode)
        out_of_domain.append(hits[0].score if hits else 0.0)
    return in_domain, out_of_domain


def metrics(in_domain: list[Scored], out_of_domain: list[float], bands: Bands) -> dict[str, float]:
    ranks = [item.rank for item in in_domain]
    confident = [item for item in in_domain if item.top_score >= bands.confident]
    return {
        "recall_at_1": _share(rank == 1 for rank in ranks),
        "recall_at_3": _share(rank is not None and rank <= 3 for rank in ranks),
        "mrr": round(float(np.mean([1 / rank if rank else 0.0 for rank in ranks])), 4),
        "decline_rate": _share(score < bands.unsure for score in out_of_domain),
        "in_domain_declined": _share(item.top_score < bands.unsure for item in in_domain),
        "in_domain_confident": _share(item.top_score >= bands.confident for item in in_domain),
        "confident_precision": _share(item.rank == 1 for item in confident) if confident else 0.0,
        "out_of_domain_confident": _share(score >= bands.confident for score in out_of_domain),
    }


def _share(flags) -> float:
    flags = list(flags)
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def tune_bands(in_domain: list[Scored], out_of_domain: list[float]) -> Bands:
    """Answer bands from the dev set's best scores.

    unsure: the threshold that best separates in-domain from out-of-domain questions
    (in-domain kept + out-of-domain declined), the lowest of equals, so a doubtful
    in-domain question gets suggestions rather than a refusal.
    confident: the lowest threshold at least BAND_GAP above that, and above every
    out-of-domain score, at which at least 95% of confident answers are right.
    """
    scores = sorted({round(s, 3) for s in [item.top_score for item in in_domain] + out_of_domain})
    midpoints = [round((a + b) / 2, 3) for a, b in itertools.pairwise(scores)] or scores

    def separation(threshold: float) -> float:
        kept = np.mean([item.top_score >= threshold for item in in_domain])
        declined = np.mean([score < threshold for score in out_of_domain])
        return float(kept + declined)

    best = max(separation(t) for t in midpoints)
    unsure = min(t for t in midpoints if separation(t) == best)
    floor = max(unsure + BAND_GAP, max(out_of_domain, default=0.0) + 0.001)
    confident = floor
    for threshold in sorted(t for t in midpoints if t >= floor):
        chosen = [item.rank == 1 for item in in_domain if item.top_score >= threshold]
        if chosen and np.mean(chosen) >= CONFIDENT_PRECISION:
            confident = threshold
            break
    return Bands(confident=round(max(confident, floor), 3), unsure=unsure)
