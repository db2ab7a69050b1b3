"""The load clients' idea of a right answer agrees with the service's date rules."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given
from hypothesis import strategies as st
from load.expectations import (
    check_greeting,
    new_username,
    next_birthday_count,
    realistic_birth_date,
    unknown_username,
)

from hello.birthday import days_until_birthday, greeting


TODAY = dt.date(2026, 12, 4)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(born=dates, today=dates)
def test_count_agrees_with_the_service(born: dt.date, today: dt.date) -> None:
    """Whatever the dates, the load clients expect the day count the service computes."""
    if born >= today:
        born, today = today - dt.timedelta(days=1), born

    assert next_birthday_count(born, today) == days_until_birthday(born, today)


@given(born=dates)
def test_service_greeting_passes_and_an_off_by_one_fails(born: dt.date) -> None:
    """The service's own message is accepted; one day more or less is not."""
    born = min(born, TODAY - dt.timedelta(days=2))
    days = days_until_birthday(born, TODAY)
    wrong = days + 3 if days < 300 else days - 3

    assert check_greeting(greeting("Ada", days), "Ada", born, TODAY) is None
    assert check_greeting(greeting("Ada", wrong), "Ada", born, TODAY) is not None


def test_greeting_for_another_user_fails() -> None:
    """A greeting that names someone else is wrong even if the count is right."""
    born = dt.date(1990, 12, 10)

    assert check_greeting(greeting("Bob", 6), "Ada", born, TODAY) is not None


def test_zero_days_must_be_happy_birthday() -> None:
    """A count of zero is never right: on the day the service must say Happy birthday."""
    born = dt.date(1990, 12, 4)

    assert check_greeting("Hello, Ada! Your birthday is in 0 day(s)", "Ada", born, TODAY)
    assert check_greeting("Hello, Ada! Happy birthday!", "Ada", born, TODAY) is None


def test_realistic_dates_are_valid_anywhere_on_earth() -> None:
    """Generated dates lie at least two days back and at most about 90 years back."""
    rng = random.Random(7)

    born = [realistic_birth_date(rng, TODAY) for _ in range(5000)]

    assert max(born) <= TODAY - dt.timedelta(days=2)
    assert min(born) >= dt.date(TODAY.year - 91, 1, 1)
    assert any((day.month, day.day) == (TODAY.month, TODAY.day) for day in born)


def test_unknown_names_cannot_collide_with_registered_ones() -> None:
    """Registered and unknown names differ in length, and both are valid usernames."""
    rng = random.Random(7)

    registered = {new_username(rng) for _ in range(1000)}
    unknown = {unknown_username(rng) for _ in range(1000)}

    assert {len(name) for name in registered}.isdisjoint({len(name) for name in unknown})
    assert all(
        name.isascii() and name.isalpha() and len(name) <= 64 for name in registered | unknown
    )
