"""The report and the review file, from a tracker store; the encoder is passed in (tests use a tiny one)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from handoff.store import HandoffCounts
from learning_from_use.conversation_events import describe, read_events
from learning_from_use.knowledge_review import export_review
from learning_from_use.question_clusters import QuestionCluster, cluster_questions
from learning_from_use.report import write_report
from learning_from_use.usage import Usage, summarise
from retrieval.encoders import Encoder
from retrieval.knowledge_entries import KnowledgeEntry


def learn(
    url: str, encoder: Encoder, entries: Sequence[KnowledgeEntry]
) -> tuple[Usage, list[QuestionCluster]]:
    usage = summarise(read_events(url))
    clusters = (
        cluster_questions([u.text for u in usage.unanswered], encoder, entries) if usage.unanswered else []
    )
    return usage, clusters


def report_from_store(
    url: str,
    out: Path,
    encoder: Encoder,
    entries: Sequence[KnowledgeEntry],
    handoffs: HandoffCounts | None = None,
) -> tuple[Path, Usage]:
    usage, clusters = learn(url, encoder, entries)
    titles = {entry.id: entry.title for entry in entries}
    return write_report(usage, clusters, titles, describe(url), out, handoffs), usage


def review_from_store(
    url: str, path: Path, encoder: Encoder, entries: Sequence[KnowledgeEntry]
) -> tuple[int, int]:
    usage, clusters = learn(url, encoder, entries)
    return export_review(usage, clusters, entries, describe(url), path)
