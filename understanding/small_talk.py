"""Small talk recognised by meaning: "cheers, really useful", "ok gotta run", "what kind of stuff
can i ask you". The examples are in small_talk.yml; a short message close enough to one of
them (cosine similarity, the knowledge base's own encoder) is that kind of talk.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from retrieval.encoders import Encoder

EXAMPLES = Path(__file__).with_name("small_talk.yml")
# Small talk is short: a longer message carries more than a greeting or thanks.
MAX_WORDS = 8
# Chosen on tests/messages/dev.yml: above this, a message is the example's kind of talk.
MIN_SIMILARITY = 0.72


class SmallTalkRecogniser:
    def __init__(self, encoder: Encoder, examples: Path = EXAMPLES) -> None:
        self._encoder = encoder
        self._examples = examples
        self._kinds: list[str] = []
        self._vectors: np.ndarray | None = None

    def kind_of(self, text: str) -> str | None:
        """The kind of small talk ("greet", "thank", ...) a short message is, or None."""
        if not text.strip() or len(text.split()) > MAX_WORDS:
            return None
        if self._vectors is None:
            raw = yaml.safe_load(self._examples.read_text(encoding="utf-8"))
            self._kinds = [kind for kind, phrases in raw.items() for _ in phrases]
            self._vectors = self._encoder.encode([phrase for phrases in raw.values() for phrase in phrases])
        similarities = self._vectors @ self._encoder.encode([text])[0]
        best = int(np.argmax(similarities))
        return self._kinds[best] if similarities[best] >= MIN_SIMILARITY else None
