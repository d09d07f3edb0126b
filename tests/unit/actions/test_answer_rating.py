from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.events import FollowupAction

from actions.answer_rating import ActionRecordRating, ActionRecordRatingComment, ValidateRatingCommentForm
from learning_from_use.answer_records import (
    ANSWER_RECORD_SLOT,
    RATING_SLOT,
    AnswerRecord,
    Outcome,
    Rating,
    RatingRecord,
    Via,
)

EARLIER = AnswerRecord(
    "what is CPHQ", Outcome.CONFIDENT, Via.TYPED, 0.81, "certs", "certs#1", "certifications"
)
LATEST = AnswerRecord(
    "how do I network", Outcome.CONFIDENT, Via.TYPED, 0.74, "network", "network", "networking"
)


def with_answers(tracker, *records: AnswerRecord):
    tracker.events = [{"event": "slot", "name": ANSWER_RECORD_SLOT, "value": r.as_slot()} for r in records]
    tracker.slots[ANSWER_RECORD_SLOT] = records[-1].as_slot() if records else None
    return tracker


def slot(events, name):
    [value] = [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name]
    return value


def test_a_rating_button_rates_the_answer_it_was_under_with_its_question_entry_and_score(
    dispatcher, tracker_for, domain
):
    tracker = with_answers(tracker_for("rate_helpful", "/rate_helpful"), EARLIER, LATEST)
    tracker.latest_message["entities"] = [{"entity": "answer_id", "value": EARLIER.id}]

    events = ActionRecordRating().run(dispatcher, tracker, domain)

    rating = RatingRecord.from_slot(slot(events, RATING_SLOT))
    assert (rating.rating, rating.answer_id, rating.question, rating.entry_id, rating.score) == (
        Rating.HELPFUL, EARLIER.id, "what is CPHQ", "certs", 0.81,
    )  # fmt: skip
    assert [m["response"] for m in dispatcher.messages] == ["utter_rating_thanks"]


def test_a_typed_rating_rates_the_latest_answer_and_a_thumbs_down_leaves_the_question_to_the_form(
    dispatcher, tracker_for, domain
):
    tracker = with_answers(tracker_for("rate_not_helpful", "that didn't help"), EARLIER, LATEST)

    events = ActionRecordRating().run(dispatcher, tracker, domain)

    rating = RatingRecord.from_slot(slot(events, RATING_SLOT))
    assert (rating.rating, rating.answer_id) == (Rating.NOT_HELPFUL, LATEST.id)
    assert dispatcher.messages == []  # rating_comment_form asks what they were looking for
    assert slot(events, "rating_comment") is None


def test_rating_the_same_answer_again_replaces_the_first_rating(dispatcher, tracker_for, domain):
    tracker = with_answers(tracker_for("rate_helpful", "/rate_helpful"), LATEST)
    first = RatingRecord.from_slot(slot(ActionRecordRating().run(dispatcher, tracker, domain), RATING_SLOT))
    tracker.latest_message["intent"]["name"] = "rate_not_helpful"

    second = RatingRecord.from_slot(slot(ActionRecordRating().run(dispatcher, tracker, domain), RATING_SLOT))

    assert first.id == second.id and second.rating is Rating.NOT_HELPFUL


def test_inside_the_plan_form_a_thumbs_down_is_acknowledged_without_a_question(
    dispatcher, tracker_for, domain
):
    tracker = with_answers(tracker_for("rate_not_helpful", "/rate_not_helpful"), LATEST)
    tracker.active_loop = {"name": "career_plan_form"}

    ActionRecordRating().run(dispatcher, tracker, domain)

    assert [m["response"] for m in dispatcher.messages] == ["utter_rating_noted"]


def extract(tracker, dispatcher, domain) -> dict:
    return asyncio.run(ValidateRatingCommentForm().extract_rating_comment(dispatcher, tracker, domain))


@pytest.mark.parametrize(
    ("intent", "text", "kept"),
    [
        ("ask_certifications", "which certification pays more? ask sarah@example.org",
         "which certification pays more? ask [email]"),
        ("skip_question", "/skip_question", ""),
        ("deny", "no thanks", ""),
        ("ask_question", '/ask_question{"entry_id": "certs"}', ""),
    ],
)  # fmt: skip
def test_the_comment_is_what_they_typed_masked_and_skipping_or_a_button_leaves_none(
    intent, text, kept, dispatcher, tracker_for, domain
):
    tracker = tracker_for(intent, text, slots={"requested_slot": "rating_comment"})

    assert extract(tracker, dispatcher, domain) == {"rating_comment": kept}


def test_the_message_that_opened_the_form_is_not_taken_as_the_comment(dispatcher, tracker_for, domain):
    tracker = tracker_for("rate_not_helpful", "/rate_not_helpful", slots={"requested_slot": None})

    assert extract(tracker, dispatcher, domain) == {}


def test_the_comment_is_added_to_the_rating_and_a_knowledge_button_is_then_answered(
    dispatcher, tracker_for, domain
):
    rating = RatingRecord.for_answer(Rating.NOT_HELPFUL, LATEST)
    slots = {RATING_SLOT: rating.as_slot(), "rating_comment": "salary of a manager"}
    tracker = tracker_for("rate_not_helpful", "salary of a manager", slots=slots)

    events = ActionRecordRatingComment().run(dispatcher, tracker, domain)

    kept = RatingRecord.from_slot(slot(events, RATING_SLOT))
    assert (kept.id, kept.comment, kept.entry_id) == (rating.id, "salary of a manager", "network")
    assert [m["response"] for m in dispatcher.messages] == ["utter_rating_comment_thanks"]
    pressed = tracker_for("ask_question", '/ask_question{"entry_id": "certs"}',
                          slots={RATING_SLOT: rating.as_slot(), "rating_comment": ""})  # fmt: skip
    pressed.latest_message["entities"] = [{"entity": "entry_id", "value": "certs"}]
    assert FollowupAction("action_answer_question") in ActionRecordRatingComment().run(
        dispatcher, pressed, domain
    )


def test_every_response_and_action_name_is_in_the_domain(domain):
    responses = {"utter_rating_thanks", "utter_rating_noted", "utter_ask_rating_comment",
                 "utter_rating_comment_thanks", "utter_rating_comment_skipped"}  # fmt: skip
    assert responses <= domain["responses"].keys()
    names = {
        ActionRecordRating().name(),
        ActionRecordRatingComment().name(),
        ValidateRatingCommentForm().name(),
    }
    assert names <= set(domain["actions"])
    assert {"rate_helpful", "rate_not_helpful"} <= set(domain["intents"]) and "answer_id" in domain[
        "entities"
    ]
