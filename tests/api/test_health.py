"""Liveness, readiness and metrics, in process."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from litestar.testing import TestClient

from hello.app import create_app
from hello.config import RedisSettings, Settings
from hello.store import RedisStore
from tests.support.ports import free_port


if TYPE_CHECKING:
    from litestar import Litestar

    Client = TestClient[Litestar]


def test_livez_and_readyz_answer_when_healthy(client: Client) -> None:
    """A healthy process is alive and ready."""
    assert client.get("/livez").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


@pytest.mark.parametrize("store", ["memory"], indirect=True)
def test_readyz_fails_once_draining(client: Client, app: Litestar) -> None:
    """From the moment shutdown begins, readiness answers 503 while liveness stays 200."""
    app.state.services.lifecycle.draining = True

    ready = client.get("/readyz")

    assert ready.status_code == 503
    assert ready.headers["content-type"] == "application/problem+json"
    assert client.get("/livez").status_code == 200


def test_readyz_fails_without_redis_and_counts_it() -> None:
    """With Redis unreachable, readiness is 503, liveness 200, and the error is counted."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    store = RedisStore.from_settings(RedisSettings(url=url, operation_timeout=0.3))
    with TestClient(create_app(Settings(), store)) as client:
        ready = client.get("/readyz")
        alive = client.get("/livez")
        metrics = client.get("/metrics").text

    assert ready.status_code == 503
    assert alive.status_code == 200
    assert 'hello_store_errors_total{operation="ping"} 1.0' in metrics


@pytest.mark.parametrize("store", ["memory"], indirect=True)
def test_metrics_count_requests_by_route_template(client: Client) -> None:
    """Requests are counted by route template and status, not by raw path."""
    client.get("/hello/Alice")
    client.get("/hello/Bob")
    client.get("/no/such/path")

    answer = client.get("/metrics")
    text = answer.text

    assert 'hello_http_requests_total{method="GET",route="/hello/{username}",status="404"} 2.0' in (
        text
    )
    assert 'route="unmatched",status="404"' in text
    assert "hello_http_request_duration_seconds_bucket" in text
    assert "/hello/Alice" not in text
    assert answer.headers["content-type"].count("charset") == 1
