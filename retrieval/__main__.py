"""Command line for the knowledge base: `python -m retrieval --help`."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from retrieval.advisor import KnowledgeAdvisor
from retrieval.document_ingestion import IngestionError, ingest
from retrieval.encoders import SentenceTransformerEncoder
from retrieval.evaluation import Scored, load_dev_set, metrics, score_questions, tune_bands
from retrieval.hybrid_search import Mode
from retrieval.knowledge_entries import KnowledgeError, load_entries
from retrieval.knowledge_index import (
    IndexUnavailable,
    build_index,
    check_manifest,
    index_content_hash,
    read_manifest,
)
from retrieval.settings import REPO_ROOT, Bands, SettingsError, load_settings

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


@app.command()
def build(
    if_needed: Annotated[
        bool, typer.Option(help="skip the build when the index matches model and content")
    ] = False,
) -> None:
    """Build the index from the knowledge folders with the configured model."""
    try:
        settings = load_settings()
        entries = load_entries(settings.knowledge_dirs)
    except (SettingsError, KnowledgeError) as error:
        _fail(str(error))
    if if_needed:
        try:
            check_manifest(
                read_manifest(settings.index_dir),
                settings.embedding_model,
                index_content_hash(entries),
                settings.index_dir,
            )
            typer.echo(f"knowledge index is up to date ({settings.index_dir})")
            return
        except IndexUnavailable as reason:
            typer.echo(f"rebuilding: {reason}")
    try:
        manifest = build_index(
            entries,
            SentenceTransformerEncoder(settings.embedding_model),
            settings.index_dir,
            settings.exact_search_max_vectors,
        )
    except (OSError, ValueError) as error:
        _fail(f"cannot build the index: {error}")
    typer.echo(
        f"indexed {manifest.passages} passages ({manifest.search_texts} search texts) from "
        f"{len(entries)} entries with {manifest.model} ({manifest.dimension} dimensions, "
        f"{manifest.index_type}) in {manifest.build_seconds} s -> {settings.index_dir}"
    )


@app.command(name="ingest")
def ingest_files(files: Annotated[list[Path], typer.Argument(help=".md, .txt, .html or .pdf files")]) -> None:
    """Add documents to the knowledge base (then run `build`)."""
    try:
        settings = load_settings()
        written = ingest(files, settings.ingested_dir)
    except (SettingsError, IngestionError) as error:
        _fail(str(error))
    for path in written:
        typer.echo(f"ingested -> {path}")


@app.command()
def status() -> None:
    """Print the manifest of the current index."""
    try:
        settings = load_settings()
        typer.echo(json.dumps(asdict(read_manifest(settings.index_dir)), indent=2))
    except (SettingsError, IndexUnavailable) as error:
        _fail(str(error))


@app.command()
def ask(question: str) -> None:
    """Answer one question the way the bot would (band, score, text, suggestions)."""
    try:
        reply = KnowledgeAdvisor().answer(question)
    except (SettingsError, IndexUnavailable) as error:
        _fail(str(error))
    typer.echo(f"[{reply.band.value} {reply.score:.3f}]")
    if reply.text:
        typer.echo(reply.text)
    for suggestion in reply.suggestions:
        typer.echo(f"  -> {suggestion.question}  ({suggestion.passage_id})")


DEV_SET = REPO_ROOT / "tests" / "retrieval_dev_set.yml"
# Fresh messages written the way staff write, kept for setting the bands alone (no knowledge
# phrasing was written from them; never the held-out part).
MESSAGES_DEV_SET = REPO_ROOT / "tests" / "messages" / "calibration.yml"
RESULTS = REPO_ROOT / "bench" / "results" / "retrieval.json"
MODES: tuple[Mode, ...] = ("dense", "bm25", "hybrid")


def _scored(*dev_sets: Path):
    try:
        advisor = KnowledgeAdvisor()
        searcher = advisor.searcher()
    except (SettingsError, IndexUnavailable) as error:
        _fail(str(error))
    dev = load_dev_set(*dev_sets)
    return advisor.settings, dev, {mode: score_questions(searcher, dev, mode) for mode in MODES}


@app.command()
def tune(dev_set: Path = DEV_SET, messages_dev_set: Path = MESSAGES_DEV_SET) -> None:
    """Suggest answer bands for each mode from the dev sets (copy the hybrid ones to retrieval.yml)."""
    settings, _, scored = _scored(dev_set, messages_dev_set)
    typer.echo(f"configured hybrid bands: {settings.bands.model_dump()}")
    for mode, (in_domain, out_of_domain) in scored.items():
        bands = tune_bands(in_domain, out_of_domain)
        typer.echo(f"{mode:7s} suggested: {bands.model_dump()}  {metrics(in_domain, out_of_domain, bands)}")


@app.command(name="export-faq")
def export_faq(out: Path, dev_set: Path = DEV_SET) -> None:
    """Write entries, their phrasings and the dev set as JSON, for the ResponseSelector comparison."""
    try:
        entries = load_entries(load_settings().knowledge_dirs)
    except (SettingsError, KnowledgeError) as error:
        _fail(str(error))
    dev = load_dev_set(dev_set)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "entries": [
                    {"id": e.id, "title": e.title, "questions": e.questions, "body": e.body} for e in entries
                ],
                "in_domain": [{"q": item.question, "expect": list(item.expected)} for item in dev.in_domain],
                "out_of_domain": dev.out_of_domain,
            },
            indent=1,
        )
    )
    typer.echo(f"wrote {out}")


@app.command(name="eval")
def evaluate(
    dev_set: Path = DEV_SET,
    response_selector: Annotated[
        Path | None, typer.Option(help="results of bench/response_selector_eval.py")
    ] = None,
    out: Path = RESULTS,
) -> None:
    """Recall@1/@3, MRR and decline rate for dense, BM25, hybrid (and Rasa's ResponseSelector)."""
    settings, dev, scored = _scored(dev_set)
    rows: dict[str, dict] = {}

    def add_row(name: str, in_domain: list[Scored], out_of_domain: list[float], bands: Bands | None) -> None:
        # Without configured bands (dense, BM25, ResponseSelector: other score scales)
        # a method gets the bands tuned for it on the same dev set.
        bands = bands or tune_bands(in_domain, out_of_domain)
        rows[name] = {**metrics(in_domain, out_of_domain, bands), "bands": bands.model_dump()}

    for mode, (in_domain, out_of_domain) in scored.items():
        add_row(mode, in_domain, out_of_domain, settings.bands if mode == "hybrid" else None)
    if response_selector is not None:
        raw = json.loads(response_selector.read_text())
        in_domain = [Scored(item["rank"], item["top_score"]) for item in raw["in_domain"]]
        out_of_domain = [Scored(None, score) for score in raw["out_of_domain"]]
        add_row("response_selector", in_domain, out_of_domain, None)
    report = {
        "dev_set": {"in_domain": len(dev.in_domain), "out_of_domain": len(dev.out_of_domain)},
        "model": settings.embedding_model,
        "fusion": settings.fusion.model_dump(),
        "results": rows,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    columns = ["recall_at_1", "recall_at_3", "mrr", "decline_rate"]
    typer.echo(f"{len(dev.in_domain)} in-domain and {len(dev.out_of_domain)} out-of-domain questions")
    typer.echo(f"{'method':20s}" + "".join(f"{c:>14s}" for c in columns))
    for name, row in rows.items():
        typer.echo(f"{name:20s}" + "".join(f"{row.get(c, float('nan')):14.3f}" for c in columns))
    typer.echo(f"wrote {out}")


if __name__ == "__main__":
    sys.exit(app())
