"""Rasa glue for answering a career question; the topic logic lives in career_topics."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.career_topics import topic_for_intent


class ActionAnswerQuestion(Action):
    """Answers a question on one of the career topics.

    Every run returns a SlotSet: ActionServerFailurePolicy on the Rasa side reads
    a custom action that left no events behind as an unreachable action server.
    """

    def name(self) -> str:
        return "action_answer_question"

    def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        topic = topic_for_intent(intent)
        if topic is None:
            dispatcher.utter_message(response="utter_please_rephrase")
            return [SlotSet("last_topic", None)]
        # The knowledge base is still empty, so the honest answer is to say so.
        dispatcher.utter_message(response="utter_topic_not_in_knowledge", topic=topic.title)
        return [SlotSet("last_topic", topic.id)]
