"""The knowledge advisor: answers questions from the current index, and never from a stale one.

It loads settings, model and index on first use, so a bad settings file or a missing
index becomes a clear reply instead of a server that will not start. Each question
checks, cheaply, whether the index was rebuilt (then it loads the new build) and
whether the knowledge files changed since the index was built (then it refuses).
"""

from __future__ import annotations

import logging
import threading

from retrieval.answers import Match, Reply, answer_with, compose_reply, rank_entries
from retrieval.encoders import Encoder, SentenceTransformerEncoder
from retrieval.hybrid_search import HybridSearcher
from retrieval.knowledge_entries import KnowledgeError, knowledge_fingerprint, load_entries
from retrieval.knowledge_index import (
    FIX,
    KnowledgeIndex,
    MissingIndexError,
    StaleIndexError,
    current_build,
    index_content_hash,
    load_index,
)
from retrieval.settings import RetrievalSettings, load_settings

logger = logging.getLogger(__name__)

SEARCH_DEPTH = 8
MAX_QUESTION_CHARS = 500


class KnowledgeAdvisor:
    def __init__(self, settings: RetrievalSettings | None = None, encoder: Encoder | None = None) -> None:
        self._settings = settings
        self._encoder = encoder
        self._index: KnowledgeIndex | None = None
        self._searcher: HybridSearcher | None = None
        self._verified: tuple | None = None
        self._lock = threading.RLock()

    @property
    def settings(self) -> RetrievalSettings:
        if self._settings is None:
            self._settings = load_settings()
        return self._settings

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = SentenceTransformerEncoder(self.settings.embedding_model)
        return self._encoder

    def searcher(self) -> HybridSearcher:
        """The searcher over the current, fresh index (reloaded after a rebuild)."""
        with self._lock:
            settings = self.settings
            build = current_build(settings.index_dir)
            if build is None:
                raise MissingIndexError(f"there is no knowledge index in {settings.index_dir}; {FIX}")
            if self._index is None or self._index.build != build:
                self._index = load_index(settings.index_dir, self.encoder.name)
                self._searcher = HybridSearcher(self._index, self.encoder, settings.fusion)
                self._verified = None
                logger.info("loaded knowledge index %s (%d passages)", build, self._index.manifest.passages)
            self._check_fresh(self._index)
            return self._searcher

    def _check_fresh(self, index: KnowledgeIndex) -> None:
        fingerprint = knowledge_fingerprint(self.settings.knowledge_dirs)
        if fingerprint == self._verified:
            return
        try:
            expected = index_content_hash(load_entries(self.settings.knowledge_dirs))
        except KnowledgeError as error:
            raise StaleIndexError(f"a knowledge file is invalid ({error}); fix it, then {FIX}") from error
        if expected != index.manifest.content_hash:
            raise StaleIndexError(
                f"the knowledge index in {self.settings.index_dir} is out of date: "
                f"the knowledge files changed after it was built; {FIX}"
            )
        self._verified = fingerprint

    def answer(self, question: str) -> Reply:
        searcher = self.searcher()
        hits = searcher.search(question[:MAX_QUESTION_CHARS], k=SEARCH_DEPTH)
        index = searcher.index
        return compose_reply(hits, index.passages, index.related, self.settings.bands)

    def matches(self, question: str, limit: int = 5) -> list[Match]:
        """Entries that fit the question, for a search page; empty when none scores "unsure" or better."""
        searcher = self.searcher()
        hits = searcher.search(question[:MAX_QUESTION_CHARS], k=max(SEARCH_DEPTH, 2 * limit))
        return rank_entries(hits, searcher.index.passages, self.settings.bands, limit)

    def answer_passage(self, passage_id: str) -> Reply | None:
        """The answer a button asked for by id; None when the id is not in the index."""
        index = self.searcher().index
        passage = index.passages.get(passage_id)
        if passage is None:
            return None
        return answer_with(passage, [index.passages[other] for other in index.related.get(passage_id, [])])

    def warm_up(self) -> None:
        """Loads the model and the index ahead of the first question; failures wait for that question."""
        try:
            self.answer("warm up")
        except Exception as error:  # the first real question reports it to the user
            logger.warning("knowledge advisor not ready yet: %s", error)
