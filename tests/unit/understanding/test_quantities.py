"""Amounts of time the way people write them: years in healthcare and hours a week of study."""

from __future__ import annotations

from datetime import date

import pytest

from understanding.quantities import read_hours_a_week, read_years

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("text", "years"),
    [("3", 3.0), ("three years", 3.0), ("about 2.5 years", 2.5), ("six months", 0.5), ("6 months", 0.5),
     ("a year", 1.0), ("a couple of years", 2.0), ("a few years", 3.0), ("since 2019", 7), ("since '15", 11),
     ("started here in 2015", 11), ("like 10 yrs", 10.0), ("twelve", 12.0), ("10+ years", 10.0),
     ("two and a half years", 2.5), ("a year and a half", 1.5), ("18 months", 1.5), ("5-6 years", 5.5),
     ("3 years and 4 months", 3.33), ("just started", 0.0), ("none", 0.0), ("twenty two years", 22.0)],
)  # fmt: skip
def test_years_people_write(text, years):
    amount = read_years(text, TODAY)
    assert amount is not None and amount.ok and amount.value == pytest.approx(years, abs=0.01)


@pytest.mark.parametrize(
    ("text", "because"),
    [("-3", "negative"), ("minus 2 years", "negative"), ("60", "working life"), ("200", "working life"),
     ("since 2031", "has not come")],
)  # fmt: skip
def test_impossible_years_are_refused_with_the_reason(text, because):
    amount = read_years(text, TODAY)
    assert amount is not None and amount.value is None and because in amount.problem


@pytest.mark.parametrize("text", ["lots", "ages", "-", "who knows"])
def test_no_amount_is_no_reading(text):
    assert read_years(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "hours"),
    [("5", 5.0), ("about ten hours", 10.0), ("an hour a day", 7.0), ("1 hour a day", 7.0), ("10ish", 10.0),
     ("not much, 2-3 hrs", 2.5), ("weekends only maybe 4", 4.0), ("30 min a day", 3.5),
     ("half an hour a day", 3.5), ("two hours a day", 14.0), ("2 hrs every saturday and sunday", 4.0),
     ("10 hours a month", 2.31), ("no time right now", 0.0), ("a few hours", 3.0), ("not much", 1.0)],
)  # fmt: skip
def test_hours_a_week_people_write(text, hours):
    amount = read_hours_a_week(text)
    assert amount is not None and amount.ok and amount.value == pytest.approx(hours, abs=0.01)


@pytest.mark.parametrize(("text", "because"), [("100", "more than a person"), ("-2", "negative"),
                                                ("15 hours a day", "more than a person")])  # fmt: skip
def test_impossible_hours_are_refused_with_the_reason(text, because):
    amount = read_hours_a_week(text)
    assert amount is not None and amount.value is None and because in amount.problem


def test_eighty_hours_is_the_most_accepted():
    assert read_hours_a_week("80").value == 80.0
    assert read_hours_a_week("81").problem is not None
