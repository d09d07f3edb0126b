"""Finding the question in a long message, and what a follow-up leans on."""

from __future__ import annotations

from understanding.question_focus import (
    asks_for_more,
    candidate_queries,
    is_follow_up,
    subject_of,
    with_context,
)

LONG = (
    "I do patient transport at a big hospital and see so much that's broken, I keep thinking about "
    "networking with the managers. Is there an actual path from where I am to being one of the people who fixes it?"
)


def test_a_long_message_is_searched_whole_and_by_its_sentences_with_the_question_marked():
    candidates = candidate_queries(LONG)
    assert candidates[0].is_whole and candidates[0].text == LONG
    questions = [c.text for c in candidates if c.is_question and not c.is_whole]
    assert questions == ["Is there an actual path from where I am to being one of the people who fixes it?"]


def test_a_short_message_is_searched_as_it_is():
    assert [c.text for c in candidate_queries("what is fache?")] == ["what is fache?"]


def test_follow_ups_lean_on_what_came_before():
    for text in [
        "how do I get it?",
        "what about online?",
        "tell me more",
        "and for nurses?",
        "is that hard?",
    ]:
        assert is_follow_up(text), text
    assert not is_follow_up("what certifications should a hospital manager get to move up")
    assert asks_for_more("tell me more") and not asks_for_more("tell me about FACHE")


def test_the_follow_up_gets_the_subject_of_the_question_it_follows():
    assert subject_of("what is FACHE?") == "FACHE"
    assert subject_of("whats the difference between an mha and an mba") == "mha and an mba"
    assert with_context("how do I get it?", "FACHE") == "how do I get FACHE?"
    assert with_context("what about online?", "master's degree") == "master's degree: what about online?"
