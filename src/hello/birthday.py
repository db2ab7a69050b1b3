"""The date rules of the birthday API: validity, the next birthday and the greeting."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import TYPE_CHECKING


if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

__all__ = ("days_until_birthday", "greeting", "next_birthday", "today_in")


def today_in(time_zone: ZoneInfo) -> date:
    """Return the calendar date it is now in ``time_zone``."""
    return datetime.now(time_zone).date()


def _birthday_in(date_of_birth: date, year: int) -> date:
    """Return the day ``year`` celebrates ``date_of_birth``: 29 February falls on the 28th."""
    if (date_of_birth.month, date_of_birth.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return date_of_birth.replace(year=year)


def next_birthday(date_of_birth: date, today: date) -> date:
    """Return the first birthday on or after ``today``.

    Args:
        date_of_birth: A date before ``today``.
        today: The calendar date to count from.
    """
    this_year = _birthday_in(date_of_birth, today.year)
    if this_year >= today:
        return this_year
    return _birthday_in(date_of_birth, today.year + 1)


def days_until_birthday(date_of_birth: date, today: date) -> int:
    """Return the whole calendar days from ``today`` to the next birthday; 0 on the day."""
    return (next_birthday(date_of_birth, today) - today).days


def greeting(username: str, days: int) -> str:
    """Return the message for ``username`` whose birthday is ``days`` days away."""
    if days == 0:
        return f"Hello, {username}! Happy birthday!"
    return f"Hello, {username}! Your birthday is in {days} day(s)"
