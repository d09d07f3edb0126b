"""Rasa glue for 👍 / 👎 on a knowledge answer, and for the optional "what were you looking for?"

The records themselves are plain values (learning_from_use.answer_records); `make report`
reads them back from the tracker store.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.advisor_action import AdvisorAction
from actions.career_plan_form import FORM as PLAN_FORM
from actions.career_topics import topic_for_intent
from actions.knowledge_replies import ANSWER_ENTITY, ENTRY_ENTITY, ask_person_buttons
from learning_from_use.answer_records import (
    ANSWER_RECORD_SLOT,
    MAX_KEPT_CHARS,
    RATING_SLOT,
    AnswerRecord,
    Rating,
    RatingRecord,
)
from learning_from_use.personal_data import mask_personal_data

RATINGS = {"rate_helpful": Rating.HELPFUL, "rate_not_helpful": Rating.NOT_HELPFUL}
COMMENT_SLOT = "rating_comment"
SKIPPED = ""
# Saying one of these to "what were you looking for?" skips it.
SKIP_INTENTS = {"skip_question", "deny", "stop_form", "thank", "goodbye"}


def rated_answer(tracker: Tracker, answer_id: str | None) -> AnswerRecord | None:
    """The answer a rating button belongs to (any earlier one, by id), else the latest answer."""
    if answer_id is None:
        return AnswerRecord.from_slot(tracker.get_slot(ANSWER_RECORD_SLOT))
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == ANSWER_RECORD_SLOT:
            record = AnswerRecord.from_slot(event.get("value"))
            if record is not None and record.id == answer_id:
                return record
    return None


def is_knowledge_button(tracker: Tracker) -> bool:
    """A follow-up, "did you mean" or menu button pressed instead of answering the form."""
    message = tracker.latest_message
    intent = (message.get("intent") or {}).get("name")
    return (message.get("text") or "").startswith("/") and (
        next(tracker.get_latest_entity_values(ENTRY_ENTITY), None) is not None
        or topic_for_intent(intent) is not None
    )


class ActionRecordRating(AdvisorAction):
    """Keeps a 👍 or 👎 with the question, the entry and the score of the answer it rates."""

    def name(self) -> str:
        return "action_record_rating"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        rating = RATINGS.get(intent, Rating.HELPFUL)
        answer_id = next(tracker.get_latest_entity_values(ANSWER_ENTITY), None)
        answer = rated_answer(tracker, answer_id)
        if rating is Rating.HELPFUL:
            dispatcher.utter_message(response="utter_rating_thanks")
        elif tracker.active_loop_name == PLAN_FORM:
            # The plan form's question comes next; the rating comment form would interrupt it.
            dispatcher.utter_message(response="utter_rating_noted")
        # Otherwise rating_comment_form asks what they were looking for.
        if answer is None:  # nothing was answered to rate: thanked, but no rating is kept
            return [SlotSet(COMMENT_SLOT, None)]
        record = RatingRecord.for_answer(rating, answer)
        return [SlotSet(RATING_SLOT, record.as_slot()), SlotSet(COMMENT_SLOT, None)]


class ValidateRatingCommentForm(FormValidationAction):
    """Takes any reply to "what were you looking for?" as the comment, masked; skip means none."""

    def name(self) -> str:
        return "validate_rating_comment_form"

    async def extract_rating_comment(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != COMMENT_SLOT:
            return {}  # the rating itself opened the form: not an answer yet
        message = tracker.latest_message
        intent = (message.get("intent") or {}).get("name")
        text = (message.get("text") or "").strip()
        if intent in SKIP_INTENTS or text.startswith("/") or not text:
            return {COMMENT_SLOT: SKIPPED}
        return {COMMENT_SLOT: mask_personal_data(text)[:MAX_KEPT_CHARS]}

    def validate_rating_comment(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """Any reply is a comment (masked when extracted above); without this, rasa-sdk logs
        a warning on every 👎 that the slot has no validation."""
        return {COMMENT_SLOT: value}


class ActionRecordRatingComment(AdvisorAction):
    """Adds what the user was looking for to their 👎, and thanks them."""

    def name(self) -> str:
        return "action_record_rating_comment"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        comment = tracker.get_slot(COMMENT_SLOT) or SKIPPED
        rating = RatingRecord.from_slot(tracker.get_slot(RATING_SLOT)) or RatingRecord(
            Rating.NOT_HELPFUL, answer_id=None
        )
        events: list[EventType] = [SlotSet(COMMENT_SLOT, None)]
        if comment:
            events.append(SlotSet(RATING_SLOT, dataclasses.replace(rating, comment=comment).as_slot()))
            dispatcher.utter_message(response="utter_rating_comment_thanks", buttons=ask_person_buttons())
        if is_knowledge_button(tracker):
            events.append(FollowupAction("action_answer_question"))
        elif not comment:
            dispatcher.utter_message(response="utter_rating_comment_skipped", buttons=ask_person_buttons())
        return events
