"""An in-process client of the whole application, over each store."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
import time_machine
from litestar.testing import TestClient

from hello.app import create_app
from hello.config import ApiSettings, RedisSettings, Settings
from hello.store import MemoryStore, RedisStore, Store


if TYPE_CHECKING:
    from collections.abc import Iterator

    from litestar import Litestar

    from tests.support.redis import RedisServer

# Every API test runs on 4 December 2026, 12:00 UTC.
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=ZoneInfo("UTC"))


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> Store:
    """Yield each store in turn: the embedded one and Redis (a real redis-server)."""
    if request.param == "memory":
        return MemoryStore()
    server: RedisServer = request.getfixturevalue("redis_server")
    prefix = f"test-{uuid.uuid4().hex[:8]}:"
    return RedisStore.from_settings(RedisSettings(url=server.url(), key_prefix=prefix))


@pytest.fixture
def settings() -> Settings:
    """Settings as in production, but for the store."""
    return Settings(api=ApiSettings(time_zone=ZoneInfo("UTC")))


@pytest.fixture
def app(settings: Settings, store: Store) -> Litestar:
    """The application over the store under test."""
    return create_app(settings, store)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    """A client of the running application, with the clock frozen at ``NOW``."""
    with time_machine.travel(NOW, tick=False), TestClient(app) as client:
        yield client
