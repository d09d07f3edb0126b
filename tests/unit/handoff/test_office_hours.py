from datetime import datetime

import pytest

from handoff.office_hours import OfficeHours, OfficeHoursError

WEEKDAYS = OfficeHours.parse("Mon-Fri 09:00-17:00")


def test_hours_are_described_as_people_write_them():
    hours = OfficeHours.parse("Mon-Thu 08:00-16:00, fri 08:00-12:00")

    assert hours.describe() == "Monday to Thursday, 08:00 to 16:00; Friday, 08:00 to 12:00"


CLOSED = "The office is closed now; someone will read it when it opens, "


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 25, 10, 30), "The office is open now, so someone should read it today."),
        (datetime(2026, 11, 25, 7, 0), CLOSED + "today at 09:00."),
        (datetime(2026, 11, 25, 18, 0), CLOSED + "tomorrow at 09:00."),
        (datetime(2026, 11, 27, 17, 0), CLOSED + "Monday at 09:00."),
        (datetime(2026, 11, 29, 12, 0), CLOSED + "tomorrow at 09:00."),
    ],
)  # fmt: skip
def test_the_person_is_told_when_someone_will_read_their_request(moment, expected):
    # 25 November 2026 is a Wednesday, the 27th a Friday (17:00 is closing time), the 29th a Sunday.
    assert WEEKDAYS.when_answered(moment) == expected


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        ("weekdays 9-5", "is not like 'Mon-Fri 09:00-17:00'"),
        ("Fri-Mon 09:00-17:00", "runs backwards"),
        ("Mon-Fri 17:00-09:00", "closes before it opens"),
        ("Mon-Fri 09:00-25:00", "is not a time of day"),
        ("Mon-Fry 09:00-17:00", "is not a day"),
        ("  ", "are empty"),
    ],
)
def test_malformed_hours_are_refused_with_what_is_wrong(setting, problem):
    with pytest.raises(OfficeHoursError, match=problem):
        OfficeHours.parse(setting)
