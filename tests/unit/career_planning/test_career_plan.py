"""The plan builder over personas: what each plan must and must not contain."""

from __future__ import annotations

from itertools import combinations

import pytest

from planning.career_plan import Education, Persona, RoleFamily, Target, build_plan, phase_names
from retrieval.knowledge_entries import load_entries
from tests import REPO_ROOT

ENTRIES = {entry.id: entry for entry in load_entries([REPO_ROOT / "knowledge"])}

PERSONAS = {
    "billing clerk, school only, aiming at department manager, little time": (
        Persona(
            RoleFamily.BACK_OFFICE, Education.HIGH_SCHOOL, Target.DEPARTMENT_MANAGER, 3, 3, role="billing"
        ),
        {
            "hsm-bachelors-degree",
            "bo-faq-leadership-experience",
            "bo-step-03-cross-department-projects",
            "bo-step-06-mentorship",
            "hsm-certifications",
            "bo-faq-first-roles",
        },
        {"hm-from-clinical-roles", "hsm-masters-degree", "bo-step-12-advanced-leadership"},
    ),
    "nurse with a bachelor's aiming at director": (
        Persona(RoleFamily.CLINICAL, Education.BACHELOR, Target.DIRECTOR, 8, 10, role="nursing"),
        {
            "hm-from-clinical-roles",
            "hsm-masters-degree",
            "hsm-certifications",
            "bo-step-12-advanced-leadership",
            "bo-step-09-management-experience",
        },
        {"hsm-bachelors-degree", "bo-step-03-cross-department-projects", "bo-faq-leadership-experience"},
    ),
    "records clerk with an MBA aiming at hospital administrator": (
        Persona(RoleFamily.BACK_OFFICE, Education.MASTER, Target.HOSPITAL_ADMINISTRATOR, 6, 5, "MBA"),
        {"bo-step-12-advanced-leadership", "hsm-certifications", "bo-faq-leadership-experience"},
        {"hsm-masters-degree", "hsm-bachelors-degree", "hsm-gaining-experience"},
    ),
    "lab technician with an associate degree aiming at quality": (
        Persona(RoleFamily.CLINICAL, Education.ASSOCIATE, Target.QUALITY_MANAGER, 1, 6),
        {
            "hsm-bachelors-degree",
            "bo-cphq-quality-certification",
            "hsm-gaining-experience",
            "hm-from-clinical-roles",
        },
        {"hsm-masters-degree", "hsm-certifications", "bo-step-12-advanced-leadership"},
    ),
    "scheduler with a bachelor's aiming at unit coordinator, lots of time": (
        Persona(RoleFamily.BACK_OFFICE, Education.BACHELOR, Target.UNIT_COORDINATOR, 4, 12),
        {"bo-faq-first-roles", "hsm-certifications", "bo-step-10-leadership-results"},
        {"bo-step-12-advanced-leadership", "hsm-masters-degree", "hsm-bachelors-degree"},
    ),
    "IT analyst with an MPH aiming at the C-suite": (
        Persona(RoleFamily.OTHER, Education.MASTER, Target.C_SUITE, 10, 8, "MPH"),
        {"hsm-masters-degree", "bo-step-12-advanced-leadership", "bo-step-09-management-experience"},
        {"hm-from-clinical-roles", "bo-faq-leadership-experience", "hsm-bachelors-degree"},
    ),
}


@pytest.mark.parametrize(("persona", "must", "must_not"), PERSONAS.values(), ids=PERSONAS.keys())
def test_each_plan_holds_the_steps_its_persona_needs_and_not_the_others(persona, must, must_not):
    cited = set(build_plan(persona, ENTRIES).entry_ids())

    assert must - cited == set()
    assert must_not & cited == set()


def test_a_missing_bachelors_is_the_very_first_step():
    persona = PERSONAS["billing clerk, school only, aiming at department manager, little time"][0]

    assert build_plan(persona, ENTRIES).steps[0].entry_id == "hsm-bachelors-degree"


def test_executives_are_pointed_at_fache_and_others_at_cmm_or_cphm():
    director = build_plan(PERSONAS["nurse with a bachelor's aiming at director"][0], ENTRIES)
    coordinator = build_plan(
        PERSONAS["scheduler with a bachelor's aiming at unit coordinator, lots of time"][0], ENTRIES
    )

    assert any("FACHE" in step.text for step in director.steps)
    assert not any("CMM" in step.text for step in director.steps)
    assert any("CMM" in step.text for step in coordinator.steps)


def test_different_people_get_materially_different_plans():
    # A step counts with its phase: the same step on another timeline is another plan.
    plans = {
        name: {
            (phase.name, step.entry_id)
            for phase in build_plan(persona, ENTRIES).phases
            for step in phase.steps
        }
        for name, (persona, _, _) in PERSONAS.items()
    }

    for (name_a, a), (name_b, b) in combinations(plans.items(), 2):
        assert len(a ^ b) >= 2, (name_a, name_b)


def test_study_hours_set_the_pace():
    assert phase_names(12)[1] == "Next 3-6 months"
    assert phase_names(5)[1] == "Next 6-12 months"
    assert phase_names(2)[1] == "Next 12 months"
    fast = build_plan(
        PERSONAS["scheduler with a bachelor's aiming at unit coordinator, lots of time"][0], ENTRIES
    )
    assert [phase.name for phase in fast.phases] == phase_names(12)


def test_the_markdown_numbers_steps_across_phases_and_names_each_source():
    persona = PERSONAS["nurse with a bachelor's aiming at director"][0]
    plan = build_plan(persona, ENTRIES)

    markdown = plan.to_markdown(ENTRIES)

    assert markdown.startswith("## Your plan: from nursing to department director")
    assert f"{len(plan.steps)}. " in markdown and "\n### Now\n" in markdown and "\n\n" not in markdown
    assert all(f"_(see: {ENTRIES[step.entry_id].title})_" in markdown for step in plan.steps)


@pytest.mark.parametrize(
    ("aim", "title_target"),
    [
        ("department director in the ICU", "department director in the ICU"),
        ("Department Director", "department director"),
        ("director", "department director"),
        ("become a manager", "department director"),
        ("", "department director"),
    ],
)
def test_the_title_keeps_the_persons_words_only_when_they_say_more_than_the_targets_name(aim, title_target):
    plan = build_plan(PERSONAS["nurse with a bachelor's aiming at director"][0], ENTRIES)

    title = plan.to_markdown(ENTRIES, aim=aim).splitlines()[0]

    assert title == f"## Your plan: from nursing to {title_target}"


def test_a_plan_citing_an_entry_the_knowledge_base_lacks_is_refused():
    persona = PERSONAS["IT analyst with an MPH aiming at the C-suite"][0]
    partial = {key: value for key, value in ENTRIES.items() if key != "hsm-masters-degree"}

    with pytest.raises(KeyError, match="hsm-masters-degree"):
        build_plan(persona, partial)
