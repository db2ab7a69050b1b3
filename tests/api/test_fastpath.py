"""The greeting fast path answers exactly what the Litestar handler answers."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import TYPE_CHECKING

import pytest
import time_machine
from litestar.testing import TestClient

from hello.app import create_app
from hello.config import RedisSettings, Settings
from hello.store import MemoryStore, RedisStore, Store
from tests.api.conftest import NOW
from tests.support.ports import free_port


if TYPE_CHECKING:
    from litestar import Litestar


def _answer(app: Litestar, path: str) -> tuple[int, dict[str, str], bytes, str]:
    with time_machine.travel(NOW, tick=False), TestClient(app) as client:
        answer = client.get(path)
        metrics = client.get("/metrics").text
    headers = {k: v for k, v in answer.headers.items() if k != "x-request-id"}
    return answer.status_code, headers, answer.content, metrics


def _store_with_users() -> Store:
    store = MemoryStore()
    users = {"Alice": date(1990, 12, 5), "Bob": date(1980, 12, 4), "Leap": date(2000, 2, 29)}
    for username, born in users.items():
        asyncio.run(store.put_birthday(username, born))
    return store


@pytest.mark.parametrize(
    "path",
    ["/hello/Alice", "/hello/Bob", "/hello/Leap", "/hello/Nobody", "/hello/Alice?x=1"],
)
def test_same_answer_as_the_handler(path: str) -> None:
    """Status, headers and body match the Litestar handler's, for greetings and 404s."""
    fast = _answer(create_app(Settings(), _store_with_users()), path)
    slow = _answer(create_app(Settings(), _store_with_users(), fast_path=False), path)

    assert fast[:3] == slow[:3]
    route = 'route="/hello/{username}"'
    assert route in fast[3]
    assert route in slow[3]


def test_same_answer_when_the_store_is_down() -> None:
    """A store failure gets the same 503, Retry-After and counted error on both paths."""
    url = f"redis://127.0.0.1:{free_port()}/0"

    def store() -> Store:
        return RedisStore.from_settings(RedisSettings(url=url, operation_timeout=0.3))

    fast = _answer(create_app(Settings(), store()), "/hello/Alice")
    slow = _answer(create_app(Settings(), store(), fast_path=False), "/hello/Alice")

    assert fast[0] == 503
    assert fast[:3] == slow[:3]
    assert 'hello_store_errors_total{operation="get"} 1.0' in fast[3]
    assert 'hello_store_errors_total{operation="get"} 1.0' in slow[3]


@pytest.mark.parametrize("path", ["/hello/al1ce", "/hello/" + "a" * 65])
def test_invalid_usernames_reach_the_handler(path: str) -> None:
    """What the fast path does not match still gets the framework's 400 problem."""
    status, _, body, _ = _answer(create_app(Settings(), _store_with_users()), path)

    assert status == 400
    assert b'"field":"username"' in body


def test_trailing_slash_is_answered_by_the_handler_alike() -> None:
    """Litestar serves /hello/Alice/ as /hello/Alice: the same greeting, by the other path."""
    app = create_app(Settings(), _store_with_users())

    with_slash = _answer(app, "/hello/Alice/")
    without = _answer(create_app(Settings(), _store_with_users()), "/hello/Alice")

    assert with_slash[:3] == without[:3]


class _BrokenStore(MemoryStore):
    """A store with a bug: every read raises an error nobody expects."""

    async def get_birthday(self, username: str) -> date | None:
        raise RuntimeError(username)


def test_same_answer_when_the_store_has_a_bug() -> None:
    """An unexpected error gets the same bare 500 problem on both paths."""
    fast = _answer(create_app(Settings(), _BrokenStore()), "/hello/Alice")
    slow = _answer(create_app(Settings(), _BrokenStore(), fast_path=False), "/hello/Alice")

    assert fast[0] == 500
    assert fast[:3] == slow[:3]
