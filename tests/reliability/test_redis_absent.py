"""Redis absent at start: the process lives, answers 503, and is ready once Redis appears.

tests/integration/test_serve.py proves the basic case for one redis-server; these tests add
cluster mode, PUT as well as GET, the time each answer takes, and the time to readiness.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import httpx
import pytest

from hello.config import RedisSettings
from tests.support.load import record_figures
from tests.support.redis import RedisCluster


if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.support.redis import RedisServer
    from tests.support.service import ServiceProcess

# Time the test process itself may add to an answer on a busy two-core machine.
MARGIN = 0.75
OPERATION_TIMEOUT = RedisSettings().operation_timeout


def _timed(
    client: httpx.Client, method: str, path: str, **kwargs: object
) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
    return response, time.monotonic() - started


def _seconds_until_ready(service: ServiceProcess, timeout: float = 20.0) -> float:
    started = time.monotonic()
    service.wait_for("/readyz", timeout=timeout)
    return time.monotonic() - started


def _assert_unavailable(response: httpx.Response, seconds: float) -> None:
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 503
    assert seconds < OPERATION_TIMEOUT + MARGIN


def _probe_while_absent(service: ServiceProcess) -> dict[str, tuple[httpx.Response, float]]:
    with httpx.Client(base_url=service.base_url, timeout=10) as client:
        return {
            "livez": _timed(client, "GET", "/livez"),
            "readyz": _timed(client, "GET", "/readyz"),
            "get": _timed(client, "GET", "/hello/Alice"),
            "put": _timed(client, "PUT", "/hello/Alice", json={"dateOfBirth": "1990-01-01"}),
        }


def test_standalone_absent_at_start_serves_503_then_recovers_in_place(
    redis: RedisServer, start_service: Callable[..., ServiceProcess]
) -> None:
    """Without Redis every store call is a quick 503; Redis arriving makes the same PID ready."""
    redis.stop()
    service = start_service({"REDIS_URL": redis.url()}, wait_for="/livez")
    pid = service.pid

    absent = _probe_while_absent(service)
    redis.start()
    ready_after = _seconds_until_ready(service)
    saved = httpx.put(f"{service.base_url}/hello/Alice", json={"dateOfBirth": "1990-01-01"})

    livez, livez_seconds = absent["livez"]
    assert livez.status_code == 200
    assert livez_seconds < 0.5
    for name in ("readyz", "get", "put"):
        _assert_unavailable(*absent[name])
    assert saved.status_code == 204
    assert service.pid == pid
    assert ready_after < 2.0
    record_figures(
        "redis-absent-standalone",
        {
            "answer_seconds": {k: round(v[1], 3) for k, v in absent.items()},
            "ready_after_redis_start_seconds": round(ready_after, 3),
        },
    )


@pytest.mark.slow
def test_cluster_absent_at_start_serves_503_then_recovers_in_place(
    tmp_path: Path, start_service: Callable[..., ServiceProcess]
) -> None:
    """In cluster mode too, no reachable node means a live process answering 503, then ready."""
    cluster = RedisCluster(tmp_path / "cluster", masters=3).start()
    cluster.stop()  # every node keeps its nodes.conf, so the same cluster comes back below
    try:
        service = start_service({"REDIS_URL": cluster.url, "REDIS_CLUSTER": "true"}, None)
        service.wait_for("/livez")
        pid = service.pid

        absent = _probe_while_absent(service)
        for node in cluster.nodes:
            node.start()
        cluster.wait_healthy()
        ready_after = _seconds_until_ready(service)
        saved = httpx.put(f"{service.base_url}/hello/Alice", json={"dateOfBirth": "1990-01-01"})
    finally:
        cluster.stop()

    assert absent["livez"][0].status_code == 200
    for name in ("readyz", "get", "put"):
        _assert_unavailable(*absent[name])
    assert saved.status_code == 204
    assert service.pid == pid
    record_figures(
        "redis-absent-cluster",
        {
            "answer_seconds": {k: round(v[1], 3) for k, v in absent.items()},
            "ready_after_cluster_healthy_seconds": round(ready_after, 3),
        },
    )
