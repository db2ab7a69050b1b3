"""Stop a process the tests started, by its PID, without hanging on one that ignores it."""

from __future__ import annotations

import signal
import subprocess


__all__ = ("stop_process",)


def stop_process(
    process: subprocess.Popen[bytes], sig: signal.Signals = signal.SIGTERM, timeout: float = 10.0
) -> int:
    """Send ``sig`` unless it has exited, wait ``timeout``, then kill; return the exit status."""
    if process.poll() is None:
        process.send_signal(sig)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()
