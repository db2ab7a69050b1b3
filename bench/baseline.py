"""The least a server can do to answer the birthday API: raw ASGI over the same Redis work.

It is the yardstick of ``make bench``: the same uvicorn options as ``hello serve``, the same
redis-py pool settings as ``hello.store.redis.RedisStore.from_settings`` (kept in step by
hand: change both together), the same date rules from ``hello.birthday``, and nothing else:
no framework, no validation messages, no logs, no metrics, no request ids.

Run: ``python -m bench.baseline`` with ``HELLO_PORT`` and ``REDIS_URL`` set.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date
from typing import TYPE_CHECKING, Any

import msgspec
import uvicorn
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from hello.birthday import days_until_birthday, greeting, today_in
from hello.config import Settings


if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, MutableMapping

    Message = MutableMapping[str, Any]
    Receive = Callable[[], Awaitable[Message]]
    Send = Callable[[Message], Awaitable[None]]

__all__ = ("create_app",)

_USERNAME = re.compile(r"/hello/([A-Za-z]{1,64})")
_JSON = [(b"content-type", b"application/json")]


class _Birthday(msgspec.Struct, forbid_unknown_fields=True):
    dateOfBirth: date  # noqa: N815 - the wire name


def _client(settings: Settings) -> Redis:
    redis = settings.redis
    if redis.url is None:
        raise SystemExit("bench.baseline needs REDIS_URL")
    pool = BlockingConnectionPool.from_url(
        redis.url,
        max_connections=redis.max_connections,
        timeout=redis.operation_timeout,
        socket_connect_timeout=redis.connect_timeout,
        socket_timeout=redis.socket_timeout,
        retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), redis.retries),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
        health_check_interval=30,
        client_name="hello-baseline",
    )
    return Redis(connection_pool=pool)


async def _respond(send: Send, status: int, body: bytes = b"") -> None:
    headers = _JSON if body else []
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    chunks = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def create_app() -> Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]:
    """Build the baseline application from the same settings the service reads."""
    settings = Settings.from_env()
    client = _client(settings)
    prefix = f"{settings.redis.key_prefix}user:"
    zone = settings.api.time_zone
    limit = settings.api.max_body_bytes
    timeout = settings.redis.operation_timeout

    async def app(  # noqa: PLR0911 - one flat function is the point of a baseline
        scope: MutableMapping[str, Any], receive: Receive, send: Send
    ) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await client.aclose(close_connection_pool=True)
            await send({"type": "lifespan.shutdown.complete"})
            return
        match = _USERNAME.fullmatch(scope["path"])
        if match is None:
            await _respond(send, 404 if scope["path"] != "/readyz" else 200, b"{}")
            return
        key = prefix + match[1]
        if scope["method"] not in ("GET", "PUT"):
            await _respond(send, 405, b"{}")
            return
        try:
            async with asyncio.timeout(timeout):
                if scope["method"] == "GET":
                    raw = await client.get(key)
                    if raw is None:
                        await _respond(send, 404, b"{}")
                        return
                    born = date.fromisoformat(raw.decode() if isinstance(raw, bytes) else raw)
                    days = days_until_birthday(born, today_in(zone))
                    body = msgspec.json.encode({"message": greeting(match[1], days)})
                    await _respond(send, 200, body)
                    return
                payload = await _read_body(receive, limit)
                if payload is None:
                    await _respond(send, 413, b"{}")
                    return
                try:
                    saved: date | None = msgspec.json.decode(payload, type=_Birthday).dateOfBirth
                except msgspec.DecodeError:  # also every validation error
                    saved = None
                if saved is None or saved >= today_in(zone):
                    await _respond(send, 400, b"{}")
                    return
                await client.set(key, saved.isoformat())
                await _respond(send, 204)
        except (TimeoutError, RedisError, OSError):
            await _respond(send, 503, b"{}")

    return app


def main() -> None:
    """Serve the baseline with the uvicorn options ``hello serve`` uses."""
    server = Settings.from_env().server
    uvicorn.run(
        "bench.baseline:create_app",
        factory=True,
        host=server.host,
        port=server.port,
        workers=server.workers,
        timeout_keep_alive=int(server.keepalive_timeout),
        log_config=None,
        access_log=False,
        server_header=False,
    )


if __name__ == "__main__":
    main()
