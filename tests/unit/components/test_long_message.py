from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.long_message import TOO_LONG_INTENT, LongMessageClassifier


def classify(text: str, component_args, max_characters: int = 20) -> dict:
    classifier = LongMessageClassifier.create({"max_characters": max_characters}, **component_args)
    message = Message(data={TEXT: text, INTENT: {"name": "ask_skills", "confidence": 0.9}})
    [classified] = classifier.process([message])
    return classified.get(INTENT)


def test_a_message_over_the_limit_gets_the_too_long_intent(component_args):
    assert classify("x" * 21, component_args) == {"name": TOO_LONG_INTENT, "confidence": 1.0}


@pytest.mark.parametrize("text", ["x" * 20, "what skills?", ""])
def test_messages_up_to_the_limit_keep_their_intent(text, component_args):
    assert classify(text, component_args)["name"] == "ask_skills"


def test_the_default_limit_is_2000_characters(component_args):
    classifier = LongMessageClassifier.create(LongMessageClassifier.get_default_config(), **component_args)
    assert classifier.max_characters == 2000


def test_a_nonsense_limit_is_refused(component_args):
    with pytest.raises(ValueError, match="positive"):
        LongMessageClassifier.create({"max_characters": 0}, **component_args)
