from __future__ import annotations

import pytest

from learning_from_use.question_clusters import cluster_questions, nearest_entries
from retrieval.knowledge_entries import KnowledgeEntry, load_entries
from retrieval.knowledge_index import build_index, load_index
from tests.unit.retrieval.conftest import write_entry

QUESTIONS = [
    "who could mentor me at work",
    "i want someone to mentor me",
    "how do i get budget experience in my unit",
    "what does the FACHE credential involve",
]


@pytest.fixture
def entries(tmp_path) -> list[KnowledgeEntry]:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "sources.yml").write_text(
        "test-guide:\n  title: The Test Guide\n  url: https://guide.example/\n"
    )
    write_entry(knowledge, "mentors", "Finding a mentor", "Ask a senior head.", ["who should mentor me"])
    write_entry(knowledge, "budgets", "Budgets", "Help with the budget.", ["how do I get budget experience"])
    write_entry(
        knowledge, "fache", "The FACHE credential", "A fellowship.", ["what is FACHE"], topic="certifications"
    )
    return load_entries([knowledge])


def test_each_group_is_shown_beside_the_entry_of_its_nearest_listed_question(encoder, entries):
    clusters = cluster_questions(QUESTIONS, encoder, entries)

    nearest = {question: cluster.nearest for cluster in clusters for question in cluster.questions}
    assert nearest["who could mentor me at work"].entry_id == "mentors"
    assert nearest["how do i get budget experience in my unit"].entry_id == "budgets"
    fache = nearest["what does the FACHE credential involve"]
    assert (fache.entry_id, fache.title, fache.topic) == ("fache", "The FACHE credential", "certifications")
    assert 0 < fache.similarity <= 1


def test_with_the_index_the_entries_are_not_encoded_again_and_the_answer_is_the_same(
    encoder, entries, tmp_path
):
    build_index(entries, encoder, tmp_path / "index")
    index = load_index(tmp_path / "index", encoder.name)
    centroids = encoder.encode(QUESTIONS)

    encoded = nearest_entries(centroids, entries, encoder)
    calls = encoder.calls
    from_index = nearest_entries(centroids, entries, encoder, index)

    assert encoder.calls == calls
    assert from_index == encoded


def test_an_entry_missing_from_the_index_is_never_named(encoder, entries, tmp_path):
    build_index(entries, encoder, tmp_path / "index")
    index = load_index(tmp_path / "index", encoder.name)
    without_fache = [entry for entry in entries if entry.id != "fache"]

    [nearest] = nearest_entries(encoder.encode(["what is FACHE"]), without_fache, encoder, index)

    assert nearest.entry_id in {"mentors", "budgets"}
