"""Reading role, education, years, target and study hours from people's own words."""

from __future__ import annotations

import pytest

from planning.career_plan import Education, RoleFamily, Target
from planning.situation_parsing import (
    parse_education,
    parse_role_family,
    parse_situation,
    parse_study_hours,
    parse_target,
    parse_years,
)


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("I work in billing", RoleFamily.BACK_OFFICE),
        ("medical records clerk", RoleFamily.BACK_OFFICE),
        ("front desk in outpatients", RoleFamily.BACK_OFFICE),
        ("I'm an RN on a surgical ward", RoleFamily.CLINICAL),
        ("physio", RoleFamily.CLINICAL),
        ("lab tech", RoleFamily.CLINICAL),
        ("hospital IT support", RoleFamily.OTHER),
        ("facilities team", RoleFamily.OTHER),
        ("asdf", None),
        ("it depends", None),
    ],
)
def test_role_family(text, family):
    assert parse_role_family(text) is family


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("high school", (Education.HIGH_SCHOOL, None)),
        ("I don't have a degree", (Education.HIGH_SCHOOL, None)),
        ("an associate degree", (Education.ASSOCIATE, None)),
        ("BSN", (Education.BACHELOR, None)),
        ("bachelor's in business", (Education.BACHELOR, None)),
        ("I have an MBA", (Education.MASTER, "MBA")),
        ("master's in public health", (Education.MASTER, "MPH")),
        ("MSN", (Education.MASTER, "MSN")),
        ("a PhD", (Education.DOCTORATE, None)),
        ("not sure", None),
    ],
)
def test_education_with_the_kind_of_masters(text, expected):
    assert parse_education(text) == expected


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("unit coordinator", Target.UNIT_COORDINATOR),
        ("a supervisor", Target.UNIT_COORDINATOR),
        ("department manager", Target.DEPARTMENT_MANAGER),
        ("become a manager", Target.DEPARTMENT_MANAGER),
        ("practice manager", Target.PRACTICE_MANAGER),
        ("something in quality", Target.QUALITY_MANAGER),
        ("director of radiology", Target.DIRECTOR),
        ("hospital administrator", Target.HOSPITAL_ADMINISTRATOR),
        ("CEO one day", Target.C_SUITE),
        ("no idea", None),
    ],
)
def test_target_role(text, target):
    assert parse_target(text) is target


@pytest.mark.parametrize(
    ("text", "years"),
    [("3", 3.0), ("three years", 3.0), ("about 2.5 years", 2.5), ("six months", 0.5), ("none", 0.0),
     ("a year", 1.0), ("lots", None), ("200", None), ("-", None)],
)  # fmt: skip
def test_years_of_experience(text, years):
    assert parse_years(text) == years


@pytest.mark.parametrize(
    ("text", "hours"),
    [("5", 5.0), ("about ten hours", 10.0), ("1 hour a day", 7.0), ("no time right now", 0.0),
     ("whenever", None), ("100", None)],
)  # fmt: skip
def test_study_hours_a_week(text, hours):
    assert parse_study_hours(text) == hours


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I work in billing and want to become a manager, where do I start?",
         {"current_role": RoleFamily.BACK_OFFICE, "target_role": Target.DEPARTMENT_MANAGER}),
        ("I'm an RN with a BSN, 8 years in, and I want to be a director. I can do 5 hours a week",
         {"current_role": RoleFamily.CLINICAL, "education": (Education.BACHELOR, None),
          "target_role": Target.DIRECTOR, "years_experience": 8.0, "study_hours": 5.0}),
        ("make me a career plan", {}),
        ("I want a plan in 2 steps", {}),
        ("I have an MBA and 6 months of experience",
         {"education": (Education.MASTER, "MBA"), "years_experience": 0.5}),
    ],
)  # fmt: skip
def test_an_opening_message_fills_only_what_it_says(text, expected):
    assert parse_situation(text) == expected
