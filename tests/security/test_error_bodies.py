"""Error answers say what went wrong for the caller, and nothing about the implementation."""

from __future__ import annotations

import signal
from typing import TYPE_CHECKING

import httpx
import pytest
from litestar.testing import TestClient

from hello.app import create_app
from hello.config import Settings
from tests.support.leaks import internal_names
from tests.support.rawhttp import send_raw
from tests.support.service import ServiceProcess


if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from tests.support.redis import RedisServer

PROBLEM = "application/problem+json"
# Requests that the application refuses, with the status each must get.
REFUSED = [
    ("GET", "/hello/not_letters", None, 400),
    ("GET", "/hello/" + "a" * 65, None, 400),
    ("PUT", "/hello/Ann", b'{"dateOfBirth": "2999-01-01"}', 400),
    ("PUT", "/hello/Ann", b'{"dateOfBirth": "1990-02-30"}', 400),
    ("PUT", "/hello/Ann", b'{"dateOfBirth": 19900101}', 400),
    ("PUT", "/hello/Ann", b'{"date": "1990-01-01"}', 400),
    ("PUT", "/hello/Ann", b"not json", 400),
    ("PUT", "/hello/Ann", b"[" * 1000, 400),
    ("PUT", "/hello/Ann", b" " * 2048, 413),
    ("GET", "/hello/Nobody", None, 404),
    ("GET", "/no/such/route", None, 404),
    ("DELETE", "/hello/Ann", None, 405),
    ("POST", "/livez", None, 405),
]


def _assert_plain_problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == status
    assert set(problem) <= {"type", "title", "status", "detail", "errors"}
    assert internal_names(response.content) == []


@pytest.mark.parametrize(("method", "path", "body", "status"), REFUSED)
def test_refusals_are_problem_details_without_internals(
    service: ServiceProcess, method: str, path: str, body: bytes | None, status: int
) -> None:
    """Each refusal is RFC 9457 problem JSON naming no class, module, file or trace."""
    headers = {"content-type": "application/json"} if body is not None else {}

    response = httpx.request(
        method, service.base_url + path, content=body, headers=headers, timeout=5
    )

    _assert_plain_problem(response, status)


def test_malformed_http_gets_uvicorn_s_plain_400_without_internals(
    service: ServiceProcess,
) -> None:
    """Bytes that are not HTTP never reach the application; uvicorn's answer reveals nothing."""
    response = send_raw(service.port, b"\x16\x03\x01\x02\x00 not http\r\n\r\n")

    assert response.status == 400
    assert internal_names(response.body) == []


def test_store_outage_answer_names_no_redis_error(tmp_path: Path, fresh_redis: RedisServer) -> None:
    """A 503 for a Redis outage says to retry, not which exception the client raised."""
    service = ServiceProcess(tmp_path / "service", env={"REDIS_URL": fresh_redis.url()})
    service.start(wait_for="/readyz")
    fresh_redis.stop(signal.SIGKILL)
    try:
        answers = [
            httpx.get(f"{service.base_url}/hello/Ann", timeout=5),
            httpx.put(
                f"{service.base_url}/hello/Ann", json={"dateOfBirth": "1990-01-01"}, timeout=5
            ),
            httpx.get(f"{service.base_url}/readyz", timeout=5),
        ]
    finally:
        service.stop()

    for response in answers:
        _assert_plain_problem(response, 503)
        assert b"redis" not in response.content.lower()


class _BrokenStore:
    """A store whose reads fail with an error no handler expects, full of internal detail."""

    kind = "broken"

    async def get_birthday(self, username: str) -> date | None:
        raise RuntimeError(f"boom in /srv/app/hello/store/x.py for {username} at 0xdeadbeef")

    async def put_birthday(self, username: str, date_of_birth: date) -> None:
        raise KeyError((username, date_of_birth))

    async def ping(self) -> None:
        """Answer: the store is up, only its reads are broken."""

    async def close(self) -> None:
        """Hold nothing."""


def test_unexpected_error_is_a_bare_500_and_logged_for_operators(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A bug becomes a 500 problem with no detail for the caller; the trace goes to the log."""
    app = create_app(Settings(), _BrokenStore())

    with TestClient(app) as client:
        read = client.get("/hello/Ann")
        write = client.put("/hello/Ann", json={"dateOfBirth": "1990-01-01"})
    logged = capsys.readouterr().out

    for response in (read, write):
        assert response.status_code == 500
        assert response.headers["content-type"] == PROBLEM
        assert response.json() == {
            "type": "about:blank",
            "title": "Internal server error",
            "status": 500,
            "detail": "The server could not answer.",
        }
    assert "RuntimeError" in logged
    assert "Traceback" in logged
