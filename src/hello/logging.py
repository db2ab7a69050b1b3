"""Structured logs: JSON off a terminal, readable on one, secrets scrubbed."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

import msgspec
import structlog


if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from structlog.typing import EventDict, Processor, WrappedLogger

    from hello.config import LogSettings

__all__ = ("configure_logging",)

_REDACTED = "***"
_json = msgspec.json.Encoder()


def _dumps(value: Any, **_: Any) -> str:
    return _json.encode(value).decode()


def _dumps_bytes(value: Any, **_: Any) -> bytes:
    return _json.encode(value)


class _SecretScrubber:
    """Replace every known secret in log values, wherever a library put it."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._secrets = tuple(secret for secret in secrets if len(secret) >= 3)

    def _scrub(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        for secret in self._secrets:
            value = value.replace(secret, _REDACTED)
        return value

    def __call__(self, _: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
        if not self._secrets:
            return event_dict
        return {key: self._scrub(value) for key, value in event_dict.items()}


def _is_terminal() -> bool:
    return sys.stdout.isatty()


def configure_logging(settings: LogSettings, secrets: Iterable[str] = ()) -> None:
    """Send structlog and standard-library logs to stdout in one format.

    Args:
        settings: Level and format.
        secrets: Strings that must never be written, such as the Redis password.
    """
    level = logging.getLevelNamesMapping()[settings.level.upper()]
    as_json = settings.format == "json" or (settings.format == "auto" and not _is_terminal())
    renderer: Processor = (
        structlog.processors.JSONRenderer(serializer=_dumps)
        if as_json
        else structlog.dev.ConsoleRenderer()
    )
    # structlog's own events (one per request) skip the str round trip: msgspec writes bytes
    # and they go straight to the binary stream.
    stdout_bytes = getattr(sys.stdout, "buffer", None)
    own_renderer = renderer
    factory: Callable[..., Any] = structlog.WriteLoggerFactory(sys.stdout)
    if as_json and stdout_bytes is not None:
        own_renderer = structlog.processors.JSONRenderer(serializer=_dumps_bytes)
        factory = structlog.BytesLoggerFactory(stdout_bytes)
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _SecretScrubber(secrets),
    ]
    if as_json:
        # The console renderer prints tracebacks itself; JSON needs them as a string field.
        shared.insert(3, structlog.processors.format_exc_info)
    structlog.configure(
        processors=[*shared, own_renderer],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=factory,
        # Not cached: a module's logger must follow a later configure_logging (tests build
        # many apps); the access log binds its own logger once per app instead.
        cache_logger_on_first_use=False,
    )

    # uvicorn and redis-py log through the standard library; render them the same way.
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[structlog.stdlib.add_logger_name, *shared],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    # The service writes its own access event per request; uvicorn's would double it.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
