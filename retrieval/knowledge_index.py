"""Building the knowledge index, and loading it only when it matches what it was built from.

A build is written to its own folder under the index folder; the `CURRENT` file names
the build in use and is replaced atomically last, so a reader never sees half an index
and a running action server notices a rebuild by reading one small file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import bm25s
import faiss
import numpy as np

from retrieval.chunking import (
    MAX_PASSAGE_WORDS,
    Passage,
    chunk_entry,
    passage_from_json,
    passage_to_json,
    search_texts,
)
from retrieval.encoders import Encoder
from retrieval.knowledge_entries import KnowledgeEntry, content_hash
from retrieval.lexical import lexical_tokens

INDEX_FORMAT = 2  # 2: passages carry their entry's kind
CURRENT_FILE = "CURRENT"
MANIFEST_FILE = "manifest.json"
PASSAGES_FILE = "passages.json"
VECTORS_FILE = "vectors.faiss"
BM25_DIR = "bm25"
# Beside the builds: the vectors of the last build's texts, so a rebuild encodes only new text.
EMBEDDING_CACHE_FILE = "embeddings.npz"
RELATED_PER_PASSAGE = 3
ANN_RECALL_SAMPLE = 500
BUILDS_KEPT = 2
FIX = "run `make index` to rebuild it"


class IndexUnavailable(Exception):
    """The index cannot be used; the message says why and how to fix it."""


class MissingIndexError(IndexUnavailable):
    pass


class StaleIndexError(IndexUnavailable):
    pass


class MismatchedIndexError(IndexUnavailable):
    pass


class CorruptIndexError(IndexUnavailable):
    pass


@dataclass(frozen=True)
class Manifest:
    format: int
    model: str
    dimension: int
    content_hash: str
    passages: int
    search_texts: int
    index_type: str
    ann_recall_at_10: float | None
    built_at: str
    build_seconds: float


def index_content_hash(entries: list[KnowledgeEntry]) -> str:
    """What the index depends on besides the model: the entries and how they are chunked."""
    return f"{content_hash(entries)}-chunk{MAX_PASSAGE_WORDS}"


@dataclass
class KnowledgeIndex:
    manifest: Manifest
    build: str
    passages: dict[str, Passage]
    rows: list[str]
    related: dict[str, list[str]]
    vectors: faiss.Index
    bm25: bm25s.BM25


def _vector_index(
    vectors: np.ndarray, exact_search_max_vectors: int
) -> tuple[faiss.Index, str, float | None]:
    dimension = vectors.shape[1]
    exact = faiss.IndexFlatIP(dimension)
    exact.add(vectors)
    if len(vectors) <= exact_search_max_vectors:
        return exact, "flat-ip", None
    approximate = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
    approximate.hnsw.efConstruction = 80
    approximate.hnsw.efSearch = 64
    approximate.add(vectors)
    sample = vectors[
        np.random.default_rng(0).choice(len(vectors), min(ANN_RECALL_SAMPLE, len(vectors)), replace=False)
    ]
    k = min(10, len(vectors))
    _, truth = exact.search(sample, k)
    _, found = approximate.search(sample, k)
    recall = float(np.mean([len(set(t) & set(f)) / k for t, f in zip(truth, found, strict=True)]))
    return approximate, "hnsw-ip", round(recall, 4)


def _related(passages: list[Passage], passage_vectors: np.ndarray) -> dict[str, list[str]]:
    """For each passage, the nearest passages of other entries: its follow-up questions."""
    index = faiss.IndexFlatIP(passage_vectors.shape[1])
    index.add(passage_vectors)
    _, neighbours = index.search(passage_vectors, min(len(passages), 4 * RELATED_PER_PASSAGE + 1))
    related: dict[str, list[str]] = {}
    for passage, row in zip(passages, neighbours, strict=True):
        chosen: list[str] = []
        entries = {passage.entry_id}
        for position in row:
            if position < 0:
                continue
            other = passages[position]
            if other.entry_id not in entries:
                chosen.append(other.id)
                entries.add(other.entry_id)
            if len(chosen) == RELATED_PER_PASSAGE:
                break
        related[passage.id] = chosen
    return related


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def encode_with_cache(encoder: Encoder, texts: list[str], cache_file: Path) -> tuple[np.ndarray, int]:
    """The vectors of `texts` (float32, one row each) and how many were encoded now.

    Texts whose vectors `cache_file` holds for this encoder's model are not encoded again: a
    rebuild after an ingest or an approved review encodes only the new text (the model takes
    about 30 s for the whole knowledge base on 2 CPUs). The cache is then rewritten to hold
    exactly these texts. A missing, unreadable or other-model cache means encoding everything.
    """
    known: dict[str, np.ndarray] = {}
    try:
        with np.load(cache_file, allow_pickle=False) as stored:
            if str(stored["model"]) == encoder.name:
                known = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
    except (OSError, ValueError, KeyError):  # none yet, damaged, or another layout: start afresh
        known = {}
    keys = [text_key(text) for text in texts]
    missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in known}
    if missing:
        encoded = encoder.encode(list(missing.values()))
        known.update(zip(missing, np.asarray(encoded, dtype=np.float32), strict=True))
    vectors = np.stack([known[key] for key in keys]).astype(np.float32)
    unique = list(dict.fromkeys(keys))
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    partial = cache_file.with_suffix(".tmp")
    with partial.open("wb") as out:
        np.savez(
            out,
            model=np.array(encoder.name),
            keys=np.array(unique),
            vectors=np.stack([known[k] for k in unique]),
        )
    os.replace(partial, cache_file)
    return vectors, len(missing)


def build_index(
    entries: list[KnowledgeEntry],
    encoder: Encoder,
    index_dir: Path,
    exact_search_max_vectors: int = 20000,
) -> Manifest:
    if not entries:
        raise ValueError("there are no knowledge entries to index")
    started = time.perf_counter()
    passages = [passage for entry in entries for passage in chunk_entry(entry)]
    texts = search_texts(passages)
    vectors, _ = encode_with_cache(encoder, [text.text for text in texts], index_dir / EMBEDDING_CACHE_FILE)
    vector_index, index_type, recall = _vector_index(vectors, exact_search_max_vectors)
    passage_rows = [row for row, text in enumerate(texts) if text.kind == "passage"]
    related = _related(passages, vectors[passage_rows])
    lexical = bm25s.BM25()
    lexical.index([lexical_tokens(text.text) or ["_"] for text in texts], show_progress=False)

    index_dir.mkdir(parents=True, exist_ok=True)
    build_dir = Path(tempfile.mkdtemp(prefix="build-", dir=index_dir))
    faiss.write_index(vector_index, str(build_dir / VECTORS_FILE))
    lexical.save(str(build_dir / BM25_DIR))
    (build_dir / PASSAGES_FILE).write_text(
        json.dumps(
            {
                "passages": [passage_to_json(passage) for passage in passages],
                "rows": [text.passage_id for text in texts],
                "related": related,
            }
        )
    )
    manifest = Manifest(
        format=INDEX_FORMAT,
        model=encoder.name,
        dimension=int(vectors.shape[1]),
        content_hash=index_content_hash(entries),
        passages=len(passages),
        search_texts=len(texts),
        index_type=index_type,
        ann_recall_at_10=recall,
        built_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        build_seconds=round(time.perf_counter() - started, 2),
    )
    (build_dir / MANIFEST_FILE).write_text(json.dumps(asdict(manifest), indent=2))
    build_dir.chmod(0o755)
    pointer = index_dir / f".{CURRENT_FILE}.tmp"
    pointer.write_text(build_dir.name)
    os.replace(pointer, index_dir / CURRENT_FILE)
    _prune(index_dir, keep=build_dir.name)
    return manifest


def _prune(index_dir: Path, keep: str) -> None:
    """Old builds go, except the newest few: a reader that just looked at CURRENT may still open one."""
    builds = sorted(index_dir.glob("build-*"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in [build for build in builds if build.name != keep][BUILDS_KEPT - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def current_build(index_dir: Path) -> str | None:
    """The name of the build in use, or None when nothing was built."""
    try:
        return (index_dir / CURRENT_FILE).read_text().strip() or None
    except FileNotFoundError:
        return None


def read_manifest(index_dir: Path) -> Manifest:
    build = current_build(index_dir)
    if build is None:
        raise MissingIndexError(f"there is no knowledge index in {index_dir}; {FIX}")
    try:
        raw = json.loads((index_dir / build / MANIFEST_FILE).read_text())
        return Manifest(**raw)
    except (OSError, ValueError, TypeError) as error:
        raise CorruptIndexError(f"the knowledge index in {index_dir} is damaged ({error}); {FIX}") from error


def check_manifest(manifest: Manifest, model: str, expected_hash: str | None, index_dir: Path) -> None:
    if manifest.format != INDEX_FORMAT:
        raise MismatchedIndexError(
            f"the knowledge index in {index_dir} has format {manifest.format}, "
            f"this code reads {INDEX_FORMAT}; {FIX}"
        )
    if manifest.model != model:
        raise MismatchedIndexError(
            f"the knowledge index in {index_dir} was built with the model {manifest.model!r} "
            f"but the configured model is {model!r}; {FIX}"
        )
    if expected_hash is not None and manifest.content_hash != expected_hash:
        raise StaleIndexError(
            f"the knowledge index in {index_dir} is out of date: "
            f"the knowledge files changed after it was built; {FIX}"
        )


def load_index(index_dir: Path, model: str, expected_hash: str | None = None) -> KnowledgeIndex:
    """The current build, refused with a clear message when missing, stale, mismatched or corrupt."""
    manifest = read_manifest(index_dir)
    check_manifest(manifest, model, expected_hash, index_dir)
    build_dir = index_dir / current_build(index_dir)
    try:
        vectors = faiss.read_index(str(build_dir / VECTORS_FILE))
        lexical = bm25s.BM25.load(str(build_dir / BM25_DIR))
        stored = json.loads((build_dir / PASSAGES_FILE).read_text())
        passages = {raw["id"]: passage_from_json(raw) for raw in stored["passages"]}
        rows: list[str] = stored["rows"]
        related: dict[str, list[str]] = stored["related"]
    except Exception as error:  # faiss raises RuntimeError, bm25s and json their own: all mean damage
        raise CorruptIndexError(f"the knowledge index in {index_dir} is damaged ({error}); {FIX}") from error
    consistent = (
        vectors.ntotal == len(rows) == manifest.search_texts
        and vectors.d == manifest.dimension
        and len(passages) == manifest.passages
        and set(rows) <= passages.keys()
    )
    if not consistent:
        raise CorruptIndexError(
            f"the knowledge index in {index_dir} is inconsistent with its manifest; {FIX}"
        )
    return KnowledgeIndex(manifest, build_dir.name, passages, rows, related, vectors, lexical)
