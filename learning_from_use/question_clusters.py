"""Grouping unanswered questions by meaning, with a suggested title for a new entry.

Questions are embedded with the knowledge base's own encoder (retrieval.encoders), grouped
by agglomerative clustering on cosine distance (scikit-learn), and each group is named by
KeyBERT: the key phrase of the group whose embedding, from the same encoder, lies closest
to the group's. The nearest existing entry is given too, so a maintainer can tell a
missing answer from a missing phrasing: the entry of the search text (a passage or a listed
question, as the knowledge index holds them) closest to the group's centroid. With the
current index those vectors are read from it instead of encoded again: a report on 48
conversations took 19 s instead of 34 s on 2 CPUs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from retrieval.chunking import chunk_entry, search_texts
from retrieval.encoders import Encoder
from retrieval.knowledge_entries import KnowledgeEntry

if TYPE_CHECKING:  # faiss loads with it; only the report's command line needs it
    from retrieval.knowledge_index import KnowledgeIndex

# Questions closer than this (1 - cosine similarity, average linkage) share a cluster: the
# threshold with the best adjusted Rand index (0.46; 0.08 at 0.5) on tests/unanswered_groups.yml.
DISTANCE_THRESHOLD = 0.65


@dataclass(frozen=True)
class NearestEntry:
    entry_id: str
    title: str
    topic: str
    similarity: float


@dataclass(frozen=True)
class QuestionCluster:
    title: str
    questions: list[str]  # distinct, most asked first
    count: int  # questions in the cluster, repeats included
    nearest: NearestEntry | None


def _keybert_backend(encoder: Encoder):
    """Our encoder behind KeyBERT's embedding backend interface (imported only when titling)."""
    from keybert.backend import BaseEmbedder

    class EncoderBackend(BaseEmbedder):
        def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
            return encoder.encode(documents)

    return EncoderBackend()


def _labels(vectors: np.ndarray, threshold: float) -> np.ndarray:
    if len(vectors) == 1:
        return np.zeros(1, dtype=int)
    from sklearn.cluster import AgglomerativeClustering

    clustering = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    )
    return clustering.fit_predict(vectors)


def _shared_phrases(questions: Sequence[str]) -> list[str]:
    """Phrases of one to three words (no stop words) that two or more of the questions use
    (any of their phrases when there are few questions or none is shared), leaving out a
    phrase that only ever comes inside a longer one ("annual" in "annual leave")."""
    from sklearn.feature_extraction.text import CountVectorizer

    for min_df in (2, 1) if len(questions) >= 3 else (1,):
        vectorizer = CountVectorizer(ngram_range=(1, 3), stop_words="english", min_df=min_df)
        try:
            counts = vectorizer.fit_transform(questions)
        except ValueError:  # nothing left: only stop words, or nothing shared
            continue
        phrases = list(vectorizer.get_feature_names_out())
        used_by = dict(zip(phrases, (counts > 0).sum(axis=0).A1, strict=True))
        return [
            phrase
            for phrase in phrases
            if not any(
                other != phrase and f" {phrase} " in f" {other} " and used_by[other] == used_by[phrase]
                for other in phrases
            )
        ]
    return []


def suggest_title(questions: Sequence[str], encoder: Encoder) -> str:
    """A short title for what the questions ask about (the shared phrase closest to all of
    them), else the first question."""
    from keybert import KeyBERT

    unmasked = [q.replace("[name]", "").replace("[email]", "").replace("[phone]", "") for q in questions]
    candidates = _shared_phrases(unmasked)
    if not candidates:
        return questions[0]
    keywords = KeyBERT(model=_keybert_backend(encoder)).extract_keywords(
        ". ".join(unmasked), candidates=candidates, keyphrase_ngram_range=(1, 3), top_n=1
    )
    if not keywords:
        return questions[0]
    phrase = keywords[0][0]
    return phrase[:1].upper() + phrase[1:]


def nearest_entries(
    centroids: np.ndarray,
    entries: Sequence[KnowledgeEntry],
    encoder: Encoder,
    knowledge_index: KnowledgeIndex | None = None,
) -> list[NearestEntry | None]:
    """For each centroid (unit rows), the entry whose closest search text is most similar
    (cosine). The search texts' vectors come from `knowledge_index` when given (it must hold
    these entries), else from `encoder`."""
    if not entries:
        return [None] * len(centroids)
    if knowledge_index is None:
        passages = {passage.id: passage for entry in entries for passage in chunk_entry(entry)}
        texts = search_texts(list(passages.values()))
        owners = [passages[text.passage_id].entry_id for text in texts]
        vectors = encoder.encode([text.text for text in texts])
    else:
        owners = [knowledge_index.passages[passage_id].entry_id for passage_id in knowledge_index.rows]
        vectors = knowledge_index.vectors.reconstruct_n(0, knowledge_index.vectors.ntotal)
    by_id = {entry.id: entry for entry in entries}
    similarities = centroids @ np.asarray(vectors, dtype=np.float32).T
    nearest: list[NearestEntry | None] = []
    for row in similarities:
        best = next((i for i in np.argsort(-row) if owners[i] in by_id), None)
        if best is None:
            nearest.append(None)
            continue
        entry = by_id[owners[best]]
        nearest.append(NearestEntry(entry.id, entry.title, entry.topic, round(float(row[best]), 3)))
    return nearest


def cluster_questions(
    questions: Sequence[str],
    encoder: Encoder,
    entries: Sequence[KnowledgeEntry] = (),
    threshold: float = DISTANCE_THRESHOLD,
    knowledge_index: KnowledgeIndex | None = None,
) -> list[QuestionCluster]:
    """Clusters of the questions, biggest first; repeats count, and show once.
    `knowledge_index`, the index of `entries`, spares encoding them to find each cluster's
    nearest entry."""
    counts = Counter(q.strip() for q in questions if q.strip())
    if not counts:
        return []
    distinct = [question for question, _ in counts.most_common()]
    vectors = encoder.encode(distinct)
    labels = _labels(vectors, threshold)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    members = list(groups.values())
    centroids = np.asarray([vectors[group].mean(axis=0) for group in members])
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    nearest = nearest_entries(centroids, entries, encoder, knowledge_index)
    clusters = [
        QuestionCluster(
            title=suggest_title([distinct[i] for i in group], encoder),
            questions=[distinct[i] for i in group],
            count=sum(counts[distinct[i]] for i in group),
            nearest=near,
        )
        for group, near in zip(members, nearest, strict=True)
    ]
    return sorted(clusters, key=lambda c: (-c.count, c.title))
