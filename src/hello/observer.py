"""One access event, one metrics sample and a request id for every HTTP request."""

from __future__ import annotations

import random
import re
import time
from typing import TYPE_CHECKING

import structlog
from litestar.enums import ScopeType


if TYPE_CHECKING:
    from litestar.types import ASGIApp, Message, Receive, Scope, Send

    from hello.metrics import Metrics

__all__ = ("REQUEST_ID_HEADER", "RequestObserver")

REQUEST_ID_HEADER = "x-request-id"
_REQUEST_ID_HEADER_BYTES = REQUEST_ID_HEADER.encode()
# A caller's request id is kept only if it cannot forge log lines or blow up their size.
_SAFE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")
_UNMATCHED = "unmatched"


def _request_id(scope: Scope) -> bytes:
    for name, value in scope["headers"]:
        if name == _REQUEST_ID_HEADER_BYTES and _SAFE_REQUEST_ID.fullmatch(value):
            return value
    # Unique enough to find one request's lines, and cheaper than uuid4's system call.
    return b"%032x" % random.getrandbits(128)


class RequestObserver:
    """ASGI middleware around the whole application, unmatched routes included."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self._app = app
        self._metrics = metrics
        # Bound once, here: the logging settings are fixed by the time an app is built, and a
        # bound logger spares each request the proxy's rebuild.
        self._log = structlog.get_logger("hello.access").bind()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request, then record it once."""
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return

        started = time.perf_counter()
        request_id = _request_id(scope)
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", ()))
                headers.append((_REQUEST_ID_HEADER_BYTES, request_id))
                message["headers"] = headers
            await send(message)

        bound = structlog.contextvars.bind_contextvars(request_id=request_id.decode())
        try:
            await self._app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = scope.get("path_template") or _UNMATCHED
            method = scope["method"]
            self._metrics.observe_request(method, route, status, seconds)
            emit = self._log.error if status >= 500 and status != 503 else self._log.info
            emit(
                "request",
                method=method,
                route=route,
                path=scope["path"],
                status=status,
                duration_ms=round(seconds * 1000, 3),
            )
            structlog.contextvars.reset_contextvars(**bound)
