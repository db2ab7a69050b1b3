"""The ``hello`` command: ``hello serve`` runs the service under uvicorn."""

from __future__ import annotations

import argparse
import dataclasses
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import structlog
import uvicorn

from hello.config import ConfigError, Settings
from hello.logging import configure_logging


if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import FrameType

__all__ = ("main",)

_APP_FACTORY = "hello.app:create_app"
_SOURCE_DIR = Path(__file__).parent


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hello",
        description="The birthday greeting API. Settings come from HELLO_* and REDIS_* "
        "environment variables; the options below override the server ones.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve the API with uvicorn")
    serve.add_argument("--host", help="address to listen on (HELLO_HOST)")
    serve.add_argument("--port", type=int, help="TCP port (HELLO_PORT)")
    serve.add_argument("--workers", type=int, help="worker processes (HELLO_WORKERS)")
    serve.add_argument(
        "--reload", action="store_true", default=None, help="restart on code changes"
    )
    serve.add_argument(
        "--proxy-headers",
        action="store_true",
        default=None,
        help="trust X-Forwarded-* (HELLO_PROXY_HEADERS)",
    )
    return parser


def _exit_cleanly(_: int, __: FrameType | None) -> NoReturn:
    # uvicorn re-raises the signal it stopped for once it has shut down; make that an
    # orderly exit with status 0 rather than death by SIGTERM (status 143).
    raise SystemExit(0)


def serve(settings: Settings) -> None:
    """Run uvicorn with ``settings.server``; return when it has shut down."""
    server = settings.server
    log = structlog.get_logger("hello")
    log.info(
        "starting server",
        addr=f"{server.host}:{server.port}",
        workers=server.workers,
        reload=server.reload,
        keepalive_timeout=server.keepalive_timeout,
        drain_seconds=server.drain_seconds,
        shutdown_timeout=server.shutdown_timeout,
    )
    signal.signal(signal.SIGTERM, _exit_cleanly)
    uvicorn.run(
        _APP_FACTORY,
        factory=True,
        host=server.host,
        port=server.port,
        workers=server.workers,
        reload=server.reload,
        reload_dirs=[str(_SOURCE_DIR)] if server.reload else None,
        proxy_headers=server.proxy_headers,
        forwarded_allow_ips=server.forwarded_allow_ips,
        timeout_keep_alive=int(server.keepalive_timeout),
        timeout_graceful_shutdown=int(server.shutdown_timeout),
        limit_concurrency=server.limit_concurrency,
        log_config=None,
        access_log=False,
        server_header=False,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"hello: configuration error: {exc}", file=sys.stderr)
        return 2

    overrides = {
        name: value
        for name in ("host", "port", "workers", "reload", "proxy_headers")
        if (value := getattr(args, name)) is not None
    }
    if not 1 <= overrides.get("port", 1) <= 65535 or overrides.get("workers", 1) < 1:
        print("hello: --port must be 1 to 65535 and --workers at least 1", file=sys.stderr)
        return 2
    server = dataclasses.replace(settings.server, **overrides)
    settings = dataclasses.replace(settings, server=server)

    configure_logging(settings.log, settings.secrets())
    serve(settings)
    return 0
