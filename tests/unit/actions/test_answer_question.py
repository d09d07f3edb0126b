from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.answer_question import ActionAnswerQuestion
from actions.career_topics import TOPICS, topic_for_intent


@pytest.mark.parametrize("topic", TOPICS, ids=lambda topic: topic.id)
def test_each_topic_gets_an_honest_decline_naming_it(topic, dispatcher, tracker_for, domain):
    events = ActionAnswerQuestion().run(dispatcher, tracker_for(topic.intent), domain)

    assert [(message["response"], message["topic"]) for message in dispatcher.messages] == [
        ("utter_topic_not_in_knowledge", topic.title)
    ]
    assert events == [SlotSet("last_topic", topic.id)]


@pytest.mark.parametrize("intent", ["greet", "out_of_scope", None])
def test_an_intent_outside_the_topics_gets_the_rephrase_prompt(intent, dispatcher, tracker_for, domain):
    events = ActionAnswerQuestion().run(dispatcher, tracker_for(intent), domain)

    assert [message["response"] for message in dispatcher.messages] == ["utter_please_rephrase"]
    # An event even here: the Rasa side reads "no events" as an unreachable action server.
    assert events == [SlotSet("last_topic", None)]


def test_the_action_name_is_declared_in_the_domain(domain):
    assert ActionAnswerQuestion().name() in domain["actions"]


def test_every_topic_intent_is_in_the_domain_and_the_help_menu(domain):
    menu_payloads = [button["payload"] for button in domain["responses"]["utter_help"][0]["buttons"]]

    assert [f"/{topic.intent}" for topic in TOPICS] == menu_payloads
    assert {topic.intent for topic in TOPICS} <= set(domain["intents"])


def test_topic_lookup_knows_only_topic_intents():
    assert topic_for_intent("ask_networking").id == "networking"
    assert topic_for_intent("greet") is None
    assert topic_for_intent(None) is None
