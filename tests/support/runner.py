"""Start any HTTP service command on a free loopback port, and stop it by PID.

``tests.support.service.ServiceProcess`` runs ``hello serve`` only; the contract tests also
run a broken variant under uvicorn, and the load tests share this runner.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.support.ports import free_port
from tests.support.processes import stop_process


if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ("HELLO_COMMAND", "REPO", "ServiceRunner")

REPO = Path(__file__).resolve().parents[2]
HELLO_COMMAND = (sys.executable, "-m", "hello", "serve")
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


def _stop(process: subprocess.Popen[bytes]) -> None:
    stop_process(process, timeout=STOP_TIMEOUT)


class ServiceRunner:
    """Starts HTTP services that read ``HELLO_HOST``/``HELLO_PORT``; stops them on close."""

    def __init__(self, log_dir: Path) -> None:
        self._log_dir = log_dir
        self._stack = ExitStack()

    def start(self, command: Sequence[str], extra_env: dict[str, str] | None = None) -> str:
        """Run ``command`` (``{port}`` in it is replaced) and return its URL once ready.

        The environment loses every ``HELLO_*`` and ``REDIS_*`` variable of the caller, so
        the service runs on its defaults (embedded store) unless ``extra_env`` says otherwise.
        """
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HELLO_", "REDIS_"))}
        env |= {"HELLO_HOST": "127.0.0.1", "HELLO_PORT": str(port), "HELLO_LOG_LEVEL": "warning"}
        env |= extra_env or {}
        log = self._log_dir / f"service-{port}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [part.replace("{port}", str(port)) for part in command],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self._stack.callback(_stop, process)
        base_url = f"http://127.0.0.1:{port}"
        self._wait_ready(base_url, process, log)

        return base_url

    def close(self) -> None:
        """Stop every process this runner started, last started first."""
        self._stack.close()

    @staticmethod
    def _wait_ready(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"the service exited with {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(f"{base_url}/readyz", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        pytest.fail(f"the service was not ready within {READY_TIMEOUT:g} s:\n{log.read_text()}")
