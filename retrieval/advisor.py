"""The knowledge advisor: answers questions from the current index, and never from a stale one.

It loads settings, model and index on first use, so a bad settings file or a missing
index becomes a clear reply instead of a server that will not start. Each question
checks, cheaply, whether the index was rebuilt (then it loads the new build) and
whether the knowledge files changed since the index was built (then it refuses).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from retrieval.answers import Band, Match, Reply, answer_with, compose_reply, rank_entries, top_band
from retrieval.encoders import Encoder, SentenceTransformerEncoder
from retrieval.hybrid_search import Hit, HybridSearcher
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
from understanding.question_focus import (
    asks_for_more,
    candidate_queries,
    is_follow_up,
    leans_on_a_pronoun,
    spelt_out,
    subject_of,
    with_context,
)

logger = logging.getLogger(__name__)

SEARCH_DEPTH = 8
MAX_QUESTION_CHARS = 500
# How deep a steps question looks for one of the roadmap entries.
ROADMAP_DEPTH = 64


@dataclass(frozen=True)
class PreviousAnswer:
    """The answer a follow-up may lean on: what was asked, and the passage that answered."""

    question: str
    passage_id: str


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

    def answer(self, message: str, previous: PreviousAnswer | None = None) -> Reply:
        """The reply to a message as people write it (see `best_hits`)."""
        searcher = self.searcher()
        index = searcher.index
        if previous is not None and previous.passage_id in index.passages and asks_for_more(message):
            return self._more_than(previous.passage_id)
        hits = self.best_hits(message, previous)
        return compose_reply(hits, index.passages, index.related, self.settings.bands)

    def best_hits(self, message: str, previous: PreviousAnswer | None = None) -> list[Hit]:
        """Search hits for what the message asks.

        A long message is searched whole and by its sentences and clauses; when one of its
        question sentences reaches the "unsure" band, the best of those wins, and a side
        remark (a sentence that asks nothing) never does. A follow-up that is not clear on
        its own (not confident, or leaning on "it"/"one") is also searched with the subject
        of the question it follows written in ("how do I get it?" after "what is FACHE?").
        """
        searcher = self.searcher()
        bands = self.settings.bands
        candidates = candidate_queries(message[:MAX_QUESTION_CHARS])
        results = searcher.search_many(
            [spelt_out(candidate.text) for candidate in candidates], k=SEARCH_DEPTH
        )
        top = [hits[0].score if hits else 0.0 for hits in results]
        questions = [i for i, c in enumerate(candidates) if c.is_question and not c.is_whole]
        if any(top[i] >= bands.unsure for i in questions):
            best = results[max(questions, key=lambda i: top[i])]
        else:
            # A side remark never wins over the question: with question sentences, only they
            # and the whole message are candidates.
            kept = [0, *questions] if questions else range(len(results))
            best = results[max(kept, key=lambda i: top[i])]
        if (
            previous is None
            or previous.passage_id not in searcher.index.passages
            or not is_follow_up(message)
        ):
            return best
        clear = top_band(best, bands) is Band.CONFIDENT if best else False
        if clear and not leans_on_a_pronoun(message):
            return best
        followed = searcher.search(
            spelt_out(with_context(message[:MAX_QUESTION_CHARS], subject_of(previous.question))),
            k=SEARCH_DEPTH,
        )
        chosen = max([best, followed], key=lambda hits: hits[0].score if hits else 0.0)
        return self._in_play_first(chosen, previous.passage_id)

    def _in_play_first(self, hits: list[Hit], passage_id: str) -> list[Hit]:
        """When two entries fit a follow-up about equally well (within the margin), the one
        that belongs with the answer in play (that entry, or one related to it) goes first."""
        bands = self.settings.bands
        if not hits or top_band(hits, bands) is not Band.UNSURE or hits[0].score < bands.confident:
            return hits
        index = self.searcher().index
        in_play = {index.passages[passage_id].entry_id} | {
            index.passages[other].entry_id for other in index.related.get(passage_id, [])
        }
        close = [hit for hit in hits if hits[0].score - hit.score < bands.margin]
        preferred = next((hit for hit in close if hit.entry_id in in_play), None)
        if preferred is None:
            return hits
        # Alone in its band now: the other close entries drop just below the margin.
        rest = [
            Hit(
                hit.passage_id,
                hit.entry_id,
                min(hit.score, preferred.score - bands.margin),
                hit.dense,
                hit.lexical,
            )
            for hit in hits
            if hit is not preferred
        ]
        return [preferred, *rest]

    def answer_steps(self, message: str, clinical: bool = False) -> Reply:
        """A question asking for the general path: the best fitting roadmap entry, whatever its
        score (the clinical roadmap too when the person is clinical)."""
        searcher = self.searcher()
        index = searcher.index
        roadmap = set(self.settings.roadmap_entries) | (
            set(self.settings.clinical_roadmap_entries) if clinical else set()
        )
        hits = [
            hit
            for hit in searcher.search(spelt_out(message[:MAX_QUESTION_CHARS]), k=ROADMAP_DEPTH)
            if hit.entry_id in roadmap
        ]
        if not hits:
            return self.answer(message)
        passage = index.passages[hits[0].passage_id]
        return answer_with(
            passage, [index.passages[p] for p in index.related.get(passage.id, [])], hits[0].score
        )

    def _more_than(self, passage_id: str) -> Reply:
        """ "tell me more": the passage most related to the one in play, from another entry."""
        index = self.searcher().index
        current = index.passages[passage_id]
        for other_id in index.related.get(passage_id, []):
            other = index.passages[other_id]
            if other.entry_id != current.entry_id:
                related = [index.passages[p] for p in index.related.get(other_id, []) if p != passage_id]
                return answer_with(other, related)
        return answer_with(current, [])

    def matches(self, question: str, limit: int = 5) -> list[Match]:
        """Entries that fit the question, for a search page; empty when none scores "unsure" or better."""
        hits = self.best_hits(question)
        return rank_entries(hits, self.searcher().index.passages, self.settings.bands, limit)

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
