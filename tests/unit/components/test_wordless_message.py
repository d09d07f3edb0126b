from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.wordless_message import WordlessMessageClassifier, has_words


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "😀🎉👍", "?!...", "___", "<>/", None])
def test_wordless_messages_go_to_nlu_fallback(text, component_args):
    classifier = WordlessMessageClassifier.create({}, **component_args)
    message = Message({TEXT: text, INTENT: {INTENT_NAME_KEY: "affirm", "confidence": 0.97}})

    [processed] = classifier.process([message])

    assert processed.get(INTENT) == {INTENT_NAME_KEY: "nlu_fallback", "confidence": 1.0}


@pytest.mark.parametrize("text", ["hi", "👍 ok", "42", "¿Qué?", "Krankenhaus", "病院", "<script>x</script>"])
def test_messages_with_a_word_keep_their_intent(text, component_args):
    classifier = WordlessMessageClassifier.create({}, **component_args)
    intent = {INTENT_NAME_KEY: "greet", "confidence": 0.9}

    [processed] = classifier.process([Message({TEXT: text, INTENT: intent})])

    assert has_words(text)
    assert processed.get(INTENT) == intent
