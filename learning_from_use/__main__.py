"""Learning from use: `python -m learning_from_use --help`.

The tracker store is TRACKER_STORE_URL when set, else endpoints.yml's (the SQLite file
var/data/conversations.db), as for the bot itself; --store names another.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy.exc import SQLAlchemyError

from handoff.settings import HandoffSettings, HandoffSettingsError
from handoff.store import HandoffCounts, counts_in
from learning_from_use.conversation_events import StoreUnavailable, describe, tracker_store_url
from learning_from_use.from_store import report_from_store, review_from_store
from learning_from_use.knowledge_review import ReviewError, apply_review
from retrieval.encoders import SentenceTransformerEncoder
from retrieval.knowledge_entries import KnowledgeEntry, KnowledgeError, load_entries
from retrieval.knowledge_index import IndexUnavailable, KnowledgeIndex, index_content_hash, load_index
from retrieval.settings import REPO_ROOT, RetrievalSettings, SettingsError, load_settings

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

DEFAULT_REPORT_DIR = REPO_ROOT / "results/report"
DEFAULT_REVIEW_FILE = REPO_ROOT / "var/review/knowledge-review.yml"
Store = Annotated[str | None, typer.Option(help="an SQLAlchemy URL of the tracker store")]
HandoffStoreUrl = Annotated[
    str | None, typer.Option(help="an SQLAlchemy URL of the hand-off store (default: HANDOFF_STORE_URL)")
]
T = TypeVar("T")


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _knowledge() -> tuple[RetrievalSettings, list[KnowledgeEntry]]:
    try:
        settings = load_settings()
        return settings, load_entries(settings.knowledge_dirs)
    except (SettingsError, KnowledgeError) as error:
        _fail(str(error))


def _current_index(settings: RetrievalSettings, entries: list[KnowledgeEntry]) -> KnowledgeIndex | None:
    """The knowledge index, if it is current for these entries and the model; else None, and
    the entries are encoded instead."""
    try:
        return load_index(settings.index_dir, settings.embedding_model, index_content_hash(entries))
    except IndexUnavailable:
        return None


def _from_store(store: str | None, make: Callable[..., T], out: Path, **extra: object) -> tuple[str, T]:
    """Runs `make(url, out, encoder, entries, knowledge_index=...)` on the tracker store; an
    unreadable store is an error."""
    settings, entries = _knowledge()
    url = store or tracker_store_url()
    encoder = SentenceTransformerEncoder(settings.embedding_model)
    index = _current_index(settings, entries)
    try:
        return url, make(url, out, encoder, entries, knowledge_index=index, **extra)
    except StoreUnavailable as error:
        _fail(str(error))


def _handoff_counts(url: str | None) -> HandoffCounts:
    """The requests for a person in the hand-off store (HANDOFF_STORE_URL by default)."""
    try:
        return counts_in(url or HandoffSettings.from_environment().store_url)
    except HandoffSettingsError as error:
        _fail(str(error))
    except SQLAlchemyError as error:
        _fail(f"cannot read the hand-off store: {type(error).__name__}: {str(error).splitlines()[0]}")


@app.command()
def report(
    store: Store = None, out: Path = DEFAULT_REPORT_DIR, handoff_store: HandoffStoreUrl = None
) -> None:
    """Write the usage report (index.html and its plots) from the tracker store and the hand-off store."""
    handoffs = _handoff_counts(handoff_store)
    url, (page, usage) = _from_store(store, report_from_store, out, handoffs=handoffs)
    people = f"{handoffs.requests} requests for a person ({handoffs.answered} answered)"
    if usage.is_empty:
        typer.echo(f"nothing yet: {describe(url)} holds no conversations; {people}; wrote {page}")
    else:
        typer.echo(
            f"{usage.conversations} conversations, {usage.answers} answers, {usage.ratings} ratings, "
            f"{len(usage.unanswered)} unanswered, {people}: wrote {page}"
        )


@app.command()
def review(store: Store = None, out: Path = DEFAULT_REVIEW_FILE) -> None:
    """Export candidate paraphrases and new entries to a review file for a maintainer."""
    _, (paraphrases, new_entries) = _from_store(store, review_from_store, out)
    typer.echo(f"{paraphrases} paraphrases and {new_entries} new entries to review in {out}")
    typer.echo(
        "set `approve: true` on those to keep (new entries need an answer and a source), then `make approve`"
    )


@app.command()
def approve(review_file: Path = DEFAULT_REVIEW_FILE, rebuild: bool = True) -> None:
    """Add the approved items of the review file to knowledge/, then rebuild the index."""
    settings, _ = _knowledge()
    try:
        applied = apply_review(review_file, settings.knowledge_dirs)
    except ReviewError as error:
        _fail(str(error))
    typer.echo(
        f"added {applied.paraphrases} paraphrases ({applied.skipped} already there) "
        f"and {len(applied.new_entries)} new entries: {', '.join(map(str, applied.new_entries)) or 'none'}"
    )
    if rebuild and (applied.paraphrases or applied.new_entries):
        from retrieval.__main__ import build

        build(if_needed=False)


if __name__ == "__main__":
    app()
