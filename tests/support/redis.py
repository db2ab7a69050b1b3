"""Start and stop real redis-server processes on free loopback ports."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tests.support.ports import free_port, wait_for_port
from tests.support.processes import stop_process


if TYPE_CHECKING:
    from pathlib import Path


__all__ = ("RedisCluster", "RedisServer", "redis_server_binary")


def redis_server_binary() -> str:
    """Return the path of redis-server, or fail with what to install."""
    path = shutil.which("redis-server")
    if path is None:
        raise RuntimeError("redis-server is not installed; run `make system-deps`")
    return path


@dataclass
class RedisServer:
    """One redis-server process, owned by the test that started it.

    ``extra`` holds further ``--option value`` arguments, for ACL users, AOF or cluster mode.
    """

    workdir: Path
    extra: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    ca_file: Path | None = None
    """For a TLS-only server: the CA certificate that signed it."""
    process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The process id of the running server."""
        if self.process is None:
            raise RuntimeError("redis-server is not running")
        return self.process.pid

    def url(self, user: str | None = None, password: str | None = None) -> str:
        """Return a ``redis://`` URL for this server, with credentials when given."""
        auth = ""
        if password is not None:
            auth = f"{user or ''}:{password}@"
        scheme = "rediss" if self.ca_file else "redis"
        return f"{scheme}://{auth}127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        """Start the server (again, after a stop) on the same port and data directory."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        args = [
            redis_server_binary(),
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--dir", str(self.workdir),
            "--save", "",
            "--appendonly", "no",
            "--protected-mode", "no",
            "--logfile", str(self.workdir / "redis.log"),
            *self.extra,
        ]  # fmt: skip
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_for_port(self.port)
        except TimeoutError:
            self.stop()
            raise
        return self

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> None:
        """Stop the server by its PID (``SIGKILL`` for a crash), and wait for it."""
        if self.process is None:
            return
        stop_process(self.process, sig)
        if self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None

    def cli(self, *args: str, user: str | None = None, password: str | None = None) -> str:
        """Run ``redis-cli`` against this server and return what it printed."""
        command = ["redis-cli", "-h", "127.0.0.1", "-p", str(self.port)]
        if self.ca_file:
            command += ["--tls", "--cacert", str(self.ca_file)]
        if password is not None:
            command += ["--user", user or "default", "--pass", password, "--no-auth-warning"]
        done = subprocess.run(
            [*command, *args], capture_output=True, text=True, timeout=10, check=True
        )
        return done.stdout.strip()


@dataclass
class RedisCluster:
    """A Redis cluster of ``masters`` primaries, each with ``replicas`` replicas."""

    workdir: Path
    masters: int = 3
    replicas: int = 0
    nodes: list[RedisServer] = field(default_factory=list)

    @property
    def url(self) -> str:
        """A URL of one node; the cluster client discovers the rest."""
        return self.nodes[0].url()

    def start(self) -> RedisCluster:
        """Start every node, join them into a cluster and wait until it serves all slots."""
        count = self.masters * (1 + self.replicas)
        for index in range(count):
            node = RedisServer(
                self.workdir / f"node{index}",
                extra=[
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "2000",
                ],
            )  # fmt: skip
            self.nodes.append(node.start())
        addresses = [f"127.0.0.1:{node.port}" for node in self.nodes]
        subprocess.run(
            ["redis-cli", "--cluster", "create", *addresses,
             "--cluster-replicas", str(self.replicas), "--cluster-yes"],
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        self.wait_healthy()
        return self

    def wait_healthy(self, timeout: float = 30.0) -> None:
        """Wait until every node reports ``cluster_state:ok``."""
        deadline = time.monotonic() + timeout
        while True:
            states = [node.cli("cluster", "info") for node in self.nodes if node.process]
            if states and all("cluster_state:ok" in state for state in states):
                return
            if time.monotonic() > deadline:
                raise TimeoutError("the Redis cluster did not become healthy")
            time.sleep(0.1)

    def stop(self) -> None:
        """Stop every node by its PID."""
        for node in self.nodes:
            node.stop()
