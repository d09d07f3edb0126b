"""A policy that sends every typed message to `action_understand` before anything else.

Rasa's intent classifier guesses from a closed set of intents; staff write long,
informal messages and answer the plan form with any job title. So a typed message is
first read by the action server (understanding/: the message in the context of the
conversation), which replaces it with the same text under the intent it was read as;
the rules then run on that. Button payloads ("/inform{...}") and the turns of test
stories (no input channel) are exact already and skip this step.

When the action server cannot be reached, the intent classifier's reading stands for
small talk (greetings, thanks, "are you a bot?", help): those still get their answer,
and everything else gets ActionServerFailurePolicy's apology.
"""

from __future__ import annotations

from typing import Any

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.insisting_policy import InsistingPolicy

UNDERSTAND_ACTION = "action_understand"
# The key the understood message carries in its parse data (set by actions/understand.py).
READING_KEY = "reading"
# Intents left to the classifier: the message is over the length limit, Rasa answers it.
NOT_UNDERSTOOD_INTENTS = ("message_too_long",)
ANSWERS_WITHOUT_ACTION_SERVER = {
    "greet": "utter_greet",
    "goodbye": "utter_goodbye",
    "thank": "utter_you_are_welcome",
    "bot_challenge": "utter_iamabot",
    "help": "utter_help",
}


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT],
    is_trainable=False,
)
class UnderstandingPolicy(InsistingPolicy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Above ActionServerFailurePolicy (RULE + 1), which apologises for a failed action.
        return {
            POLICY_PRIORITY: RULE_POLICY_PRIORITY + 2,
            "without_action_server": ANSWERS_WITHOUT_ACTION_SERVER,
        }

    def insisted_action(self, tracker: DialogueStateTracker, domain: Domain) -> str | None:
        return next_action(tracker, self.config["without_action_server"])


def next_action(tracker: DialogueStateTracker, without_action_server: dict[str, str]) -> str | None:
    """The action this policy insists on next, or None to leave it to the others."""
    last_user = next(
        (
            index
            for index in range(len(tracker.events) - 1, -1, -1)
            if isinstance(tracker.events[index], UserUttered)
        ),
        None,
    )
    if last_user is None:
        return None
    message: UserUttered = tracker.events[last_user]
    if not is_typed(message) or message.parse_data.get(READING_KEY) is not None:
        return None
    done = [e.action_name for e in list(tracker.events)[last_user + 1 :] if isinstance(e, ActionExecuted)]
    if not done:
        return UNDERSTAND_ACTION
    if done == [UNDERSTAND_ACTION]:  # it failed: nothing replaced the message
        return without_action_server.get(message.intent_name or "")
    if len(done) == 2 and done[0] == UNDERSTAND_ACTION and done[1] in without_action_server.values():
        return ACTION_LISTEN_NAME
    return None


def is_typed(message: UserUttered) -> bool:
    """Words a person typed into a channel, as opposed to a button's payload or a story's turn."""
    text = (message.text or "").strip()
    return (
        bool(text)
        and not text.startswith("/")
        and message.input_channel is not None
        and message.intent_name not in NOT_UNDERSTOOD_INTENTS
    )
