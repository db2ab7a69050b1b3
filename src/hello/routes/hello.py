"""``/hello/{username}``: save a date of birth, and greet by it."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, Response, get, put, route
from litestar.enums import HttpMethod
from litestar.openapi.spec import Example
from litestar.params import JSONBody, Parameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from hello.birthday import days_until_birthday, greeting, today_in
from hello.dependencies import ServicesDep  # noqa: TC001 - Litestar reads it
from hello.problems import InvalidFieldError, UserNotFoundError, body_exception_handlers


__all__ = (
    "GREETING_ROUTE",
    "USERNAME_LETTERS",
    "USERNAME_PATTERN",
    "Birthday",
    "Greeting",
    "HelloController",
)

USERNAME_LETTERS = "[A-Za-z]{1,64}"
USERNAME_PATTERN = f"^{USERNAME_LETTERS}$"
GREETING_ROUTE = "/hello/{username}"
# fullmatch, not the pattern's "$", which Python also lets match before a trailing newline.
_USERNAME = re.compile(USERNAME_LETTERS)

Username = Annotated[
    str,
    Parameter(
        description="ASCII letters only, case-sensitive.",
        pattern=USERNAME_PATTERN,
        min_length=1,
        max_length=64,
        examples=[Example(value="Alice")],
    ),
]


class Birthday(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The body of a PUT: a date of birth."""

    date_of_birth: date = msgspec.field(name="dateOfBirth")
    """``YYYY-MM-DD``, strictly before today."""


class Greeting(msgspec.Struct, kw_only=True):
    """The body of a GET."""

    message: str
    """``Hello, <username>! Your birthday is in N day(s)`` or ``… Happy birthday!``."""


def _check_username(username: str) -> None:
    if not _USERNAME.fullmatch(username):
        raise InvalidFieldError("username", "must be 1 to 64 ASCII letters")


class HelloController(Controller):
    """Save and greet users by their date of birth."""

    path = "/hello/{username:str}"
    tags = ["hello"]  # noqa: RUF012 - Litestar reads it as a class attribute

    # Litestar 2 builds the automatic OPTIONS answer from the first handler registered on a
    # path, so it would leave PUT out of Allow (litestar-org/litestar#4169, fixed in 3.0).
    # Defined first: Litestar registers a controller's handlers in definition order.
    @route(http_method=HttpMethod.OPTIONS, include_in_schema=False, status_code=204)
    async def allow(self) -> Response[None]:
        """List the methods this resource serves."""
        return Response(
            None, status_code=HTTP_204_NO_CONTENT, headers={"Allow": "GET, OPTIONS, PUT"}
        )

    @put(
        status_code=HTTP_204_NO_CONTENT,
        operation_id="putBirthday",
        summary="Save or replace a user's date of birth.",
        exception_handlers=body_exception_handlers(),
    )
    async def put_birthday(
        self,
        username: Username,
        data: JSONBody[Birthday],
        services: ServicesDep,
    ) -> None:
        """Save ``data.date_of_birth`` for ``username``; it must be before today."""
        _check_username(username)
        if data.date_of_birth >= today_in(services.api.time_zone):
            raise InvalidFieldError("dateOfBirth", "must be a date before today")

        await services.store.put_birthday(username, data.date_of_birth)

    @get(operation_id="getGreeting", summary="Greet a user by their next birthday.")
    async def get_greeting(self, username: Username, services: ServicesDep) -> Greeting:
        """Return how many days remain until ``username``'s next birthday."""
        _check_username(username)
        date_of_birth = await services.store.get_birthday(username)
        if date_of_birth is None:
            raise UserNotFoundError.for_user(username)

        days = days_until_birthday(date_of_birth, today_in(services.api.time_zone))
        return Greeting(message=greeting(username, days))
