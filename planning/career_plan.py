"""A step-by-step career plan fitted to one person, every step grounded in a knowledge entry.

The rules follow the guides: a missing bachelor's comes first; clinicians add business
and management study; back-office staff build leadership through small projects,
cross-department work and a mentor; executive targets need a master's (MHA or MBA) and
the FACHE route; the certification fits the target (CPHQ for quality, CMM or CPHM for
running a practice or service). The hours a person can study set the pace.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from retrieval.knowledge_entries import KnowledgeEntry


class RoleFamily(str, Enum):
    BACK_OFFICE = "back_office"
    CLINICAL = "clinical"
    OTHER = "other"


class Education(str, Enum):
    HIGH_SCHOOL = "high_school"
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"


class Target(str, Enum):
    UNIT_COORDINATOR = "unit_coordinator"
    DEPARTMENT_MANAGER = "department_manager"
    NURSE_MANAGER = "nurse_manager"
    HIM_MANAGER = "him_manager"
    REVENUE_CYCLE_MANAGER = "revenue_cycle_manager"
    PATIENT_ACCESS_MANAGER = "patient_access_manager"
    PRACTICE_MANAGER = "practice_manager"
    QUALITY_MANAGER = "quality_manager"
    DIRECTOR = "director"
    DIRECTOR_OF_NURSING = "director_of_nursing"
    HOSPITAL_ADMINISTRATOR = "hospital_administrator"
    CHIEF_NURSING_OFFICER = "chief_nursing_officer"
    C_SUITE = "c_suite"


EXECUTIVE_TARGETS = {
    Target.DIRECTOR,
    Target.DIRECTOR_OF_NURSING,
    Target.HOSPITAL_ADMINISTRATOR,
    Target.CHIEF_NURSING_OFFICER,
    Target.C_SUITE,
}
ENTRY_LEVEL_TARGETS = {Target.UNIT_COORDINATOR}
BUSINESS_MASTERS = {"MHA", "MBA"}


@dataclass(frozen=True)
class Persona:
    role_family: RoleFamily
    education: Education
    target: Target
    years_experience: float | None = None
    study_hours_per_week: float | None = None
    masters_kind: str | None = None  # MHA, MBA, MPH, MSN... when education is MASTER or above
    role: str = ""  # their own words, for the plan's opening line


@dataclass(frozen=True)
class Step:
    text: str
    entry_id: str


@dataclass(frozen=True)
class Phase:
    name: str
    steps: list[Step] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    persona: Persona
    phases: list[Phase]

    @property
    def steps(self) -> list[Step]:
        return [step for phase in self.phases for step in phase.steps]

    def entry_ids(self) -> list[str]:
        return [step.entry_id for step in self.steps]

    def to_markdown(self, entries: Mapping[str, KnowledgeEntry], aim: str = "", based_on: str = "") -> str:
        """The plan as Markdown, steps numbered across phases, each citing its entry; `aim` is
        the target in the person's words, `based_on` what they said, in a line under the title.

        The title names the target in the person's words only when they say more than its
        name ("nurse manager in the ICU"); "CNO", "director" or "become a manager" give the name.
        """
        start = self.persona.role or "where you are"
        lines = [f"## Your plan: from {start} to {_title_target(self.persona.target, aim)}"]
        if based_on:
            lines.append(f"_Based on what you told me: {based_on}._")
        number = 0
        # No blank lines: chat channels split a message at each one.
        for phase in self.phases:
            lines.append(f"### {phase.name}")
            for step in phase.steps:
                number += 1
                lines.append(f"{number}. {step.text} _(see: {entries[step.entry_id].title})_")
        return "\n".join(lines)


def _title_target(target: Target, aim: str) -> str:
    name = _target_name(target)
    said = re.sub(r"\s+", " ", aim.strip().lower())
    if said != name and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", said):
        return aim.strip()
    return name


def _target_name(target: Target) -> str:
    return {
        Target.UNIT_COORDINATOR: "unit coordinator",
        Target.DEPARTMENT_MANAGER: "department manager",
        Target.NURSE_MANAGER: "nurse manager",
        Target.HIM_MANAGER: "health information manager",
        Target.REVENUE_CYCLE_MANAGER: "revenue cycle manager",
        Target.PATIENT_ACCESS_MANAGER: "patient access manager",
        Target.PRACTICE_MANAGER: "practice manager",
        Target.QUALITY_MANAGER: "quality manager",
        Target.DIRECTOR: "department director",
        Target.DIRECTOR_OF_NURSING: "director of nursing",
        Target.HOSPITAL_ADMINISTRATOR: "hospital administrator",
        Target.CHIEF_NURSING_OFFICER: "chief nursing officer",
        Target.C_SUITE: "a C-suite role (COO or CEO)",
    }[target]


def phase_names(study_hours_per_week: float | None) -> list[str]:
    """Four phases whose length follows the hours a week someone can study."""
    hours = 6 if study_hours_per_week is None else study_hours_per_week
    if hours >= 10:
        return ["Now", "Next 3-6 months", "6-18 months", "2 years and beyond"]
    if hours >= 4:
        return ["Now", "Next 6-12 months", "1-2 years", "3 years and beyond"]
    return ["Now", "Next 12 months", "2-3 years", "4 years and beyond"]


def _has_business_masters(persona: Persona) -> bool:
    if persona.education is Education.DOCTORATE:
        return True
    return persona.education is Education.MASTER and (persona.masters_kind or "").upper() in BUSINESS_MASTERS


def build_plan(persona: Persona, entries: Mapping[str, KnowledgeEntry]) -> Plan:
    """The plan for one person; raises KeyError when a step's entry is missing from `entries`."""
    now, soon, later, long_term = ([] for _ in range(4))
    executive = persona.target in EXECUTIVE_TARGETS
    years = persona.years_experience or 0
    no_bachelor = persona.education in {Education.HIGH_SCHOOL, Education.ASSOCIATE}

    # Now: the base everyone needs, then what this person lacks most.
    if no_bachelor:
        now.append(
            Step(
                "Enrol in a bachelor's degree in healthcare administration, business or public health; "
                "most management posts ask for one.",
                "hsm-bachelors-degree",
            )
        )
    now.append(
        Step(
            "Learn how the whole hospital runs: shadow other departments and read the key policies.",
            "bo-step-01-hospital-operations",
        )
    )
    if persona.role_family is RoleFamily.CLINICAL:
        now.append(
            Step(
                "Add management and business coursework (finance, HR, operations) to your clinical "
                "background.",
                "hm-from-clinical-roles",
            )
        )
    elif persona.role_family is RoleFamily.BACK_OFFICE:
        now.append(
            Step(
                "Build leadership experience where you are: lead a small project, train new "
                "colleagues, represent your team in meetings.",
                "bo-faq-leadership-experience",
            )
        )
    if years < 2:
        now.append(
            Step(
                "Gain more hands-on healthcare experience; employers nearly always expect it before "
                "a management post.",
                "hsm-gaining-experience",
            )
        )

    # Soon: skills, people, visibility.
    soon.append(
        Step(
            "Practise the core management skills: communication, prioritising, leading a small team, "
            "deciding.",
            "bo-step-04-core-management-skills",
        )
    )
    if persona.role_family is not RoleFamily.CLINICAL:
        soon.append(
            Step(
                "Volunteer for a project outside your department: an audit, the budget, or a "
                "software rollout.",
                "bo-step-03-cross-department-projects",
            )
        )
    soon.append(
        Step(
            "Find a mentor among the senior managers you respect and meet regularly.", "bo-step-06-mentorship"
        )
    )
    soon.append(
        Step(
            "Join a professional association such as ACHE (or HFMA for finance) and go to its events.",
            "bo-step-05-professional-network",
        )
    )

    # Later: the credential and the first or next role.
    if persona.target is Target.QUALITY_MANAGER:
        later.append(
            Step("Prepare for the CPHQ credential in healthcare quality.", "bo-cphq-quality-certification")
        )
    elif not executive:
        later.append(
            Step(
                "Consider a management certification that fits your goal, such as CMM or CPHM.",
                "hsm-certifications",
            )
        )
    if persona.target in ENTRY_LEVEL_TARGETS or years < 5:
        later.append(
            Step(
                "Apply for an entry-level management role such as unit coordinator or assistant "
                "department manager.",
                "bo-faq-first-roles",
            )
        )
    else:
        later.append(
            Step(
                "Take on hands-on management: run part of an operation, a budget, staff training.",
                "bo-step-09-management-experience",
            )
        )

    # Long term: the senior route.
    if executive:
        if not _has_business_masters(persona):
            long_term.append(
                Step(
                    "Earn a master's for senior roles: an MHA for healthcare depth or an MBA for "
                    "broader management; part-time formats exist.",
                    "hsm-masters-degree",
                )
            )
        long_term.append(
            Step(
                "Work toward FACHE, the fellowship of the American College of Healthcare Executives.",
                "hsm-certifications",
            )
        )
        long_term.append(
            Step(
                "Aim for senior and executive posts: show strategic vision and results, and seek "
                "advice from top executives.",
                "bo-step-12-advanced-leadership",
            )
        )
    else:
        if persona.target not in ENTRY_LEVEL_TARGETS and "bo-step-09-management-experience" not in [
            step.entry_id for step in later
        ]:
            long_term.append(
                Step(
                    "Grow into running a unit: schedules, a budget, staff training and supervision.",
                    "bo-step-09-management-experience",
                )
            )
        long_term.append(
            Step(
                "Show results: set goals, improve processes, and measure your impact.",
                "bo-step-10-leadership-results",
            )
        )

    phases = [
        Phase(name, steps)
        for name, steps in zip(
            phase_names(persona.study_hours_per_week), [now, soon, later, long_term], strict=True
        )
        if steps
    ]
    plan = Plan(persona, phases)
    missing = [entry_id for entry_id in plan.entry_ids() if entry_id not in entries]
    if missing:
        raise KeyError(f"the plan cites entries that are not in the knowledge base: {missing}")
    return plan
