"""Rasa glue for career plans: build, revise, explain a step, show as Markdown.

The plan itself comes from planning.career_plan; it is kept in the `career_plan` slot
(entry ids and texts), so it stays in the tracker across reconnects.
"""

from __future__ import annotations

import abc
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.advisor_action import AdvisorAction
from actions.knowledge_replies import button_for, record_of
from actions.services import message_reader, plan_links, shared_advisor
from actions.understand import PLAN_SLOT, reading_of
from learning_from_use.answer_records import ANSWER_RECORD_SLOT, Via
from planning.career_plan import Plan, build_plan
from retrieval.knowledge_entries import KnowledgeEntry, load_entries
from retrieval.knowledge_index import IndexUnavailable
from retrieval.settings import SettingsError
from understanding.dialogue_acts import Act
from understanding.form_answers import (
    DEPARTMENT_SLOT,
    PLAN_SLOTS,
    ROLE_WORDS_SLOT,
    TARGET_WORDS_SLOT,
    describe_answers,
    persona_from_answers,
    title_words,
)


def knowledge_entries() -> dict[str, KnowledgeEntry]:
    return {entry.id: entry for entry in load_entries(shared_advisor().settings.knowledge_dirs)}


def plan_record(plan: Plan, markdown: str, answers: dict[str, Any]) -> dict[str, Any]:
    """The plan as kept in its slot, with the answers it was built from (a revision starts
    from these, whatever a later, unfinished form has done to the answer slots)."""
    longest = plan.longest_step
    return {
        "answers": answers,
        "steps": [{"text": step.text, "entry_id": step.entry_id, "why": step.why} for step in plan.steps],
        "markdown": markdown,
        "horizon": plan.horizon,
        "faster": plan.faster,
        "longest": {"text": longest.text, "takes": longest.takes.removeprefix("about ")},
    }


def present(
    dispatcher: CollectingDispatcher, tracker: Tracker, answers: dict[str, Any], intro: str
) -> list[EventType]:
    # The words kept beside the answers: a revision's own ("actually my goal is ...") first.
    details = {
        slot: answers.get(slot, tracker.get_slot(slot))
        for slot in (ROLE_WORDS_SLOT, TARGET_WORDS_SLOT, DEPARTMENT_SLOT)
    }
    persona, assumptions = persona_from_answers(
        answers, details[ROLE_WORDS_SLOT] or "", details[DEPARTMENT_SLOT] or ""
    )
    entries = knowledge_entries()
    plan = build_plan(persona, entries)
    markdown = plan.to_markdown(
        entries,
        aim=title_words(details[TARGET_WORDS_SLOT] or "", persona.target),
        based_on=describe_answers({**answers, **details}),
        assumed=" and ".join(assumptions),
    )
    dispatcher.utter_message(response=intro, plan=markdown)
    if assumptions:
        dispatcher.utter_message(response="utter_plan_assumptions", assumptions=" and ".join(assumptions))
    offer_printable(dispatcher, markdown)
    dispatcher.utter_message(response="utter_plan_next")
    return [SlotSet(PLAN_SLOT, plan_record(plan, markdown, {**answers, **details}))]


def offer_printable(dispatcher: CollectingDispatcher, markdown: str) -> None:
    links = plan_links()
    if links is not None:
        days = f"{links.max_age_days:g}"
        dispatcher.utter_message(response="utter_plan_printable", link=links.url_for(markdown), days=days)


def stored_plan(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any] | None:
    """The plan kept in the conversation; without one, the user is told how to get one."""
    plan = tracker.get_slot(PLAN_SLOT)
    if plan is None:
        dispatcher.utter_message(response="utter_no_plan_yet")
    return plan


class PlanAction(AdvisorAction, abc.ABC):
    """An action on the plan kept in the conversation. Without one, the person is told how
    to get one; with one, `act_on` runs."""

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        plan = stored_plan(dispatcher, tracker)
        if plan is None:
            return [SlotSet(PLAN_SLOT, None)]
        return self.act_on(plan, dispatcher, tracker)

    @abc.abstractmethod
    def act_on(
        self, plan: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]: ...


class ActionBuildPlan(AdvisorAction):
    def name(self) -> str:
        return "action_build_plan"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        answers = {slot: tracker.get_slot(slot) for slot in PLAN_SLOTS}
        return present(dispatcher, tracker, answers, "utter_plan")


class ActionUpdatePlan(PlanAction):
    """ "Actually I have an MBA": the new fact replaces the old answer and the plan is rebuilt."""

    def name(self) -> str:
        return "action_update_plan"

    def act_on(
        self, plan: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        reading = reading_of(tracker)
        if reading is None or reading.act is not Act.UPDATE_PLAN:
            text = tracker.latest_message.get("text") or ""
            changes = message_reader().answers.stated_facts(text)
        else:
            changes = reading.slots
        if not changes:
            dispatcher.utter_message(response="utter_update_not_understood")
            return [SlotSet(PLAN_SLOT, plan)]
        built_from = plan.get("answers") or {slot: tracker.get_slot(slot) for slot in PLAN_SLOTS}
        answers = {**built_from, **changes}
        events = present(dispatcher, tracker, answers, "utter_plan_updated")
        return [SlotSet(slot, value) for slot, value in answers.items()] + events


class ActionExplainPlanStep(PlanAction):
    """ "Explain step 3": the knowledge entry the step comes from, with its source."""

    def name(self) -> str:
        return "action_explain_plan_step"

    def act_on(
        self, plan: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        reading = reading_of(tracker)
        number = re.search(
            r"\d+",
            str(reading.step) if reading and reading.step else tracker.latest_message.get("text") or "",
        )
        steps = plan["steps"]
        if number is None or not 1 <= int(number.group()) <= len(steps):
            dispatcher.utter_message(response="utter_which_step", count=len(steps))
            return [SlotSet(PLAN_SLOT, plan)]
        step = steps[int(number.group()) - 1]
        try:
            reply = shared_advisor().answer_passage(step["entry_id"])
        except (IndexUnavailable, SettingsError) as error:
            dispatcher.utter_message(response="utter_knowledge_unavailable", reason=str(error))
            return [SlotSet(PLAN_SLOT, plan)]
        # Buttons keep the explanation one message (channels split text at blank lines).
        # Why it is in this person's plan first, then what the guides say about it.
        why = f"\n_Why it is in your plan: {step['why']}_" if step.get("why") else ""
        dispatcher.utter_message(
            text=f"**Step {number.group()}: {step['text']}**{why}\n\n{reply.text}",
            buttons=[button_for(suggestion) for suggestion in reply.suggestions],
        )
        # The step's entry is now the answer in play, so "can i do that online?" follows it.
        record = record_of(reply, step["text"], Via.BUTTON, None)
        return [SlotSet(PLAN_SLOT, plan), SlotSet(ANSWER_RECORD_SLOT, record.as_slot())]


class ActionPlanTimeline(PlanAction):
    """ "How long will this take?" once there is a plan: the plan's own estimate, its longest
    step, and that the times are rough."""

    def name(self) -> str:
        return "action_plan_timeline"

    def act_on(
        self, plan: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        if "horizon" not in plan:  # a plan kept from before plans had timing
            dispatcher.utter_message(text=plan["markdown"])
            return [SlotSet(PLAN_SLOT, plan)]
        dispatcher.utter_message(
            response="utter_plan_timeline",
            horizon=plan["horizon"],
            faster=f", or {plan['faster']}" if plan["faster"] else "",
            longest=plan["longest"]["text"].rstrip("."),
            longest_takes=plan["longest"]["takes"],
        )
        return [SlotSet(PLAN_SLOT, plan)]


class ActionShowPlan(PlanAction):
    """The plan as a Markdown block to copy."""

    def name(self) -> str:
        return "action_show_plan"

    def act_on(
        self, plan: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        dispatcher.utter_message(text=f"```markdown\n{plan['markdown']}\n```")
        offer_printable(dispatcher, plan["markdown"])
        return [SlotSet(PLAN_SLOT, plan)]
