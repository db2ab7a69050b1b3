"""Fixtures for the contract tests: a service process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest


if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 30.0

Serve = "Callable[[Sequence[str], dict[str, str]], str]"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[[Sequence[str], dict[str, str]], str]]:
    """Start a command that serves HTTP on ``HELLO_PORT``; return its base URL when ready.

    Every process started is stopped by its PID when the test ends.
    """
    with ExitStack() as stack:

        def start(command: Sequence[str], extra_env: dict[str, str]) -> str:
            port = _free_port()
            env = {k: v for k, v in os.environ.items() if not k.startswith(("HELLO_", "REDIS_"))}
            env |= {"HELLO_HOST": "127.0.0.1", "HELLO_PORT": str(port)}
            env |= {"HELLO_LOG_LEVEL": "warning", **extra_env}
            log = tmp_path / f"service-{port}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [part.replace("{port}", str(port)) for part in command],
                    cwd=REPO,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            stack.callback(_stop, process)
            base_url = f"http://127.0.0.1:{port}"
            _wait_ready(base_url, process, log)
            return base_url

        yield start


@pytest.fixture
def hello_command() -> list[str]:
    """Return the command that runs the real service, as ``hello serve`` does."""
    return [sys.executable, "-m", "hello", "serve"]
