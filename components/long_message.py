"""An intent classifier that answers overlong messages with a friendly limit instead of a guess.

A pasted CV or a whole e-mail thread is not a question the bot can answer: DIET picks
whichever intent the words resemble, the plan form would try to read it as an answer,
and the knowledge search would match on a fraction of it. Messages longer than
`max_characters` get the intent `message_too_long`, and its rule explains the limit.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from components.wordless_message import override_intent

TOO_LONG_INTENT = "message_too_long"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LongMessageClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"max_characters": 2000}

    def __init__(self, max_characters: int) -> None:
        if max_characters < 1:
            raise ValueError(f"max_characters must be a positive number, not {max_characters}")
        self.max_characters = max_characters

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LongMessageClassifier:
        return cls(int(config["max_characters"]))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if len(message.get(TEXT) or "") > self.max_characters:
                override_intent(message, TOO_LONG_INTENT)
        return messages
