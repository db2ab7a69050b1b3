"""The REDIS_URL password never shows: not in logs, answers, metrics or the schema."""

from __future__ import annotations

import signal
import time
from typing import TYPE_CHECKING
from urllib.parse import quote

import httpx
import pytest

from tests.support.load import record_figures
from tests.support.rawhttp import build_request, send_raw
from tests.support.redis import RedisServer
from tests.support.service import ServiceProcess


if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

USER = "hello"
# Characters that URLs must percent-encode, so both spellings of the password are at stake.
PASSWORD = "Tr0ub4dor&3:p@ss/w%rd+S3cret"  # noqa: S105 - a test-only password, checked absent
WRONG_PASSWORD = "N0t-the:p@ssw%rd+Either"  # noqa: S105 - a test-only password, checked absent


def _spellings(password: str) -> list[str]:
    """The ways a password can appear: as is, and percent-encoded as in the URL."""
    return sorted({password, quote(password, safe=""), quote(password)})


@pytest.fixture
def acl_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """Yield a redis-server with the default user off and one ACL user with ``PASSWORD``."""
    server = RedisServer(
        tmp_path / "redis",
        extra=["--user", "default", "off",
               "--user", USER, "on", f">{PASSWORD}", "~hello:*", "+@all"],
    )  # fmt: skip
    yield server.start()
    server.stop()


def _exercise(service: ServiceProcess) -> list[bytes]:
    """Send every kind of request, good and bad; return each answer, head and body."""
    answers = []
    with httpx.Client(base_url=service.base_url, timeout=10) as client:
        for method, path, body in [
            ("PUT", "/hello/Secret", {"dateOfBirth": "1990-01-01"}),
            ("GET", "/hello/Secret", None),
            ("GET", "/hello/Nobody", None),
            ("PUT", "/hello/Secret", {"dateOfBirth": "2999-01-01"}),
            ("PUT", "/hello/Secret", {"dateOfBirth": "x" * 2000}),
            ("GET", "/hello/not_a_name", None),
            ("DELETE", "/hello/Secret", None),
            ("GET", "/nowhere", None),
            ("GET", "/readyz", None),
            ("GET", "/livez", None),
            ("GET", "/metrics", None),
            ("GET", "/schema/openapi.json", None),
        ]:
            response = client.request(method, path, json=body)
            head = "".join(f"{k}: {v}\n" for k, v in response.headers.items()).encode()
            answers.append(head + response.content)
    answers.append(send_raw(service.port, b"\x00\xff garbage\r\n\r\n").data)
    answers.append(send_raw(service.port, build_request(b"GET", b"/hello/%ff")).data)
    return answers


@pytest.mark.slow
def test_password_never_appears_in_logs_answers_metrics_or_schema(
    tmp_path: Path, acl_redis: RedisServer
) -> None:
    """Through normal use, bad input, a Redis outage, a wrong password and shutdown: no leak."""
    right = f"redis://{USER}:{quote(PASSWORD, safe='')}@127.0.0.1:{acl_redis.port}/0"
    wrong = f"redis://{USER}:{quote(WRONG_PASSWORD, safe='')}@127.0.0.1:{acl_redis.port}/0"
    debug = {"HELLO_LOG_LEVEL": "debug"}
    service = ServiceProcess(tmp_path / "right", env={"REDIS_URL": right, **debug})
    refused = ServiceProcess(tmp_path / "wrong", env={"REDIS_URL": wrong, **debug})

    try:
        service.start(wait_for="/readyz")
        answers = _exercise(service)
        acl_redis.stop(signal.SIGKILL)
        answers += _exercise(service)
        acl_redis.start()
        service.wait_for("/readyz")
        refused.start(wait_for="/livez")
        answers += _exercise(refused)
    finally:
        service.stop()
        refused.stop()
    time.sleep(0.1)
    logs = service.logs() + refused.logs()

    assert "store unavailable" in logs  # the outage and the refusal were logged, redacted
    assert "***" in logs
    for secret in _spellings(PASSWORD) + _spellings(WRONG_PASSWORD):
        assert secret not in logs
        assert [a for a in answers if secret.encode() in a] == []
    record_figures(
        "secrets",
        {"answers_checked": len(answers), "log_lines_checked": len(logs.splitlines()), "leaks": 0},
    )
