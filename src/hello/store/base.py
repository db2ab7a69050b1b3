"""The store interface: what the API needs from wherever birthdays are kept."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol


if TYPE_CHECKING:
    from datetime import date

__all__ = ("Store", "StoreUnavailableError")


class StoreUnavailableError(Exception):
    """The store did not answer in time or refused the call; the request may be retried.

    The message is safe to log: it never holds a URL or a password.
    """

    def __init__(self, operation: str, reason: str) -> None:
        super().__init__(f"{operation}: {reason}")
        self.operation = operation
        self.reason = reason


class Store(Protocol):
    """Keeps each user's date of birth."""

    #: A short name for logs and metrics, such as ``memory`` or ``redis``.
    kind: str

    async def get_birthday(self, username: str) -> date | None:
        """Return the date of birth saved for ``username``, or ``None`` if there is none.

        Raises:
            StoreUnavailableError: The store did not answer.
        """
        ...

    async def put_birthday(self, username: str, date_of_birth: date) -> None:
        """Save ``date_of_birth`` for ``username``, replacing any earlier one.

        Raises:
            StoreUnavailableError: The store did not answer; nothing may have been saved.
        """
        ...

    async def ping(self) -> None:
        """Check that the store answers.

        Raises:
            StoreUnavailableError: The store did not answer.
        """
        ...

    async def close(self) -> None:
        """Release connections; the store is not used afterwards."""
        ...
