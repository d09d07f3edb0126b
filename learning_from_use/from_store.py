"""The report and the review file, from a tracker store; the encoder is passed in (tests use a tiny one)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from handoff.store import HandoffCounts
from learning_from_use.conversation_events import describe, read_events
from learning_from_use.knowledge_review import export_review
from learning_from_use.question_clusters import QuestionCluster, cluster_questions
from learning_from_use.report import write_report
from learning_from_use.usage import Usage, summarise
from retrieval.encoders import Encoder
from retrieval.knowledge_entries import KnowledgeEntry

if TYPE_CHECKING:  # faiss loads with it; only the report's command line needs it
    from retrieval.knowledge_index import KnowledgeIndex


def learn(
    url: str,
    encoder: Encoder,
    entries: Sequence[KnowledgeEntry],
    knowledge_index: KnowledgeIndex | None = None,
) -> tuple[Usage, list[QuestionCluster]]:
    usage = summarise(read_events(url))
    questions = [u.text for u in usage.unanswered]
    clusters = (
        cluster_questions(questions, encoder, entries, knowledge_index=knowledge_index) if questions else []
    )
    return usage, clusters


def report_from_store(
    url: str,
    out: Path,
    encoder: Encoder,
    entries: Sequence[KnowledgeEntry],
    handoffs: HandoffCounts | None = None,
    knowledge_index: KnowledgeIndex | None = None,
) -> tuple[Path, Usage]:
    usage, clusters = learn(url, encoder, entries, knowledge_index)
    titles = {entry.id: entry.title for entry in entries}
    return write_report(usage, clusters, titles, describe(url), out, handoffs), usage


def review_from_store(
    url: str,
    path: Path,
    encoder: Encoder,
    entries: Sequence[KnowledgeEntry],
    knowledge_index: KnowledgeIndex | None = None,
) -> tuple[int, int]:
    usage, clusters = learn(url, encoder, entries, knowledge_index)
    return export_review(usage, clusters, entries, describe(url), path)
