"""Free TCP ports on loopback."""

from __future__ import annotations

import socket
import time


__all__ = ("free_port", "wait_for_port")


def free_port(below: int = 55_000) -> int:
    """Return a loopback port nobody listens on; ``below`` leaves room for cluster bus ports."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port: int = sock.getsockname()[1]
        if port < below:
            return port


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    """Block until something accepts connections on ``127.0.0.1:port``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing listens on 127.0.0.1:{port}") from None
            time.sleep(0.02)
