from __future__ import annotations

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUtteranceReverted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.action_server_failure import ActionServerFailurePolicy
from components.understanding_policy import UNDERSTAND_ACTION, UnderstandingPolicy


def typed(text: str, intent: str, channel: str | None = "rest", reading: dict | None = None) -> UserUttered:
    parse_data = {"reading": reading} if reading else None
    return UserUttered(
        text, {"name": intent, "confidence": 0.9}, parse_data=parse_data, input_channel=channel
    )


def tracker_with(*events, domain) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("unit-test", [ActionExecuted(ACTION_LISTEN_NAME), *events],
                                            slots=domain.slots)  # fmt: skip


@pytest.fixture
def policy(component_args) -> UnderstandingPolicy:
    return UnderstandingPolicy.create(UnderstandingPolicy.get_default_config(), **component_args)


def predicted(policy, tracker, domain) -> str | None:
    prediction = policy.predict_action_probabilities(tracker, domain)
    if prediction.max_confidence == 0:
        return None
    return domain.action_names_or_texts[prediction.max_confidence_index]


def test_a_typed_message_is_understood_first_whatever_its_intent(policy, domain):
    tracker = tracker_with(typed("registered nurse", "rate_helpful"), domain=domain)

    assert predicted(policy, tracker, domain) == UNDERSTAND_ACTION


def test_the_understood_message_goes_to_the_rules(policy, domain):
    tracker = tracker_with(
        typed("registered nurse", "rate_helpful"),
        ActionExecuted(UNDERSTAND_ACTION),
        UserUtteranceReverted(),
        ActionExecuted(ACTION_LISTEN_NAME),
        typed("registered nurse", "inform", reading={"act": "answer"}),
        domain=domain,
    )

    assert predicted(policy, tracker, domain) is None
    assert tracker.latest_message.intent_name == "inform"


@pytest.mark.parametrize(
    "message",
    [typed('/inform{"plan_answer": "3"}', "inform"), typed("billing", "inform", channel=None),
     typed("x" * 2001, "message_too_long")],
    ids=["a button's payload", "a test story's turn", "over the length limit"],
)  # fmt: skip
def test_exact_messages_skip_understanding(policy, domain, message):
    assert predicted(policy, tracker_with(message, domain=domain), domain) is None


def test_without_the_action_server_small_talk_still_gets_its_answer(policy, domain, component_args):
    failed = tracker_with(typed("hello there", "greet"), ActionExecuted(UNDERSTAND_ACTION), domain=domain)
    assert predicted(policy, failed, domain) == "utter_greet"

    answered = tracker_with(typed("hello there", "greet"), ActionExecuted(UNDERSTAND_ACTION),
                            ActionExecuted("utter_greet"), BotUttered("Hello!"), domain=domain)  # fmt: skip
    assert predicted(policy, answered, domain) == ACTION_LISTEN_NAME


def test_without_the_action_server_anything_else_gets_the_apology(policy, domain, component_args):
    failed = tracker_with(typed("what is fache", "ask_certifications"), ActionExecuted(UNDERSTAND_ACTION),
                          domain=domain)  # fmt: skip
    apology = ActionServerFailurePolicy.create(
        ActionServerFailurePolicy.get_default_config(), **component_args
    )

    assert predicted(policy, failed, domain) is None
    assert predicted(apology, failed, domain) == "utter_action_server_unavailable"
    assert policy.priority > apology.priority
