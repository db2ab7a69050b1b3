"""The embedded store: a dictionary in this process, for a zero-setup start."""

from __future__ import annotations

from typing import TYPE_CHECKING


if TYPE_CHECKING:
    from datetime import date

__all__ = ("MemoryStore",)


class MemoryStore:
    """Keeps birthdays in process memory: not durable, not shared between processes."""

    kind = "memory"

    def __init__(self) -> None:
        self._birthdays: dict[str, date] = {}

    async def get_birthday(self, username: str) -> date | None:
        """Return the date saved for ``username``, or ``None``."""
        return self._birthdays.get(username)

    async def put_birthday(self, username: str, date_of_birth: date) -> None:
        """Save ``date_of_birth`` for ``username``."""
        self._birthdays[username] = date_of_birth

    async def ping(self) -> None:
        """Always succeed: the dictionary is always there."""

    async def close(self) -> None:
        """Forget nothing: the data lives as long as the process."""
