"""Amounts of time the way people write them: "a couple of years", "since 2019", "6 months",
"an hour a day", "10ish", "not much, 2-3 hrs".

Number words go through text2num ("twenty five" -> 25); the few it leaves alone on
purpose because they are also ordinary words ("one", "a", "couple", "half") are read
here, only next to a unit. A range counts as its midpoint. Each reader returns an
`Amount` (the value, or the reason it cannot be right) or None when the text names no
amount at all.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date

from text_to_num import alpha2digit

MAX_YEARS = 60  # of work in healthcare: 60 or more cannot be right
MAX_HOURS_A_WEEK = 80  # of study on top of a job
WEEKS_A_MONTH = 4.33
DAYS_A_WEEK = 7
WORKDAYS_A_WEEK = 5

_NUMBER = r"-?\d+(?:\.\d+)?"
_SMALL_WORDS = {
    "a": 1, "an": 1, "one": 1, "a single": 1, "a couple": 2, "a couple of": 2, "couple": 2, "couple of": 2,
    "a few": 3, "few": 3, "several": 4, "a dozen": 12, "a decade": 10, "half a": 0.5, "half an": 0.5,
}  # fmt: skip
_UNITS_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]
_SMALL = "|".join(sorted((re.escape(w) for w in _SMALL_WORDS), key=len, reverse=True))
_YEAR_UNIT = r"(?:years?|yrs?|yr)\b"
_MONTH_UNIT = r"(?:months?|mos?|mths?)"
_WEEK_UNIT = r"(?:weeks?|wks?)"
_HOUR_UNIT = r"(?:hours?|hrs?|h)\b"
_MINUTE_UNIT = r"(?:minutes?|mins?)"
_NONE = re.compile(
    r"^\W*(none|nothing|zero|no time|not now|none right now|nada|0)\W*$|\bno time\b|\bcan'?t (study|spare)",
    re.IGNORECASE,
)
_NEW = re.compile(
    r"\b(just (started|got hired|began)|brand new|new (here|hire|grad)|first (week|month)|none( yet)?|"
    r"no experience|never worked)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Amount:
    """A reading of an amount: `value` when it makes sense, else `problem` says why not."""

    value: float | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def normalised(text: str) -> str:
    """Lower case, number words as digits, "1/2" and "and a half" as decimals, "10ish" as 10."""
    lowered = " " + text.lower().replace("\u2013", "-").replace("\u2014", "-") + " "
    lowered = re.sub(r"(\d)\s*(?:ish|-ish|\+|plus)\b", r"\1", lowered)
    lowered = re.sub(r"\b(\d+)\s+(?:1/2|and a half)\b", lambda m: f"{int(m.group(1)) + 0.5:g}", lowered)
    lowered = re.sub(r"\bminus\s+(?=\d)", "-", lowered)
    lowered = re.sub(
        rf"\b({'|'.join(_UNITS_WORDS)}) and a half\b",
        lambda m: f"{_UNITS_WORDS.index(m.group(1)) + 1.5:g}",
        lowered,
    )
    with contextlib.suppress(ValueError):  # text2num refuses some malformed inputs: words stay words
        lowered = alpha2digit(lowered, "en")
    # text2num leaves a lone small number as a word ("two hours"); "one" stays a word here too.
    lowered = re.sub(
        rf"\b({'|'.join(_UNITS_WORDS[1:])})\b", lambda m: str(_UNITS_WORDS.index(m.group(1)) + 1), lowered
    )
    lowered = re.sub(r"\b(\d+)\s+(?:1/2|and a half)\b", lambda m: f"{int(m.group(1)) + 0.5:g}", lowered)
    return lowered


def _value(token: str) -> float:
    token = token.strip()
    if token in _SMALL_WORDS:
        return float(_SMALL_WORDS[token])
    return float(token)


def _amount_before(unit: str, text: str) -> tuple[float, re.Match] | None:
    """The number or range written right before a unit ("2-3 hrs", "a couple of years")."""
    pattern = (
        rf"(?<![\w.])(?P<low>{_NUMBER}|{_SMALL})(?:\s*(?:-|to|or)\s*(?P<high>{_NUMBER}))?"
        rf"\s*(?:more\s+|or so\s+|ish\s+)?(?:{unit})"
    )
    found = re.search(pattern, text)
    if not found:
        return None
    low = _value(found.group("low"))
    high = found.group("high")
    return ((low + float(high)) / 2 if high else low), found


def _lone_number(text: str) -> float | None:
    """A number standing on its own ("3", "like 10", "2-3"), when the text holds exactly one."""
    ranges = re.findall(rf"(?<![\w.])({_NUMBER})\s*(?:-|to)\s*(\d+(?:\.\d+)?)(?![\w.])", text)
    if len(ranges) == 1:
        low, high = (float(value) for value in ranges[0])
        if high > low >= 0:
            return (low + high) / 2
    numbers = re.findall(rf"(?<![\w.]){_NUMBER}(?![\d.])", text)
    return float(numbers[0]) if len(numbers) == 1 else None


def read_years(text: str, today: date | None = None) -> Amount | None:
    """Years of work so far: "since 2019", "a couple of years", "6 months", "like 10 yrs", "12"."""
    today = today or date.today()
    lowered = normalised(text)
    since = re.search(
        r"\b(?:since|started|came on|came here|joined|hired|back|from|began)"
        r"(?:\s+(?:here|on|working|in|at|the))*\s+(?:'|\u2019)?(\d{2}|\d{4})\b",
        lowered,
    )
    if since:
        year = int(since.group(1))
        year += 2000 if year < 100 and year <= today.year % 100 else 1900 if year < 100 else 0
        if year > today.year:
            return Amount(problem=f"{year} has not come yet")
        return _checked_years(today.year - year)
    if _NEW.search(lowered):
        return Amount(0.0)
    total, found_any = 0.0, False
    for unit, scale in ((_YEAR_UNIT, 1.0), (_MONTH_UNIT, 1 / 12), (_WEEK_UNIT, 1 / 52)):
        found = _amount_before(unit, lowered)
        if found:
            total += found[0] * scale
            found_any = True
    if re.search(r"\b(?:a|one)\s+(?:year\s+and\s+a\s+half|and\s+a\s+half\s+years?)\b", lowered):
        total, found_any = 1.5, True
    elif re.search(r"\bhalf\s+a\s+year\b", lowered):
        total, found_any = 0.5, True
    elif re.search(r"\ba\s+decade\b", lowered) and not found_any:
        total, found_any = 10.0, True
    if not found_any:
        lone = _lone_number(lowered)
        if lone is None:
            return None
        total = lone
    return _checked_years(total)


def _checked_years(years: float) -> Amount:
    if years < 0:
        return Amount(problem="years of work can't be negative")
    if years >= MAX_YEARS:
        return Amount(problem=f"{years:g} years is longer than a working life")
    return Amount(round(years, 2))


def read_hours_a_week(text: str) -> Amount | None:
    """Hours a week for study: "an hour a day" -> 7, "10ish" -> 10, "not much, 2-3 hrs" -> 2.5."""
    lowered = normalised(text)
    if _NONE.search(lowered):
        return Amount(0.0)
    hours = _amount_before(_HOUR_UNIT, lowered)
    minutes = _amount_before(_MINUTE_UNIT, lowered)
    if hours is not None:
        value, rest = hours[0], lowered[hours[1].end() :]
    elif minutes is not None:
        value, rest = minutes[0] / 60, lowered[minutes[1].end() :]
    else:
        value = _lone_number(lowered)
        if value is None:
            if re.search(r"\b(not much|very little|barely any|hardly any)\b", lowered):
                return Amount(1.0)
            return None
        rest = lowered
    value *= _per_week(rest, lowered)
    if value < 0:
        return Amount(problem="hours can't be negative")
    if value > MAX_HOURS_A_WEEK:
        return Amount(problem=f"{value:g} hours a week on top of work is more than a person has")
    return Amount(round(value, 2))


def _per_week(rest: str, text: str) -> float:
    """How many times a week the amount recurs, from the words after it ("a day": 7, or 2 when
    the text says weekends only)."""
    if re.search(r"\b(?:a|per|each|every)\s+(?:week ?night|weekday|work ?day)\b|\bweeknights?\b", rest):
        return WORKDAYS_A_WEEK
    if re.search(r"\b(?:a|per|each|every)\s+(?:day|night|evening)\b|\bdaily\b|\bnightly\b|/\s*day\b", rest):
        return 2.0 if re.search(r"\bweekends?\b", text) else DAYS_A_WEEK
    if re.search(r"\b(?:a|per|each|every)\s+month\b|\bmonthly\b|/\s*mo", rest):
        return 1 / WEEKS_A_MONTH
    if re.search(r"\b(?:each|every|on)\s+(?:saturday and sunday|weekend day|day of the weekend)\b", rest):
        return 2.0
    return 1.0
