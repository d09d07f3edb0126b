"""When the career development office answers: its opening hours, read from one setting.

The setting (HANDOFF_OFFICE_HOURS) is written as people write opening hours,
`Mon-Fri 09:00-17:00`: a day or a range of days (Mon, Tue, ... Sun), then a range of
times on the 24-hour clock. Several spans are separated by commas:
`Mon-Thu 08:00-16:00, Fri 08:00-12:00`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SPAN = re.compile(
    r"^(?P<first>[A-Za-z]{3})(?:\s*-\s*(?P<last>[A-Za-z]{3}))?\s+"
    r"(?P<opens>\d{1,2}:\d{2})\s*-\s*(?P<closes>\d{1,2}:\d{2})$"
)


class OfficeHoursError(ValueError):
    """The setting is not in the form `Mon-Fri 09:00-17:00`."""


@dataclass(frozen=True)
class Span:
    days: tuple[int, ...]  # 0 = Monday
    opens: time
    closes: time

    def describe(self) -> str:
        first, last = DAY_NAMES[self.days[0]], DAY_NAMES[self.days[-1]]
        days = first if len(self.days) == 1 else f"{first} to {last}"
        return f"{days}, {self.opens:%H:%M} to {self.closes:%H:%M}"


def _day(name: str, setting: str) -> int:
    try:
        return DAYS.index(name[:3].title())
    except ValueError:
        raise OfficeHoursError(f"{name!r} in {setting!r} is not a day (Mon, Tue, ... Sun)") from None


def _time(value: str, setting: str) -> time:
    hours, minutes = (int(part) for part in value.split(":"))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise OfficeHoursError(f"{value!r} in {setting!r} is not a time of day")
    return time.max if hours == 24 else time(hours, minutes)


@dataclass(frozen=True)
class OfficeHours:
    spans: tuple[Span, ...]

    @classmethod
    def parse(cls, setting: str) -> OfficeHours:
        """`Mon-Fri 09:00-17:00[, Sat 10:00-12:00 ...]`; OfficeHoursError says what is wrong."""
        spans = []
        for part in filter(None, (p.strip() for p in setting.split(","))):
            match = _SPAN.match(part)
            if not match:
                raise OfficeHoursError(
                    f"office hours {setting!r}: {part!r} is not like 'Mon-Fri 09:00-17:00'"
                )
            first = _day(match["first"], setting)
            last = _day(match["last"], setting) if match["last"] else first
            if last < first:
                raise OfficeHoursError(f"office hours {setting!r}: {part!r} runs backwards")
            opens, closes = _time(match["opens"], setting), _time(match["closes"], setting)
            if closes <= opens:
                raise OfficeHoursError(f"office hours {setting!r}: {part!r} closes before it opens")
            spans.append(Span(tuple(range(first, last + 1)), opens, closes))
        if not spans:
            raise OfficeHoursError("office hours are empty; write them like 'Mon-Fri 09:00-17:00'")
        return cls(tuple(spans))

    def describe(self) -> str:
        return "; ".join(span.describe() for span in self.spans)

    def is_open(self, moment: datetime) -> bool:
        return any(
            moment.weekday() in span.days and span.opens <= moment.time() < span.closes for span in self.spans
        )

    def next_opening(self, moment: datetime) -> datetime:
        """The next time the office opens after `moment` (in its time zone)."""
        for days_ahead in range(8):
            day = (moment + timedelta(days=days_ahead)).date()
            openings = sorted(
                datetime.combine(day, span.opens, moment.tzinfo)
                for span in self.spans
                if day.weekday() in span.days
            )
            for opening in openings:
                if opening > moment:
                    return opening
        raise OfficeHoursError("the office never opens")  # parse() refuses empty hours

    def when_answered(self, moment: datetime) -> str:
        """What to tell someone who asks at `moment`: when a person will read their request."""
        if self.is_open(moment):
            return "The office is open now, so someone should read it today."
        opening = self.next_opening(moment)
        day = (
            "today"
            if opening.date() == moment.date()
            else (
                "tomorrow"
                if opening.date() == moment.date() + timedelta(days=1)
                else DAY_NAMES[opening.weekday()]
            )
        )
        return f"The office is closed now; someone will read it when it opens, {day} at {opening:%H:%M}."
