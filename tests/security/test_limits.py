"""Limits: body size, header size, slow clients and concurrent connections.

Each abuse gets a clear answer or a closed connection, and never holds up other clients.
Where uvicorn itself sets no limit (header size, header read time), the test shows the
balancer in front (a local HAProxy) enforcing one, and records what uvicorn does alone.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import TYPE_CHECKING

import httpx
import pytest

from hello.config import ApiSettings
from tests.support.haproxy import HAProxy
from tests.support.load import record_figures
from tests.support.logs import log_events
from tests.support.rawhttp import build_request, send_raw
from tests.support.service import ServiceProcess


if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    Snapshot = Callable[[], dict[str, str]]

MAX_BODY = ApiSettings().max_body_bytes
# A normal request must stay this fast while the service is being abused.
FAST = 0.25


def _timed_livez(client: httpx.Client) -> float:
    started = time.monotonic()
    assert client.get("/livez").status_code == 200
    return time.monotonic() - started


def _put(body: bytes, headers: list[tuple[bytes, bytes]] | None = None) -> bytes:
    head = [(b"Content-Type", b"application/json"), *(headers or [])]
    return build_request(b"PUT", b"/hello/Limit", head, body)


def _padded_body(size: int) -> bytes:
    """A valid body of exactly ``size`` bytes: JSON allows trailing white space."""
    body = b'{"dateOfBirth":"1990-01-01"}'
    return body + b" " * (size - len(body))


@pytest.mark.parametrize(
    ("name", "request_bytes"),
    [
        ("one byte over", _put(_padded_body(MAX_BODY + 1))),
        (
            "chunked, over in total",
            build_request(
                b"PUT",
                b"/hello/Limit",
                [(b"Content-Type", b"application/json"), (b"Transfer-Encoding", b"chunked")],
            )
            + b"".join(b"200\r\n" + b" " * 512 + b"\r\n" for _ in range(4))
            + b"0\r\n\r\n",
        ),
        (
            "length announced, body never sent",
            build_request(b"PUT", b"/hello/Limit", [(b"Content-Length", b"10000000")]),
        ),
    ],
)
def test_body_over_the_limit_is_413_at_once_and_stores_nothing(
    service: ServiceProcess, stored: Snapshot, name: str, request_bytes: bytes
) -> None:
    """A body over HELLO_MAX_BODY_BYTES is refused with 413 without waiting for all of it."""
    before = stored()

    response = send_raw(service.port, request_bytes, patience=3.0)

    assert response.status == 413, name
    assert response.headers["content-type"] == "application/problem+json"
    assert response.seconds < 1.0
    assert stored() == before


def test_body_at_the_limit_is_accepted(service: ServiceProcess, stored: Snapshot) -> None:
    """Exactly HELLO_MAX_BODY_BYTES is still accepted."""
    response = send_raw(service.port, _put(_padded_body(MAX_BODY)))

    assert response.status == 204
    assert stored()["hello:user:Limit"] == "1990-01-01"


@pytest.fixture
def proxied(tmp_path: Path, service: ServiceProcess) -> Iterator[HAProxy]:
    """Yield a HAProxy in front of the module's service, refusing slow request heads after 2 s."""
    proxy = HAProxy(tmp_path / "haproxy", {"api": service.port}, http_request_timeout=2.0)
    proxy.start().wait_for_state("api", "UP")
    yield proxy
    proxy.stop()


@pytest.mark.slow
def test_huge_headers_hold_up_nobody_and_the_balancer_refuses_them(
    service: ServiceProcess, proxied: HAProxy
) -> None:
    """Headers of any size hold up no other client; HAProxy in front refuses them."""
    sizes = (16 * 1024, 64 * 1024, 1024 * 1024)
    direct: dict[int, int | None] = {}
    via_proxy: dict[int, int | None] = {}
    timings: list[float] = []

    with httpx.Client(base_url=service.base_url, timeout=5) as client:
        for size in sizes:
            request = build_request(b"GET", b"/livez", [(b"X-Big", b"a" * size)])
            sender = threading.Thread(
                target=lambda r=request, s=size: direct.update(
                    {s: send_raw(service.port, r).status}
                )
            )
            sender.start()
            timings.append(_timed_livez(client))
            sender.join()
            via_proxy[size] = send_raw(proxied.port, request).status

    assert all(status is None or status < 500 for status in direct.values())
    assert max(timings) < FAST
    # HAProxy's default buffer is 16 KiB; a sender it stops reading may see only the reset.
    assert all(via_proxy[size] in (400, 431, None) for size in sizes)
    assert via_proxy[16 * 1024] in (400, 431)
    record_figures(
        "limits-header-size",
        {
            "uvicorn_alone": direct,
            "behind_haproxy": via_proxy,
            "others_max_ms": max(timings) * 1000,
        },
    )


class _SlowClient:
    """A connection that sends a request head one byte at a time, as slowloris does."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.head = b"GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"s" * 4096
        self.sent = 0
        self.closed_after: float | None = None
        self.answer = b""
        self.started = time.monotonic()

    def trickle(self) -> None:
        """Send one more byte; note when the server has closed or answered."""
        if self.closed_after is not None:
            return
        try:
            self.sock.sendall(self.head[self.sent : self.sent + 1])
            self.sent += 1
            self.sock.setblocking(False)
            try:
                data = self.sock.recv(4096)
            except BlockingIOError:
                return
            finally:
                self.sock.setblocking(True)
            self.answer += data
            if not data or data.startswith(b"HTTP/"):
                self.closed_after = time.monotonic() - self.started
        except (BrokenPipeError, ConnectionResetError):
            self.closed_after = time.monotonic() - self.started

    def close(self) -> None:
        """Close our end."""
        self.sock.close()


def _trickle(clients: list[_SlowClient], seconds: float, probe: Callable[[], float]) -> list[float]:
    """Send a byte on each slow connection every 0.2 s for ``seconds``, timing ``probe``."""
    timings = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for client in clients:
            client.trickle()
        timings.append(probe())
        time.sleep(0.2)
    return timings


@pytest.mark.slow
def test_slow_clients_hold_up_nobody_and_the_balancer_cuts_them_off(
    service: ServiceProcess, proxied: HAProxy
) -> None:
    """Slowloris connections stay open on uvicorn without slowing others; HAProxy cuts them off."""
    direct = [_SlowClient(service.port) for _ in range(50)]
    idle = [socket.create_connection(("127.0.0.1", service.port)) for _ in range(50)]
    via_proxy = [_SlowClient(proxied.port) for _ in range(10)]
    with httpx.Client(base_url=service.base_url, timeout=5) as client:
        timings = _trickle(direct + via_proxy, 4.0, lambda: _timed_livez(client))
    open_direct = sum(1 for c in direct if c.closed_after is None)
    cut_off = [c.closed_after for c in via_proxy if c.closed_after is not None]
    answers = {c.answer.split(b"\r\n", 1)[0].decode() for c in via_proxy}
    for connection in [*direct, *via_proxy]:
        connection.close()
    for sock in idle:
        sock.close()

    assert max(timings) < FAST
    assert len(cut_off) == len(via_proxy)
    assert max(cut_off) < proxied.http_request_timeout + 1.0
    assert answers <= {"HTTP/1.1 408 Request Time-out", ""}
    record_figures(
        "limits-slow-clients",
        {
            "uvicorn_slow_connections_open_after_4s": f"{open_direct} of {len(direct)}",
            "uvicorn_idle_connections": len(idle),
            "others_max_ms": round(max(timings) * 1000, 1),
            "haproxy_cut_off_after_seconds": round(max(cut_off), 2),
            "haproxy_answer": sorted(answers),
        },
    )


def test_concurrency_limit_answers_503_and_recovers(tmp_path: Path) -> None:
    """Past HELLO_LIMIT_CONCURRENCY connections uvicorn answers 503 at once, then recovers."""
    limit = 4
    service = ServiceProcess(tmp_path, env={"HELLO_LIMIT_CONCURRENCY": str(limit)})
    service.start(wait_for="/livez")
    try:
        held = [socket.create_connection(("127.0.0.1", service.port)) for _ in range(limit)]
        time.sleep(0.2)
        over = {
            path: send_raw(service.port, build_request(b"GET", path.encode()), timeout=2)
            for path in ("/hello/Ann", "/livez")
        }
        for sock in held:
            sock.close()
        time.sleep(0.2)
        after = send_raw(service.port, build_request(b"GET", b"/livez"))
    finally:
        service.stop()

    assert over["/hello/Ann"].status == 503
    assert all(r.seconds < 0.5 for r in over.values())
    assert after.status == 200
    assert not [e for e in log_events(service) if e.get("level") == "error"]
    record_figures(
        "limits-concurrency",
        {
            "limit": limit,
            "answers_over_the_limit": {p: r.status for p, r in over.items()},
            "content_type": over["/hello/Ann"].headers.get("content-type"),
        },
    )
