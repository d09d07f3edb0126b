"""Hybrid search: dense (faiss) and lexical (BM25) scores fused into one score per passage.

A passage is reached through several search texts (its own text and its question
phrasings); it scores the best of them. The fused score is a weighted sum of the cosine
similarity and a saturated BM25 score, so it stays on a fixed scale that the answer
bands in retrieval.yml can be tuned against.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from retrieval.encoders import Encoder
from retrieval.knowledge_index import KnowledgeIndex
from retrieval.lexical import lexical_tokens
from retrieval.settings import Fusion

Mode = Literal["hybrid", "dense", "bm25"]
DENSE_CANDIDATES = 256


@dataclass(frozen=True)
class Hit:
    passage_id: str
    entry_id: str
    score: float
    dense: float
    lexical: float


def best_per_passage(rows: Sequence[str], row_scores: np.ndarray, into: dict[str, float]) -> None:
    for passage_id, score in zip(rows, row_scores, strict=True):
        if score > into.get(passage_id, -np.inf):
            into[passage_id] = float(score)


def fuse(dense: float, bm25: float, fusion: Fusion, mode: Mode = "hybrid") -> float:
    lexical = bm25 / (bm25 + fusion.lexical_saturation)
    if mode == "dense":
        return dense
    if mode == "bm25":
        return lexical
    return fusion.dense_weight * dense + fusion.lexical_weight * lexical


class HybridSearcher:
    def __init__(self, index: KnowledgeIndex, encoder: Encoder, fusion: Fusion) -> None:
        self.index = index
        self.encoder = encoder
        self.fusion = fusion

    def search(self, query: str, k: int = 5, mode: Mode = "hybrid") -> list[Hit]:
        """The k best passages for the query, best first."""
        return self.search_many([query], k, mode)[0]

    def search_many(self, queries: list[str], k: int = 5, mode: Mode = "hybrid") -> list[list[Hit]]:
        """The k best passages for each query, encoded in one batch."""
        vectors = self.encoder.encode(queries) if mode != "bm25" else None
        return [
            self._search_one(query, None if vectors is None else vectors[i : i + 1], k, mode)
            for i, query in enumerate(queries)
        ]

    def _search_one(self, query: str, query_vector: np.ndarray | None, k: int, mode: Mode) -> list[Hit]:
        dense: dict[str, float] = {}
        if query_vector is not None:
            found = min(self.index.vectors.ntotal, DENSE_CANDIDATES)
            scores, positions = self.index.vectors.search(query_vector, found)
            kept = positions[0] >= 0
            best_per_passage([self.index.rows[p] for p in positions[0][kept]], scores[0][kept], dense)
        lexical: dict[str, float] = {}
        if mode != "dense":
            tokens = lexical_tokens(query)
            if tokens:
                scores = self.index.bm25.get_scores(tokens)
                matched = np.flatnonzero(scores > 0)
                best_per_passage([self.index.rows[p] for p in matched], scores[matched], lexical)
        hits = []
        for passage_id in dense.keys() | lexical.keys():
            dense_score = dense.get(passage_id, 0.0)
            bm25_score = lexical.get(passage_id, 0.0)
            hits.append(
                Hit(
                    passage_id=passage_id,
                    entry_id=self.index.passages[passage_id].entry_id,
                    score=fuse(dense_score, bm25_score, self.fusion, mode),
                    dense=dense_score,
                    lexical=bm25_score,
                )
            )
        hits.sort(key=lambda hit: (-hit.score, hit.passage_id))
        return hits[:k]
