"""A policy that apologises when a custom action could not reach the action server.

When the action server is down, Rasa 3.6 logs the exception, records the custom
action as executed with no events, and carries on, so the user would hear
nothing. Our custom actions always leave an event or a message (their base class,
actions/advisor_action.py, raises otherwise), so a custom action that is the very
last event in the tracker has failed. This policy then
predicts the apology response, and `action_listen` after it, with a priority
above RulePolicy's so the rule that would otherwise listen silently loses.
"""

from __future__ import annotations

from typing import Any

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from components.insisting_policy import InsistingPolicy

APOLOGY_RESPONSE = "utter_action_server_unavailable"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT],
    is_trainable=False,
)
class ActionServerFailurePolicy(InsistingPolicy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {POLICY_PRIORITY: RULE_POLICY_PRIORITY + 1}

    def insisted_action(self, tracker: DialogueStateTracker, domain: Domain) -> str | None:
        return next_action_after(tracker, domain)


def next_action_after(tracker: DialogueStateTracker, domain: Domain) -> str | None:
    """The action this policy insists on next, or None to leave it to the others."""
    if tracker.latest_action_name == APOLOGY_RESPONSE:
        return ACTION_LISTEN_NAME
    last_event = tracker.events[-1] if tracker.events else None
    if isinstance(last_event, ActionExecuted) and _is_custom_action(last_event.action_name, domain):
        return APOLOGY_RESPONSE
    return None


def _is_custom_action(action_name: str | None, domain: Domain) -> bool:
    # Domain.user_actions holds both custom actions and responses (`utter_*`).
    return action_name in domain.user_actions and action_name not in domain.responses
