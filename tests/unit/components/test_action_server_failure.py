from __future__ import annotations

import pytest
from rasa.core.constants import RULE_POLICY_PRIORITY
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.action_server_failure import APOLOGY_RESPONSE, ActionServerFailurePolicy


def tracker_with(*events, domain) -> DialogueStateTracker:
    question = UserUttered("which certifications?", {"name": "ask_certifications", "confidence": 0.99})
    return DialogueStateTracker.from_events(
        "unit-test", [ActionExecuted(ACTION_LISTEN_NAME), question, *events], slots=domain.slots
    )


@pytest.fixture
def policy(component_args) -> ActionServerFailurePolicy:
    return ActionServerFailurePolicy.create(ActionServerFailurePolicy.get_default_config(), **component_args)


def predicted(policy, tracker, domain) -> str | None:
    prediction = policy.predict_action_probabilities(tracker, domain)
    if prediction.max_confidence == 0:
        return None
    return domain.action_names_or_texts[prediction.max_confidence_index]


def test_a_custom_action_that_left_no_events_is_followed_by_the_apology(policy, domain):
    tracker = tracker_with(ActionExecuted("action_answer_question"), domain=domain)

    assert predicted(policy, tracker, domain) == APOLOGY_RESPONSE


def test_after_the_apology_the_bot_listens(policy, domain):
    tracker = tracker_with(
        ActionExecuted("action_answer_question"),
        ActionExecuted(APOLOGY_RESPONSE),
        BotUttered("Sorry, ..."),
        domain=domain,
    )

    assert predicted(policy, tracker, domain) == ACTION_LISTEN_NAME


@pytest.mark.parametrize(
    "events",
    [
        [ActionExecuted("action_answer_question"), BotUttered("an answer"), SlotSet("last_topic", "skills")],
        [ActionExecuted("action_answer_question"), SlotSet("last_topic", "skills")],
        [ActionExecuted("utter_greet")],
        [],
    ],
    ids=["action answered", "action set a slot", "a response, not a custom action", "nothing ran yet"],
)
def test_otherwise_the_policy_abstains(policy, domain, events):
    assert predicted(policy, tracker_with(*events, domain=domain), domain) is None


def test_it_outranks_rule_policy_on_a_tie(policy):
    assert policy.priority > RULE_POLICY_PRIORITY
