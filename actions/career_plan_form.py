"""Rasa glue for the career plan form: reading answers (planning.situation_parsing) and
explaining why a question is asked."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.career_topics import TOPICS
from planning.career_plan import Education, RoleFamily, Target
from planning.situation_parsing import PLAN_SLOTS, SKIPPED, parse_answer, parse_situation, slot_value

FORM = "career_plan_form"
ANSWER_ENTITY = "plan_answer"
RETRIES_SLOT = "plan_retries"
SKIP_INTENT = "skip_question"
SKIP_AFTER_FAILURES = 2
# Messages with these intents are questions or commands, never an answer to the form.
NOT_ANSWERS = {topic.intent for topic in TOPICS} | {
    "ask_why", "stop_form", "request_plan", "help", "greet", "goodbye", "thank", "bot_challenge",
    "none_of_these", "message_too_long", "rate_helpful", "rate_not_helpful",
}  # fmt: skip


def is_slot_value(slot: str, value: object) -> bool:
    """Whether a value is already in the form kept in the conversation (not raw text)."""
    if value == SKIPPED:
        return True
    if slot == "current_role":
        return value in {family.value for family in RoleFamily}
    if slot == "target_role":
        return value in {target.value for target in Target}
    if slot == "education":
        return str(value).partition(":")[0] in {level.value for level in Education}
    return isinstance(value, int | float) and not isinstance(value, bool)


class ValidateCareerPlanForm(FormValidationAction):
    def name(self) -> str:
        return "validate_career_plan_form"

    def _extract(self, slot: str, tracker: Tracker) -> dict[str, Any]:
        message = tracker.latest_message
        intent = (message.get("intent") or {}).get("name")
        text = message.get("text") or ""
        if tracker.get_slot("requested_slot") == slot:
            if intent == SKIP_INTENT:
                return {slot: SKIPPED}
            answer = next(tracker.get_latest_entity_values(ANSWER_ENTITY), None)
            if answer is not None:
                return {slot: answer}
            return {} if intent in NOT_ANSWERS else {slot: text}
        if tracker.get_slot(slot) is not None:
            return {}
        # Not asked yet: take only what the message says outright ("I work in billing").
        found = parse_situation(text)
        return {slot: slot_value(slot, found[slot])} if slot in found else {}

    async def extract_current_role(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._extract("current_role", tracker)

    async def extract_education(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._extract("education", tracker)

    async def extract_years_experience(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._extract("years_experience", tracker)

    async def extract_target_role(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._extract("target_role", tracker)

    async def extract_study_hours(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._extract("study_hours", tracker)

    def _validate(self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
        if not is_slot_value(slot, value) and isinstance(value, str):
            role_words = {"role_words": value} if slot == "current_role" else {}
            value = parse_answer(slot, value)
            if value is not None:
                return {slot: value, **role_words}
        if value is not None and is_slot_value(slot, value):
            return {slot: value}
        retries = dict(tracker.get_slot(RETRIES_SLOT) or {})
        retries[slot] = retries.get(slot, 0) + 1
        dispatcher.utter_message(response=f"utter_invalid_{slot}")
        if retries[slot] >= SKIP_AFTER_FAILURES:
            dispatcher.utter_message(response="utter_offer_skip")
        return {slot: None, RETRIES_SLOT: retries}

    def validate_current_role(self, slot_value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._validate("current_role", slot_value, dispatcher, tracker)

    def validate_education(self, slot_value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._validate("education", slot_value, dispatcher, tracker)

    def validate_years_experience(self, slot_value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._validate("years_experience", slot_value, dispatcher, tracker)

    def validate_target_role(self, slot_value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._validate("target_role", slot_value, dispatcher, tracker)

    def validate_study_hours(self, slot_value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._validate("study_hours", slot_value, dispatcher, tracker)


class ActionExplainQuestion(Action):
    """Answers "why do you ask?" for the question the form is waiting on; the form then goes on."""

    def name(self) -> str:
        return "action_explain_question"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        requested = tracker.get_slot("requested_slot")
        dispatcher.utter_message(
            response=f"utter_why_{requested}" if requested in PLAN_SLOTS else "utter_why_plan"
        )
        # An event even here: the Rasa side reads "no events" as an unreachable action server.
        return [SlotSet("last_topic", tracker.get_slot("last_topic"))]
