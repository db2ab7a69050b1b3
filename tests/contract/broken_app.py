"""A deliberately broken variant of the service, to prove that the contract tests can fail.

The real application runs inside; one ASGI wrapper breaks it in the way ``BROKEN_MODE`` names:

- ``server-error``: a PUT for a username longer than 8 letters answers 500.
- ``wrong-greeting``: a GET that would answer 200 answers a greeting its own schema forbids
  ("in 0 days"), a fast wrong answer that only a write-then-read sequence reaches.
- ``future-date-accepted``: a PUT of a date after today answers 204 and saves nothing, which
  the schema cannot forbid; only the date-rule check in ``contract/hooks.py`` can see it.

Run it with ``uvicorn --factory tests.contract.broken_app:create_broken_app``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import TYPE_CHECKING, Any, cast

from hello.app import create_app


if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, MutableMapping

    Scope = MutableMapping[str, Any]
    Message = MutableMapping[str, Any]
    Receive = Callable[[], Awaitable[Message]]
    Send = Callable[[Message], Awaitable[None]]
    ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

__all__ = ("MODES", "create_broken_app")

MODES = ("server-error", "wrong-greeting", "future-date-accepted")
LONG_NAME = 8


async def _answer(send: Send, status: int, body: bytes, media_type: str) -> None:
    headers = [
        (b"content-type", media_type.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _username(scope: Scope) -> str | None:
    path: str = scope["path"]
    return path.removeprefix("/hello/") if path.startswith("/hello/") else None


def _fail_long_names(app: ASGIApp) -> ASGIApp:
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        username = _username(scope) if scope["type"] == "http" else None
        if scope.get("method") == "PUT" and username and len(username) > LONG_NAME:
            await _answer(send, 500, b"Internal Server Error", "text/plain")
            return
        await app(scope, receive, send)

    return broken


def _garble_greetings(app: ASGIApp) -> ASGIApp:
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        username = _username(scope) if scope["type"] == "http" else None
        if scope.get("method") != "GET" or not username:
            await app(scope, receive, send)
            return
        started: Message = {}

        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
                if message["status"] != 200:
                    await send(message)
                return
            if started["status"] != 200:
                await send(message)
                return
            if not message.get("more_body", False):
                greeting = {"message": f"Hello, {username}! Your birthday is in 0 days"}
                await _answer(send, 200, json.dumps(greeting).encode(), "application/json")

        await app(scope, receive, rewrite)

    return broken


def _is_future(body: bytes) -> bool:
    try:
        born = dt.date.fromisoformat(json.loads(body)["dateOfBirth"])
    except (ValueError, TypeError, KeyError):
        return False
    return born > dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)


def _accept_future_dates(app: ASGIApp) -> ASGIApp:
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "PUT":
            await app(scope, receive, send)
            return
        messages = [await receive()]
        while messages[-1].get("more_body", False):
            messages.append(await receive())
        body = b"".join(message.get("body", b"") for message in messages)
        if _username(scope) and _is_future(body):
            await _answer(send, 204, b"", "text/plain")
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await app(scope, replay, send)

    return broken


def create_broken_app() -> ASGIApp:
    """Build the real service from the environment, broken as ``BROKEN_MODE`` says."""
    mode = os.environ.get("BROKEN_MODE", "")
    if mode not in MODES:
        raise SystemExit(f"BROKEN_MODE must be one of {', '.join(MODES)}, got {mode!r}")
    app = cast("ASGIApp", create_app())
    if mode == "server-error":
        return _fail_long_names(app)
    if mode == "wrong-greeting":
        return _garble_greetings(app)

    return _accept_future_dates(app)
