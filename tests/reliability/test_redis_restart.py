"""Redis killed and restarted under load: quick 503s while it is gone, full service after."""

from __future__ import annotations

import signal
import time
from typing import TYPE_CHECKING

import httpx
import pytest

from hello.config import RedisSettings
from tests.support.load import Load, record_figures


if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.support.redis import RedisServer
    from tests.support.service import ServiceProcess

OPERATION_TIMEOUT = RedisSettings().operation_timeout
# What a busy two-core machine may add to an answer, measured from the client.
MARGIN = 0.75
OUTAGE_SECONDS = 3.0
# Full success must be back this soon after Redis accepts connections again.
RECOVERY_BOUND = 3.0


@pytest.mark.slow
def test_redis_killed_under_load_gives_only_quick_503s_then_full_success(
    redis: RedisServer, start_service: Callable[..., ServiceProcess]
) -> None:
    """While Redis is down answers are 503 within the timeout; soon after its restart, all pass."""
    service = start_service({"REDIS_URL": redis.url()})
    load = Load(service.base_url, max_seconds=30).start()

    load.wait_for_requests(150)
    stopped = time.monotonic()
    redis.stop(signal.SIGKILL)
    not_ready_after = _wait_for_readiness(service, 503)
    time.sleep(OUTAGE_SECONDS)
    redis.start()
    restarted = time.monotonic()
    ready_after = _wait_for_readiness(service, 200)
    time.sleep(RECOVERY_BOUND + 1.0)
    result = load.stop()

    during = [o for o in result.outcomes if result.since(stopped) <= o.started]
    recovery = result.recovered_after(restarted) or 0.0
    first_success = result.first_success_after(restarted)
    assert result.unexpected({200, 204, 404, 503}) == []
    assert result.slowest() < OPERATION_TIMEOUT + MARGIN
    assert not_ready_after < 2.0
    assert ready_after < RECOVERY_BOUND
    assert any(o.status == 503 for o in during)
    assert recovery < RECOVERY_BOUND
    assert result.successes_after(restarted + RECOVERY_BOUND) > 50
    record_figures(
        "redis-kill-restart",
        {
            **result.figures(),
            "outage_seconds": round(restarted - stopped, 2),
            "errors_during_outage": len(result.failures()),
            "readiness_503_after_kill_seconds": round(not_ready_after, 3),
            "readiness_200_after_restart_seconds": round(ready_after, 3),
            "last_error_after_restart_seconds": round(recovery, 3),
            "first_success_after_restart_seconds": first_success and round(first_success, 3),
        },
    )


def _wait_for_readiness(service: ServiceProcess, status: int, timeout: float = 10.0) -> float:
    """Poll /readyz until it answers ``status``; return how long that took."""
    started = time.monotonic()
    while httpx.get(f"{service.base_url}/readyz", timeout=5).status_code != status:
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"/readyz never answered {status}")
        time.sleep(0.05)
    return time.monotonic() - started
