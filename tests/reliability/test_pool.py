"""Ten times more concurrent requests than Redis connections: they wait their turn, none fail."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import pytest

from hello.config import RedisSettings
from tests.support.load import Load, record_figures
from tests.support.logs import served_seconds


if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.support.redis import RedisServer
    from tests.support.service import ServiceProcess

POOL = 4
CONCURRENCY = 10 * POOL
OPERATION_TIMEOUT = RedisSettings().operation_timeout
# Shorter than the 0.5 s socket timeout: commands in flight wait it out without retrying.
PAUSE_MS = 300


def _service_connections(redis: RedisServer) -> int:
    clients = redis.cli("CLIENT", "LIST").splitlines()
    return sum(1 for client in clients if " name=hello " in f" {client} ")


@pytest.mark.slow
def test_ten_times_more_requests_than_connections_wait_their_turn(
    redis: RedisServer, start_service: Callable[..., ServiceProcess]
) -> None:
    """40 concurrent requests over 4 connections all succeed, even across Redis pauses."""
    service = start_service({"REDIS_URL": redis.url(), "REDIS_MAX_CONNECTIONS": str(POOL)})
    load = Load(service.base_url, workers=CONCURRENCY, interval=0.1, max_seconds=20).start()
    connections = []

    load.wait_for_requests(200)
    for _ in range(3):
        pause = threading.Thread(target=redis.cli, args=("CLIENT", "PAUSE", str(PAUSE_MS), "ALL"))
        pause.start()
        time.sleep(0.15)
        connections.append(_service_connections(redis))
        pause.join()
        time.sleep(0.7)
    result = load.stop()

    served = served_seconds(service, "/hello/{username}")
    assert result.failures() == []
    assert result.most_in_flight() == CONCURRENCY
    assert max(connections) <= POOL
    assert PAUSE_MS / 1000 < max(served) < OPERATION_TIMEOUT
    record_figures(
        "pool-ten-times-oversubscribed",
        {
            **result.figures(),
            "pool_size": POOL,
            "most_requests_in_flight": result.most_in_flight(),
            "pauses_ms": [PAUSE_MS] * 3,
            "service_connections_seen": max(connections),
            "max_server_side_seconds": round(max(served), 3),
        },
    )
