"""Answers to the plan form's questions, and what a free message already says."""

from __future__ import annotations

from datetime import date

import pytest

from planning.career_plan import Target
from understanding.form_answers import (
    SKIPPED,
    FormAnswerReader,
    describe_answers,
    persona_from_answers,
    read_education,
    read_target,
    title_words,
)

READER = FormAnswerReader(today=date(2026, 11, 29))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("high school", "high_school"), ("GED", "high_school"), ("some college", "high_school"),
     ("I don't have a degree", "high_school"), ("RN diploma", "high_school"),
     ("working on my bachelors", "high_school"), ("BSN, just got accepted to an MSN program", "bachelor"), ("associates, working on my BSN", "associate"),
     ("associate's in HIT", "associate"), ("an associate degree", "associate"), ("BSN", "bachelor"),
     ("bachelors in bio", "bachelor"), ("BS in biology", "bachelor"), ("I have an MBA", "master:MBA"),
     ("master's in public health", "master:MPH"), ("MSN", "master:MSN"), ("MHA", "master:MHA"),
     ("a master's", "master"), ("a PhD", "doctorate"), ("PharmD", "doctorate"), ("not sure", None)],
)  # fmt: skip
def test_education_the_ways_people_say_it(text, expected):
    assert read_education(text) == expected


@pytest.mark.parametrize(
    ("text", "target"),
    [("unit coordinator", "unit_coordinator"), ("something like a supervisor", "unit_coordinator"),
     ("department manager", "department_manager"), ("become a manager", "department_manager"),
     ("nurse manager", "nurse_manager"), ("director of nursing", "director_of_nursing"),
     ("CNO", "chief_nursing_officer"), ("director of HIM", "director"), ("HIM manager", "him_manager"),
     ("billing manager", "revenue_cycle_manager"), ("patient access manager", "patient_access_manager"),
     ("run the front office", "practice_manager"), ("practice manager", "practice_manager"),
     ("something in quality", "quality_manager"), ("director of radiology", "director"),
     ("hospital administrator", "hospital_administrator"), ("CEO one day", "c_suite"),
     ("the c suite eventually", "c_suite"), ("no idea", None)],
)  # fmt: skip
def test_targets_the_ways_people_say_them(text, target):
    found = read_target(text)
    assert (found.value if found else None) == target


def test_a_target_keeps_the_persons_words_and_undecided_is_a_skip():
    answer = READER.read_answer("target_role", "nurse manager in the ICU someday")
    assert answer.value == "nurse_manager" and answer.extra["target_words"] == "nurse manager in the ICU"
    assert READER.read_answer("target_role", "not sure yet").value == SKIPPED


def test_an_impossible_amount_is_an_answer_with_a_problem():
    answer = READER.read_answer("years_experience", "-3")
    assert answer.value is None and "negative" in answer.problem and answer.readable


def test_an_answer_may_add_other_facts_but_never_a_role_named_in_passing():
    answer = READER.read_answer("current_role", "I've been a unit secretary on 4 west for about three years")
    assert answer.value == "back_office" and answer.extra["years_experience"] == 3.0
    assert answer.extra["role_words"] == "unit secretary"
    # "nurse manager" names a nurse, but as a target it says nothing of the current role.
    assert "current_role" not in READER.read_answer("target_role", "nurse manager").extra


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I work in billing and want to become a manager, where do I start?",
         {"current_role": "back_office", "target_role": "department_manager"}),
        ("I'm an RN with a BSN, 8 years in, and I want to be a director. I can do 5 hours a week",
         {"current_role": "clinical", "education": "bachelor", "target_role": "director",
          "years_experience": 8.0, "study_hours": 5.0}),
        ("I'd like a plan to reach the executive level", {"target_role": "c_suite"}),
        ("make me a career plan", {}),
        ("I want a plan in 2 steps", {}),
        ("I have an MBA and 6 months of experience", {"education": "master:MBA", "years_experience": 0.5}),
    ],
)  # fmt: skip
def test_a_free_message_fills_only_what_it_says(text, expected):
    facts = READER.stated_facts(text)
    assert {slot: facts[slot] for slot in facts if slot in expected or slot in _SLOTS} == expected


_SLOTS = {"current_role", "education", "years_experience", "target_role", "study_hours"}


def test_kept_answers_are_described_in_a_few_words():
    text = describe_answers({"current_role": "back_office", "role_words": "billing", "education": "master:MBA",
                             "years_experience": 3.0, "target_words": "billing manager"})  # fmt: skip
    assert text == "billing; MBA; 3 years in healthcare; aiming for billing manager"


def test_the_persona_carries_the_department_and_the_assumptions_for_skipped_answers():
    answers = {"current_role": "back_office", "education": SKIPPED, "target_role": SKIPPED,
               "years_experience": 3.0, "study_hours": SKIPPED}  # fmt: skip

    persona, assumptions = persona_from_answers(answers, "billing", "revenue_cycle")
    unknown, _ = persona_from_answers(answers, "porter", "other")

    assert (persona.department, persona.role, persona.target.value) == (
        "revenue_cycle",
        "billing",
        "department_manager",
    )
    assert len(assumptions) == 3 and unknown.department == ""


@pytest.mark.parametrize(
    ("message", "words"),
    [
        (
            "I'm a nurse with a BSN and I want to be a director of nursing. Make me a plan",
            "director of nursing",
        ),
        ("i hope to become the CNO someday", "CNO"),
        ("eventually I would like to move into revenue cycle management", "revenue cycle management"),
    ],
)
def test_the_target_is_kept_in_the_persons_words_without_the_words_of_aim(message, words):
    assert READER.stated_facts(message)["target_words"] == words


@pytest.mark.parametrize(
    ("words", "target", "title"),
    [
        ("patient access supervisor", "unit_coordinator", "patient access supervisor"),
        ("nurse manager in the ICU", "nurse_manager", "nurse manager in the ICU"),
        ("health info manager", "him_manager", "health info manager"),
        ("CNO", "chief_nursing_officer", ""),
        ("director", "director", ""),
        ("supervisor", "unit_coordinator", ""),
        ("a better job", "department_manager", ""),
        ("", "quality_manager", ""),
    ],
)
def test_the_plan_title_keeps_the_persons_words_when_they_name_the_target_read(words, target, title):
    assert read_target(words) is None or words == "" or read_target(words).value == target or title == ""
    assert title_words(words, Target(target)) == title


def test_what_staff_actually_type_for_targets_and_schooling():
    assert read_target("unit manager or supervisor") is Target.DEPARTMENT_MANAGER  # not a nurse manager
    assert (
        read_target("coding supervisor then HIM director") is Target.UNIT_COORDINATOR
    )  # the first rung named
    assert READER.read_answer("target_role", "coding supervisor then HIM director").extra["target_words"] == (
        "coding supervisor"
    )
    assert read_education("just hs") == "high_school"
