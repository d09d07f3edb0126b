from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.events import FollowupAction

import actions.handoff as handoff_actions
from actions.handoff import (
    CONSENT_SLOT,
    CONTACT_SLOT,
    DECLINED_SLOTS,
    QUESTION_SLOT,
    ActionOfferPerson,
    ActionRequestStatus,
    ActionSendHandoff,
    ValidateHandoffForm,
)
from actions.understand import REQUEST_SLOT
from handoff.desk import OfficeDesk
from handoff.settings import HandoffSettings
from handoff.store import HandoffStore
from learning_from_use.answer_records import ANSWER_RECORD_SLOT, AnswerRecord, Outcome, Via

DECLINED = AnswerRecord("is the garage free at weekends?", Outcome.DECLINED, Via.TYPED, 0.2)


class Recorder:
    name = "webhook"

    def __init__(self) -> None:
        self.sent = []

    def send(self, request, message, office):
        self.sent.append((request, message))


@pytest.fixture
def desk(tmp_path, monkeypatch) -> OfficeDesk:
    settings = HandoffSettings.from_environment({"HANDOFF_WEBHOOK_URL": "http://127.0.0.1:9/hook"})
    desk = OfficeDesk(settings, HandoffStore(f"sqlite:///{tmp_path / 'h.db'}"), [Recorder()])
    monkeypatch.setattr(handoff_actions, "office_desk", lambda: desk)
    return desk


def after_a_decline(tracker):
    tracker.events = [
        {"event": "user", "text": "Hi, I'm Maria Lopez, is the garage free at weekends?"},
        {"event": "bot", "text": "Sorry, I don't have an answer to that in my guides."},
        {"event": "slot", "name": ANSWER_RECORD_SLOT, "value": DECLINED.as_slot()},
        {"event": "user", "text": "/ask_person"},
    ]
    tracker.slots[ANSWER_RECORD_SLOT] = DECLINED.as_slot()
    return tracker


def slots_set(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_with_nowhere_to_send_the_office_contact_is_given_and_no_form_opens(
    dispatcher, tracker_for, domain, monkeypatch
):
    monkeypatch.setattr(
        handoff_actions, "office_desk", lambda: OfficeDesk(HandoffSettings.from_environment({}))
    )
    monkeypatch.setattr(handoff_actions, "human_contact", lambda: "the career office, ext 4321")

    events = ActionOfferPerson().run(dispatcher, tracker_for("ask_person", "/ask_person"), domain)

    assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_off"]
    assert dispatcher.messages[0]["contact"] == "the career office, ext 4321"
    assert not any(isinstance(e, dict) and e.get("event") == "followup" for e in events)


def test_after_a_decline_the_form_opens_with_the_declined_question(desk, dispatcher, tracker_for, domain):
    events = ActionOfferPerson().run(
        dispatcher, after_a_decline(tracker_for("ask_person", "/ask_person")), domain
    )

    assert slots_set(events)[QUESTION_SLOT] == DECLINED.question
    assert events[-1] == FollowupAction("handoff_form")


def test_a_long_request_is_its_own_question_masked(desk, dispatcher, tracker_for, domain):
    text = "I'm Maria Lopez, can a careers advisor call me about tuition support for the MHA?"

    events = ActionOfferPerson().run(dispatcher, tracker_for("ask_person", text), domain)

    question = slots_set(events)[QUESTION_SLOT]
    assert "tuition support for the MHA" in question and "Maria" not in question and "[name]" in question


def test_with_consent_the_request_is_filed_masked_and_the_person_told_what_next(
    desk, dispatcher, tracker_for, domain
):
    tracker = after_a_decline(tracker_for("inform", "ext 4471"))
    tracker.slots.update({QUESTION_SLOT: DECLINED.question, CONSENT_SLOT: True, CONTACT_SLOT: "ext 4471"})

    events = ActionSendHandoff().run(dispatcher, tracker, domain)

    [(request, message)] = desk.destinations["webhook"].sent
    assert message.text == DECLINED.question and request.contact == "ext 4471"
    said = " ".join(turn["text"] for turn in request.transcript)
    assert "Maria" not in said and "[name]" in said and "(pressed a button: ask person)" in said
    [told] = dispatcher.messages
    assert told["response"] == "utter_handoff_sent" and told["request_id"] == request.id
    assert told["hours"] == "Monday to Friday, 09:00 to 17:00" and "ext 4471" in told["reach"]
    kept = slots_set(events)
    assert kept.pop(REQUEST_SLOT) == request.id and all(value is None for value in kept.values())


@pytest.mark.parametrize("consent", [False, None])
def test_without_consent_nothing_is_filed(desk, dispatcher, tracker_for, domain, consent):
    tracker = tracker_for("deny", "no")
    tracker.slots.update({QUESTION_SLOT: "q", CONSENT_SLOT: consent})

    ActionSendHandoff().run(dispatcher, tracker, domain)

    assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_not_sent"]
    assert desk.destinations["webhook"].sent == [] and desk.store.counts().requests == 0


@pytest.mark.parametrize(
    ("slot", "intent", "text", "expected"),
    [
        (CONSENT_SLOT, "affirm", "/affirm", {CONSENT_SLOT: True}),
        (CONSENT_SLOT, "inform", "wait, does my manager see this?", {CONSENT_SLOT: None}),
        (
            CONSENT_SLOT,
            "inform",
            "and whether a charge nurse opening is coming up",
            {QUESTION_SLOT: "and whether a charge nurse opening is coming up", CONSENT_SLOT: None},
        ),
        (CONSENT_SLOT, "deny", "no", DECLINED_SLOTS),
        (CONSENT_SLOT, "out_of_scope", "ok send it", {CONSENT_SLOT: True}),
        (
            CONSENT_SLOT,
            "affirm",
            "yes send it, and its about whether i need a degree",
            {QUESTION_SLOT: "its about whether i need a degree", CONSENT_SLOT: True},
        ),
        (QUESTION_SLOT, "affirm", "/affirm", {QUESTION_SLOT: None}),
        (CONSENT_SLOT, "deny", "/deny", DECLINED_SLOTS),
        (
            QUESTION_SLOT,
            "inform",
            "Is Maria Lopez the right contact?",
            {QUESTION_SLOT: "Is [name] the right contact?"},
        ),
        (QUESTION_SLOT, "stop_form", "never mind", DECLINED_SLOTS),
        (CONTACT_SLOT, "skip_question", "/skip_question", {CONTACT_SLOT: ""}),
        (CONTACT_SLOT, "deny", "no thanks", {CONTACT_SLOT: ""}),
        (CONTACT_SLOT, "inform", "jo@example.org, mornings", {CONTACT_SLOT: "jo@example.org, mornings"}),
    ],
)
def test_the_form_takes_each_reply_for_the_slot_it_asked(
    desk, dispatcher, tracker_for, domain, slot, intent, text, expected
):
    tracker = tracker_for(intent, text, slots={"requested_slot": slot})
    validator = ValidateHandoffForm()

    extracted = asyncio.run(getattr(validator, f"extract_{slot}")(dispatcher, tracker, domain))

    assert extracted == expected


def test_a_no_is_kept_through_rasa_sdks_validation_and_ends_the_form(desk, dispatcher, tracker_for, domain):
    tracker = tracker_for("deny", "no", slots={"requested_slot": CONSENT_SLOT, QUESTION_SLOT: "q"})
    tracker.events = [{"event": "user", "text": "no"}]

    events = asyncio.run(ValidateHandoffForm().run(dispatcher, tracker, domain))

    assert slots_set(events) == {QUESTION_SLOT: "", CONSENT_SLOT: False, CONTACT_SLOT: ""}


def test_the_status_of_a_request_says_whether_it_arrived_and_was_answered(
    desk, dispatcher, tracker_for, domain
):
    tracker = tracker_for("ask_request_status", "did my question go through?")
    ActionRequestStatus().run(dispatcher, tracker, domain)
    filed = desk.submit("unit-test", "rest", {}, "is the garage free?", [], None)
    tracker.slots[REQUEST_SLOT] = filed.filed.request.id
    ActionRequestStatus().run(dispatcher, tracker, domain)
    desk.store.add_reply(filed.filed.request.id, "Yes it is.", "U0OFFICER")
    ActionRequestStatus().run(dispatcher, tracker, domain)

    responses = [m["response"] for m in dispatcher.messages]
    assert responses == ["utter_request_none", "utter_request_waiting", "utter_request_answered"]
    assert (
        dispatcher.messages[1]["request_id"] == filed.filed.request.id
        and dispatcher.messages[2]["replies"] == 1
    )
