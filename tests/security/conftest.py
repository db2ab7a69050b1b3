"""Fixtures of the security tests: one service on a Redis of its own, and what it stores."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import redis as redis_client

from tests.support.redis import RedisServer
from tests.support.service import ServiceProcess


if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """Yield a redis-server used by this module alone, so every key in it is ours."""
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def service(
    tmp_path_factory: pytest.TempPathFactory, own_redis: RedisServer
) -> Iterator[ServiceProcess]:
    """Yield ``hello serve`` on ``own_redis`` for the whole module."""
    process = ServiceProcess(tmp_path_factory.mktemp("service"), env={"REDIS_URL": own_redis.url()})
    yield process.start(wait_for="/readyz")
    process.stop()


@pytest.fixture(scope="module")
def stored(own_redis: RedisServer) -> Iterator[Callable[[], dict[str, str]]]:
    """Yield a function that returns every key and value in ``own_redis``."""
    client = redis_client.Redis(port=own_redis.port, decode_responses=True)

    def snapshot() -> dict[str, str]:
        keys = sorted(client.scan_iter(count=1000))
        return dict(zip(keys, client.mget(keys), strict=True)) if keys else {}

    yield snapshot
    client.close()
