"""A step-by-step career plan fitted to one person, every step grounded in a knowledge entry.

Steps are chosen from the whole situation: role family and department, the education a
target needs, years in healthcare, and the target itself. The rules follow the guides: a
missing bachelor's comes first; clinicians add business and management study; back-office
staff build leadership where they are, through projects and a mentor; each department has
its own ground to learn (the revenue cycle and HFMA for billing, health information work
for records, the patient's path for registration); quality aims at CPHQ; executive targets
need a master's (MHA, MPH or MBA) and the FACHE route. Every step says why it is there.

Timing is ours, not the guides' (they give no durations): `planning/durations.yml` holds
rough estimates with their basis. Study steps run one after another at the hours a week a
person can give; other steps take calendar time; no step starts before the steps it needs.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from retrieval.knowledge_entries import KnowledgeEntry

DURATIONS_FILE = Path(__file__).with_name("durations.yml")


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
NURSING_TARGETS = {Target.NURSE_MANAGER, Target.DIRECTOR_OF_NURSING, Target.CHIEF_NURSING_OFFICER}
BUSINESS_MASTERS = {"MHA", "MBA", "MPH"}

# The area a department-level target belongs to; a person's own department otherwise.
_TARGET_AREAS = {
    Target.REVENUE_CYCLE_MANAGER: "revenue_cycle",
    Target.HIM_MANAGER: "health_information",
    Target.PATIENT_ACCESS_MANAGER: "patient_access",
    Target.QUALITY_MANAGER: "quality",
    Target.PRACTICE_MANAGER: "physician_services",
    Target.NURSE_MANAGER: "nursing",
}
_AREA_NAMES = {
    "revenue_cycle": "billing and the revenue cycle",
    "finance": "finance",
    "health_information": "medical records and health information",
    "patient_access": "registration and patient access",
    "quality": "quality",
    "physician_services": "a physician practice",
    "nursing": "nursing",
}


# What a first leadership post and the management experience after it look like, by area.
_FIRST_POSTS = {
    "revenue_cycle": "billing team lead or billing supervisor",
    "finance": "finance team lead or supervisor",
    "health_information": "health information supervisor, or lead of a coding or release-of-information team",
    "patient_access": "registration supervisor or patient access team lead",
    "quality": "quality improvement specialist or project lead",
    "physician_services": "office supervisor or front-office lead",
    "nursing": "charge nurse or assistant nurse manager",
    "": "team lead, supervisor or unit coordinator",
}
_RUN_THE_OPERATION = {
    "revenue_cycle": "Run part of the revenue cycle: a team's work queues, targets, schedules and training",
    "finance": "Run part of the finance office: a team's work, a budget line, schedules and training",
    "health_information": "Run part of health information services: a team's workload, quality checks and "
    "training",
    "patient_access": "Run a registration or scheduling team: staffing, schedules, targets and training",
    "quality": "Lead quality projects across units: set the measures, run the audits, report the results",
    "physician_services": "Run a practice's front and back office: schedules, billing, staff and budget",
    "nursing": "Run the unit as charge nurse or assistant manager: schedules, staffing, budget, staff "
    "development",
    "": "Run part of the operation: schedules, a budget, staff training and supervision",
}


_AREA_PROJECTS = {
    "health_information": "Lead a small records project (a documentation-quality check or an EHR clean-up) "
    "and measure the result.",
    "patient_access": "Lead a fix for one front-end problem (registration errors, wait times or insurance "
    "denials) and measure it before and after.",
    "quality": "Run one improvement project end to end: measure a problem, change the process, measure "
    "again.",
    "physician_services": "Take over one office process (scheduling, billing follow-up or patient flow) "
    "and improve it with figures to show.",
}


@dataclass(frozen=True)
class Persona:
    role_family: RoleFamily
    education: Education
    target: Target
    years_experience: float | None = None
    study_hours_per_week: float | None = None
    masters_kind: str | None = None  # MHA, MBA, MPH, MSN... when education is MASTER or above
    role: str = ""  # their own words, for the plan's opening line
    department: str = ""  # a job_titles.Department value ("revenue_cycle"), "" when unknown


# --- durations --------------------------------------------------------------------------


class DurationsError(Exception):
    """The durations file is missing, is not YAML, or holds invalid values."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StudyEstimate(_Strict):
    hours: float = Field(gt=0)
    basis: str = Field(min_length=1)


class CalendarEstimate(_Strict):
    months: float = Field(gt=0)
    basis: str = Field(min_length=1)


STUDY_KEYS = (
    "bachelors_degree",
    "bachelors_after_associate",
    "rn_to_bsn",
    "masters_degree",
    "business_coursework",
    "certification_exam",
)
DEGREE_KEYS = {"bachelors_degree", "bachelors_after_associate", "rn_to_bsn", "masters_degree"}
CALENDAR_KEYS = (
    "healthcare_experience",
    "area_knowledge",
    "leadership_where_you_are",
    "project",
    "core_skills",
    "job_search",
    "management_experience",
    "fellowship",
)


class Durations(_Strict):
    """Rough step durations (hours of study, or months), each with its basis."""

    study_weeks_per_year: float = Field(gt=0, le=52)
    default_study_hours_per_week: float = Field(gt=0, le=80)
    minimum_degree_hours_per_week: float = Field(gt=0, le=80)
    study_hours: dict[str, StudyEstimate]
    months: dict[str, CalendarEstimate]

    def model_post_init(self, _context: object) -> None:
        missing = [key for key in STUDY_KEYS if key not in self.study_hours]
        missing += [key for key in CALENDAR_KEYS if key not in self.months]
        if missing:
            raise ValueError(f"no estimate for {', '.join(missing)}")

    def study_months(self, key: str, hours_per_week: float) -> float:
        weeks = self.study_hours[key].hours / hours_per_week
        return weeks / self.study_weeks_per_year * 12


def load_durations(path: Path | str | None = None) -> Durations:
    """Reads the durations file (default: ADVISOR_PLAN_DURATIONS, else planning/durations.yml);
    raises DurationsError naming the file and the problem."""
    path = Path(path or os.environ.get("ADVISOR_PLAN_DURATIONS") or DURATIONS_FILE)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Durations.model_validate(raw)
    except OSError as error:
        raise DurationsError(f"cannot read the plan durations {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise DurationsError(f"{path} is not valid YAML: {error}") from error
    except (ValidationError, ValueError) as error:
        raise DurationsError(f"{path} has invalid durations: {error}") from error


@cache
def default_durations() -> Durations:
    return load_durations()


# --- the plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    text: str
    entry_id: str
    why: str = ""  # one line: why this step is in this person's plan
    key: str = ""  # what the step is ("bachelors_degree"); plans are compared by it
    start_month: float = 0.0
    months: float = 0.0  # how long it takes; 0 for a habit with no end
    takes: str = ""  # "about 4 years at 10 hours a week", "" for a habit with no end

    @property
    def end_month(self) -> float:
        return self.start_month + self.months


@dataclass(frozen=True)
class Phase:
    name: str
    steps: list[Step] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    persona: Persona
    phases: list[Phase]
    horizon_months: float = 0.0
    hours_per_week: float = 0.0
    degree_hours_per_week: float = 0.0  # when a degree is planned at more hours than the person's
    faster: str = ""  # "about 7 years at 15 hours a week" when the plan is long at their pace

    @property
    def steps(self) -> list[Step]:
        return [step for phase in self.phases for step in phase.steps]

    def entry_ids(self) -> list[str]:
        return [step.entry_id for step in self.steps]

    @property
    def longest_step(self) -> Step:
        return max(self.steps, key=lambda step: step.months)

    @property
    def horizon(self) -> str:
        """ "about 6 years at 10 hours a week" """
        if self.degree_hours_per_week:
            return (
                f"{_span(self.horizon_months)}, studying about {self.degree_hours_per_week:g} hours a week "
                f"while in a degree and {self.hours_per_week:g} otherwise"
            )
        return f"{_span(self.horizon_months)} at {self.hours_per_week:g} hours a week"

    def to_markdown(
        self, entries: Mapping[str, KnowledgeEntry], aim: str = "", based_on: str = "", assumed: str = ""
    ) -> str:
        """The plan as Markdown, steps numbered across phases, each with why it is there and
        the entry it cites; `aim` is the target in the person's words, `based_on` what they
        said, in a line under the title.

        The title names the target in `aim` when given, else by its name ("chief nursing officer").
        """
        start = _plain(self.persona.role) or "where you are"
        lines = [f"## Your plan: from {start} to {_plain(aim) or target_name(self.persona.target)}"]
        if based_on:
            lines.append(f"_Based on what you told me: {_plain(based_on)}._")
        if assumed:
            lines.append(f"_Where you skipped a question I assumed {_plain(assumed)}._")
        horizon = f"**About {self.horizon}**"
        if self.faster:
            horizon += f" ({self.faster})"
        lines.append(f"{horizon}. Times are my rough estimates; the career guides I draw on give none.")
        number = 0
        # No blank lines: chat channels split a message at each one.
        for phase in self.phases:
            lines.append(f"### {phase.name}")
            for step in phase.steps:
                number += 1
                lines.append(f"{number}. {step.text} _(see: {entries[step.entry_id].title})_")
                why = step.why + (f" Takes {step.takes}." if step.takes else "")
                lines.append(f"   _Why: {why.strip()}_")
        return "\n".join(lines)


def _plain(words: str) -> str:
    """What a person typed, without Markdown's marks: their words can't become a link,
    emphasis or a heading on a page the hospital shows as its own."""
    return " ".join(re.sub(r"[\[\]()<>*_`#|\\!]", " ", words).split())


def _span(months: float) -> str:
    if months < 12:
        count = max(1, math.ceil(months))
        return f"{count} month" + ("" if count == 1 else "s")
    years = math.ceil(months / 6) / 2
    return f"{years:g} year" + ("" if years == 1 else "s")


def target_name(target: Target) -> str:
    return {
        Target.UNIT_COORDINATOR: "supervisor or unit coordinator",
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
        Target.C_SUITE: "C-suite (COO or CEO)",
    }[target]


def phase_name(start_month: float) -> str:
    """The phase a step falls in, by when it can start: "Now", "Later this year", "Year 3"."""
    if start_month < 1:
        return "Now"
    if start_month < 12:
        return "Starting later this year"
    return f"Starting in year {int(start_month // 12) + 1}"


# --- choosing the steps -----------------------------------------------------------------


@dataclass(frozen=True)
class _Draft:
    key: str
    text: str
    entry_id: str
    why: str
    study: str = ""  # a durations.study_hours key
    calendar: str = ""  # a durations.months key
    months: float | None = None  # overrides the calendar estimate ("1 more year of experience")
    after: tuple[str, ...] = ()


_EDUCATION_SAID = {
    Education.HIGH_SCHOOL: "a high-school diploma",
    Education.ASSOCIATE: "an associate degree",
}


def _has_masters_for_senior_posts(persona: Persona) -> bool:
    if persona.education is Education.DOCTORATE:
        return True
    if persona.education is not Education.MASTER:
        return False
    # An MSN (or any master's) is the usual route for nurse executives.
    return persona.target in NURSING_TARGETS or (persona.masters_kind or "").upper() in BUSINESS_MASTERS


def _area(persona: Persona) -> str:
    return _TARGET_AREAS.get(persona.target) or persona.department


def _choose(persona: Persona) -> list[_Draft]:
    target, family, area = persona.target, persona.role_family, _area(persona)
    aim = target_name(target)
    executive = target in EXECUTIVE_TARGETS
    entry_level = target in ENTRY_LEVEL_TARGETS
    # Unknown years are taken as enough for the first rungs (the plan says it assumed so).
    years = 2.0 if persona.years_experience is None else persona.years_experience
    drafts: list[_Draft] = []
    add = drafts.append

    def chosen(*keys: str) -> tuple[str, ...]:
        return tuple(key for key in keys if key in {draft.key for draft in drafts})

    if persona.education in _EDUCATION_SAID:
        nursing = target in NURSING_TARGETS
        add(
            _Draft(
                "bachelors_degree",
                "Complete a bachelor's degree ("
                + ("a BSN, or " if nursing else "")
                + "healthcare administration, business or public health); part-time and online "
                "programmes exist.",
                "hsm-bachelors-degree",
                f"You have {_EDUCATION_SAID[persona.education]}, and most management posts ask for a "
                "bachelor's.",
                study=(
                    "bachelors_degree"
                    if persona.education is Education.HIGH_SCHOOL
                    else "rn_to_bsn"
                    if nursing and family is RoleFamily.CLINICAL
                    else "bachelors_after_associate"
                ),
            )
        )
    if years < 2:
        add(
            _Draft(
                "healthcare_experience",
                "Keep building hands-on healthcare experience in your current job.",
                "hsm-gaining-experience",
                f"You have {years:g} years in healthcare; employers nearly always expect experience "
                "before a management post.",
                calendar="healthcare_experience",
                months=max(3.0, (2 - years) * 12),
            )
        )

    if target in NURSING_TARGETS and family is not RoleFamily.CLINICAL:
        add(
            _Draft(
                "nursing_route",
                "Nursing management posts go to registered nurses: ask HR or a nursing school about the "
                "route to an RN licence first.",
                "hm-from-clinical-roles",
                "The guides describe nurses moving into management, not others moving into nursing "
                "management; the licence is the nursing board's, not something these guides cover.",
            )
        )

    # The ground this person's area stands on.
    if family is RoleFamily.CLINICAL:
        add(
            _Draft(
                "business_coursework",
                "Take management and business coursework (finance, people management, operations) "
                "alongside your clinical work.",
                "hm-from-clinical-roles",
                "The guides say clinicians may move into management after more education in business "
                "management; this is that bridge.",
                study="business_coursework",
            )
        )
    area_steps: dict[str, _Draft] = {
        "revenue_cycle": _Draft(
            "learn_revenue_cycle",
            "Learn the revenue cycle end to end: how a visit becomes a claim, a denial or a payment, and "
            "what drives each.",
            "hm-business-analytical-skills",
            "The guides list financial literacy, the revenue cycle included, among a manager's business "
            "skills; it is the whole job of a revenue cycle manager.",
            calendar="area_knowledge",
        ),
        "health_information": _Draft(
            "learn_health_information",
            "Learn how records are kept, coded and released across the hospital, and how the electronic "
            "health record supports it.",
            "hm-seven-responsibilities",
            "The guides name running records and information systems, with a health information manager, "
            "as one of a manager's jobs.",
            calendar="area_knowledge",
        ),
        "patient_access": _Draft(
            "learn_patient_access",
            "Follow patients from scheduling and registration through insurance checks to discharge, "
            "and note where the process breaks.",
            "bo-step-01-hospital-operations",
            "Watching these daily processes is the back-office guide's first step, and they are what "
            "a patient access manager runs.",
            calendar="area_knowledge",
        ),
        "quality": _Draft(
            "learn_quality_data",
            "Work with quality data: read your unit's metrics and trends and help with an audit.",
            "hm-business-analytical-skills",
            "The guides list data analysis, reading quality metrics and trends, among a manager's skills; "
            "it is the core of quality work.",
            calendar="area_knowledge",
        ),
    }
    if area in area_steps:
        add(area_steps[area])
    elif family is not RoleFamily.CLINICAL:
        add(
            _Draft(
                "learn_hospital_operations",
                "Learn how the whole hospital runs: shadow other departments and read the key policies.",
                "bo-step-01-hospital-operations",
                "The back-office guide starts here: a manager needs to see beyond one desk.",
                calendar="area_knowledge",
            )
        )

    # Leading before holding a title.
    if not (executive and years >= 10):
        clinical = family is RoleFamily.CLINICAL
        add(
            _Draft(
                "lead_on_your_unit" if clinical else "leadership_where_you_are",
                (
                    "Lead on your unit: precept new staff, lead a unit project, sit on a practice or "
                    "quality committee."
                    if clinical
                    else "Lead where you are: a small project, training new colleagues, speaking for your "
                    "team in meetings."
                ),
                "bo-faq-leadership-experience",
                "Showing you can lead before you hold a title is how the guides say people get their "
                "first post.",
                calendar="leadership_where_you_are",
            )
        )
    if area in {"revenue_cycle", "finance"}:
        add(
            _Draft(
                "revenue_cycle_project",
                "Lead a small revenue-cycle improvement (denials, claim turnaround or a billing backlog) "
                "and measure it before and after.",
                "bo-step-07-initiative-accountability",
                "Owning a piece of work beyond your role and answering for the result is how the "
                "back-office guide says readiness shows.",
                calendar="project",
                after=("learn_revenue_cycle",),
            )
        )
        add(
            _Draft(
                "join_hfma",
                "Join HFMA, the healthcare finance association the back-office guide names, and go to "
                "its local events.",
                "bo-step-05-professional-network",
                "Revenue cycle managers come from finance; the back-office guide names HFMA for that "
                "network.",
            )
        )
    elif area in _AREA_PROJECTS and not executive:
        add(
            _Draft(
                f"project:{area}",
                _AREA_PROJECTS[area],
                "bo-step-10-leadership-results",
                "Improving a process and measuring the effect is the kind of result the back-office guide "
                "says makes a candidate.",
                calendar="project",
                after=chosen(f"learn_{area}"),
            )
        )
    elif family is not RoleFamily.CLINICAL and not executive:
        add(
            _Draft(
                "cross_department_project",
                "Volunteer for a project outside your department: an audit, the budget, or a software "
                "rollout.",
                "bo-step-03-cross-department-projects",
                "Work outside your own unit widens your view of the hospital and shows initiative "
                "(back-office guide, step 3).",
                calendar="project",
            )
        )
    if not executive and (years < 5 or entry_level):
        add(
            _Draft(
                "core_management_skills",
                "Practise the core management skills on the job: communication, prioritising, leading "
                "a small team, deciding.",
                "bo-step-04-core-management-skills",
                f"A first {aim} post tests these from day one (back-office guide, step 4).",
                calendar="core_skills",
            )
        )
    if not executive:
        add(
            _Draft(
                f"mentor:{target.value}",
                f"Ask a {aim} you respect to mentor you, and meet regularly.",
                "bo-step-06-mentorship",
                "Someone who already does the job can tell you what your hospital looks for in it.",
            )
        )
    if executive:
        add(
            _Draft(
                "join_ache",
                "Join ACHE, the American College of Healthcare Executives, and its local chapter.",
                "hsm-networking-ache",
                f"The guides point future executives to ACHE for events, education and contacts; a "
                f"{aim} post is filled through such networks.",
            )
        )

    # The credential that fits the target.
    needs = chosen("bachelors_degree", "healthcare_experience")
    if target is Target.QUALITY_MANAGER or (area == "quality" and not executive and not entry_level):
        add(
            _Draft(
                "cphq",
                "Prepare for CPHQ, the Certified Professional in Healthcare Quality.",
                "bo-cphq-quality-certification",
                "The back-office guide names CPHQ for healthcare quality.",
                study="certification_exam",
                after=needs,
            )
        )
    elif target is Target.PRACTICE_MANAGER:
        add(
            _Draft(
                "cmm",
                "Prepare for the CMM, the Certified Medical Manager credential.",
                "hsm-certifications",
                "CMM is the credential the guides name for managing a medical practice.",
                study="certification_exam",
                after=needs,
            )
        )
    elif not executive and not entry_level:
        add(
            _Draft(
                "cphm",
                "Consider CPHM, the Certified Professional in Healthcare Management; it is voluntary but "
                "shows employers what you know.",
                "hsm-certifications",
                "The guides name CPHM among the certifications for managers; it helps, though no post "
                "requires it.",
                study="certification_exam",
                after=needs,
            )
        )

    # The rungs to the target.
    before_applying = needs + chosen(
        "leadership_where_you_are", "lead_on_your_unit", "cphq", "cmm", "cphm", "business_coursework"
    )
    if entry_level:
        add(
            _Draft(
                "apply_unit_coordinator",
                "Apply for unit coordinator posts, with a CV that shows the leadership you have taken on.",
                "bo-step-08-entry-level-management",
                "Unit coordinator is the first leadership post the back-office guide names.",
                calendar="job_search",
                after=tuple(key for key in before_applying if key != "bachelors_degree"),
            )
        )
        return drafts
    first_post_text = (
        "Apply for nurse manager posts (assistant nurse manager first if you have not led a unit yet)."
        if target in {Target.DIRECTOR_OF_NURSING, Target.CHIEF_NURSING_OFFICER}
        else f"Apply for a first leadership post ({_FIRST_POSTS.get(area, _FIRST_POSTS[''])}), "
        "then a manager post in your area."
        if executive
        else f"Apply for a first leadership post: {_FIRST_POSTS.get(area, _FIRST_POSTS[''])}."
    )
    # A lead or supervisor post can come while a degree is under way; the management post
    # the person aims at waits for the degree.
    while_studying = chosen("healthcare_experience", "leadership_where_you_are", "lead_on_your_unit")
    add(
        _Draft(
            f"first_leadership_post:{area or 'any'}",
            first_post_text,
            "bo-faq-first-roles",
            "The guides climb one rung at a time; "
            + (
                "a lead or supervisor post can come while you study."
                if "bachelors_degree" in before_applying and not executive
                else "each post gives the experience the next one needs."
            ),
            calendar="job_search",
            after=while_studying if not executive else (*while_studying, *chosen("business_coursework")),
        )
    )
    nurse_executive = target in {Target.DIRECTOR_OF_NURSING, Target.CHIEF_NURSING_OFFICER}
    add(
        _Draft(
            f"management_experience:{area or 'any'}",
            "Lead a unit or service as nurse manager: staffing, budget, quality results, staff development."
            if nurse_executive
            else f"{_RUN_THE_OPERATION.get(area, _RUN_THE_OPERATION[''])}.",
            "bo-step-09-management-experience",
            f"Practice in managing is what the back-office guide says makes the {aim} step possible.",
            calendar="management_experience",
            after=(f"first_leadership_post:{area or 'any'}",),
        )
    )
    if not executive:
        add(
            _Draft(
                f"apply_for:{target.value}",
                f"Apply for {aim} posts, with the results you can show: goals met, processes improved, "
                "figures.",
                "hm-titles-by-department" if target in _TARGET_AREAS else "bo-step-10-leadership-results",
                (
                    f"{aim[0].upper() + aim[1:]} is the title that fits {_AREA_NAMES[_TARGET_AREAS[target]]}."
                    if target in _TARGET_AREAS
                    else "Visible, measured results are what make you a candidate (back-office guide, "
                    "step 10)."
                ),
                calendar="job_search",
                after=(f"management_experience:{area or 'any'}", *before_applying),
            )
        )
        return drafts

    if not _has_masters_for_senior_posts(persona):
        add(
            _Draft(
                "masters_degree",
                "Earn a master's for senior roles: an MHA for healthcare depth, an MPH, or an MBA with a "
                "healthcare focus; part-time formats exist.",
                "hsm-masters-degree",
                f"The guides say larger hospitals often prefer or require a master's for a post like {aim}.",
                study="masters_degree",
                after=needs,
            )
        )
    if nurse_executive:
        add(
            _Draft(
                "nursing_director_rung",
                "Move up to a director post over several units or a service line before the top nursing job.",
                "bo-faq-long-term-paths",
                "The guides describe a ladder: each post gives the experience the next, more strategic one "
                "needs.",
                calendar="management_experience",
                after=(f"management_experience:{area or 'any'}",),
            )
        )
    add(
        _Draft(
            "fache",
            "Work toward FACHE, the fellowship of the American College of Healthcare Executives.",
            "hsm-fache",
            "The guides name FACHE as the executives' credential; ACHE sets what it requires.",
            calendar="fellowship",
            after=chosen("masters_degree", f"management_experience:{area or 'any'}", "nursing_director_rung"),
        )
    )
    add(
        _Draft(
            f"senior_posts:{target.value}",
            f"Apply for {aim} posts: show strategic vision and results, and ask senior executives for "
            "advice.",
            "bo-step-12-advanced-leadership",
            "Senior and executive posts come last in the back-office guide's path, on solid experience.",
            calendar="job_search",
            after=("fache",),
        )
    )
    return drafts


# --- timing -----------------------------------------------------------------------------


def _schedule(drafts: list[_Draft], hours: float, durations: Durations) -> tuple[list[Step], float]:
    """Steps with start months and durations; study runs one course at a time."""
    ends: dict[str, float] = {}
    study_free = 0.0
    steps = []
    for draft in drafts:
        ready = max((ends[key] for key in draft.after if key in ends), default=0.0)
        if draft.study:
            start = max(ready, study_free)
            pace = hours
            if draft.study in DEGREE_KEYS and hours < durations.minimum_degree_hours_per_week:
                pace = durations.minimum_degree_hours_per_week
            length = durations.study_months(draft.study, pace)
            study_free = start + length
            takes = f"about {_span(length)} at {pace:g} hours a week"
            if pace != hours:
                takes = (
                    f"about {_span(length)} at one course a term (about {pace:g} hours a week, the least "
                    "most programmes allow)"
                )
        elif draft.calendar:
            start = ready
            length = draft.months if draft.months is not None else durations.months[draft.calendar].months
            takes = f"about {_span(length)}"
        else:
            start, length, takes = ready, 0.0, ""
        ends[draft.key] = start + length
        steps.append(Step(draft.text, draft.entry_id, draft.why, draft.key, start, length, takes))
    return steps, max(ends.values(), default=0.0)


FASTER_HOURS = 15
LONG_HORIZON_MONTHS = 8 * 12


def build_plan(
    persona: Persona,
    entries: Mapping[str, KnowledgeEntry],
    durations: Durations | None = None,
) -> Plan:
    """The plan for one person; raises KeyError when a step's entry is missing from `entries`."""
    durations = durations or default_durations()
    hours = persona.study_hours_per_week or durations.default_study_hours_per_week
    drafts = _choose(persona)
    steps, horizon = _schedule(drafts, hours, durations)
    faster = ""
    if horizon > LONG_HORIZON_MONTHS and hours < FASTER_HOURS:
        _, quicker = _schedule(drafts, FASTER_HOURS, durations)
        if quicker < horizon - 6:
            faster = f"about {_span(quicker)} at {FASTER_HOURS} hours a week"
    phases: dict[str, list[Step]] = {}
    for step in sorted(steps, key=lambda step: step.start_month):  # stable: ties keep their order
        phases.setdefault(phase_name(step.start_month), []).append(step)
    degree_pace = durations.minimum_degree_hours_per_week
    slowed = any(draft.study in DEGREE_KEYS for draft in drafts) and hours < degree_pace
    plan = Plan(
        persona,
        [Phase(name, group) for name, group in phases.items()],
        horizon,
        hours,
        degree_pace if slowed else 0.0,
        faster,
    )
    missing = [entry_id for entry_id in plan.entry_ids() if entry_id not in entries]
    if missing:
        raise KeyError(f"the plan cites entries that are not in the knowledge base: {missing}")
    return plan
