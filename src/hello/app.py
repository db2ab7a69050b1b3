"""The application factory: settings in, a ready ASGI application out."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import structlog
from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin

from hello import __version__
from hello.config import Settings, redact_url
from hello.dependencies import Services
from hello.fastpath import GreetingFastPath
from hello.lifecycle import Lifecycle
from hello.logging import configure_logging
from hello.metrics import Metrics
from hello.observer import RequestObserver
from hello.openapi import describe_errors
from hello.problems import exception_handlers
from hello.routes import HealthController, HelloController
from hello.store import Store, StoreUnavailableError, create_store


if TYPE_CHECKING:
    from collections.abc import AsyncIterator

__all__ = ("create_app",)

log = structlog.get_logger("hello")


def create_app(
    settings: Settings | None = None, store: Store | None = None, *, fast_path: bool = True
) -> Litestar:
    """Build the service.

    Args:
        settings: The settings to run with; read from the environment when omitted.
        store: The store to use; built from ``settings.redis`` when omitted.
        fast_path: Answer greetings in plain ASGI (``hello.fastpath``); off only to compare.

    Returns:
        The Litestar application, whose lifespan opens and closes the store.
    """
    settings = settings or Settings.from_env()
    configure_logging(settings.log, settings.secrets())
    store = store or create_store(settings.redis)
    lifecycle = Lifecycle(drain_seconds=settings.server.drain_seconds)
    metrics = Metrics()
    services = Services(store=store, api=settings.api, lifecycle=lifecycle, metrics=metrics)

    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        lifecycle.install()
        await _announce(settings, store)
        try:
            yield
        finally:
            await store.close()
            log.info("store closed", store=store.kind)

    app = Litestar(
        route_handlers=[HelloController, HealthController],
        dependencies={
            "services": Provide(lambda: services, use_cache=True, sync_to_thread=False),
        },
        exception_handlers=exception_handlers(),
        lifespan=[asynccontextmanager(lifespan)],
        openapi_config=OpenAPIConfig(
            title="hello",
            version=__version__,
            description="Save a user's date of birth; greet them by their next birthday.",
            path="/schema",
            render_plugins=[JsonRenderPlugin()],
        ),
        request_max_body_size=settings.api.max_body_bytes,
        logging_config=None,
        debug=False,
    )
    app.state.update(services=services)
    describe_errors(app)
    handler = app.asgi_handler
    if fast_path:
        handler = GreetingFastPath(handler, services)
    app.asgi_handler = RequestObserver(handler, metrics)
    return app


async def _announce(settings: Settings, store: Store) -> None:
    """Log how the service started, warning about the embedded store."""
    if store.kind == "memory":
        log.warning(
            "embedded store in use",
            detail="data is kept in this process only: not durable, not shared; "
            "set REDIS_URL to use Redis",
        )
    else:
        facts = {
            "store": store.kind,
            "url": redact_url(settings.redis.url or ""),
            "cluster": settings.redis.cluster,
        }
        try:
            await store.ping()
        except StoreUnavailableError as exc:
            # Not fatal: readiness fails until Redis answers. The reason tells a wrong password
            # (AuthenticationError) from an absent server (ConnectionError).
            log.warning("store unreachable at start", **facts, error=exc.reason)
        else:
            log.info("store configured", **facts)
    log.info("service started", version=__version__, time_zone=str(settings.api.time_zone))
