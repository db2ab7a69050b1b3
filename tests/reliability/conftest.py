"""Fixtures of the fault tests: service processes that are always stopped, Redis to break."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.support.redis import RedisServer
from tests.support.service import ServiceProcess


if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

# Redis refuses DEBUG unless told; the slow-Redis tests use DEBUG SLEEP from loopback.
DEBUG_FROM_LOOPBACK = ["--enable-debug-command", "local"]


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisServer]:
    """Yield a redis-server of this test's own that also accepts DEBUG from loopback."""
    server = RedisServer(tmp_path / "redis", extra=DEBUG_FROM_LOOPBACK).start()
    yield server
    server.stop()


@pytest.fixture
def start_service(tmp_path: Path) -> Iterator[Callable[..., ServiceProcess]]:
    """Yield a function that starts ``hello serve`` with extra environment; all stop at the end."""
    started: list[ServiceProcess] = []

    def start(env: dict[str, str], wait_for: str | None = "/readyz") -> ServiceProcess:
        service = ServiceProcess(tmp_path / f"service{len(started)}", env=env)
        started.append(service)
        return service.start(wait_for=wait_for)

    yield start
    for service in started:
        service.stop()
