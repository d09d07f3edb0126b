"""Rasa glue for the career plan form: starting or resuming it, reading each reply
(understanding/), and explaining why a question is asked.

While the form waits for a slot, the reply is read as an answer to it first, whatever
the intent classifier said (actions/understand.py attaches the reading). Anything that
is not an answer (a question, stop, why, start over, small talk) makes the validation
return no events, so Rasa's form rejects the turn and the rules in
data/rules/career_plan.yml handle it; the form then asks its question again.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.advisor_action import AdvisorAction
from actions.services import message_reader
from actions.understand import PLAN_SLOT, dialogue_context, reading_of
from understanding.dialogue_acts import PLAN_FORM, Act, Reading
from understanding.form_answers import (
    DEPARTMENT_SLOT,
    PLAN_SLOTS,
    ROLE_WORDS_SLOT,
    SKIPPED,
    TARGET_WORDS_SLOT,
    describe_answers,
)

FORM = PLAN_FORM
ANSWER_ENTITY = "plan_answer"
RETRIES_SLOT = "plan_retries"
SKIP_AFTER_FAILURES = 2
RESTART_INTENT = "restart_plan"
# Kept beside the answers, and dropped with them when a plan starts over.
ANSWER_DETAILS = (ROLE_WORDS_SLOT, DEPARTMENT_SLOT, TARGET_WORDS_SLOT)


def form_reading(tracker: Tracker) -> Reading | None:
    """How the latest message reads as a reply to the form: the attached reading, or for a
    button's payload (`/inform{"plan_answer": ...}`, `/skip_question`) the payload's.

    None for typed words not read yet: Rasa runs an active form before any other policy,
    so the form first sees the classifier's guess; it rejects the turn, action_understand
    reads the words, and the form runs again with the reading."""
    reading = reading_of(tracker)
    if reading is not None:
        return reading
    if not (tracker.latest_message.get("text") or "").startswith("/"):
        return None
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "skip_question":
        return Reading(Act.SKIP)
    answer = next(tracker.get_latest_entity_values(ANSWER_ENTITY), None)
    if answer is None:
        return None
    return message_reader().read(str(answer), dialogue_context(tracker))


class ValidateCareerPlanForm(FormValidationAction):
    def name(self) -> str:
        return "validate_career_plan_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        slot = tracker.get_slot("requested_slot")
        reading = form_reading(tracker)
        if slot is None or reading is None:
            return []  # activation, or a message that is no reply: Rasa's rules take it
        retries = dict(tracker.get_slot(RETRIES_SLOT) or {})
        if reading.act is Act.ANSWER:
            retries.pop(slot, None)
            # Other facts the reply gave fill only what is still open.
            extra = {
                key: value
                for key, value in reading.slots.items()
                if key != slot and (key in ANSWER_DETAILS or tracker.get_slot(key) is None)
            }
            return [SlotSet(slot, reading.slots[slot]), *_slot_events(extra), SlotSet(RETRIES_SLOT, retries)]
        if reading.act is Act.SKIP:
            retries.pop(slot, None)
            return [SlotSet(slot, SKIPPED), SlotSet(RETRIES_SLOT, retries)]
        if reading.act is Act.CORRECTION:
            dispatcher.utter_message(response="utter_answer_changed", answers=describe_answers(reading.slots))
            return [*_slot_events(reading.slots), SlotSet(RETRIES_SLOT, retries)]
        if reading.act is Act.CONTINUE:
            return [SlotSet(RETRIES_SLOT, retries)]  # the form asks its question again
        if reading.act in (Act.REFUSED, Act.UNREADABLE):
            retries[slot] = retries.get(slot, 0) + 1
            if reading.act is Act.REFUSED:
                dispatcher.utter_message(response="utter_refused_answer", problem=reading.problem)
            else:
                dispatcher.utter_message(response=f"utter_invalid_{slot}")
            if retries[slot] >= SKIP_AFTER_FAILURES:
                dispatcher.utter_message(response="utter_offer_skip")
            return [SlotSet(RETRIES_SLOT, retries)]
        return []  # a question, stop, why, start over or small talk: the rules answer it


def was_started(tracker: Tracker) -> bool:
    """Whether the plan form ran before in this conversation (answers kept from it are resumed;
    facts an earlier question stated just fill their slots)."""
    return any(event.get("event") == "active_loop" and event.get("name") == FORM for event in tracker.events)


def _slot_events(values: dict[str, Any]) -> list[EventType]:
    return [SlotSet(key, value) for key, value in values.items()]


class ActionStartPlan(AdvisorAction):
    """Starts the plan form: fresh, resumed with the answers kept after a "stop" (saying so,
    with a button to start over), or over again when asked. Facts the request itself
    stated ("I'm in billing and want to be a manager") are filled in first."""

    def name(self) -> str:
        return "action_start_plan"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reading = reading_of(tracker)
        stated = dict(reading.slots) if reading else {}
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        kept = {slot: tracker.get_slot(slot) for slot in PLAN_SLOTS if tracker.get_slot(slot) is not None}
        events: list[EventType] = [SlotSet(RETRIES_SLOT, None)]
        # A finished plan's answers start over; a plan's own slot stays until a new one
        # replaces it, so "show my plan" still works if the new form is stopped.
        finished = tracker.get_slot(PLAN_SLOT) is not None and len(kept) == len(PLAN_SLOTS)
        if intent == RESTART_INTENT or finished:
            events += [SlotSet(slot, None) for slot in (*PLAN_SLOTS, *ANSWER_DETAILS)]
            dispatcher.utter_message(response="utter_start_plan")
        elif kept and was_started(tracker):
            answers = {**kept, **{k: tracker.get_slot(k) for k in ANSWER_DETAILS}}
            dispatcher.utter_message(response="utter_plan_resumed", answers=describe_answers(answers))
            stated = {key: value for key, value in stated.items() if key not in kept}
        else:
            dispatcher.utter_message(response="utter_start_plan")
        return events + _slot_events(stated)


class ActionExplainQuestion(AdvisorAction):
    """Answers "why do you ask?" for the question the form is waiting on; the form then goes on."""

    def name(self) -> str:
        return "action_explain_question"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        requested = tracker.get_slot("requested_slot")
        dispatcher.utter_message(
            response=f"utter_why_{requested}" if requested in PLAN_SLOTS else "utter_why_plan"
        )
        # The message would be trace enough in a live conversation, but test stories
        # (tests/conversations) do not run actions and see only events.
        return [SlotSet("last_topic", tracker.get_slot("last_topic"))]
