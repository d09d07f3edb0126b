"""Reading a person's situation from their own words: role, education, years, target, hours.

Used to fill the plan form from an opening message ("I work in billing and want to
become a manager") and to read each answer. Every parser returns None when the text
says nothing it recognises, so the form can re-prompt instead of guessing.
"""

from __future__ import annotations

import re

from planning.career_plan import Education, Persona, RoleFamily, Target

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip

# Longer, more specific phrases first: "nurse manager" is a target, "nurse" a role.
_ROLE_WORDS: list[tuple[RoleFamily, str]] = [
    (RoleFamily.BACK_OFFICE, r"billing|coding|coder|medical records?|health records|registration|"
                             r"admissions|reception(ist)?|front desk|scheduling|scheduler|clerk|clerical|"
                             r"secretary|"
                             r"admin(istrative)? (assistant|staff|role|job|work)|back[- ]office|payroll|"
                             r"finance|accounts|insurance claims|patient access|ward clerk|unit clerk|"
                             r"(?-i:HR)|"
                             r"human resources"),
    (RoleFamily.CLINICAL, r"nurs(e|es|ing)|(?-i:RN|LPN)|midwife|physio(therapist)?|physical therapist|"
                          r"occupational therapist|therapist|radiograph(er|y)|radiology tech|"
                          r"lab(oratory)? tech|technician|pharmacist|pharmacy|paramedic|(?-i:EMT)|doctor|"
                          r"physician|"
                          r"clinician|clinical|"
                          r"allied health|dietitian|sonographer|respiratory"),
    (RoleFamily.OTHER, r"(?-i:IT)|information technology|facilities|maintenance|security|housekeeping|"
                       r"catering|porter|logistics|supply chain|procurement|engineer(ing)?|analyst"),
]  # fmt: skip

# Order matters: "no degree" before "degree", "associate degree" before "degree".
_EDUCATION: list[tuple[Education, str | None, str]] = [
    (Education.HIGH_SCHOOL, None, r"no degree|don'?t have a degree|without a degree|never went to college"),
    (Education.DOCTORATE, None, r"ph\.?d|doctorate|doctoral|(?-i:DNP)|(?-i:MD)|DHA"),
    (Education.MASTER, "MHA", r"(?-i:MHA)|master'?s? (degree )?in health(care)? administration"),
    (Education.MASTER, "MBA", r"(?-i:MBA)|master'?s? (degree )?in business"),
    (Education.MASTER, "MPH", r"(?-i:MPH)|master'?s? (degree )?in public health"),
    (Education.MASTER, "MSN", r"(?-i:MSN)|master'?s? (degree )?in nursing"),
    (Education.MASTER, None, r"master'?s?|(?-i:MSc?)|(?-i:MA)|postgrad(uate)?"),
    (Education.ASSOCIATE, None, r"associate'?s?( degree)?|(?-i:AAS?)|(?-i:ADN)|diploma in nursing|"
                                r"community college"),
    (Education.BACHELOR, None, r"bachelor'?s?|(?-i:BSN)|(?-i:BSc?)|(?-i:BA)|undergrad(uate)? degree|"
                               r"university degree|college degree|\bdegree\b"),
    (Education.HIGH_SCHOOL, None, r"high ?school|(?-i:GED)|secondary school|A[- ]levels?"),
]  # fmt: skip

_TARGETS: list[tuple[Target, str]] = [
    (Target.C_SUITE, r"c[- ]suite|\bCEO\b|\bCOO\b|\bCFO\b|chief|executive|the top"),
    (Target.HOSPITAL_ADMINISTRATOR, r"hospital administrator|administrator|run (a|the) hospital"),
    (Target.DIRECTOR, r"director|head of (a )?department|department head"),
    (Target.QUALITY_MANAGER, r"quality|patient safety"),
    (Target.PRACTICE_MANAGER, r"practice manager|clinic manager|run (a|the) (clinic|practice)"),
    (Target.UNIT_COORDINATOR, r"unit coordinator|coordinator|team lead(er)?|supervisor|first management"),
    (Target.DEPARTMENT_MANAGER, r"department manager|(a |be a |become a )?manager|management|nurse manager|"
                                r"ward manager|lead a team"),
]  # fmt: skip


def _search(pattern: str, text: str) -> bool:
    return re.search(rf"(?<![\w'])(?:{pattern})(?![\w'])", text, flags=re.IGNORECASE) is not None


def parse_role_family(text: str) -> RoleFamily | None:
    for family, pattern in _ROLE_WORDS:
        if _search(pattern, text):
            return family
    return None


def parse_education(text: str) -> tuple[Education, str | None] | None:
    """The highest level named, with the master's kind when there is one."""
    for level, kind, pattern in _EDUCATION:
        if _search(pattern, text):
            return level, kind
    return None


def parse_target(text: str) -> Target | None:
    for target, pattern in _TARGETS:
        if _search(pattern, text):
            return target
    return None


def parse_number(text: str) -> float | None:
    """The first number in the text, as digits ("3", "2.5") or a word ("three", "a")."""
    digits = re.search(r"\d+(?:[.,]\d+)?", text)
    if digits:
        return float(digits.group().replace(",", "."))
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _NUMBER_WORDS and word not in {"a", "an"}:
            return float(_NUMBER_WORDS[word])
    if re.search(r"\b(a|an|one) (year|hour)\b", text.lower()):
        return 1.0
    return None


def parse_years(text: str) -> float | None:
    """Years of healthcare experience, 0 to 50; months are converted ("six months" -> 0.5)."""
    lowered = text.lower()
    if re.search(r"\b(none|no experience|just started|brand new|new here)\b", lowered):
        return 0.0
    number = parse_number(lowered)
    if number is None:
        return None
    if re.search(r"\bmonths?\b", lowered):
        number = number / 12
    return round(number, 2) if 0 <= number <= 50 else None


def parse_study_hours(text: str) -> float | None:
    """Hours a week for study, 0 to 60 ("about 5", "two hours", "none right now")."""
    lowered = text.lower()
    if re.search(r"\b(none|no time|zero|not now|nothing)\b", lowered):
        return 0.0
    number = parse_number(lowered)
    if number is None:
        return None
    if re.search(r"\b(a|per|each) day\b|\bdaily\b", lowered):
        number *= 7
    return number if 0 <= number <= 60 else None


def parse_situation(text: str) -> dict[str, object]:
    """What an opening message already says, by form slot; absent keys were not mentioned.

    Numbers are read only next to their unit ("5 years", "3 hours a week"), so "I want a
    plan in 2 steps" fills nothing.
    """
    found: dict[str, object] = {}
    role = parse_role_family(text)
    if role is not None:
        found["current_role"] = role
    education = parse_education(text)
    if education is not None:
        found["education"] = education
    target = parse_target(
        re.split(r"\b(want|like|hope|aim|plan)s? to\b|\bbecome\b|\bbe a\b", text, maxsplit=1)[-1]
    )
    if target is not None and re.search(r"\b(want|like|hope|aim|plan|become|be a|goal|target)", text, re.I):
        found["target_role"] = target
    years = re.search(
        r"(\d+(?:\.\d+)?|[a-z]+) (years?|months?)( of)?( experience| in| at| working)?", text, re.I
    )
    if years and not re.search(r"hours?", years.group(), re.I):
        value = parse_years(years.group())
        if value is not None:
            found["years_experience"] = value
    hours = re.search(r"(\d+(?:\.\d+)?|[a-z]+) hours?( a| per)? (week|day)", text, re.I)
    if hours:
        value = parse_study_hours(hours.group())
        if value is not None:
            found["study_hours"] = value
    return found


SKIPPED = "skipped"
PLAN_SLOTS = ("current_role", "education", "years_experience", "target_role", "study_hours")


def slot_value(slot: str, parsed: object) -> object:
    """A parsed answer as it is kept in the conversation (plain JSON values)."""
    if slot == "education":
        level, kind = parsed  # type: ignore[misc]
        return f"{level.value}:{kind}" if kind else level.value
    if isinstance(parsed, RoleFamily | Target):
        return parsed.value
    return parsed


def parse_answer(slot: str, text: str) -> object | None:
    """One form answer, as its slot value; None when it cannot be read."""
    parsers = {
        "current_role": parse_role_family,
        "education": parse_education,
        "years_experience": parse_years,
        "target_role": parse_target,
        "study_hours": parse_study_hours,
    }
    parsed = parsers[slot](text)
    if parsed is None and slot == "current_role" and re.search(r"[A-Za-z]{3,}", text):
        parsed = RoleFamily.OTHER  # a role we do not recognise is still a role
    return None if parsed is None else slot_value(slot, parsed)


def persona_from_answers(answers: dict[str, object], role_words: str = "") -> tuple[Persona, list[str]]:
    """The persona the plan is built for, and the assumptions made for skipped answers."""
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
    level, _, kind = str(education).partition(":")
    persona = Persona(
        role_family=RoleFamily(role) if role else RoleFamily.OTHER,
        education=Education(level),
        target=Target(target),
        years_experience=given("years_experience"),  # type: ignore[arg-type]
        study_hours_per_week=given("study_hours"),  # type: ignore[arg-type]
        masters_kind=kind or None,
        role=role_words,
    )
    return persona, assumptions
