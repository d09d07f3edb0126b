"""An intent classifier that sends messages without a single word to `nlu_fallback`.

DIET confidently maps an empty message, or one of emoji and punctuation only, to
whichever intent its features resemble (here "affirm"), so the user got a reply
to something they never said. A message with no letter or digit in any script
carries no meaning we can act on, so it gets the rephrase prompt instead.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

_WORD_CHARACTER = re.compile(r"[^\W_]")


def has_words(text: str | None) -> bool:
    """True when the text holds at least one letter or digit, in any script."""
    return bool(text and _WORD_CHARACTER.search(text))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class WordlessMessageClassifier(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> WordlessMessageClassifier:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not has_words(message.get(TEXT)):
                override_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME)
        return messages


def override_intent(message: Message, intent: str) -> None:
    """Replaces what the classifiers before predicted with `intent`, at full confidence."""
    prediction = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
    message.set(INTENT, prediction, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [prediction], add_to_output=True)
