"""Run ``hello serve`` as a real process on a free loopback port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from tests.support.ports import free_port
from tests.support.processes import stop_process


if TYPE_CHECKING:
    from pathlib import Path

__all__ = ("ServiceProcess",)


@dataclass
class ServiceProcess:
    """One ``python -m hello serve`` process; its logs go to ``<workdir>/service.log``.

    ``env`` adds to (and overrides) this process's environment; ``REDIS_URL`` is removed
    unless ``env`` sets it, so a developer's shell never leaks into a test.
    """

    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    args: list[str] = field(default_factory=list)
    """Options after ``serve``, such as ``--port``."""
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        """The URL the service answers on."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        """Where the process writes its stdout and stderr."""
        return self.workdir / "service.log"

    @property
    def pid(self) -> int:
        """The process id of the running service."""
        if self.process is None:
            raise RuntimeError("the service is not running")
        return self.process.pid

    def start(self, wait_for: str | None = "/livez", timeout: float = 20.0) -> ServiceProcess:
        """Start the process and wait until ``wait_for`` answers 200 (``None``: no wait)."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HELLO_", "REDIS_"))}
        env |= {
            "HELLO_HOST": "127.0.0.1",
            "HELLO_PORT": str(self.port),
            "HELLO_LOG_FORMAT": "json",
            **self.env,
        }
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hello", "serve", *self.args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if wait_for is not None:
            self.wait_for(wait_for, timeout)
        return self

    def wait_for(self, path: str, timeout: float = 20.0, status: int = 200) -> None:
        """Poll ``path`` until it answers ``status``; fail if the process exits first."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"the service exited early:\n{self.logs()}")
            try:
                if httpx.get(self.base_url + path, timeout=1.0).status_code == status:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path} never answered {status}:\n{self.logs()}")
            time.sleep(0.05)

    def wait(self, timeout: float = 20.0) -> int:
        """Wait for the process to exit by itself and return its exit status."""
        if self.process is None:
            raise RuntimeError("the service is not running")
        return self.process.wait(timeout)

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 30.0) -> int:
        """Signal the process by its PID, wait for it and return its exit status."""
        if self.process is None:
            return 0
        code = stop_process(self.process, sig, timeout)
        self.process = None
        return code

    def logs(self) -> str:
        """Everything the process has written so far."""
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")
