"""Rasa glue for answering a career question from the knowledge base (see retrieval/)."""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.advisor_action import AdvisorAction
from actions.career_topics import topic_for_intent
from actions.knowledge_replies import ENTRY_ENTITY, ask_person_buttons, button_for, rating_buttons, record_of
from actions.services import human_contact, shared_advisor
from actions.understand import PLAN_REQUEST_PAYLOAD, reading_of
from learning_from_use.answer_records import ANSWER_RECORD_SLOT, AnswerRecord, Outcome, Via
from learning_from_use.personal_data import mask_personal_data
from retrieval.advisor import KnowledgeAdvisor, PreviousAnswer
from retrieval.answers import Band, Reply, as_question
from retrieval.knowledge_index import IndexUnavailable
from retrieval.settings import SettingsError
from understanding.dialogue_acts import PLAN_FORM, Act

logger = logging.getLogger(__name__)

NONE_OF_THESE_INTENT = "none_of_these"


# A follow-up leans on an answer given at most this many user turns ago.
FOLLOW_UP_TURNS = 2
PLAN_OFFER_BUTTON = {"title": "Make my own plan", "payload": PLAN_REQUEST_PAYLOAD}


def user_turns_since_answer(tracker: Tracker) -> int | None:
    """How many user messages came after the last knowledge answer (None: no answer yet).
    A message replaced by its understood version (a `rewind` after it) counts once."""
    turns, reverted = 0, False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "rewind":
            reverted = True
        elif kind == "user":
            if reverted:
                reverted = False
            else:
                turns += 1
        elif kind == "slot" and event.get("name") == ANSWER_RECORD_SLOT and event.get("value"):
            return turns
    return None


def answer_in_play(tracker: Tracker, previous: AnswerRecord | None) -> PreviousAnswer | None:
    """The answer a follow-up would be about: the last one, if it was given a turn or two ago."""
    turns = user_turns_since_answer(tracker)
    if previous is None or previous.passage_id is None or turns is None or turns > FOLLOW_UP_TURNS:
        return None
    return PreviousAnswer(question=previous.question, passage_id=previous.passage_id)


class ActionAnswerQuestion(AdvisorAction):
    """Answers from the knowledge base: confident answer with its source and follow-ups,
    "did you mean" suggestions, or an honest "I don't know" with the help menu and a contact.

    Every run returns a SlotSet: ActionServerFailurePolicy on the Rasa side reads
    a custom action that left no events behind as an unreachable action server.
    """

    def __init__(self, advisor: KnowledgeAdvisor | None = None) -> None:
        # rasa-sdk pickles its actions into the Sanic worker process, so the default
        # advisor (locks, model) is created there, not here; rasa_sdk_plugins warms it up.
        self._advisor = advisor

    @property
    def advisor(self) -> KnowledgeAdvisor:
        return self._advisor or shared_advisor()

    def name(self) -> str:
        return "action_answer_question"

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        message = tracker.latest_message
        intent = (message.get("intent") or {}).get("name")
        text = (message.get("text") or "").strip()
        # What people type may name them: DEBUG only (LOG_LEVEL=DEBUG), never at INFO.
        logger.debug("answering %s (intent %s): %r", tracker.sender_id, intent, text)
        previous = AnswerRecord.from_slot(tracker.get_slot(ANSWER_RECORD_SLOT))
        if intent == NONE_OF_THESE_INTENT:
            unsure = previous if previous is not None and previous.outcome is Outcome.UNSURE else None
            record = AnswerRecord(
                question=unsure.question if unsure else mask_personal_data(text),
                outcome=Outcome.DECLINED,
                via=Via.NONE_OF_THESE,
                score=unsure.score if unsure else None,
            )
            return [*self._no_answer(dispatcher), SlotSet(ANSWER_RECORD_SLOT, record.as_slot())]
        passage_id = next(tracker.get_latest_entity_values(ENTRY_ENTITY), None)
        topic = topic_for_intent(intent)
        if passage_id is None and not re.search(r"[^\W_]", text):
            dispatcher.utter_message(response="utter_please_rephrase")
            return [SlotSet("last_topic", None)]
        reading = reading_of(tracker)
        steps = reading is not None and reading.act is Act.STEPS_QUESTION
        try:
            if passage_id is not None:
                reply = self.advisor.answer_passage(passage_id)
                picked = previous is not None and passage_id in previous.suggestions
                via, question = (Via.SUGGESTION if picked else Via.BUTTON), None
            elif text.startswith("/") and topic is not None:  # a menu button: ask the topic's question
                reply = self.advisor.answer(topic.question)
                via, question = Via.MENU, topic.question
            elif steps:
                clinical = (
                    reading.slots.get("current_role") or tracker.get_slot("current_role")
                ) == "clinical"
                reply = self.advisor.answer_steps(text, clinical)
                via, question = Via.TYPED, mask_personal_data(text)
            else:
                reply = self.advisor.answer(text, answer_in_play(tracker, previous))
                via, question = Via.TYPED, mask_personal_data(text)
        except (IndexUnavailable, SettingsError) as error:
            logger.error("cannot answer from the knowledge base: %s", error)
            dispatcher.utter_message(response="utter_knowledge_unavailable", reason=str(error))
            return [SlotSet("last_topic", None)]
        if reply is None:  # a stale button whose entry left the knowledge base
            dispatcher.utter_message(response="utter_entry_gone")
            dispatcher.utter_message(response="utter_help")
            return [SlotSet("last_topic", None)]
        if question is None:
            question = as_question(reply.passage) if reply.passage else ""
        record = record_of(reply, question, via, previous)
        in_plan_form = tracker.active_loop_name == PLAN_FORM
        # A question about the general path, or about the person's own next step: a plan of
        # their own is offered with the answer.
        offer_plan = reading is not None and (steps or reading.offer_plan) and not in_plan_form
        events = self._dispatch(dispatcher, reply, record, in_plan_form, offer_plan=offer_plan)
        if reading is not None and not in_plan_form:
            # What the message said of the person ("from patient registration", "i have my
            # BSN") is kept, so a plan started later asks only the rest.
            events += [
                SlotSet(slot, value)
                for slot, value in reading.slots.items()
                if tracker.get_slot(slot) is None
            ]
        return [*events, SlotSet(ANSWER_RECORD_SLOT, record.as_slot())]

    def _dispatch(
        self,
        dispatcher: CollectingDispatcher,
        reply: Reply,
        record: AnswerRecord,
        in_plan_form: bool,
        offer_plan: bool = False,
    ) -> list[EventType]:
        if reply.band is Band.CONFIDENT:
            buttons = [button_for(s) for s in reply.suggestions]
            if offer_plan:
                buttons.insert(0, PLAN_OFFER_BUTTON)
            # On the answer itself: the widget shows only the last message's buttons, so a
            # separate "did this help?" message would hide the follow-ups. Not inside the
            # plan form, whose next question follows at once.
            if record.outcome is Outcome.REFERRED:  # "ask HR about your hospital's rules": or a person here
                buttons += ask_person_buttons()
            if not in_plan_form:
                buttons += rating_buttons(record.id)
            if offer_plan:
                dispatcher.utter_message(text=reply.text)
                dispatcher.utter_message(response="utter_offer_plan", buttons=buttons)
                return [SlotSet("last_topic", reply.passage.topic)]
            dispatcher.utter_message(text=reply.text, buttons=buttons)
            return [SlotSet("last_topic", reply.passage.topic)]
        if offer_plan:
            # About their own next step, and nothing fits well enough to answer: the plan is
            # the answer on offer, with the closest entries beside it.
            buttons = [PLAN_OFFER_BUTTON, *(button_for(s) for s in reply.suggestions)]
            dispatcher.utter_message(response="utter_offer_plan_instead", buttons=buttons)
            return [SlotSet("last_topic", None)]
        if reply.band is Band.UNSURE:
            buttons = [button_for(s) for s in reply.suggestions]
            buttons.append({"title": "None of these", "payload": f"/{NONE_OF_THESE_INTENT}"})
            dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
            return [SlotSet("last_topic", None)]
        return self._no_answer(dispatcher)

    def _no_answer(self, dispatcher: CollectingDispatcher) -> list[EventType]:
        try:
            contact = self.advisor.settings.human_contact
        except SettingsError:
            contact = human_contact()
        person = ask_person_buttons()
        dispatcher.utter_message(
            response="utter_no_answer_ask_person" if person else "utter_no_answer", contact=contact
        )
        # On the last message: the widget shows only its buttons.
        dispatcher.utter_message(response="utter_help", buttons=person)
        return [SlotSet("last_topic", None)]
