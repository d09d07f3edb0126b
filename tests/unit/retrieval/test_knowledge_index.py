from __future__ import annotations

import json

import numpy as np
import pytest

from retrieval.knowledge_entries import load_entries
from retrieval.knowledge_index import (
    EMBEDDING_CACHE_FILE,
    CorruptIndexError,
    MismatchedIndexError,
    MissingIndexError,
    StaleIndexError,
    build_index,
    current_build,
    index_content_hash,
    load_index,
)
from tests.unit.retrieval.conftest import RandomEncoder, write_entry


def test_an_index_round_trips_with_its_manifest(tmp_path, knowledge_dir, encoder):
    entries = load_entries([knowledge_dir])

    manifest = build_index(entries, encoder, tmp_path / "index")
    index = load_index(tmp_path / "index", encoder.name, index_content_hash(entries))

    assert (manifest.model, manifest.dimension, manifest.passages, manifest.index_type) == (
        encoder.name,
        256,
        3,
        "flat-ip",
    )
    assert manifest.search_texts == 3 + 6  # a passage and two phrasings per entry
    assert manifest.content_hash == index_content_hash(entries)
    assert index.vectors.ntotal == len(index.rows) == 9
    assert set(index.passages) == {"mentors", "budgets", "fache"}
    assert index.passages["fache"].sources[0].guide == "The Test Guide"
    assert all(len(related) == 2 and passage not in related for passage, related in index.related.items())


def test_a_missing_index_names_the_fix(tmp_path, encoder):
    with pytest.raises(MissingIndexError, match="no knowledge index .*run `make index`"):
        load_index(tmp_path / "nothing", encoder.name)


def test_an_index_built_by_another_model_is_refused(tmp_path, knowledge_dir, encoder):
    build_index(load_entries([knowledge_dir]), encoder, tmp_path / "index")

    with pytest.raises(
        MismatchedIndexError, match="built with the model 'test-hashing-encoder' but the configured"
    ):
        load_index(tmp_path / "index", "another-model")


def test_an_index_of_older_content_is_refused_as_stale(tmp_path, knowledge_dir, encoder):
    build_index(load_entries([knowledge_dir]), encoder, tmp_path / "index")
    write_entry(knowledge_dir, "new", "New entry", "Something new.", ["new?"])

    with pytest.raises(StaleIndexError, match="out of date.*run `make index`"):
        load_index(tmp_path / "index", encoder.name, index_content_hash(load_entries([knowledge_dir])))


@pytest.mark.parametrize("damage", ["vectors.faiss", "passages.json", "manifest.json"])
def test_a_damaged_index_is_refused_as_corrupt(tmp_path, knowledge_dir, encoder, damage):
    build_index(load_entries([knowledge_dir]), encoder, tmp_path / "index")
    build = tmp_path / "index" / current_build(tmp_path / "index")
    (build / damage).write_bytes(b"\x00garbage")

    with pytest.raises(CorruptIndexError, match="damaged .*run `make index`"):
        load_index(tmp_path / "index", encoder.name)


def test_a_manifest_that_disagrees_with_the_files_is_refused(tmp_path, knowledge_dir, encoder):
    build_index(load_entries([knowledge_dir]), encoder, tmp_path / "index")
    manifest_file = tmp_path / "index" / current_build(tmp_path / "index") / "manifest.json"
    manifest_file.write_text(json.dumps({**json.loads(manifest_file.read_text()), "search_texts": 99}))

    with pytest.raises(CorruptIndexError, match="inconsistent with its manifest"):
        load_index(tmp_path / "index", encoder.name)


def test_a_rebuild_switches_the_current_build_and_keeps_one_previous(tmp_path, knowledge_dir, encoder):
    entries = load_entries([knowledge_dir])
    index_dir = tmp_path / "index"
    builds = []
    for _ in range(3):
        build_index(entries, encoder, index_dir)
        builds.append(current_build(index_dir))

    assert len(set(builds)) == 3
    assert sorted(path.name for path in index_dir.glob("build-*")) == sorted(builds[1:])


def test_above_the_size_threshold_an_hnsw_index_is_built_and_its_recall_measured(tmp_path):
    encoder = RandomEncoder()
    knowledge = tmp_path / "many"
    rng = np.random.default_rng(1)
    words = [f"w{n}" for n in range(400)]
    for n in range(120):
        write_entry(
            knowledge,
            f"e{n}",
            f"Entry {n}",
            " ".join(rng.choice(words, 12)),
            [" ".join(rng.choice(words, 5))],
        )

    manifest = build_index(
        load_entries([knowledge]), encoder, tmp_path / "index", exact_search_max_vectors=100
    )
    index = load_index(tmp_path / "index", encoder.name)

    assert manifest.index_type == "hnsw-ip" and type(index.vectors).__name__ == "IndexHNSWFlat"
    assert manifest.ann_recall_at_10 >= 0.9


class CountingEncoder(RandomEncoder):
    """Counts the texts it is asked to encode."""

    def __init__(self, name: str = "test-random-encoder") -> None:
        self.name = name
        self.encoded: list[str] = []

    def encode(self, texts):
        self.encoded += list(texts)
        return super().encode(texts)


def test_a_rebuild_encodes_only_new_text_and_gives_the_same_vectors(tmp_path, knowledge_dir):
    first = CountingEncoder()
    build_index(load_entries([knowledge_dir]), first, tmp_path / "index")
    write_entry(
        knowledge_dir,
        "lockers",
        "Staff lockers",
        "Night-shift lockers are in building C.",
        ["where are lockers?"],
    )
    again = CountingEncoder()

    build_index(load_entries([knowledge_dir]), again, tmp_path / "index")
    fresh = CountingEncoder()
    build_index(load_entries([knowledge_dir]), fresh, tmp_path / "fresh-index")

    assert 0 < len(again.encoded) < len(first.encoded) / 2
    assert all("lockers" in text.lower() or "building c" in text.lower() for text in again.encoded)
    rebuilt = load_index(tmp_path / "index", again.name)
    from_scratch = load_index(tmp_path / "fresh-index", fresh.name)
    assert rebuilt.rows == from_scratch.rows
    assert np.allclose(
        rebuilt.vectors.reconstruct_n(0, rebuilt.vectors.ntotal),
        from_scratch.vectors.reconstruct_n(0, from_scratch.vectors.ntotal),
    )


def test_another_model_or_a_damaged_cache_encodes_everything_again(tmp_path, knowledge_dir):
    build_index(load_entries([knowledge_dir]), CountingEncoder(), tmp_path / "index")
    other_model = CountingEncoder("another-model")
    build_index(load_entries([knowledge_dir]), other_model, tmp_path / "index")
    (tmp_path / "index" / EMBEDDING_CACHE_FILE).write_bytes(b"not an npz file")
    after_damage = CountingEncoder("another-model")
    build_index(load_entries([knowledge_dir]), after_damage, tmp_path / "index")

    everything = load_index(tmp_path / "index", "another-model").vectors.ntotal
    assert len(set(other_model.encoded)) == len(set(after_damage.encoded)) > 0
    assert len(other_model.encoded) == everything
