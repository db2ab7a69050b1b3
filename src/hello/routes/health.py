"""Operational endpoints: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import asyncio

import msgspec
import structlog
from litestar import Controller, Response, get
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from hello.dependencies import ServicesDep  # noqa: TC001 - Litestar reads it
from hello.metrics import CONTENT_TYPE
from hello.problems import PROBLEM_MEDIA_TYPE, Problem
from hello.store import StoreUnavailableError


__all__ = ("HealthController", "Status")

# Readiness answers well inside the kubelet's default one-second probe timeout.
_READY_TIMEOUT = 0.8

log = structlog.get_logger("hello")


class Status(msgspec.Struct, kw_only=True):
    """A health answer."""

    status: str
    """``ok`` or ``ready``."""


def _not_ready(detail: str) -> Response[Problem]:
    problem = Problem(
        type="about:blank", title="Not ready", status=HTTP_503_SERVICE_UNAVAILABLE, detail=detail
    )
    return Response(
        problem, status_code=HTTP_503_SERVICE_UNAVAILABLE, media_type=PROBLEM_MEDIA_TYPE
    )


class HealthController(Controller):
    """Probes for Kubernetes and load balancers, and the metrics scrape."""

    include_in_schema = False

    @get("/livez", summary="The process is alive; never touches the store.")
    async def livez(self) -> Status:
        """Answer while the event loop runs."""
        return Status(status="ok")

    @get("/readyz", summary="The store answers and the process is not shutting down.")
    async def readyz(self, services: ServicesDep) -> Response[Status] | Response[Problem]:
        """Ping the store, unless shutdown has begun."""
        if services.lifecycle.draining:
            return _not_ready("The server is shutting down.")
        try:
            async with asyncio.timeout(_READY_TIMEOUT):
                await services.store.ping()
        except (StoreUnavailableError, TimeoutError) as exc:
            operation = getattr(exc, "operation", "ping")
            services.metrics.store_errors.labels(operation).inc()
            log.warning("readiness failed", error=getattr(exc, "reason", "timed out"))
            return _not_ready("The data store did not answer.")

        log.debug("readiness passed")
        return Response(Status(status="ready"), status_code=HTTP_200_OK)

    @get("/metrics", summary="Prometheus metrics in the text format.", media_type=CONTENT_TYPE)
    async def metrics(self, services: ServicesDep) -> bytes:
        """Render this process's metrics."""
        return services.metrics.render()
