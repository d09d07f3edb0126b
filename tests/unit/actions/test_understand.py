"""action_understand: the typed message put back under the intent it was read as."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.understand import ActionUnderstand, dialogue_context
from understanding.dialogue_acts import MessageReader


def tracker(text: str, intent: str, events: list[dict] | None = None, slots: dict | None = None,
            form: str | None = None) -> Tracker:  # fmt: skip
    return Tracker(
        sender_id="unit-test",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.7},
            "entities": [],
            "message_id": "m-1",
            "metadata": {"thread": "t"},
        },
        events=[*(events or []), {"event": "user", "text": text, "input_channel": "rest"}],
        paused=False,
        followup_action=None,
        active_loop={"name": form} if form else {},
        latest_action_name="action_listen",
    )


def understood(tracker: Tracker) -> dict:
    events = ActionUnderstand(MessageReader()).run(None, tracker, {})
    assert [event["event"] for event in events] == ["rewind", "action", "user"]
    assert events[1]["name"] == "action_listen"
    return events[2]


def test_a_form_answer_replaces_the_classifiers_guess():
    message = understood(
        tracker(
            "registered nurse",
            "rate_helpful",
            slots={"requested_slot": "current_role"},
            form="career_plan_form",
        )
    )
    assert message["text"] == "registered nurse"
    assert message["parse_data"]["intent"] == {"name": "inform", "confidence": 1.0}
    assert message["parse_data"]["reading"]["slots"]["current_role"] == "clinical"
    assert message["parse_data"]["classifier_intent"]["name"] == "rate_helpful"
    assert message["message_id"] == "m-1" and message["metadata"] == {"thread": "t"}
    assert message["input_channel"] == "rest"


def test_a_question_never_goes_to_a_plan_action_or_small_talk():
    message = understood(tracker("what does a unit coordinator actually do?", "explain_step"))
    assert message["parse_data"]["intent"]["name"] == "ask_question"


def test_the_last_bot_message_tells_whether_an_answer_or_a_plan_offer_is_in_play():
    answered = [
        {"event": "user", "text": "what is fache"},
        {
            "event": "bot",
            "text": "FACHE is...",
            "data": {"buttons": [{"payload": '/rate_helpful{"answer_id": "a"}'}]},
        },
        {"event": "action", "name": "action_listen"},
    ]
    assert dialogue_context(tracker("that helped", "thank", events=answered)).answer_in_play
    offered = [{"event": "bot", "text": "plan?", "data": {"buttons": [{"payload": "/request_plan"}]}}]
    context = dialogue_context(tracker("yes please", "affirm", events=offered))
    assert context.plan_offered and not context.answer_in_play
    assert understood(tracker("yes please", "affirm", events=offered))["parse_data"]["intent"]["name"] == (
        "request_plan"
    )
