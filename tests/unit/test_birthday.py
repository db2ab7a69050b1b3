"""The date rules: the next birthday, 29 February, year ends and the greeting."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from hello.birthday import days_until_birthday, greeting, next_birthday, today_in


@pytest.mark.parametrize(
    ("born", "today", "days"),
    [
        (date(1990, 12, 5), date(2026, 12, 4), 1),
        (date(1990, 12, 4), date(2026, 12, 4), 0),
        (date(1990, 12, 3), date(2026, 12, 4), 364),
        (date(1990, 1, 1), date(2026, 12, 31), 1),
        (date(1990, 12, 31), date(2027, 1, 1), 364),
        (date(1990, 12, 31), date(2028, 1, 1), 365),  # across a leap day
        (date(2000, 2, 29), date(2027, 2, 28), 0),  # common year: the 28th
        (date(2000, 2, 29), date(2028, 2, 28), 1),  # leap year: the 29th itself
        (date(2000, 2, 29), date(2028, 2, 29), 0),
        (date(2000, 2, 29), date(2027, 3, 1), 365),  # next is 2028-02-29
        (date(2000, 2, 28), date(2028, 2, 29), 365),
        (date(2000, 3, 1), date(2027, 2, 28), 1),
    ],
)
def test_days_until_birthday(born: date, today: date, days: int) -> None:
    """Counts whole calendar days to the next birthday, 0 on the day itself."""
    assert days_until_birthday(born, today) == days


@given(
    born=st.dates(min_value=date(1, 1, 1), max_value=date(9000, 12, 31)),
    offset=st.integers(min_value=1, max_value=366 * 50),
)
def test_next_birthday_is_the_first_celebration_on_or_after_today(born: date, offset: int) -> None:
    """The next birthday is on or after today, at most 365 days on, and on the right day."""
    today = born + timedelta(days=offset)
    if today.year >= 9999:
        return

    upcoming = next_birthday(born, today)

    assert 0 <= (upcoming - today).days <= 365
    if (born.month, born.day) == (2, 29) and not calendar.isleap(upcoming.year):
        assert (upcoming.month, upcoming.day) == (2, 28)
    else:
        assert (upcoming.month, upcoming.day) == (born.month, born.day)


@given(born=st.dates(max_value=date(9000, 12, 31)), today=st.dates(max_value=date(9998, 1, 1)))
def test_no_earlier_celebration_is_skipped(born: date, today: date) -> None:
    """No day between today and the next birthday is itself a birthday."""
    days = days_until_birthday(born, today)

    for earlier in range(days):
        day = today + timedelta(days=earlier)
        assert days_until_birthday(born, day) > 0


@given(username=st.from_regex(r"\A[A-Za-z]{1,64}\Z"), days=st.integers(min_value=1, max_value=366))
def test_greeting_counts_days(username: str, days: int) -> None:
    """The message echoes the username and the number of days, with the literal day(s)."""
    assert greeting(username, days) == f"Hello, {username}! Your birthday is in {days} day(s)"


def test_greeting_on_the_day() -> None:
    """On the birthday the message wishes a happy birthday."""
    assert greeting("Alice", 0) == "Hello, Alice! Happy birthday!"


@time_machine.travel(datetime(2026, 12, 4, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False)
def test_today_depends_on_the_time_zone() -> None:
    """Today is the calendar date in the configured zone, not the server's."""
    assert today_in(ZoneInfo("UTC")) == date(2026, 12, 4)
    assert today_in(ZoneInfo("Pacific/Auckland")) == date(2026, 12, 5)
    assert today_in(ZoneInfo("America/New_York")) == date(2026, 12, 4)
