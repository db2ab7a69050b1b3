"""A rolling update behind a balancer, with the chart's shutdown timings: no request fails.

Two instances run behind a local HAProxy that health-checks ``/readyz``, as a load balancer
does. Each in turn is replaced as a Deployment with ``maxUnavailable: 0`` does it: the new
instance is ready first, then the old one is deleted. The timings come from the chart's
``values.yaml`` (``shutdown:``), so the chart and this test cannot drift apart.
"""

from __future__ import annotations

import signal
import time
from datetime import datetime
from typing import TYPE_CHECKING

import pytest

from tests.support.chart import ShutdownTimings
from tests.support.haproxy import HAProxy
from tests.support.load import Load, record_figures
from tests.support.logs import log_events
from tests.support.ports import free_port
from tests.support.service import ServiceProcess


if TYPE_CHECKING:
    from pathlib import Path

    from tests.support.redis import RedisServer

TIMINGS = ShutdownTimings.from_values()
CHECK_INTERVAL = 1.0
FALL = 2
REPLACEMENTS = (("old1", "new1"), ("old2", "new2"))

# How a pod leaves the balancer when it is deleted:
# - endpoints: Kubernetes drops its endpoint at once and the preStop pause runs meanwhile;
#   here HAProxy puts the server in DRAIN, then SIGTERM comes preStopSeconds later.
# - health-checks: the balancer learns only from /readyz, which fails from SIGTERM on;
#   drainSeconds of serving must cover the checks it takes to notice.
# - health-checks-no-drain: the same without the drain; the control that shows the test fails.
MODES = ("endpoints", "health-checks", "health-checks-no-drain")


def _requests_after_sigterm(service: ServiceProcess) -> int:
    """Count requests the service answered after its SIGTERM, from its own log."""
    events = log_events(service)
    started = [e["timestamp"] for e in events if e["event"] == "shutdown started"]
    if not started:
        return 0
    since = datetime.fromisoformat(started[0])
    return sum(
        1
        for e in events
        if e["event"] == "request"
        and e["route"] != "/readyz"
        and datetime.fromisoformat(e["timestamp"]) > since
    )


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_rolling_update_behind_a_balancer_fails_no_request(
    tmp_path: Path, redis: RedisServer, mode: str
) -> None:
    """Replacing each instance in turn under load fails no request, within the grace period."""
    drain = 0.0 if mode == "health-checks-no-drain" else TIMINGS.drain
    # A balancer that only health-checks must see the failing /readyz before the drain ends.
    if mode == "health-checks":
        assert TIMINGS.drain > (FALL + 1) * CHECK_INTERVAL
    env = {"REDIS_URL": redis.url(), **TIMINGS.service_env(), "HELLO_DRAIN_SECONDS": str(drain)}
    ports = {name: free_port() for pair in REPLACEMENTS for name in pair}
    proxy = HAProxy(tmp_path / "haproxy", ports, check_interval=CHECK_INTERVAL, fall=FALL)
    services: dict[str, ServiceProcess] = {}
    exits: list[tuple[int, float, int]] = []

    def start(name: str) -> None:
        services[name] = ServiceProcess(tmp_path / name, env=env, port=ports[name])
        services[name].start(wait_for="/readyz")
        proxy.wait_for_state(name, "UP")

    try:
        proxy.start()
        for name in ("old1", "old2"):
            start(name)
        for name in ("new1", "new2"):
            proxy.wait_for_state(name, "DOWN")
        load = Load(proxy.base_url, max_seconds=120).start()
        load.wait_for_requests(100)

        # The control replaces one instance only: its failures show after the first.
        replacements = REPLACEMENTS[:1] if mode == "health-checks-no-drain" else REPLACEMENTS
        for old, new in replacements:
            start(new)  # maxUnavailable 0: the replacement is in rotation first
            deleted = time.monotonic()
            grace = TIMINGS.grace_period
            if mode == "endpoints":
                proxy.drain(old)
                time.sleep(TIMINGS.pre_stop)
                grace -= TIMINGS.pre_stop
            code = services[old].stop(signal.SIGTERM, timeout=grace)
            served = _requests_after_sigterm(services[old])
            exits.append((code, time.monotonic() - deleted, served))
            time.sleep(1.0)
        result = load.stop()
    finally:
        for service in services.values():
            service.stop()
        proxy.stop()

    figures = {
        **result.figures(),
        "timings": TIMINGS.__dict__,
        "termination_seconds": [round(seconds, 2) for _, seconds, _ in exits],
        "requests_served_while_draining": [served for _, _, served in exits],
    }
    record_figures(f"rolling-update-{mode}", figures)
    assert [code for code, _, _ in exits] == [0] * len(exits)
    assert all(seconds < TIMINGS.grace_period for _, seconds, _ in exits)
    if mode == "health-checks-no-drain":
        assert result.failures() != []  # without the drain the balancer sends to a closed port
    else:
        assert result.failures() == []
        assert len(result.outcomes) > 500
    if mode == "health-checks":
        assert all(served > 0 for _, _, served in exits)  # the drain carried real traffic
