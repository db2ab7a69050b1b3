"""A Redis that stops answering: 503 within the operation timeout, and /livez stays fast."""

from __future__ import annotations

import socket
import statistics
import threading
import time
from typing import TYPE_CHECKING

import httpx
import pytest

from hello.config import RedisSettings
from tests.support.load import Load, record_figures
from tests.support.logs import served_seconds
from tests.support.ports import free_port


if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from tests.support.redis import RedisServer
    from tests.support.service import ServiceProcess

OPERATION_TIMEOUT = RedisSettings().operation_timeout
STALL_SECONDS = 3
# What a busy two-core machine may add to an answer, measured from the client.
MARGIN = 0.75
# /livez must answer this fast while every store call waits: the event loop is never blocked.
LIVEZ_BOUND = 0.25

STALLS = {
    "debug-sleep": ("DEBUG", "SLEEP", str(STALL_SECONDS)),
    "client-pause": ("CLIENT", "PAUSE", str(STALL_SECONDS * 1000), "ALL"),
}


def _sample_livez(base_url: str, seconds: float) -> list[float]:
    """Time /livez every 50 ms for ``seconds`` over one keep-alive connection."""
    timings = []
    with httpx.Client(base_url=base_url, timeout=5) as client:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.monotonic()
            assert client.get("/livez").status_code == 200
            timings.append(time.monotonic() - started)
            time.sleep(0.05)
    return timings


@pytest.mark.slow
@pytest.mark.parametrize("stall", list(STALLS))
def test_stalled_redis_gives_503_within_timeout_while_livez_stays_fast(
    redis: RedisServer, start_service: Callable[..., ServiceProcess], stall: str
) -> None:
    """During a Redis stall store calls answer 503 by the timeout and /livez stays fast."""
    service = start_service({"REDIS_URL": redis.url()})
    load = Load(service.base_url, max_seconds=30).start()
    load.wait_for_requests(100)

    stalled = time.monotonic()
    blocker = threading.Thread(target=redis.cli, args=STALLS[stall])
    blocker.start()
    time.sleep(0.1)
    readiness = httpx.get(f"{service.base_url}/readyz", timeout=5)
    livez = _sample_livez(service.base_url, STALL_SECONDS - 0.3)
    blocker.join()
    time.sleep(2.0)
    result = load.stop()

    served = served_seconds(service, "/hello/{username}")
    during = [o for o in result.outcomes if o.started >= result.since(stalled)]
    assert result.unexpected({200, 204, 404, 503}) == []
    assert sum(1 for o in during if o.status == 503) > 0
    assert result.slowest() < OPERATION_TIMEOUT + MARGIN
    assert max(served) < OPERATION_TIMEOUT + 0.25
    assert readiness.status_code == 503
    assert max(livez) < LIVEZ_BOUND
    assert result.successes_after(stalled + STALL_SECONDS + 1.0) > 20
    record_figures(
        f"slow-redis-{stall}",
        {
            **result.figures(),
            "stall_seconds": STALL_SECONDS,
            "errors_during_stall": len(result.failures()),
            "max_server_side_seconds": round(max(served), 3),
            "livez_samples": len(livez),
            "livez_median_ms": round(statistics.median(livez) * 1000, 1),
            "livez_max_ms": round(max(livez) * 1000, 1),
        },
    )


@pytest.fixture
def silent_listener() -> Iterator[int]:
    """Yield the port of a socket that accepts connections and never says a word."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", free_port()))
        listener.listen(512)  # the kernel completes handshakes; nobody ever reads
        yield listener.getsockname()[1]


def test_redis_that_accepts_but_never_answers_gives_503_within_timeout(
    silent_listener: int, start_service: Callable[..., ServiceProcess]
) -> None:
    """A host that takes the connection and stays silent costs one timeout, not a hang."""
    url = f"redis://127.0.0.1:{silent_listener}/0"
    service = start_service({"REDIS_URL": url}, wait_for="/livez")
    answers: list[tuple[int, float]] = []
    client = httpx.Client(base_url=service.base_url, timeout=10)

    def call(method: str) -> None:
        started = time.monotonic()
        body = {"dateOfBirth": "1990-01-01"} if method == "PUT" else None
        response = client.request(method, "/hello/Ann", json=body)
        answers.append((response.status_code, time.monotonic() - started))

    callers = [threading.Thread(target=call, args=(m,)) for m in ("GET", "PUT") * 5]
    for caller in callers:
        caller.start()
    livez = _sample_livez(service.base_url, 1.5)
    for caller in callers:
        caller.join()
    client.close()

    served = served_seconds(service, "/hello/{username}")
    assert [status for status, _ in answers] == [503] * 10
    assert max(seconds for _, seconds in answers) < OPERATION_TIMEOUT + MARGIN
    assert max(served) < OPERATION_TIMEOUT + 0.25
    assert max(livez) < LIVEZ_BOUND
    record_figures(
        "slow-redis-silent-host",
        {
            "answers": len(answers),
            "max_client_side_seconds": round(max(seconds for _, seconds in answers), 3),
            "max_server_side_seconds": round(max(served), 3),
            "livez_max_ms": round(max(livez) * 1000, 1),
        },
    )
