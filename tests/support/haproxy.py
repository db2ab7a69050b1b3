"""A local HAProxy in front of service processes, health-checking them like a load balancer."""

from __future__ import annotations

import csv
import io
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tests.support.ports import free_port, wait_for_port
from tests.support.processes import stop_process


if TYPE_CHECKING:
    from pathlib import Path

__all__ = ("HAProxy", "haproxy_binary")


def haproxy_binary() -> str:
    """Return the path of haproxy, or fail with what to install."""
    path = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")
    if path is None:
        raise RuntimeError("haproxy is not installed; run `make system-deps`")
    return path


@dataclass
class HAProxy:
    """One haproxy process balancing over ``servers`` (name to loopback port).

    Every server is health-checked with ``GET check_path`` every ``check_interval`` seconds;
    ``fall`` failed checks take it out of rotation, ``rise`` passed checks put it back.
    Servers whose port nobody listens on yet are simply down until they answer.
    HAProxy retries nothing here, so every failed request reaches the load generator.
    """

    workdir: Path
    servers: dict[str, int]
    check_path: str = "/readyz"
    check_interval: float = 1.0
    fall: int = 2
    rise: int = 1
    http_request_timeout: float = 5.0
    """How long a client may take to send a whole request head (slowloris protection)."""
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        """The URL clients send requests to."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def admin_socket(self) -> Path:
        """The runtime API socket (``show stat``, ``set server``)."""
        return self.workdir / "admin.sock"

    def config(self) -> str:
        """Return the haproxy.cfg text for these servers and checks."""
        inter = round(self.check_interval * 1000)
        lines = [
            "global",
            f"    stats socket {self.admin_socket} mode 600 level admin",
            "    maxconn 2000",
            "defaults",
            "    mode http",
            "    timeout connect 1s",
            "    timeout client 30s",
            "    timeout server 30s",
            f"    timeout http-request {round(self.http_request_timeout * 1000)}ms",
            "    timeout http-keep-alive 10s",
            "    retries 0",
            "frontend web",
            f"    bind 127.0.0.1:{self.port}",
            "    default_backend hello",
            "backend hello",
            "    balance roundrobin",
            "    option httpchk",
            f"    http-check send meth GET uri {self.check_path}",
            "    http-check expect status 200",
            f"    default-server inter {inter}ms fall {self.fall} rise {self.rise}",
            *(f"    server {name} 127.0.0.1:{port} check" for name, port in self.servers.items()),
        ]
        return "\n".join(lines) + "\n"

    def start(self) -> HAProxy:
        """Write the configuration, check it, start haproxy in the foreground and wait."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "haproxy.cfg"
        config.write_text(self.config())
        subprocess.run(
            [haproxy_binary(), "-c", "-q", "-f", str(config)], check=True, capture_output=True
        )
        self.process = subprocess.Popen(
            [haproxy_binary(), "-db", "-f", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(self.port)
        except TimeoutError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop haproxy by its PID and wait for it."""
        if self.process is None:
            return
        stop_process(self.process)
        self.process = None

    def command(self, line: str) -> str:
        """Send one command to the runtime API and return its answer."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as admin:
            admin.settimeout(5)
            admin.connect(str(self.admin_socket))
            admin.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := admin.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def states(self) -> dict[str, str]:
        """Return each server's state as HAProxy sees it, such as ``UP``, ``DOWN`` or ``DRAIN``."""
        text = self.command("show stat").lstrip("# ")
        rows = csv.DictReader(io.StringIO(text))
        return {
            row["svname"]: row["status"].split(" ")[0]
            for row in rows
            if row["pxname"] == "hello" and row["svname"] in self.servers
        }

    def wait_for_state(self, server: str, state: str, timeout: float = 20.0) -> float:
        """Wait until ``server`` is in ``state``; return the moment it was seen."""
        deadline = time.monotonic() + timeout
        while self.states().get(server) != state:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{server} never became {state}: {self.states()}")
            time.sleep(0.05)
        return time.monotonic()

    def drain(self, server: str) -> None:
        """Send no new requests to ``server``, as when Kubernetes drops a pod's endpoint."""
        self.command(f"set server hello/{server} state drain")
