"""A tiny deterministic encoder and small knowledge folders, so retrieval tests run in milliseconds."""

from __future__ import annotations

import hashlib
import re
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from retrieval.settings import Bands, Fusion, RetrievalSettings


class HashingEncoder:
    """Content words hashed into 256 dimensions: similar wording gives similar vectors."""

    name = "test-hashing-encoder"
    dimension = 256
    ignored = frozenset({"what", "where", "which", "does", "with", "from", "your", "should", "about"})

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z]{4,}", text.lower()):
                if word in self.ignored:
                    continue
                vectors[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


def write_entry(
    directory: Path, entry_id: str, title: str, body: str, questions: list[str], topic: str = "skills"
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    listed = "\n".join(f"  - {question}" for question in questions)
    path = directory / f"{entry_id}.md"
    path.write_text(
        f"---\nid: {entry_id}\ntitle: {title}\ntopic: {topic}\nsource:\n  guide: test-guide\n"
        f"  section: {title}\nquestions:\n{listed}\n---\n{textwrap.dedent(body).strip()}\n"
    )
    return path


class RandomEncoder:
    """A fixed pseudo-random unit vector per text: no ties, as real embeddings have none."""

    name = "test-random-encoder"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = [
            np.random.default_rng(int(hashlib.md5(t.encode()).hexdigest(), 16) % 2**32).normal(size=64)
            for t in texts
        ]
        vectors = np.asarray(rows, dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def encoder() -> HashingEncoder:
    return HashingEncoder()


@pytest.fixture
def knowledge_dir(tmp_path) -> Path:
    directory = tmp_path / "knowledge"
    directory.mkdir()
    (directory / "sources.yml").write_text(
        "test-guide:\n  title: The Test Guide\n  url: https://guide.example/\n"
    )
    write_entry(
        directory,
        "mentors",
        "Finding a mentor",
        "Ask a senior department head you respect to mentor you.",
        ["how do I find a mentor", "who should mentor me"],
        topic="networking",
    )
    write_entry(
        directory,
        "budgets",
        "Learning budgets",
        "Volunteer to help prepare the department budget.",
        ["how do I learn budgeting", "how do I get budget experience"],
        topic="experience",
    )
    write_entry(
        directory,
        "fache",
        "The FACHE credential",
        "FACHE is the fellowship of the college of executives.",
        ["what is FACHE", "which credential for executives"],
        topic="certifications",
    )
    return directory


@pytest.fixture
def make_settings(tmp_path, knowledge_dir) -> Callable[..., RetrievalSettings]:
    def build(**changes) -> RetrievalSettings:
        values = {
            "embedding_model": HashingEncoder.name,
            "knowledge_dirs": [knowledge_dir, tmp_path / "ingested"],
            "ingested_dir": tmp_path / "ingested",
            "index_dir": tmp_path / "index",
            "fusion": Fusion(),
            "bands": Bands(confident=0.8, unsure=0.3),
            "human_contact": "the career office",
        }
        return RetrievalSettings(**{**values, **changes})

    return build
