"""The plan builder over personas: what each plan must and must not contain, its timing,
and how far plans for different people differ."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import combinations

import pytest

from planning.career_plan import (
    DURATIONS_FILE,
    DurationsError,
    Education,
    Persona,
    RoleFamily,
    Target,
    build_plan,
    load_durations,
    phase_name,
)
from retrieval.knowledge_entries import load_entries
from tests import REPO_ROOT

ENTRIES = {entry.id: entry for entry in load_entries([REPO_ROOT / "knowledge"])}
B, C, OTHER = RoleFamily.BACK_OFFICE, RoleFamily.CLINICAL, RoleFamily.OTHER
HS, AS, BA, MA = Education.HIGH_SCHOOL, Education.ASSOCIATE, Education.BACHELOR, Education.MASTER

# persona, step keys it must hold, step keys it must not hold
PERSONAS = {
    "billing specialist, high school, aiming at revenue cycle manager": (
        Persona(B, HS, Target.REVENUE_CYCLE_MANAGER, 3, 5, role="billing", department="revenue_cycle"),
        {"bachelors_degree", "learn_revenue_cycle", "revenue_cycle_project", "join_hfma", "cphm",
         "apply_for:revenue_cycle_manager"},
        {"business_coursework", "masters_degree", "fache", "learn_health_information"},
    ),
    "records clerk, high school, aiming at health information manager": (
        Persona(B, HS, Target.HIM_MANAGER, 4, 5, role="medical records", department="health_information"),
        {"bachelors_degree", "learn_health_information", "project:health_information",
         "apply_for:him_manager"},
        {"join_hfma", "learn_revenue_cycle", "masters_degree", "business_coursework"},
    ),
    "registration clerk, associate degree, aiming at patient access manager": (
        Persona(B, AS, Target.PATIENT_ACCESS_MANAGER, 6, 8, role="patient registration",
                department="patient_access"),
        {"bachelors_degree", "learn_patient_access", "project:patient_access",
         "apply_for:patient_access_manager"},
        {"core_management_skills", "masters_degree", "fache"},
    ),
    "registered nurse with a BSN aiming at nurse manager": (
        Persona(C, BA, Target.NURSE_MANAGER, 6, 4, role="registered nurse", department="nursing"),
        {"business_coursework", "lead_on_your_unit", "first_leadership_post:nursing",
         "apply_for:nurse_manager"},
        {"bachelors_degree", "masters_degree", "leadership_where_you_are", "join_hfma"},
    ),
    "registered nurse, 12 years, aiming at chief nursing officer": (
        Persona(C, BA, Target.CHIEF_NURSING_OFFICER, 12, 8, role="registered nurse", department="nursing"),
        {"business_coursework", "masters_degree", "fache", "join_ache", "senior_posts:chief_nursing_officer"},
        {"bachelors_degree", "cphm", "core_management_skills"},
    ),
    "scheduler with a bachelor's, one year in, aiming at unit coordinator": (
        Persona(B, BA, Target.UNIT_COORDINATOR, 1, 12, role="scheduling", department="patient_access"),
        {"healthcare_experience", "core_management_skills", "apply_unit_coordinator"},
        {"cphm", "masters_degree", "fache", "bachelors_degree"},
    ),
    "quality analyst with a bachelor's aiming at quality manager": (
        Persona(B, BA, Target.QUALITY_MANAGER, 3, 6, role="quality analyst", department="quality"),
        {"learn_quality_data", "project:quality", "cphq", "apply_for:quality_manager"},
        {"cphm", "bachelors_degree", "masters_degree"},
    ),
    "IT analyst with an MPH aiming at the C-suite": (
        Persona(OTHER, MA, Target.C_SUITE, 8, 5, "MPH", role="IT", department="information_technology"),
        {"learn_hospital_operations", "fache", "join_ache", "senior_posts:c_suite"},
        {"masters_degree", "bachelors_degree", "business_coursework", "cphm"},
    ),
    "medical assistant, associate degree, aiming at practice manager": (
        Persona(C, AS, Target.PRACTICE_MANAGER, 2, 10, role="medical assistant",
                department="physician_services"),
        {"bachelors_degree", "business_coursework", "cmm", "project:physician_services"},
        {"cphm", "masters_degree", "fache"},
    ),
}  # fmt: skip


def plan_for(name: str):
    return build_plan(PERSONAS[name][0], ENTRIES)


def keys(plan) -> set[str]:
    return {step.key for step in plan.steps}


@pytest.mark.parametrize(("persona", "must", "must_not"), PERSONAS.values(), ids=PERSONAS.keys())
def test_each_plan_holds_the_steps_its_persona_needs_and_not_the_others(persona, must, must_not):
    chosen = keys(build_plan(persona, ENTRIES))

    assert must - chosen == set()
    assert must_not & chosen == set()


def test_no_two_personas_share_more_than_half_of_their_steps():
    plans = {name: keys(plan_for(name)) for name in PERSONAS}

    for (name_a, a), (name_b, b) in combinations(plans.items(), 2):
        assert len(a & b) <= min(len(a), len(b)) / 2, (name_a, name_b, sorted(a & b))


@pytest.mark.parametrize("name", PERSONAS)
def test_every_step_says_why_it_is_there_and_cites_an_entry(name):
    plan = plan_for(name)

    assert all(step.why and step.entry_id in ENTRIES for step in plan.steps)
    markdown = plan.to_markdown(ENTRIES)
    assert markdown.count("   _Why: ") == len(plan.steps)


WITHOUT_A_BACHELORS = [name for name, (persona, _, _) in PERSONAS.items() if persona.education in (HS, AS)]
MANAGEMENT_POSTS = ("apply_for", "senior_posts")


@pytest.mark.parametrize("name", WITHOUT_A_BACHELORS)
@pytest.mark.parametrize("hours", [3, 10, 20])
def test_no_application_for_a_management_post_comes_before_the_bachelors_is_done(name, hours):
    plan = build_plan(replace(PERSONAS[name][0], study_hours_per_week=hours), ENTRIES)
    degree = next(step for step in plan.steps if step.key == "bachelors_degree")

    applications = [step for step in plan.steps if step.key.startswith(MANAGEMENT_POSTS)]
    first_post = [step for step in plan.steps if step.key.startswith("first_leadership_post")]

    assert plan.steps[0] == degree and applications
    assert all(step.start_month >= degree.end_month for step in applications)
    # A lead or supervisor post does not wait for the degree.
    assert all(step.start_month < degree.end_month for step in first_post)


@pytest.mark.parametrize("hours", [1.5, 5])
def test_a_degree_is_planned_at_one_course_a_term_at_least_and_the_plan_says_so(hours):
    persona = replace(
        PERSONAS["billing specialist, high school, aiming at revenue cycle manager"][0],
        study_hours_per_week=hours,
    )
    plan = build_plan(persona, ENTRIES)
    degree = next(step for step in plan.steps if step.key == "bachelors_degree")

    assert degree.takes.startswith("about 13.5 years at one course a term (about 9 hours a week")
    assert plan.horizon.endswith(f"studying about 9 hours a week while in a degree and {hours:g} otherwise")
    assert plan.horizon_months < 16 * 12


def test_a_nurse_with_an_msn_is_not_sent_for_another_masters_and_climbs_through_the_rungs():
    persona = Persona(
        C, MA, Target.CHIEF_NURSING_OFFICER, 15, 6, "MSN", role="charge nurse", department="nursing"
    )
    chosen = keys(build_plan(persona, ENTRIES))

    assert "masters_degree" not in chosen
    assert {"management_experience:nursing", "nursing_director_rung", "fache"} <= chosen


def test_the_personas_cover_people_with_and_without_a_bachelors():
    assert 3 <= len(WITHOUT_A_BACHELORS) < len(PERSONAS)


def test_more_study_hours_make_a_shorter_plan_and_name_the_pace():
    persona = PERSONAS["billing specialist, high school, aiming at revenue cycle manager"][0]
    slow = build_plan(persona, ENTRIES)
    fast = build_plan(replace(persona, study_hours_per_week=20), ENTRIES)

    assert fast.horizon_months < slow.horizon_months * 0.6
    assert slow.horizon.endswith("9 hours a week while in a degree and 5 otherwise")
    assert fast.horizon.endswith("at 20 hours a week")
    assert "15 hours a week" in slow.faster and fast.faster == ""
    assert re.search(
        r"\*\*About [\d.]+ years, studying about 9 hours a week while in a degree and 5 otherwise\*\*",
        slow.to_markdown(ENTRIES),
    )
    assert "rough estimates" in slow.to_markdown(ENTRIES)


def test_phases_follow_when_steps_can_start():
    assert [phase_name(month) for month in (0, 0.5, 4, 12, 30)] == [
        "Now", "Now", "Starting later this year", "Starting in year 2", "Starting in year 3",
    ]  # fmt: skip
    plan = plan_for("registered nurse, 12 years, aiming at chief nursing officer")
    starts = [step.start_month for step in plan.steps]
    assert starts == sorted(starts)
    assert plan.steps[-1].key == "senior_posts:chief_nursing_officer"


def test_executives_are_pointed_at_fache_and_others_at_the_credential_of_their_target():
    cno = plan_for("registered nurse, 12 years, aiming at chief nursing officer")
    practice = plan_for("medical assistant, associate degree, aiming at practice manager")
    quality = plan_for("quality analyst with a bachelor's aiming at quality manager")

    assert any("FACHE" in step.text for step in cno.steps)
    assert not any("CMM" in step.text or "CPHM" in step.text for step in cno.steps)
    assert any("CMM" in step.text for step in practice.steps)
    assert any("CPHQ" in step.text for step in quality.steps)


@pytest.mark.parametrize(
    ("aim", "title_target"),
    [
        ("quality manager in the cancer centre", "quality manager in the cancer centre"),
        ("", "quality manager"),
    ],
)
def test_the_title_names_the_target_in_the_words_given_else_by_its_name(aim, title_target):
    plan = plan_for("quality analyst with a bachelor's aiming at quality manager")

    title = plan.to_markdown(ENTRIES, aim=aim).splitlines()[0]

    assert title == f"## Your plan: from quality analyst to {title_target}"


def test_the_markdown_numbers_steps_across_phases_without_blank_lines():
    plan = plan_for("IT analyst with an MPH aiming at the C-suite")

    markdown = plan.to_markdown(ENTRIES)

    assert f"\n{len(plan.steps)}. " in markdown and "\n### Now\n" in markdown and "\n\n" not in markdown
    assert all(f"_(see: {ENTRIES[step.entry_id].title})_" in markdown for step in plan.steps)


def test_a_plan_citing_an_entry_the_knowledge_base_lacks_is_refused():
    partial = {key: value for key, value in ENTRIES.items() if key != "hsm-fache"}

    with pytest.raises(KeyError, match="hsm-fache"):
        build_plan(PERSONAS["IT analyst with an MPH aiming at the C-suite"][0], partial)


def test_every_duration_states_its_basis():
    durations = load_durations()

    assert all(len(estimate.basis) > 20 for estimate in durations.study_hours.values())
    assert all(len(estimate.basis) > 20 for estimate in durations.months.values())


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("study_weeks_per_year: [", "not valid YAML"),
        ("study_weeks_per_year: 46\n", "invalid durations"),
        (DURATIONS_FILE.read_text().replace("hours: 5400", "hours: -1"), "invalid durations"),
        (DURATIONS_FILE.read_text().replace("  fellowship:", "  fellowship_renamed:"), "fellowship"),
    ],
)
def test_a_broken_durations_file_is_refused_with_its_name_and_problem(tmp_path, text, problem):
    path = tmp_path / "durations.yml"
    path.write_text(text)

    with pytest.raises(DurationsError, match=problem) as raised:
        load_durations(path)
    assert str(path) in str(raised.value)


def test_a_missing_durations_file_is_named(tmp_path):
    with pytest.raises(DurationsError, match="cannot read the plan durations"):
        load_durations(tmp_path / "absent.yml")


def test_what_people_typed_cannot_become_a_link_or_markup_in_the_plan():
    persona = replace(
        PERSONAS["IT analyst with an MPH aiming at the C-suite"][0],
        role="[Verify](https://evil.example) *IT*",
    )

    markdown = build_plan(persona, ENTRIES).to_markdown(ENTRIES, aim="<b>boss</b>", based_on="[x](http://y)")

    title, based_on = markdown.splitlines()[:2]
    assert title == "## Your plan: from Verify https://evil.example IT to b boss /b"
    assert based_on == "_Based on what you told me: x http://y._"
