"""Rasa glue for asking a person at the career development office (handoff/).

The bot offers a person when it declines a question and after a 👎 (an "Ask a person"
button), and whenever someone asks for one. `handoff_form` then gets, in this order: the
question (taken from the conversation when there is one), the person's consent to send it
with the conversation, masked, and an optional way to reach them. `action_send_handoff`
files the request (handoff/desk.py) and says what happens next and when, from the
office hours. With no destination configured there is nothing to send: the bot gives the
office's contact, as before.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.advisor_action import AdvisorAction
from actions.answer_question import user_turns_since_answer
from actions.services import human_contact, office_desk
from actions.understand import REQUEST_SLOT
from handoff.store import DeliveryStatus, MessageKind
from learning_from_use.answer_records import (
    ANSWER_RECORD_SLOT,
    MAX_KEPT_CHARS,
    RATING_SLOT,
    AnswerRecord,
    RatingRecord,
)
from learning_from_use.personal_data import mask_personal_data
from understanding.dialogue_acts import Act, handoff_reply_act, question_beside_request

logger = logging.getLogger(__name__)

QUESTION_SLOT = "handoff_question"
CONSENT_SLOT = "handoff_consent"
CONTACT_SLOT = "handoff_contact"
HANDOFF_SLOTS = (QUESTION_SLOT, CONSENT_SLOT, CONTACT_SLOT)
# The last answer is what they want a person for when it was this recent.
RECENT_TURNS = 3
MAX_CONTACT_CHARS = 200
# The form's buttons, and the intents a button payload may carry.
BUTTON_ACTS = {"affirm": Act.AFFIRM, "deny": Act.DENY, "skip_question": Act.SKIP, "stop_form": Act.STOP}
# "yes send it, and it's about whether I need a degree": this many words after the yes add to the question.
WORDS_OF_DETAIL = 4
# The yes at the start of "yes send it, and ...".
_YES = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|sure|ok(?:ay)?|please)?\W*(?:send it|go ahead|do it)?\W*(?:and|but|also)?\W*",
    re.I,
)
# A no: the form ends with nothing to send.
DECLINED_SLOTS = {QUESTION_SLOT: "", CONSENT_SLOT: False, CONTACT_SLOT: ""}


def question_in_context(tracker: Tracker) -> str | None:
    """What to ask the office, masked: the request itself when it says more than "a person
    please", else the question just declined or rated unhelpful (with what they were
    looking for), else None (the form asks)."""
    text = (tracker.latest_message.get("text") or "").strip()
    asked = None if text.startswith("/") else question_beside_request(text)
    if asked:
        return mask_personal_data(asked)[:MAX_KEPT_CHARS]
    turns = user_turns_since_answer(tracker)
    answer = AnswerRecord.from_slot(tracker.get_slot(ANSWER_RECORD_SLOT))
    if answer is None or not answer.question or turns is None or turns > RECENT_TURNS:
        return None
    rating = RatingRecord.from_slot(tracker.get_slot(RATING_SLOT))
    if rating is not None and rating.answer_id == answer.id and rating.comment:
        return f"{answer.question} (they were looking for: {rating.comment})"
    return answer.question


def transcript_of(tracker: Tracker) -> list[dict[str, str]]:
    """The conversation's messages, masked; a message action_understand put back counts once,
    and a button press shows as what it asked for ("(pressed a button: ask person)")."""
    turns: list[dict[str, str]] = []
    for event in tracker.events:
        kind = event.get("event")
        if kind == "rewind":
            # action_understand takes the message back and puts it again, understood
            for index in range(len(turns) - 1, -1, -1):
                if turns[index]["from"] == "person":
                    del turns[index]
                    break
        elif kind == "user" and event.get("text"):
            text = event["text"]
            if text.startswith("/"):  # a button: its intent, not its payload's JSON
                parsed = (event.get("parse_data") or {}).get("intent") or {}
                intent = parsed.get("name") or text[1:].split("{")[0]
                text = f"(pressed a button: {intent.replace('_', ' ')})"
            turns.append({"from": "person", "text": text})
        elif kind == "bot" and event.get("text"):
            turns.append({"from": "bot", "text": event["text"]})
    return [{**turn, "text": mask_personal_data(turn["text"])} for turn in turns]


class ActionOfferPerson(AdvisorAction):
    """Asked for a person: opens handoff_form with the question the conversation holds, or,
    with nowhere to send it, gives the office's contact."""

    def name(self) -> str:
        return "action_offer_person"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        desk = office_desk()
        if desk is None or not desk.settings.on:
            dispatcher.utter_message(response="utter_handoff_off", contact=human_contact())
            return [SlotSet(slot, None) for slot in HANDOFF_SLOTS]
        return [
            SlotSet(QUESTION_SLOT, question_in_context(tracker)),
            SlotSet(CONSENT_SLOT, None),
            SlotSet(CONTACT_SLOT, None),
            FollowupAction("handoff_form"),
        ]


class ValidateHandoffForm(FormValidationAction):
    """Fills the hand-off form's slots from what the person says; anything but a clear yes
    to "shall I send it?" (more about the question, "who sees this?") is asked again, and a
    no fills every slot so the form ends."""

    def name(self) -> str:
        return "validate_handoff_form"

    @staticmethod
    def _reply(tracker: Tracker, slot: str) -> tuple[Act, str]:
        """What the reply to the form's question is: by the button's intent, or, for typed text,
        as understanding/ reads it (a form that is asking takes the text before any policy
        could send it to action_understand)."""
        text = (tracker.latest_message.get("text") or "").strip()
        if text.startswith("/"):
            intent = (tracker.latest_message.get("intent") or {}).get("name")
            return BUTTON_ACTS.get(intent, Act.UNREADABLE), ""
        return handoff_reply_act(text, slot), text

    async def extract_handoff_question(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != QUESTION_SLOT:
            return {}
        act, text = self._reply(tracker, QUESTION_SLOT)
        if act in (Act.STOP, Act.DENY):
            return DECLINED_SLOTS
        if not text:  # an earlier message's button: the question is asked again
            return {QUESTION_SLOT: None}
        return {QUESTION_SLOT: mask_personal_data(text)[:MAX_KEPT_CHARS]}

    async def extract_handoff_consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != CONSENT_SLOT:
            return {}
        act, text = self._reply(tracker, CONSENT_SLOT)
        if act is Act.AFFIRM:
            # "yes send it, and it's about whether I need a degree": the rest joins the question
            detail = _YES.sub("", text)
            if len(detail.split()) >= WORDS_OF_DETAIL:
                question = f"{tracker.get_slot(QUESTION_SLOT) or ''} {mask_personal_data(detail)}".strip()
                return {QUESTION_SLOT: question[:MAX_KEPT_CHARS], CONSENT_SLOT: True}
            return {CONSENT_SLOT: True}
        if act is Act.WHY:  # "does my manager see this?": answered, then asked again
            desk = office_desk()
            dispatcher.utter_message(
                response="utter_handoff_who_sees", office=desk.settings.office if desk else "career office"
            )
            return {CONSENT_SLOT: None}
        if act is Act.UNREADABLE and text:  # more about the question: added to it, then asked again
            question = f"{tracker.get_slot(QUESTION_SLOT) or ''} {mask_personal_data(text)}".strip()
            return {QUESTION_SLOT: question[:MAX_KEPT_CHARS], CONSENT_SLOT: None}
        # A no: every slot filled, so the form ends here (rasa-sdk validates only the slots still required).
        return DECLINED_SLOTS

    async def extract_handoff_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != CONTACT_SLOT:
            return {}
        act, text = self._reply(tracker, CONTACT_SLOT)
        if act is Act.STOP:
            return DECLINED_SLOTS
        if act is not Act.ANSWER or not text:
            return {CONTACT_SLOT: ""}
        # Given so the office can reach them: sent as written, never masked.
        return {CONTACT_SLOT: text[:MAX_CONTACT_CHARS]}

    def validate_handoff_question(self, value: Any, *_: Any) -> dict[str, Any]:
        return {QUESTION_SLOT: value}

    def validate_handoff_consent(self, value: Any, *_: Any) -> dict[str, Any]:
        return {CONSENT_SLOT: value}

    def validate_handoff_contact(self, value: Any, *_: Any) -> dict[str, Any]:
        return {CONTACT_SLOT: value}


class ActionAskHandoffConsent(AdvisorAction):
    """ "Shall I send it?", with the question and the office's name."""

    def name(self) -> str:
        return "action_ask_handoff_consent"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        desk = office_desk()
        office = desk.settings.office if desk else "career development office"
        dispatcher.utter_message(
            response="utter_ask_handoff_consent", office=office, question=tracker.get_slot(QUESTION_SLOT)
        )
        return [SlotSet("last_topic", None)]


class ActionSendHandoff(AdvisorAction):
    """Files the request and tells the person what happens next; clears the form's slots."""

    def name(self) -> str:
        return "action_send_handoff"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        cleared = [SlotSet(slot, None) for slot in HANDOFF_SLOTS]
        desk = office_desk()
        if desk is None or not desk.settings.on:
            dispatcher.utter_message(response="utter_handoff_off", contact=human_contact())
            return cleared
        if tracker.get_slot(CONSENT_SLOT) is not True:
            dispatcher.utter_message(response="utter_handoff_not_sent")
            return cleared
        metadata = tracker.latest_message.get("metadata") or {}
        contact = tracker.get_slot(CONTACT_SLOT) or None
        try:
            submission = desk.submit(
                conversation_id=tracker.sender_id,
                channel=tracker.get_latest_input_channel() or "unknown",
                reply_to={"channel": metadata.get("out_channel"), "thread_ts": metadata.get("thread_id")},
                question=tracker.get_slot(QUESTION_SLOT) or "",
                transcript=transcript_of(tracker),
                contact=contact,
            )
        except Exception as error:  # the store is down: nothing was kept, so nothing is promised
            logger.error("could not store a request for the office: %s: %s", type(error).__name__, error)
            dispatcher.utter_message(response="utter_handoff_store_down", contact=human_contact())
            return cleared
        settings = desk.settings
        request_id = submission.filed.request.id
        cleared.append(SlotSet(REQUEST_SLOT, request_id))
        if not submission.delivered:
            dispatcher.utter_message(
                response="utter_handoff_delayed", office=settings.office, request_id=request_id,
                contact=human_contact(),
            )  # fmt: skip
            return cleared
        dispatcher.utter_message(
            response="utter_handoff_joined" if submission.filed.joined else "utter_handoff_sent",
            office=settings.office,
            request_id=request_id,
            when=settings.hours.when_answered(settings.now()),
            hours=settings.hours.describe(),
            reach=f" They may also contact you: {contact}." if contact else "",
        )
        return cleared


class ActionRequestStatus(AdvisorAction):
    """ "Did my question go through?": where the conversation's request stands."""

    def name(self) -> str:
        return "action_request_status"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        desk = office_desk()
        request_id = tracker.get_slot(REQUEST_SLOT)
        if desk is None or request_id is None:
            dispatcher.utter_message(response="utter_request_none")
            return [SlotSet("last_topic", None)]
        try:
            messages = desk.store.messages(request_id)
            asked = {m.id for m in messages if m.kind is MessageKind.QUESTION}
            deliveries = desk.store.deliveries(message_ids=asked)
        except Exception as error:
            logger.error("could not read the office requests: %s: %s", type(error).__name__, error)
            dispatcher.utter_message(response="utter_handoff_store_down", contact=human_contact())
            return [SlotSet("last_topic", None)]
        settings = desk.settings
        replies = [m for m in messages if m.kind is MessageKind.REPLY]
        if replies:
            response = "utter_request_answered"
        elif any(d.status is DeliveryStatus.SENT for d in deliveries):
            response = "utter_request_waiting"
        elif any(d.status is DeliveryStatus.PENDING for d in deliveries):
            response = "utter_request_retrying"
        else:
            response = "utter_request_failed"
        asked_at = datetime.fromtimestamp(messages[0].at, settings.timezone) if messages else settings.now()
        dispatcher.utter_message(
            response=response, office=settings.office, request_id=request_id, replies=len(replies),
            asked=f"{asked_at:%H:%M} on {asked_at:%A}", when=settings.hours.when_answered(settings.now()),
            contact=human_contact(),
        )  # fmt: skip
        return [SlotSet("last_topic", None)]
