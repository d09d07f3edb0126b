"""Reading a person's situation from their own words: role, education, years, target, hours.

Two uses: `read_answer` reads the reply to one question of the plan form ("BSN", "since
2019", "an hour a day", "CNO"), and `stated_facts` finds what a free message already says
("I'm a nurse with a BSN and 8 years in, I want to be a nurse manager"), so the form asks
only the rest. Slot values are plain JSON values, as the conversation keeps them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planning.career_plan import Education, Persona, RoleFamily, Target, target_name
from understanding.job_titles import Department, RoleReader
from understanding.quantities import read_hours_a_week, read_years

SKIPPED = "skipped"
PLAN_SLOTS = ("current_role", "education", "years_experience", "target_role", "study_hours")
# Kept beside current_role: the role in the person's words, and its department.
ROLE_WORDS_SLOT = "role_words"
DEPARTMENT_SLOT = "department"
TARGET_WORDS_SLOT = "target_words"

# Order matters: "no degree" before "degree", a named master's before "master's".
_EDUCATION: list[tuple[Education, str | None, str]] = [
    (Education.HIGH_SCHOOL, None, r"no degree|don'?t have a degree|without a degree|never went to college|"
                                  r"no college|didn'?t (go to|finish) college|some college|some classes|(couple|few|some|one|two|a) "
                                  r"(semesters?|years?|classes) (at|of|in) (community )?college|12th grade|"
                                  r"finished school|"
                                  r"(trade|vocational|tech) school|certificate( program)?|certification only|"
                                  r"(rn|lpn|nursing) diploma|diploma (in nursing|rn|program)"),
    (Education.DOCTORATE, None, r"ph\.?d|doctorate|doctoral|(?-i:DNP|DHA|MD|DO|PharmD|JD|DPT|EdD|DrPH)|pharm ?d|"
                                r"medical degree|medical school"),
    (Education.MASTER, "MHA", r"(?-i:MHA)|mha|master'?s? (degree )?in health(care)? administration"),
    (Education.MASTER, "MBA", r"(?-i:MBA)|mba|master'?s? (degree )?in business( administration)?"),
    (Education.MASTER, "MPH", r"(?-i:MPH)|mph|master'?s? (degree )?in public health"),
    (Education.MASTER, "MSN", r"(?-i:MSN)|msn|master'?s? (degree )?in nursing"),
    (Education.MASTER, None, r"master'?s?|masters|(?-i:MSc?|MA|MEd|MSW|MHSA|MSHA)|msw|postgrad(uate)?|"
                             r"grad(uate)? (degree|school)"),
    (Education.BACHELOR, None, r"bachelor'?s?|bachelors|(?-i:BSN|BSc?|BA|BBA|BHA)|bsn|b\.?s\.?|b\.?a\.?|"
                               r"undergrad(uate)?( degree)?|university degree|college degree|four[- ]year degree|"
                               r"4[- ]year degree|college grad(uate)?|graduated (from )?college"),
    (Education.ASSOCIATE, None, r"associate'?s?( degree)?|associates|(?-i:AAS?|ASN|ADN|AS)|adn|aas|asn|"
                                r"two[- ]year degree|2[- ]year degree|community college"),
    (Education.HIGH_SCHOOL, None, r"high ?school|(?-i:GED)|ged|hs diploma|(?-i:HS)|hs|secondary school|"
                                  r"a[- ]levels?|diploma"),
]  # fmt: skip

# Most specific first: "director of nursing" before "director", "nurse manager" before "manager".
_TARGETS: list[tuple[Target, str]] = [
    (Target.CHIEF_NURSING_OFFICER, r"(?-i:CNO)|cno|chief nurs(e|ing)( officer| executive)?|vp of nursing|"
                                   r"vice president of nursing|nursing executive"),
    (Target.DIRECTOR_OF_NURSING, r"director of nursing|nursing director|(?-i:DON)|director of patient care"),
    (Target.C_SUITE, r"c[- ]?suite|(?-i:CEO|COO|CFO|CIO|CMO|CXO)|ceo|coo|cfo|chief [a-z]+ officer|chief|"
                     r"executive|exec|president|(?-i:VP)|vp|vice president|the top"),
    (Target.HOSPITAL_ADMINISTRATOR, r"hospital administrat(or|ion)|(healthcare|health care|health services) "
                                    r"administrator|administrator|run (a|the|my) (whole )?hospital"),
    (Target.QUALITY_MANAGER, r"quality( improvement)?( manager| director| lead| role)?|patient safety|(?-i:CPHQ)"),
    (Target.NURSE_MANAGER, r"nurs(e|ing) (manager|leader|leadership|supervisor)|(?-i:ANM)|"
                           r"assistant nurse manager|manage (a|the|my) nursing (unit|floor)"),
    (Target.HIM_MANAGER, r"(him|health info(rmation)?|medical records?|health records?)( department)? "
                         r"(manager|management)|manag(e|er|ing) (the )?(him|medical records|"
                         r"health information)"),
    (Target.REVENUE_CYCLE_MANAGER, r"(run|lead|head) (the |a )?(revenue cycle|rev cycle|billing|business office)"
                                   r"( dept| department| office| side)?|(revenue cycle|rev cycle|billing|business office|pfs|coding|patient accounts?) "
                                   r"(manager|management)|manag(e|er|ing) (the )?(revenue cycle|"
                                   r"billing|business office)"),
    (Target.PATIENT_ACCESS_MANAGER, r"(patient access|registration|admitting|admissions|scheduling|front desk) "
                                    r"(manager|management)|manag(e|er|ing) (the )?(patient access|"
                                    r"registration|admitting)|run (the )?(front desk|registration)"),
    (Target.PRACTICE_MANAGER, r"practice manag(er|ement)|office manag(er|ement)|clinic manag(er|ement)|"
                              r"run (a|the|my) (clinic|practice|office|front office)|front office"),
    (Target.DIRECTOR, r"director|head of (a |the )?(department|dept|unit)|department head|dept\.? head|"
                      r"head of [a-z]+"),
    (Target.UNIT_COORDINATOR, r"unit coordinator|coordinator|supervis(or|ory|ing)|team lead(er)?|lead(er)? role|"
                              r"lead (tech|nurse|rn|coder|biller|clerk)|house supervisor|charge|"
                              r"shift lead|charge (nurse|role)|assistant (department |dept )?manager|"
                              r"first[- ](line |level )?(management|manager|leadership)|entry[- ]level "
                              r"(management|manager)|lead"),
    (Target.DEPARTMENT_MANAGER, r"department manager|dept manager|(operations|ops) manager|manager|management|mgr|"
                                r"(run|lead|head) (the |a |my )?[a-z]+ (dept|department|unit|team|office)|"
                                r"manage (a|the|my) (department|team|dept)|run (a|the|my) (department|team)"),
]  # fmt: skip
_UNDECIDED = re.compile(
    r"^\W*(not sure|unsure|no idea|don'?t know|dunno|idk|undecided|anything|whatever|haven'?t decided|"
    r"no clue|open to anything)\b",
    re.IGNORECASE,
)
# Where a message turns from where the person is to where they want to go.
_AIM = re.compile(
    r"\b(?:want(?:s|ed)? to|would like to|'d like to|hope to|hoping to|aim(?:ing)? (?:to|for)|plan to|"
    r"trying to|goal is|dream is|eventually|someday|one day|become|be an?|move (?:up )?(?:in)?to|get (?:in)?to|"
    r"reach|work (?:my way )?up to|end up as|aspire to)\b",
    re.IGNORECASE,
)


def _search(pattern: str, text: str) -> bool:
    return re.search(rf"(?<![\w'])(?:{pattern})(?![\w'])", text, flags=re.IGNORECASE) is not None


# A degree still being studied for does not count: "working on my BSN".
_IN_PROGRESS = re.compile(
    r"\b(?:working (?:on|towards?)|studying (?:for)?|in school for|enrolled in|halfway through|doing|pursuing|"
    r"started|starting|finishing|taking classes for|going back for|accepted (?:in)?to|admitted to|about to start|"
    r"will start|in (?:a|an|my|the))\s+(?:my |a |an |the )?[\w']+(?:'?s)?(?:\s+(?:degree|in [\w ]+))?",
    re.IGNORECASE,
)


def _level_named(text: str) -> str | None:
    for level, kind, pattern in _EDUCATION:
        if _search(pattern, text):
            return f"{level.value}:{kind}" if kind else level.value
    return None


def read_education(text: str, in_progress_is_high_school: bool = True) -> str | None:
    """The highest level completed, as kept: "bachelor", "master:MBA", "high_school". A reply
    naming only a degree in progress ("working on my bachelor's") is high school when asked;
    in a free message (`in_progress_is_high_school` False) it says nothing of the level."""
    completed = _level_named(_IN_PROGRESS.sub(" ", text))
    if not in_progress_is_high_school:
        return completed
    if completed is None and any(_level_named(found.group()) for found in _IN_PROGRESS.finditer(text)):
        return Education.HIGH_SCHOOL.value  # only a degree still in progress is named
    return completed


def read_target(text: str) -> Target | None:
    """The target named first ("nurse manager for now, director of nursing one day" is nurse
    manager); where two patterns match at the same place, the more specific (listed first)."""
    found: list[tuple[int, int, Target]] = []
    for rank, (target, pattern) in enumerate(_TARGETS):
        match = re.search(rf"(?<![\w'])(?:{pattern})(?![\w'])", text, flags=re.IGNORECASE)
        if match:
            found.append((match.start(), rank, target))
    return min(found)[2] if found else None


@dataclass(frozen=True)
class Answer:
    """A reply read as the answer to one slot: its value and what else it said, or why it
    cannot be right (`problem`), or neither (`value` None: not an answer to this slot)."""

    slot: str
    value: Any = None
    problem: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # other slots the reply also filled

    @property
    def readable(self) -> bool:
        return self.value is not None or self.problem is not None


class FormAnswerReader:
    """Reads answers to the plan form's questions; `today` anchors "since 2019"."""

    def __init__(self, roles: RoleReader | None = None, today: date | None = None) -> None:
        self.roles = roles or RoleReader()
        self._today = today

    def read_answer(self, slot: str, text: str) -> Answer:
        """The reply to the question for `slot`, with anything else it says about the situation."""
        text = text.strip()
        # Beside its answer a reply may add a degree or an amount with its unit ("RN, BSN, 6 years");
        # a role or target named in passing is not taken from it ("nurse manager" is no role).
        extra = {
            key: value
            for key, value in self.stated_facts(text).items()
            if key in {"education", "years_experience", "study_hours"} and key != slot
        }
        if slot == "current_role":
            role = self.roles.read(text)
            if role is None:
                return Answer(slot, extra=extra)
            words = {ROLE_WORDS_SLOT: role.words, DEPARTMENT_SLOT: role.department.value}
            if len(role.words.split()) > 6:
                found = self.roles.find(text)
                words[ROLE_WORDS_SLOT] = found.words if found else role.words[:40]
            return Answer(slot, role.family.value, extra={**extra, **words})
        if slot == "education":
            return Answer(slot, read_education(text), extra=extra)
        if slot == "target_role":
            if _UNDECIDED.search(text):
                return Answer(slot, SKIPPED)
            target = read_target(text)
            words = {TARGET_WORDS_SLOT: _target_words(text)} if target else {}
            return Answer(slot, target.value if target else None, extra={**extra, **words})
        amount = read_years(text, self._today) if slot == "years_experience" else read_hours_a_week(text)
        if slot == "study_hours" and amount is None and _UNDECIDED.search(text):
            return Answer(slot, SKIPPED)
        if amount is None:
            return Answer(slot, extra=extra)
        return Answer(slot, amount.value, amount.problem, extra)

    def said_of_oneself(self, text: str) -> dict[str, Any]:
        """What a question says of the person asking, from its statements in the first person
        ("im at the front desk, high school, 2 yrs. what jobs are above me?" gives role,
        education and years); a question itself says nothing ("do I need a bachelor's?")."""
        found: dict[str, Any] = {}
        for part in re.split(r"(?<=[.!?;])\s+|\n+|,\s*(?:but|so|and)\s+", text):
            if _FIRST_PERSON.search(part) and not _ASKS.search(part):
                found.update(self.stated_facts(part))
        return found

    def stated_facts(self, text: str) -> dict[str, Any]:
        """What a message says outright, by slot; absent keys were not mentioned.

        Numbers count only next to their unit ("5 years", "3 hours a week"), so "a plan in
        2 steps" fills nothing; the target is read only after words of aim ("want to be").
        """
        found: dict[str, Any] = {}
        aim = _AIM.search(text)
        here, there = (text[: aim.start()], text[aim.start() :]) if aim else (text, "")
        role = self.roles.find(here)
        if role is not None:
            found.update(
                {
                    "current_role": role.family.value,
                    ROLE_WORDS_SLOT: role.words,
                    DEPARTMENT_SLOT: role.department.value,
                }
            )
        education = read_education(text, in_progress_is_high_school=False)
        if education is not None:
            found["education"] = education
        target = read_target(there) if there else None
        if target is not None:
            found.update({"target_role": target.value, TARGET_WORDS_SLOT: _target_words(there)})
        years = re.search(
            r"(?:since|started in)\s+'?\d{2,4}\b|[\w.-]+(?:\s+(?:and a half|or so|plus))?\s+"
            r"(?:years?|yrs?|months?)\b(?!\s+(?:ago|old))",
            text,
            re.IGNORECASE,
        )
        if years:
            amount = read_years(years.group(), self._today)
            if amount is not None and amount.ok:
                found["years_experience"] = amount.value
        hours = re.search(
            r"[\w.-]+\s+(?:hours?|hrs?|minutes?|mins?)\s*(?:a|per|each|every|/)\s*(?:week|wk|day|night|month)",
            text,
            re.IGNORECASE,
        )
        if hours:
            amount = read_hours_a_week(hours.group())
            if amount is not None and amount.ok:
                found["study_hours"] = amount.value
        return found


_FIRST_PERSON = re.compile(r"\b(?:i|i'?m|im|i'?ve|ive|my|me)\b", re.IGNORECASE)
_ASKS = re.compile(
    r"\?|^\W*(?:what|how|why|when|where|who|which|is|are|do|does|did|can|could|should|would|will)\b", re.I
)


def title_words(target_words: str, target: Target) -> str:
    """The target as the plan's title names it: the person's words when they name that same
    target and say more than its name ("patient access supervisor", "nurse manager in the
    ICU"), else "" (the plan then uses the target's own name): for an abbreviation ("CNO"),
    a part of the name ("director"), or words that name another target."""
    words = target_words.strip()
    abbreviation = len(words) <= 5 and words.isupper()
    # "director" from the button or in short says less than the name ("department director").
    part_of_the_name = words.lower() in target_name(target)
    return (
        words if words and not abbreviation and not part_of_the_name and read_target(words) is target else ""
    )


def _target_words(text: str) -> str:
    """The target as the person put it ("nurse manager in the ICU"), for the plan's title."""
    words = re.split(
        r"[,.;!?]|\s+(?:and|but|so|where|how|what|can|could|then|later|eventually|or later)\s+",
        text.strip(),
        maxsplit=1,
    )[0]
    # "i want to be a ...", "eventually ...", "I would like to move into ...": every lead-in goes.
    while (
        (aim := _AIM.search(words))
        and len(words[: aim.start()].split()) <= 2
        and words[aim.end() :].strip(" .!,;:?")  # "the CNO someday" keeps its CNO
    ):
        words = words[aim.end() :]
    words = re.sub(
        r"^\W*(?:i\W*d\s+like\s+|ok(?:ay)?\s+|so\s+|um+\s+|well\s+|i guess\s+|maybe\s+|probably\s+|"
        r"ideally\s+|something like\s+|an?\s+|the\s+)+",
        "",
        words.strip(),
        flags=re.I,
    )
    words = re.sub(
        r"(?:\s+(?:then|i guess|maybe|someday|eventually|for now|i think|lol))+\W*$", "", words, flags=re.I
    )
    return words.strip(" .!,;:?")[:60]


_EDUCATION_NAMES = {
    "high_school": "high school", "associate": "an associate degree", "bachelor": "a bachelor's degree",
    "master": "a master's degree", "doctorate": "a doctorate",
}  # fmt: skip


def describe_answers(answers: dict[str, Any]) -> str:
    """Kept answers in a few words, for "I kept your answers: ..." ("billing; a bachelor's degree; 3 years")."""
    parts = []
    role = answers.get(ROLE_WORDS_SLOT) or answers.get("current_role")
    if role and role != SKIPPED:
        parts.append(
            f"you work in {role}".replace("_", " ") if not answers.get(ROLE_WORDS_SLOT) else str(role)
        )
    education = answers.get("education")
    if education and education != SKIPPED:
        level, _, kind = str(education).partition(":")
        parts.append(kind or _EDUCATION_NAMES.get(level, level))
    years = answers.get("years_experience")
    if isinstance(years, int | float):
        parts.append(f"{years:g} years in healthcare")
    target = answers.get(TARGET_WORDS_SLOT) or answers.get("target_role")
    if target and target != SKIPPED:
        parts.append(f"aiming for {target}".replace("_", " "))
    hours = answers.get("study_hours")
    if isinstance(hours, int | float):
        parts.append(f"{hours:g} hours a week to study")
    return "; ".join(parts) or "none yet"


def persona_from_answers(
    answers: dict[str, object], role_words: str = "", department: str = ""
) -> tuple[Persona, list[str]]:
    """The persona the plan is built for, and the assumptions made for skipped answers;
    `department` is a job_titles.Department value, "" when the role named none."""
    assumptions: list[str] = []

    def given(slot: str) -> object | None:
        value = answers.get(slot)
        return None if value in (None, SKIPPED) else value

    role = given("current_role")
    education = given("education")
    target = given("target_role")
    if education is None:
        assumptions.append("you have a bachelor's degree")
        education = Education.BACHELOR.value
    if target is None:
        assumptions.append("you aim at a department manager role")
        target = Target.DEPARTMENT_MANAGER.value
    if answers.get("study_hours") in (SKIPPED, 0, 0.0):
        assumptions.append("you can study about 6 hours a week")
    if answers.get("years_experience") is None or answers.get("years_experience") == SKIPPED:
        assumptions.append("you have at least two years in healthcare")
    level, _, kind = str(education).partition(":")
    persona = Persona(
        role_family=RoleFamily(role) if role else RoleFamily.OTHER,
        education=Education(level),
        target=Target(target),
        years_experience=given("years_experience"),  # type: ignore[arg-type]
        study_hours_per_week=given("study_hours") or None,  # type: ignore[arg-type]
        masters_kind=kind or None,
        role=role_words,
        department=department if department != Department.OTHER.value else "",
    )
    return persona, assumptions


__all__ = [
    "DEPARTMENT_SLOT",
    "PLAN_SLOTS",
    "ROLE_WORDS_SLOT",
    "SKIPPED",
    "TARGET_WORDS_SLOT",
    "Answer",
    "Department",
    "FormAnswerReader",
    "describe_answers",
    "persona_from_answers",
    "read_education",
    "read_target",
    "title_words",
]
