"""action_understand: the typed message put back under the intent it was read as."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

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
    events = ActionUnderstand(MessageReader()).run(CollectingDispatcher(), tracker, {})
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


def long_session(messages: int) -> list[dict]:
    """`messages` earlier turns, each typed and put back as understood (user, rewind, user)."""
    turn = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "a question"},
        {"event": "action", "name": "action_understand"},
        {"event": "rewind"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "a question"},
        {"event": "bot", "text": "an answer"},
    ]
    return turn * messages


SLOTS = {
    "career_plan": {"steps": []},
    "answer_record": {"id": "a-1"},
    "requested_slot": None,
    "last_topic": None,
}


def test_a_long_session_is_followed_by_a_new_one_with_the_slots_carried_over():
    events = ActionUnderstand(MessageReader()).run(
        CollectingDispatcher(),
        tracker("what does a practice manager do?", "ask_question", long_session(25), SLOTS),
        {},
    )

    kinds = [event["event"] for event in events]
    assert kinds == ["rewind", "session_started", "slot", "slot", "action", "user"]
    carried = {event["name"]: event["value"] for event in events if event["event"] == "slot"}
    assert carried == {"career_plan": {"steps": []}, "answer_record": {"id": "a-1"}}
    assert events[-1]["parse_data"]["intent"]["name"] == "ask_question"


def test_a_session_is_not_cut_short_before_the_limit_inside_a_form_or_before_a_reply_to_the_last_message():
    def kinds(text: str, intent: str, earlier: int, form: str | None = None, slots: dict | None = None):
        message = tracker(text, intent, long_session(earlier), {**SLOTS, **(slots or {})}, form)
        return [
            event["event"]
            for event in ActionUnderstand(MessageReader()).run(CollectingDispatcher(), message, {})
        ]

    assert kinds("what does a practice manager do?", "ask_question", 24) == ["rewind", "action", "user"]
    in_form = kinds("registered nurse", "inform", 40, "career_plan_form", {"requested_slot": "current_role"})
    assert in_form == ["rewind", "action", "user"]
    # "no" answers the bot's last question: it needs the turn before it.
    assert kinds("no", "deny", 40) == ["rewind", "action", "user"]
