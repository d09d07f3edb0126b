"""Rasa glue for reading a typed message in the context of the conversation (understanding/).

components/understanding_policy.py runs `action_understand` first on every typed message.
It reads the message with the plan form's state and the last answer in mind, and puts
the same text back on the tracker under the intent it was read as, with the reading
itself in the parse data (key `reading`), so the rules and the form act on what the
person meant and the later actions need not read it again.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import (
    ActionExecuted,
    EventType,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa_sdk.executor import CollectingDispatcher

from actions.advisor_action import AdvisorAction
from actions.services import message_reader
from understanding.dialogue_acts import Act, DialogueContext, MessageReader, Reading
from understanding.form_answers import PLAN_SLOTS

READING_KEY = "reading"
PLAN_SLOT = "career_plan"
REQUEST_SLOT = "handoff_request_id"  # the conversation's request to the office (actions/handoff.py)
PLAN_REQUEST_PAYLOAD = "/request_plan"
RATING_PAYLOAD = "/rate_helpful"

# Rasa rebuilds the whole session from its events on every turn, replaying it again at each
# message put back by this action, so without a limit each turn of a long sitting is slower
# than the last (p50 180 ms over turns 1-50 and 3.3 s over turns 250-300,
# bench/long_conversation.py). After this many of the person's messages a new session is
# opened, with the slots carried over as after an hour's pause, at a message that needs
# nothing from before but the slots: the last answer (for follow-ups and its rating) and
# the plan are slots. Never inside a form.
MESSAGES_PER_SESSION = 25
SELF_CONTAINED_ACTS = frozenset(
    {Act.QUESTION, Act.STEPS_QUESTION, Act.SHOW_PLAN, Act.PLAN_TIMELINE,
     Act.GREET, Act.GOODBYE, Act.THANK, Act.BOT_CHALLENGE, Act.HELP}
)  # fmt: skip
NOT_CARRIED_SLOTS = frozenset({"requested_slot", "session_started_metadata"})

# The intent each act is put back under; the rules in data/ act on these.
INTENT_OF = {
    Act.ANSWER: "inform", Act.REFUSED: "inform", Act.UNREADABLE: "inform", Act.CORRECTION: "inform",
    Act.CONTINUE: "inform", Act.COMMENT: "inform", Act.SKIP: "skip_question", Act.STOP: "stop_form",
    Act.WHY: "ask_why", Act.RESTART: "restart_plan", Act.QUESTION: "ask_question",
    Act.STEPS_QUESTION: "ask_question", Act.PLAN_REQUEST: "request_plan", Act.SHOW_PLAN: "show_plan",
    Act.PLAN_TIMELINE: "ask_plan_timeline",
    Act.EXPLAIN_STEP: "explain_step", Act.UPDATE_PLAN: "update_plan", Act.GREET: "greet",
    Act.GOODBYE: "goodbye", Act.THANK: "thank", Act.BOT_CHALLENGE: "bot_challenge", Act.HELP: "help",
    Act.AFFIRM: "affirm", Act.DENY: "deny", Act.RATE_HELPFUL: "rate_helpful",
    Act.RATE_NOT_HELPFUL: "rate_not_helpful", Act.ASK_PERSON: "ask_person",
    Act.REQUEST_STATUS: "ask_request_status",
}  # fmt: skip


def last_bot_buttons(tracker: Tracker) -> list[dict[str, Any]]:
    """The buttons of the bot's last message before the latest user message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return []
            seen_user = True
        elif event.get("event") == "bot" and seen_user:
            return (event.get("data") or {}).get("buttons") or []
    return []


def dialogue_context(tracker: Tracker) -> DialogueContext:
    payloads = [str(button.get("payload", "")) for button in last_bot_buttons(tracker)]
    return DialogueContext(
        active_form=tracker.active_loop_name,
        requested_slot=tracker.get_slot("requested_slot"),
        filled={slot: tracker.get_slot(slot) for slot in PLAN_SLOTS},
        has_plan=tracker.get_slot(PLAN_SLOT) is not None,
        answer_in_play=any(payload.startswith(RATING_PAYLOAD) for payload in payloads),
        plan_offered=any(payload.startswith(PLAN_REQUEST_PAYLOAD) for payload in payloads),
        has_request=tracker.get_slot(REQUEST_SLOT) is not None,
    )


def messages_in_session(tracker: Tracker) -> int:
    """The person's messages in this session; one put back by this action counts once."""
    kinds = [event.get("event") for event in tracker.events]
    return kinds.count("user") - kinds.count("rewind")


def opens_new_session(tracker: Tracker, reading: Reading) -> bool:
    return (
        reading.act in SELF_CONTAINED_ACTS
        and tracker.active_loop_name is None
        and messages_in_session(tracker) > MESSAGES_PER_SESSION
    )


def new_session(tracker: Tracker) -> list[EventType]:
    """A session start with the slots carried over, as Rasa's action_session_start does."""
    carried = [
        SlotSet(name, value)
        for name, value in tracker.slots.items()
        if value is not None and name not in NOT_CARRIED_SLOTS
    ]
    return [SessionStarted(), *carried]


def reading_of(tracker: Tracker) -> Reading | None:
    """The reading action_understand attached to the latest message (None for buttons)."""
    return Reading.from_dict(tracker.latest_message.get(READING_KEY))


class ActionUnderstand(AdvisorAction):
    def __init__(self, reader: MessageReader | None = None) -> None:
        self._reader = reader

    def name(self) -> str:
        return "action_understand"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message
        text = message.get("text") or ""
        reading = (self._reader or message_reader()).read(text, dialogue_context(tracker))
        parse_data = {
            "intent": {"name": INTENT_OF[reading.act], "confidence": 1.0},
            "entities": [],
            "text": text,
            READING_KEY: reading.as_dict(),
            # What the intent classifier had said, kept for comparing the two.
            "classifier_intent": message.get("intent"),
        }
        understood = UserUttered(text, parse_data, input_channel=tracker.get_latest_input_channel())
        understood.update(message_id=message.get("message_id"), metadata=message.get("metadata"))
        session = new_session(tracker) if opens_new_session(tracker, reading) else []
        return [UserUtteranceReverted(), *session, ActionExecuted("action_listen"), understood]
