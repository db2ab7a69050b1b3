"""Graceful shutdown: on SIGTERM fail readiness at once, drain, then let uvicorn stop."""

from __future__ import annotations

import asyncio
import signal
import threading
from typing import TYPE_CHECKING

import structlog


if TYPE_CHECKING:
    from types import FrameType

__all__ = ("Lifecycle",)

log = structlog.get_logger("hello")


class Lifecycle:
    """Whether this process is shutting down, and the SIGTERM hook that says so."""

    def __init__(self, drain_seconds: float = 0.0) -> None:
        self.drain_seconds = drain_seconds
        self.draining = False

    def install(self) -> None:
        """Wrap the SIGTERM handler the server installed; call from inside the event loop.

        uvicorn handles SIGTERM by closing its listening sockets and finishing in-flight
        requests. In front of that, this handler marks the process not ready and, with
        ``drain_seconds``, keeps serving so load balancers stop sending before it closes.
        Outside uvicorn's main thread (a test client) there is no server handler to wrap,
        and nothing is installed.
        """
        if threading.current_thread() is not threading.main_thread():
            return
        server_handler = signal.getsignal(signal.SIGTERM)
        if not callable(server_handler):
            return
        loop = asyncio.get_running_loop()

        def on_sigterm(signum: int, frame: FrameType | None) -> None:
            if self.draining:  # a second SIGTERM: stop draining, shut down now
                server_handler(signum, frame)
                return
            self.draining = True
            log.info("shutdown started", drain_seconds=self.drain_seconds)
            if self.drain_seconds > 0:
                loop.call_soon_threadsafe(
                    loop.call_later, self.drain_seconds, server_handler, signum, frame
                )
            else:
                server_handler(signum, frame)

        signal.signal(signal.SIGTERM, on_sigterm)
