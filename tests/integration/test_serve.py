"""``hello serve`` as a real process: Redis, logs, readiness and graceful shutdown."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.conftest import ACL_PASSWORD, ACL_USER
from tests.support.ports import free_port
from tests.support.redis import RedisServer
from tests.support.service import ServiceProcess


if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def service_on_acl_redis(tmp_path: Path, redis_acl_server: RedisServer) -> Iterator[ServiceProcess]:
    """The service as in production: Redis with an ACL user and password, JSON logs."""
    url = redis_acl_server.url(ACL_USER, ACL_PASSWORD)
    service = ServiceProcess(tmp_path, env={"REDIS_URL": url, "HELLO_DRAIN_SECONDS": "0.5"})
    yield service.start(wait_for="/readyz")
    service.stop()


def _log_events(service: ServiceProcess) -> list[dict[str, object]]:
    return [json.loads(line) for line in service.logs().splitlines() if line.startswith("{")]


def test_put_then_get_over_http_lands_in_redis(
    service_on_acl_redis: ServiceProcess, redis_acl_server: RedisServer
) -> None:
    """Real HTTP in, an ISO date in Redis, the greeting out; the password is never logged."""
    base = service_on_acl_redis.base_url

    saved = httpx.put(f"{base}/hello/Grace", json={"dateOfBirth": "1906-12-09"})
    greeted = httpx.get(f"{base}/hello/Grace")
    stored = redis_acl_server.cli("GET", "hello:user:Grace", user=ACL_USER, password=ACL_PASSWORD)

    assert saved.status_code == 204
    assert greeted.status_code == 200
    assert greeted.json()["message"].startswith("Hello, Grace! ")
    assert stored == "1906-12-09"
    assert ACL_PASSWORD not in service_on_acl_redis.logs()
    assert ACL_PASSWORD not in httpx.get(f"{base}/metrics").text


def test_one_access_event_per_request(service_on_acl_redis: ServiceProcess) -> None:
    """Each request is logged once, as JSON, with route template, status and request id."""
    httpx.get(f"{service_on_acl_redis.base_url}/hello/Nobody", headers={"x-request-id": "r-42"})
    time.sleep(0.2)

    events = [e for e in _log_events(service_on_acl_redis) if e.get("request_id") == "r-42"]

    assert len(events) == 1
    assert events[0]["event"] == "request"
    assert events[0]["route"] == "/hello/{username}"
    assert events[0]["status"] == 404
    assert events[0]["method"] == "GET"
    assert isinstance(events[0]["duration_ms"], float)


def test_sigterm_fails_readiness_finishes_in_flight_and_exits_zero(tmp_path: Path) -> None:
    """On SIGTERM readiness fails at once, a request in flight still gets its answer, exit 0."""
    redis = RedisServer(tmp_path / "redis", extra=["--enable-debug-command", "local"]).start()
    service = ServiceProcess(
        tmp_path / "svc",
        env={
            "REDIS_URL": redis.url(),
            "REDIS_SOCKET_TIMEOUT": "3",
            "REDIS_OPERATION_TIMEOUT": "5",
            "HELLO_DRAIN_SECONDS": "0.5",
        },
    ).start(wait_for="/readyz")
    try:
        base = service.base_url
        httpx.put(f"{base}/hello/Ada", json={"dateOfBirth": "1815-12-10"})
        results: dict[str, float] = {}

        def get_while_redis_sleeps() -> None:
            started = time.monotonic()
            results["status"] = httpx.get(f"{base}/hello/Ada", timeout=10).status_code
            results["seconds"] = time.monotonic() - started

        # Redis busy for 1 s: the GET below is in flight when SIGTERM arrives.
        blocker = threading.Thread(target=redis.cli, args=("DEBUG", "SLEEP", "1"))
        blocker.start()
        time.sleep(0.1)
        in_flight = threading.Thread(target=get_while_redis_sleeps)
        in_flight.start()
        time.sleep(0.1)
        service.process.send_signal(signal.SIGTERM)  # type: ignore[union-attr]
        time.sleep(0.1)
        asked = time.monotonic()
        readiness = httpx.get(f"{base}/readyz", timeout=5)
        readiness_seconds = time.monotonic() - asked
        in_flight.join()
        blocker.join()
        code = service.stop()
    finally:
        service.stop()
        redis.stop()

    assert readiness.status_code == 503
    assert readiness.json()["detail"] == "The server is shutting down."
    assert readiness_seconds < 0.5  # from the flag, not from a timed-out ping
    assert results["status"] == 200
    assert results["seconds"] > 0.5  # it really waited on Redis across the SIGTERM
    assert code == 0
    assert any(e["event"] == "store closed" for e in _log_events(service))


def test_redis_absent_at_start_then_ready_when_it_appears(
    tmp_path: Path, fresh_redis: RedisServer
) -> None:
    """Without Redis the process lives and answers 503; when Redis comes, it is ready."""
    fresh_redis.stop()
    service = ServiceProcess(
        tmp_path / "svc",
        env={"REDIS_URL": fresh_redis.url(), "REDIS_OPERATION_TIMEOUT": "0.5"},
    ).start(wait_for="/livez")
    try:
        not_ready = httpx.get(f"{service.base_url}/readyz")
        api = httpx.get(f"{service.base_url}/hello/Alice")
        metrics = httpx.get(f"{service.base_url}/metrics").text
        fresh_redis.start()
        service.wait_for("/readyz", timeout=10)
        after = httpx.get(f"{service.base_url}/hello/Alice")
    finally:
        service.stop()

    assert not_ready.status_code == 503
    assert api.status_code == 503
    assert api.headers["content-type"] == "application/problem+json"
    assert api.headers["retry-after"] == "1"
    assert 'hello_store_errors_total{operation="get"} 1.0' in metrics
    assert 'hello_http_requests_total{method="GET",route="/hello/{username}",status="503"}' in (
        metrics
    )
    assert after.status_code == 404
    unreachable = [e for e in _log_events(service) if e["event"] == "store unreachable at start"]
    assert unreachable
    assert unreachable[0]["level"] == "warning"
    assert unreachable[0]["error"]


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"HELLO_PORT": "eighty"}, "HELLO_PORT"),
        ({"HELLO_TIME_ZONE": "Mars/Olympus"}, "HELLO_TIME_ZONE"),
        ({"REDIS_URL": "http://cache:6379"}, "REDIS_URL"),
        ({"REDIS_CLUSTER": "true"}, "REDIS_CLUSTER"),
        ({"HELLO_LOG_LEVEL": "loud"}, "HELLO_LOG_LEVEL"),
    ],
)
def test_bad_setting_stops_with_the_variable_named(
    tmp_path: Path, env: dict[str, str], variable: str
) -> None:
    """A bad value stops the service at once, exit 2, with a message naming the variable."""
    service = ServiceProcess(tmp_path, env=env).start(wait_for=None)
    code = service.wait()

    assert code == 2
    assert variable in service.logs()


def test_password_in_a_bad_url_is_not_printed(tmp_path: Path) -> None:
    """Even a rejected REDIS_URL never echoes its password."""
    url = f"redis://user:{ACL_PASSWORD}@127.0.0.1:99999/0"
    service = ServiceProcess(tmp_path, env={"REDIS_URL": url}).start(wait_for=None)

    assert service.wait() == 2
    assert "REDIS_URL" in service.logs()
    assert ACL_PASSWORD not in service.logs()


def test_console_script_and_module_agree() -> None:
    """``hello`` and ``python -m hello`` are the same command."""
    script = shutil.which("hello", path=str(Path(sys.executable).parent))
    assert script is not None

    from_script = subprocess.run([script, "--help"], capture_output=True, text=True, check=True)
    from_module = subprocess.run(
        [sys.executable, "-m", "hello", "--help"], capture_output=True, text=True, check=True
    )

    assert "serve" in from_script.stdout
    assert from_script.stdout.replace("hello", "") == from_module.stdout.replace("hello", "")


def test_embedded_store_warns_once(tmp_path: Path) -> None:
    """Without REDIS_URL the service serves from memory and warns about it once."""
    service = ServiceProcess(tmp_path).start(wait_for="/readyz")
    try:
        saved = httpx.put(f"{service.base_url}/hello/Zed", json={"dateOfBirth": "2001-01-01"})
        found = httpx.get(f"{service.base_url}/hello/Zed")
    finally:
        service.stop()
    warnings = [e for e in _log_events(service) if e["event"] == "embedded store in use"]

    assert saved.status_code == 204
    assert found.status_code == 200
    assert len(warnings) == 1
    assert warnings[0]["level"] == "warning"


def test_port_override_on_the_command_line(tmp_path: Path) -> None:
    """``--port`` overrides HELLO_PORT."""
    port = free_port()
    service = ServiceProcess(tmp_path, env={"HELLO_PORT": "1"}, args=["--port", str(port)])
    service.port = port

    service.start(wait_for="/livez")
    code = service.stop()

    assert code == 0
