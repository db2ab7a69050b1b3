"""What a simulated client sends and what it accepts back, free of locust so tests can import it.

The service counts days in its own time zone (``HELLO_TIME_ZONE``), which the client does not
know; "today" there is within a day of the UTC date, so every check here allows that day.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import TYPE_CHECKING


if TYPE_CHECKING:
    import random


__all__ = (
    "GREETING",
    "check_greeting",
    "expected_day_counts",
    "new_username",
    "next_birthday_count",
    "realistic_birth_date",
    "unknown_username",
    "utc_today",
)

# Registered names are a first name plus 10 letters (at most 15); unknown ones are 40 letters,
# so a name read as unknown can never be one that a run registered.
FIRST_NAMES = (
    "Ada", "Alan", "Amara", "Bjorn", "Chen", "Dara", "Elif", "Farah", "Grace", "Hugo",
    "Ines", "Jonas", "Kenji", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Rosa", "Sven",
)  # fmt: skip
SUFFIX_LETTERS = 10
UNKNOWN_LETTERS = 40
ZONE_SLACK = dt.timedelta(days=1)
# Share of new users born on today's month and day, so "Happy birthday!" shows up under load.
BIRTHDAY_TODAY_SHARE = 0.02
MAX_AGE_YEARS = 90
GREETING = re.compile(
    r"Hello, (?P<name>[A-Za-z]+)! "
    r"(?:Happy birthday!|Your birthday is in (?P<days>[0-9]+) day\(s\))"
)


def utc_today() -> dt.date:
    """Return the calendar date in UTC."""
    return dt.datetime.now(dt.UTC).date()


def new_username(rng: random.Random) -> str:
    """Return a plausible, practically unique username: a first name and 10 letters."""
    suffix = "".join(rng.choices(string.ascii_lowercase, k=SUFFIX_LETTERS))
    return rng.choice(FIRST_NAMES) + suffix


def unknown_username(rng: random.Random) -> str:
    """Return 40 random letters, a length no registered name of a run has."""
    return "".join(rng.choices(string.ascii_letters, k=UNKNOWN_LETTERS))


def realistic_birth_date(rng: random.Random, today: dt.date) -> dt.date:
    """Draw a date of birth up to 90 years back and at least two days before ``today``.

    Two days keep the date valid whatever the service's time zone; a few dates fall on
    today's month and day in an earlier year.
    """
    if rng.random() < BIRTHDAY_TODAY_SHARE:
        year = today.year - rng.randint(1, MAX_AGE_YEARS)
        day = 28 if (today.month, today.day) == (2, 29) else today.day
        return dt.date(year, today.month, day)
    earliest = today - dt.timedelta(days=365 * MAX_AGE_YEARS + MAX_AGE_YEARS // 4)
    latest = today - 2 * ZONE_SLACK

    return earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))


def _birthday_in(born: dt.date, year: int) -> dt.date:
    try:
        return born.replace(year=year)
    except ValueError:  # 29 February in a common year: the 28th, as ADR 4 rules
        return dt.date(year, 2, 28)


def next_birthday_count(born: dt.date, today: dt.date) -> int:
    """Return the whole days from ``today`` to the next birthday, 0 on the day itself."""
    birthday = _birthday_in(born, today.year)
    if birthday < today:
        birthday = _birthday_in(born, today.year + 1)

    return (birthday - today).days


def expected_day_counts(born: dt.date, today: dt.date) -> set[int]:
    """Return the acceptable counts when the service's date is within a day of ``today``."""
    return {
        next_birthday_count(born, today + offset)
        for offset in (-ZONE_SLACK, dt.timedelta(0), ZONE_SLACK)
    }


def check_greeting(message: object, name: str, born: dt.date, today: dt.date) -> str | None:
    """Judge the message of a 200 answer for user ``name`` born on ``born``.

    Returns:
        Why the message is wrong, or ``None`` when it is right.
    """
    match = GREETING.fullmatch(message) if isinstance(message, str) else None
    if match is None or match["name"] != name:
        return f"unexpected greeting {message!r}"
    days = int(match["days"]) if match["days"] else 0
    if days == 0 and match["days"] is not None:
        return f"{message!r}: a birthday today must say Happy birthday"
    if days not in expected_day_counts(born, today):
        return f"{message!r} is wrong for a date of birth of {born.isoformat()}"
    return None
