"""The advisor end to end with the tiny encoder: bands, hot reload, staleness."""

from __future__ import annotations

import pytest

from retrieval.advisor import KnowledgeAdvisor
from retrieval.answers import Band
from retrieval.knowledge_entries import load_entries
from retrieval.knowledge_index import MissingIndexError, StaleIndexError, build_index
from tests.unit.retrieval.conftest import write_entry


@pytest.fixture
def advisor(make_settings, knowledge_dir, encoder) -> KnowledgeAdvisor:
    settings = make_settings()
    build_index(load_entries(settings.knowledge_dirs), encoder, settings.index_dir)
    return KnowledgeAdvisor(settings, encoder)


def test_a_close_question_gets_a_confident_answer_with_source_and_follow_ups(advisor):
    reply = advisor.answer("how do I find a mentor")

    assert reply.band is Band.CONFIDENT and reply.passage.id == "mentors"
    assert reply.text.startswith("Ask a senior department head")
    assert reply.text.endswith(
        "_Source: The Test Guide — Finding a mentor ([guide.example](https://guide.example/))_"
    )
    assert {s.passage_id for s in reply.suggestions} == {"budgets", "fache"}
    assert "what is FACHE" in [s.question for s in reply.suggestions]


def test_a_loose_question_gets_suggestions_and_an_unrelated_one_gets_none(advisor):
    unsure = advisor.answer("mentor budget")
    nothing = advisor.answer("weather tomorrow in paris")

    assert unsure.band is Band.UNSURE and unsure.text is None
    assert {s.passage_id for s in unsure.suggestions} >= {"mentors", "budgets"}
    assert nothing.band is Band.NO_MATCH and nothing.suggestions == []


def test_a_passage_asked_for_by_id_is_answered_and_an_unknown_id_is_none(advisor):
    assert advisor.answer_passage("fache").text.startswith("FACHE is the fellowship")
    assert advisor.answer_passage("no-such-entry") is None


def test_a_rebuilt_index_is_picked_up_without_a_new_advisor(advisor, make_settings, knowledge_dir, encoder):
    assert advisor.answer("where do I park my car").band is Band.NO_MATCH
    write_entry(
        knowledge_dir,
        "parking",
        "Staff parking",
        "Staff park in garage B with a badge.",
        ["where do I park my car"],
    )
    settings = make_settings()
    build_index(load_entries(settings.knowledge_dirs), encoder, settings.index_dir)

    reply = advisor.answer("where do I park my car")

    assert reply.band is Band.CONFIDENT and reply.passage.id == "parking"


def test_it_refuses_to_answer_from_an_index_older_than_the_knowledge(advisor, knowledge_dir):
    advisor.answer("how do I find a mentor")
    (knowledge_dir / "mentors.md").write_text(
        (knowledge_dir / "mentors.md").read_text().replace("senior", "wise")
    )

    with pytest.raises(StaleIndexError, match="out of date.*run `make index`"):
        advisor.answer("how do I find a mentor")


def test_a_broken_knowledge_file_is_reported_as_the_reason(advisor, knowledge_dir):
    (knowledge_dir / "mentors.md").write_text("---\nid: [broken\n---\n")

    with pytest.raises(StaleIndexError, match="(?s)mentors.md.*fix it, then run `make index`"):
        advisor.answer("how do I find a mentor")


def test_without_an_index_it_says_how_to_build_one(make_settings, encoder, tmp_path):
    advisor = KnowledgeAdvisor(make_settings(index_dir=tmp_path / "empty"), encoder)

    with pytest.raises(MissingIndexError, match="run `make index`"):
        advisor.answer("anything")
    advisor.warm_up()  # logs, never raises: the first real question reports it
