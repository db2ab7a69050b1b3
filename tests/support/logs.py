"""Read the JSON log lines of a service process started by the tests."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any


if TYPE_CHECKING:
    from tests.support.service import ServiceProcess

__all__ = ("log_events", "served_seconds")


def log_events(service: ServiceProcess) -> list[dict[str, Any]]:
    """Return every JSON event the service has logged so far, in order.

    A line still being written (no newline yet) is left for the next call.
    """
    lines = service.logs().split("\n")[:-1]
    return [json.loads(line) for line in lines if line.startswith("{")]


def served_seconds(service: ServiceProcess, route: str | None = None) -> list[float]:
    """Return how long the service itself took for each request (of ``route``, if given)."""
    return [
        event["duration_ms"] / 1000
        for event in log_events(service)
        if event.get("event") == "request" and route in (None, event.get("route"))
    ]
