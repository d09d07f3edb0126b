"""Rasa glue for answering a career question from the knowledge base (see retrieval/)."""

from __future__ import annotations

import json
import logging
import re
from functools import cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.career_topics import topic_for_intent
from retrieval.advisor import KnowledgeAdvisor
from retrieval.answers import Band, Reply, Suggestion
from retrieval.knowledge_index import IndexUnavailable
from retrieval.settings import SettingsError

logger = logging.getLogger(__name__)

NONE_OF_THESE_INTENT = "none_of_these"
ENTRY_ENTITY = "entry_id"


@cache
def shared_advisor() -> KnowledgeAdvisor:
    return KnowledgeAdvisor()


def button_for(suggestion: Suggestion) -> dict[str, str]:
    entities = json.dumps({ENTRY_ENTITY: suggestion.passage_id})
    return {"title": suggestion.question, "payload": f"/ask_question{entities}"}


class ActionAnswerQuestion(Action):
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

    def run(
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
        if intent == NONE_OF_THESE_INTENT:
            return self._no_answer(dispatcher)
        passage_id = next(tracker.get_latest_entity_values(ENTRY_ENTITY), None)
        topic = topic_for_intent(intent)
        if passage_id is None and not re.search(r"[^\W_]", text):
            dispatcher.utter_message(response="utter_please_rephrase")
            return [SlotSet("last_topic", None)]
        try:
            if passage_id is not None:
                reply = self.advisor.answer_passage(passage_id)
            elif text.startswith("/") and topic is not None:  # a menu button: ask the topic's question
                reply = self.advisor.answer(topic.question)
            else:
                reply = self.advisor.answer(text)
        except (IndexUnavailable, SettingsError) as error:
            logger.error("cannot answer from the knowledge base: %s", error)
            dispatcher.utter_message(response="utter_knowledge_unavailable", reason=str(error))
            return [SlotSet("last_topic", None)]
        if reply is None:  # a stale button whose entry left the knowledge base
            dispatcher.utter_message(response="utter_entry_gone")
            dispatcher.utter_message(response="utter_help")
            return [SlotSet("last_topic", None)]
        return self._dispatch(dispatcher, reply)

    def _dispatch(self, dispatcher: CollectingDispatcher, reply: Reply) -> list[EventType]:
        if reply.band is Band.CONFIDENT:
            dispatcher.utter_message(text=reply.text, buttons=[button_for(s) for s in reply.suggestions])
            return [SlotSet("last_topic", reply.passage.topic)]
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
            contact = "your hospital's HR department"
        dispatcher.utter_message(response="utter_no_answer", contact=contact)
        dispatcher.utter_message(response="utter_help")
        return [SlotSet("last_topic", None)]
