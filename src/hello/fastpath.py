"""``GET /hello/{username}`` in plain ASGI: the hot path, without the framework's overhead.

Litestar's routing, parameter parsing and response objects cost more per request than
Redis does (docs/performance.md). This middleware answers the one hot request, a GET of a
well-formed username, itself, and passes everything else on to Litestar. It answers with the
same bytes the Litestar handler does, from the same pieces (``Greeting``, the problem body,
the store error accounting); ``tests/api/test_fastpath.py`` compares the two.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import msgspec
import structlog
from litestar.enums import ScopeType

from hello.birthday import days_until_birthday, greeting, today_in
from hello.problems import (
    PROBLEM_MEDIA_TYPE,
    STORE_UNAVAILABLE_DETAIL,
    STORE_UNAVAILABLE_HEADERS,
    UNEXPECTED_DETAIL,
    UserNotFoundError,
    encode_problem,
    record_store_failure,
    record_unexpected,
)
from hello.routes.hello import GREETING_ROUTE, USERNAME_LETTERS, Greeting
from hello.store import StoreUnavailableError


if TYPE_CHECKING:
    from litestar.types import ASGIApp, Receive, Scope, Send

    from hello.dependencies import Services

__all__ = ("GreetingFastPath",)

_PATH = re.compile(GREETING_ROUTE.replace("{username}", f"({USERNAME_LETTERS})"))
_JSON = b"application/json"
_PROBLEM = PROBLEM_MEDIA_TYPE.encode()
_RETRY = [
    (name.lower().encode(), value.encode()) for name, value in STORE_UNAVAILABLE_HEADERS.items()
]
_encoder = msgspec.json.Encoder()

log = structlog.get_logger("hello")


def _headers(media_type: bytes, body: bytes) -> list[tuple[bytes, bytes]]:
    return [(b"content-type", media_type), (b"content-length", str(len(body)).encode())]


class GreetingFastPath:
    """ASGI middleware that answers ``GET /hello/<letters>`` and passes on the rest."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self._app = app
        self._services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a greeting, or hand the request to the application."""
        if scope["type"] == ScopeType.HTTP and scope["method"] == "GET":
            match = _PATH.fullmatch(scope["path"])
            if match is not None:
                scope["path_template"] = GREETING_ROUTE
                status, headers, body = await self._answer(match[1])
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return
        await self._app(scope, receive, send)

    async def _answer(self, username: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        services = self._services
        try:
            date_of_birth = await services.store.get_birthday(username)
            if date_of_birth is None:
                body = encode_problem(404, UserNotFoundError.for_user(username).detail)
                return 404, _headers(_PROBLEM, body), body
            days = days_until_birthday(date_of_birth, today_in(services.api.time_zone))
            body = _encoder.encode(Greeting(message=greeting(username, days)))
        except StoreUnavailableError as exc:
            record_store_failure(exc, services.metrics)
            body = encode_problem(503, STORE_UNAVAILABLE_DETAIL)
            return 503, [*_headers(_PROBLEM, body), *_RETRY], body
        except Exception as exc:  # noqa: BLE001 - the same last resort Litestar's handlers give
            record_unexpected(exc)
            body = encode_problem(500, UNEXPECTED_DETAIL)
            return 500, _headers(_PROBLEM, body), body

        return 200, _headers(_JSON, body), body
