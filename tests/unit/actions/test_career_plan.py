"""The plan form's validation and the plan actions, run the way rasa-sdk runs them."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.career_plan import (
    ActionBuildPlan,
    ActionExplainPlanStep,
    ActionPlanTimeline,
    ActionShowPlan,
    ActionUpdatePlan,
)
from actions.career_plan_form import ActionExplainQuestion, ActionStartPlan, ValidateCareerPlanForm
from planning.plan_links import PlanLinks
from retrieval.answers import Band, Reply
from retrieval.chunking import Passage
from understanding.dialogue_acts import DialogueContext, MessageReader
from understanding.form_answers import SKIPPED

FORM = "career_plan_form"


READER = MessageReader()


def tracker(
    text: str,
    intent: str = "inform",
    requested: str | None = None,
    slots: dict | None = None,
    entities: list[dict] | None = None,
    in_form: bool = True,
    understood: bool = True,
) -> Tracker:
    """A tracker whose latest message was typed and read by action_understand (`understood`),
    or is a button's payload."""
    slots = {"requested_slot": requested, **(slots or {})}
    message = {"text": text, "intent": {"name": intent}, "entities": entities or []}
    if understood:
        context = DialogueContext(
            active_form=FORM if in_form else None, requested_slot=requested, filled=slots,
            has_plan=slots.get("career_plan") is not None,
        )  # fmt: skip
        message["reading"] = READER.read(text, context).as_dict()
    return Tracker(
        sender_id="unit-test",
        slots=slots,
        latest_message=message,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": FORM} if in_form else {},
        latest_action_name="action_listen",
    )  # fmt: skip


def validate(dispatcher, domain, **kwargs) -> dict[str, Any]:
    """The slots the validation sets for a reply (empty when it leaves the turn to the rules)."""
    events = asyncio.run(ValidateCareerPlanForm().run(dispatcher, tracker(**kwargs), domain))
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def responses(dispatcher) -> list[str]:
    return [message.get("response") for message in dispatcher.messages]


def start(dispatcher, domain, text: str, slots: dict | None = None, intent: str = "request_plan") -> dict:
    started = tracker(text, intent, slots=slots, in_form=False)
    if slots:  # answers are kept from a form that ran before
        started.events.append({"event": "active_loop", "name": FORM})
    events = ActionStartPlan().run(dispatcher, started, domain)
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def test_the_opening_message_fills_what_it_already_says(dispatcher, domain):
    slots = start(dispatcher, domain, "I work in billing and want to become a manager, make me a plan")

    assert slots["current_role"] == "back_office" and slots["target_role"] == "department_manager"
    assert slots["department"] == "revenue_cycle" and "education" not in slots
    assert responses(dispatcher) == ["utter_start_plan"]


def test_asking_again_after_stop_resumes_with_the_kept_answers_and_says_so(dispatcher, domain):
    kept = {"current_role": "back_office", "role_words": "billing", "education": "bachelor"}

    slots = start(dispatcher, domain, "ok lets do the plan again", slots=kept)

    assert "current_role" not in slots and "education" not in slots  # kept as they were
    [resumed] = dispatcher.messages
    assert resumed["response"] == "utter_plan_resumed" and "billing" in resumed["answers"]


def test_start_over_drops_the_kept_answers(dispatcher, domain):
    kept = {"current_role": "back_office", "role_words": "billing", "education": "bachelor"}

    slots = start(dispatcher, domain, "start over", slots=kept, intent="restart_plan")

    assert slots["current_role"] is None and slots["education"] is None and slots["role_words"] is None
    assert responses(dispatcher) == ["utter_start_plan"]


def test_a_new_plan_starts_over_from_a_finished_one_but_keeps_it_until_replaced(dispatcher, domain):
    finished = {
        **ANSWERS_BY_SLOT,
        "career_plan": {"steps": [], "markdown": "## Your plan: from billing to x"},
    }

    slots = start(dispatcher, domain, "make me a new plan", slots=finished)

    assert slots["current_role"] is None and slots["education"] is None
    assert "career_plan" not in slots  # "show my plan" still has it if this form is stopped
    assert responses(dispatcher) == ["utter_start_plan"]


def test_a_stopped_second_form_resumes_rather_than_starting_over(dispatcher, domain):
    half = {
        "current_role": "back_office",
        "role_words": "billing",
        "career_plan": {"steps": [], "markdown": "x"},
    }

    slots = start(dispatcher, domain, "ok lets continue the plan", slots=half)

    assert "current_role" not in slots and responses(dispatcher) == ["utter_plan_resumed"]


def test_any_job_title_fills_the_role_with_family_department_and_words(dispatcher, domain):
    slots = validate(dispatcher, domain, text="charge nurse in the ICU", requested="current_role")

    assert slots["current_role"] == "clinical" and slots["department"] == "nursing"
    assert slots["role_words"] == "charge nurse in the ICU"


def test_the_text_is_read_as_the_answer_whatever_the_classifier_said(dispatcher, domain):
    # "registered nurse" was once read as a 👍 rating by the intent classifier.
    slots = validate(
        dispatcher, domain, text="registered nurse", intent="rate_helpful", requested="current_role"
    )

    assert slots["current_role"] == "clinical"


def test_an_answer_button_fills_the_slot(dispatcher, domain):
    entities = [{"entity": "plan_answer", "value": "master's"}]

    slots = validate(dispatcher, domain, text="/inform", requested="education", entities=entities,
                     understood=False)  # fmt: skip

    assert slots["education"] == "master"


def test_a_garbled_answer_gets_a_specific_reprompt_then_an_offer_to_skip(dispatcher, domain):
    first = validate(dispatcher, domain, text="lots", requested="years_experience")
    second = validate(dispatcher, domain, text="ages", requested="years_experience",
                      slots={"plan_retries": first["plan_retries"]})  # fmt: skip

    assert first == {"plan_retries": {"years_experience": 1}}
    assert second["plan_retries"] == {"years_experience": 2}
    assert responses(dispatcher) == ["utter_invalid_years_experience", "utter_invalid_years_experience",
                                     "utter_offer_skip"]  # fmt: skip


@pytest.mark.parametrize(("slot", "text"), [("study_hours", "200"), ("years_experience", "-3"),
                                             ("years_experience", "61")])  # fmt: skip
def test_impossible_values_are_refused_with_the_reason(dispatcher, domain, slot, text):
    slots = validate(dispatcher, domain, text=text, requested=slot)

    assert slot not in slots
    [refusal] = dispatcher.messages
    assert refusal["response"] == "utter_refused_answer" and refusal["problem"]


def test_skip_leaves_the_question_unanswered_and_moves_on(dispatcher, domain):
    slots = validate(dispatcher, domain, text="skip", intent="skip_question", requested="study_hours")

    assert slots["study_hours"] == SKIPPED


def test_a_change_to_an_earlier_answer_is_kept_and_said(dispatcher, domain):
    slots = validate(dispatcher, domain, text="actually I have an MBA", requested="target_role",
                     slots={"education": "bachelor"})  # fmt: skip

    assert slots["education"] == "master:MBA" and "target_role" not in slots
    assert responses(dispatcher) == ["utter_answer_changed"]


@pytest.mark.parametrize("text", ["wait, what is CPHQ?", "why do you ask?", "stop", "start over", "hello"])
def test_what_is_not_an_answer_is_left_to_the_rules(dispatcher, domain, text):
    events = asyncio.run(
        ValidateCareerPlanForm().run(dispatcher, tracker(text, requested="education"), domain)
    )

    assert events == []  # the form rejects the turn; data/rules/career_plan.yml handles it
    assert dispatcher.messages == []


def test_why_explains_the_question_being_asked(dispatcher, domain):
    events = ActionExplainQuestion().run(
        dispatcher, tracker("why?", "ask_why", requested="education"), domain
    )

    assert responses(dispatcher) == ["utter_why_education"]
    assert events  # never empty: see ActionServerFailurePolicy


ANSWERS = {"current_role": "clinical", "education": "bachelor", "years_experience": 8.0,
           "target_role": "director", "study_hours": 10.0, "role_words": "nursing"}  # fmt: skip


ANSWERS_BY_SLOT = {key: value for key, value in ANSWERS.items() if key != "role_words"}


def built_plan(dispatcher, domain) -> dict:
    events = ActionBuildPlan().run(dispatcher, tracker("", "inform", slots=ANSWERS, in_form=False), domain)
    return next(event["value"] for event in events if event["name"] == "career_plan")


def test_the_plan_is_shown_and_kept_in_the_conversation(dispatcher, domain):
    plan = built_plan(dispatcher, domain)

    [shown, printable, next_steps] = dispatcher.messages
    assert shown["response"] == "utter_plan" and shown["plan"] == plan["markdown"]
    assert printable["response"] == "utter_plan_printable" and printable["days"] == "30"
    link = printable["link"]
    assert link.startswith("http://localhost:8080/plans/")
    assert PlanLinks.from_environment().open(link.rsplit("/", 1)[1]).markdown == plan["markdown"]
    assert plan["markdown"].startswith("## Your plan: from nursing to department director")
    assert "hsm-masters-degree" in [step["entry_id"] for step in plan["steps"]]
    assert next_steps["response"] == "utter_plan_next"


def test_the_department_the_role_named_shapes_the_plan(dispatcher, domain):
    slots = {**ANSWERS, "current_role": "back_office", "role_words": "billing", "department": "revenue_cycle",
             "target_role": "revenue_cycle_manager", "target_words": "revenue cycle manager"}  # fmt: skip
    events = ActionBuildPlan().run(dispatcher, tracker("", "inform", slots=slots, in_form=False), domain)
    plan = next(event["value"] for event in events if event["name"] == "career_plan")

    assert plan["markdown"].startswith("## Your plan: from billing to revenue cycle manager")
    assert "HFMA" in plan["markdown"] and "revenue cycle end to end" in plan["markdown"]
    assert "hm-from-clinical-roles" not in [step["entry_id"] for step in plan["steps"]]


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


def test_a_revision_after_an_unfinished_new_form_starts_from_the_answers_the_plan_was_built_from(
    dispatcher, domain
):
    plan = built_plan(dispatcher, domain)
    dispatcher.messages.clear()
    cleared = {slot: None for slot in ANSWERS}  # "make a new plan", then "stop"

    events = ActionUpdatePlan().run(
        dispatcher, tracker("actually I have an MBA", "update_plan", slots={**cleared, "career_plan": plan},
                            in_form=False), domain)  # fmt: skip

    slots = {event["name"]: event["value"] for event in events}
    assert slots["career_plan"]["markdown"].startswith("## Your plan: from nursing to department director")
    assert slots["current_role"] == "clinical" and slots["education"] == "master:MBA"


def test_explain_step_answers_from_the_steps_knowledge_entry(dispatcher, domain, monkeypatch):
    plan = built_plan(dispatcher, domain)
    dispatcher.messages.clear()
    asked = []

    class Advisor:
        def answer_passage(self, passage_id):
            asked.append(passage_id)
            passage = Passage(passage_id, passage_id, "Title", "skills", "Entry text.", (), ())
            return Reply(Band.CONFIDENT, 1.0, "Entry text.\n\n_Source: Guide — Section_", passage)

    monkeypatch.setattr("actions.career_plan.shared_advisor", lambda: Advisor())
    step_two = tracker("explain step 2", "explain_step", slots={"career_plan": plan}, in_form=False)
    events = ActionExplainPlanStep().run(dispatcher, step_two, domain)

    assert asked == [plan["steps"][1]["entry_id"]]
    step = plan["steps"][1]
    assert dispatcher.messages[0]["text"].startswith(
        f"**Step 2: {step['text']}**\n_Why it is in your plan: {step['why']}_\n\nEntry text."
    )
    # The step's entry is the answer in play for a follow-up ("can I do that online?").
    [record] = [event["value"] for event in events if event["name"] == "answer_record"]
    assert record["entry_id"] == plan["steps"][1]["entry_id"]


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

    [message, printable] = dispatcher.messages  # one block to copy, and the printable page
    assert message["text"] == f"```markdown\n{plan['markdown']}\n```" and not message["custom"]
    assert printable["response"] == "utter_plan_printable"


@pytest.mark.parametrize("action", [ActionUpdatePlan, ActionExplainPlanStep, ActionShowPlan])
def test_without_a_plan_the_bot_offers_to_make_one(dispatcher, domain, action):
    events = action().run(dispatcher, tracker("explain step 1", "explain_step", in_form=False), domain)

    assert responses(dispatcher) == ["utter_no_plan_yet"]
    assert events


@pytest.mark.parametrize("slot", ["education", "target_role", "study_hours"])
def test_every_answer_button_of_the_form_is_read_as_a_distinct_valid_answer(domain, slot):
    buttons = domain["responses"][f"utter_ask_{slot}"][0]["buttons"]
    answers = [json.loads(button["payload"].removeprefix("/inform"))["plan_answer"] for button in buttons]

    values = [READER.answers.read_answer(slot, answer).value for answer in answers]

    assert None not in values
    assert len(set(values)) == len(buttons)


def test_typed_words_not_read_yet_are_left_to_action_understand(dispatcher, domain):
    # "patient sitter" once came in as skip_question from the classifier and was kept as a skip.
    unread = tracker("patient sitter", "skip_question", requested="current_role", understood=False)

    assert asyncio.run(ValidateCareerPlanForm().run(dispatcher, unread, domain)) == []


def test_how_long_gets_the_plans_own_estimate_and_its_longest_step(dispatcher, domain):
    plan = built_plan(dispatcher, domain)
    dispatcher.messages.clear()

    ActionPlanTimeline().run(
        dispatcher,
        tracker("how long will this take?", "ask_plan_timeline", slots={"career_plan": plan}, in_form=False),
        domain,
    )

    [said] = dispatcher.messages
    assert said["response"] == "utter_plan_timeline" and said["horizon"] == plan["horizon"]
    assert "hours a week" in said["horizon"]
    assert said["longest"].startswith("Earn a master's") and said["longest_takes"].endswith("hours a week")
