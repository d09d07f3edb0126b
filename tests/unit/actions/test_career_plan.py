"""The plan form's validation and the plan actions, run the way rasa-sdk runs them."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.career_plan import ActionBuildPlan, ActionExplainPlanStep, ActionShowPlan, ActionUpdatePlan
from actions.career_plan_form import ActionExplainQuestion, ValidateCareerPlanForm
from planning.situation_parsing import SKIPPED, parse_answer

FORM = "career_plan_form"


def tracker(
    text: str,
    intent: str = "inform",
    requested: str | None = None,
    slots: dict | None = None,
    entities: list[dict] | None = None,
    in_form: bool = True,
) -> Tracker:
    return Tracker(
        sender_id="unit-test",
        slots={"requested_slot": requested, **(slots or {})},
        latest_message={"text": text, "intent": {"name": intent}, "entities": entities or []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": FORM} if in_form else {},
        latest_action_name="action_listen",
    )  # fmt: skip


def validate(dispatcher, domain, **kwargs) -> dict[str, Any]:
    events = asyncio.run(ValidateCareerPlanForm().run(dispatcher, tracker(**kwargs), domain))
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def responses(dispatcher) -> list[str]:
    return [message.get("response") for message in dispatcher.messages]


def test_the_opening_message_fills_what_it_already_says(dispatcher, domain):
    slots = validate(
        dispatcher, domain, text="I work in billing and want to become a manager", intent="request_plan"
    )

    assert slots == {"current_role": "back_office", "target_role": "department_manager"}
    assert dispatcher.messages == []


def test_a_good_answer_fills_the_asked_slot_and_keeps_the_users_words(dispatcher, domain):
    slots = validate(dispatcher, domain, text="medical records", requested="current_role")

    assert slots == {"current_role": "back_office", "role_words": "medical records"}


def test_an_answer_button_fills_the_slot_without_nlu(dispatcher, domain):
    entities = [{"entity": "plan_answer", "value": "master's"}]

    slots = validate(dispatcher, domain, text="/inform", requested="education", entities=entities)

    assert slots == {"education": "master"}


def test_a_garbled_answer_gets_a_specific_reprompt_then_an_offer_to_skip(dispatcher, domain):
    first = validate(dispatcher, domain, text="lots", requested="years_experience")
    second = validate(dispatcher, domain, text="ages", requested="years_experience",
                      slots={"plan_retries": first["plan_retries"]})  # fmt: skip

    assert first == {"years_experience": None, "plan_retries": {"years_experience": 1}}
    assert second["plan_retries"] == {"years_experience": 2}
    assert responses(dispatcher) == ["utter_invalid_years_experience", "utter_invalid_years_experience",
                                     "utter_offer_skip"]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [("200", None), ("3.5", 3.5), ("61", None)])
def test_out_of_range_hours_are_refused(dispatcher, domain, text, expected):
    slots = validate(dispatcher, domain, text=text, requested="study_hours")

    assert slots["study_hours"] == expected


def test_skip_leaves_the_question_unanswered_and_moves_on(dispatcher, domain):
    slots = validate(dispatcher, domain, text="skip", intent="skip_question", requested="study_hours")

    assert slots == {"study_hours": SKIPPED}


@pytest.mark.parametrize("intent", ["ask_certifications", "ask_why", "stop_form"])
def test_a_question_mid_form_is_not_taken_as_the_answer(dispatcher, domain, intent):
    slots = validate(
        dispatcher, domain, text="which certifications matter?", intent=intent, requested="education"
    )

    assert "education" not in slots
    assert dispatcher.messages == []


def test_why_explains_the_question_being_asked(dispatcher, domain):
    events = ActionExplainQuestion().run(
        dispatcher, tracker("why?", "ask_why", requested="education"), domain
    )

    assert responses(dispatcher) == ["utter_why_education"]
    assert events  # never empty: see ActionServerFailurePolicy


ANSWERS = {"current_role": "clinical", "education": "bachelor", "years_experience": 8.0,
           "target_role": "director", "study_hours": 10.0, "role_words": "nursing"}  # fmt: skip


def built_plan(dispatcher, domain) -> dict:
    events = ActionBuildPlan().run(dispatcher, tracker("", "inform", slots=ANSWERS, in_form=False), domain)
    return next(event["value"] for event in events if event["name"] == "career_plan")


def test_the_plan_is_shown_and_kept_in_the_conversation(dispatcher, domain):
    plan = built_plan(dispatcher, domain)

    [shown, next_steps] = dispatcher.messages
    assert shown["response"] == "utter_plan" and shown["plan"] == plan["markdown"]
    assert plan["markdown"].startswith("## Your plan: from nursing to department director")
    assert "hsm-masters-degree" in [step["entry_id"] for step in plan["steps"]]
    assert next_steps["response"] == "utter_plan_next"


def test_actually_i_have_an_mba_revises_the_plan_without_the_form(dispatcher, domain):
    plan = built_plan(dispatcher, domain)
    dispatcher.messages.clear()

    events = ActionUpdatePlan().run(
        dispatcher, tracker("actually I have an MBA", "update_plan", slots={**ANSWERS, "career_plan": plan},
                            in_form=False), domain)  # fmt: skip

    slots = {event["name"]: event["value"] for event in events}
    assert slots["education"] == "master:MBA"
    assert "hsm-masters-degree" not in [step["entry_id"] for step in slots["career_plan"]["steps"]]
    assert dispatcher.messages[0]["response"] == "utter_plan_updated"


def test_explain_step_answers_from_the_steps_knowledge_entry(dispatcher, domain, monkeypatch):
    plan = built_plan(dispatcher, domain)
    dispatcher.messages.clear()
    asked = []

    class Advisor:
        def answer_passage(self, passage_id):
            asked.append(passage_id)
            return type(
                "Reply", (), {"text": "Entry text.\n\n_Source: Guide — Section_", "suggestions": []}
            )()

    monkeypatch.setattr("actions.career_plan.shared_advisor", lambda: Advisor())
    step_two = tracker("explain step 2", "explain_step", slots={"career_plan": plan}, in_form=False)
    ActionExplainPlanStep().run(dispatcher, step_two, domain)

    assert asked == [plan["steps"][1]["entry_id"]]
    assert dispatcher.messages[0]["text"].startswith(f"**Step 2: {plan['steps'][1]['text']}**")


def test_explain_step_outside_the_plan_asks_which_step(dispatcher, domain):
    plan = built_plan(dispatcher, domain)
    dispatcher.messages.clear()

    step_99 = tracker("explain step 99", "explain_step", slots={"career_plan": plan}, in_form=False)
    ActionExplainPlanStep().run(dispatcher, step_99, domain)

    assert dispatcher.messages[0]["response"] == "utter_which_step"
    assert dispatcher.messages[0]["count"] == len(plan["steps"])


def test_the_plan_can_be_copied_as_markdown(dispatcher, domain):
    plan = built_plan(dispatcher, domain)
    dispatcher.messages.clear()

    ActionShowPlan().run(dispatcher, tracker("show my plan", "show_plan", slots={"career_plan": plan},
                                             in_form=False), domain)  # fmt: skip

    [message] = dispatcher.messages  # one block to copy, nothing else
    assert message["text"] == f"```markdown\n{plan['markdown']}\n```" and not message["custom"]


@pytest.mark.parametrize("action", [ActionUpdatePlan, ActionExplainPlanStep, ActionShowPlan])
def test_without_a_plan_the_bot_offers_to_make_one(dispatcher, domain, action):
    events = action().run(dispatcher, tracker("explain step 1", "explain_step", in_form=False), domain)

    assert responses(dispatcher) == ["utter_no_plan_yet"]
    assert events


@pytest.mark.parametrize("slot", ["education", "target_role", "study_hours"])
def test_every_answer_button_of_the_form_is_read_as_a_distinct_valid_answer(domain, slot):
    buttons = domain["responses"][f"utter_ask_{slot}"][0]["buttons"]
    answers = [json.loads(button["payload"].removeprefix("/inform"))["plan_answer"] for button in buttons]

    values = [parse_answer(slot, answer) for answer in answers]

    assert None not in values
    assert len(set(values)) == len(buttons)
