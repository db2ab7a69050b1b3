"""Send exact bytes to an HTTP server and read what comes back, for fuzzing and limits."""

from __future__ import annotations

import re
import socket
import time
from dataclasses import dataclass


__all__ = ("RawResponse", "build_request", "send_raw")

_INTERIM = re.compile(rb"HTTP/1\.[01] 1\d\d [^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n")


@dataclass(frozen=True)
class RawResponse:
    """What came back on one connection, parsed as far as it goes."""

    data: bytes
    """Every byte received until the server closed (or ``timeout``)."""
    closed: bool
    """The server closed the connection (rather than the read timing out)."""
    seconds: float

    @property
    def final(self) -> bytes:
        """The bytes from the first final response on, past any ``100 Continue``."""
        data = self.data
        while _INTERIM.match(data):
            data = data.split(b"\r\n\r\n", 1)[1]
        return data

    @property
    def status(self) -> int | None:
        """The status of the first final response, or ``None`` if no status line came."""
        if not self.final.startswith(b"HTTP/1."):
            return None
        return int(self.final.split(b" ", 2)[1])

    @property
    def headers(self) -> dict[str, str]:
        """The first final response's headers, lower-cased names (the last one wins)."""
        head = self.final.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]
        pairs = (line.split(":", 1) for line in head if ":" in line)
        return {name.strip().lower(): value.strip() for name, value in pairs}

    @property
    def body(self) -> bytes:
        """The first final response's body (all that follows its head on a closed connection)."""
        parts = self.final.split(b"\r\n\r\n", 1)
        return parts[1] if len(parts) == 2 else b""


def build_request(
    method: bytes,
    target: bytes,
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes | None = None,
) -> bytes:
    """Return an HTTP/1.1 request with ``Connection: close`` and, for a body, its length."""
    lines = [method + b" " + target + b" HTTP/1.1", b"Host: 127.0.0.1"]
    lines += [name + b": " + value for name, value in headers or []]
    if body is not None:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + (body or b"")


def send_raw(port: int, data: bytes, timeout: float = 5.0, patience: float = 1.0) -> RawResponse:
    """Send ``data`` to ``127.0.0.1:port`` and read until the server closes or ``timeout``.

    A server that has not closed after ``patience`` seconds may be waiting for bytes the
    request promised (a ``Content-Length`` longer than the body); the client then shuts its
    sending side, as one with nothing more to say. Shutting it at once instead would make
    the server drop requests it had not yet answered.

    Args:
        port: The loopback port.
        data: The exact bytes to send.
        timeout: Seconds to wait for the server, in total.
        patience: Seconds before telling the server no more bytes will come.
    """
    started = time.monotonic()
    received = bytearray()
    closed = half_closed = False
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        try:
            conn.sendall(data)
        except (ConnectionResetError, BrokenPipeError):
            half_closed = True  # the server stopped reading; what it answered may still be here
        try:
            while (waited := time.monotonic() - started) < timeout:
                if not half_closed and waited >= patience:
                    conn.shutdown(socket.SHUT_WR)
                    half_closed = True
                limit = timeout if half_closed else patience
                conn.settimeout(max(0.01, limit - waited))
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    continue
                if not chunk:
                    closed = True
                    break
                received += chunk
        except (ConnectionResetError, BrokenPipeError):
            closed = True
    return RawResponse(bytes(received), closed, time.monotonic() - started)
