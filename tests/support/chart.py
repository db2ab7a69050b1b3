"""The chart's shutdown timings, read from helm/hello/values.yaml: their one source of truth."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


__all__ = ("VALUES_FILE", "ShutdownTimings")

VALUES_FILE = Path(__file__).resolve().parents[2] / "helm" / "hello" / "values.yaml"


@dataclass(frozen=True, kw_only=True)
class ShutdownTimings:
    """The ``shutdown:`` block of the chart's values, in seconds."""

    pre_stop: float
    """``preStopSeconds``: the pause before SIGTERM while endpoints drop the pod."""
    drain: float
    """``drainSeconds``: HELLO_DRAIN_SECONDS, readiness failing while serving goes on."""
    shutdown_timeout: float
    """``shutdownTimeoutSeconds``: HELLO_SHUTDOWN_TIMEOUT for requests in flight."""
    margin: float
    """``marginSeconds``: slack before the kubelet's SIGKILL."""
    keep_alive: float
    """``keepAliveSeconds``: HELLO_KEEPALIVE_TIMEOUT for idle client connections."""

    @classmethod
    def from_values(cls, path: Path = VALUES_FILE) -> ShutdownTimings:
        """Read the timings from a values file; fail naming the key that is missing."""
        block = yaml.safe_load(path.read_text())["shutdown"]
        return cls(
            pre_stop=float(block["preStopSeconds"]),
            drain=float(block["drainSeconds"]),
            shutdown_timeout=float(block["shutdownTimeoutSeconds"]),
            margin=float(block["marginSeconds"]),
            keep_alive=float(block["keepAliveSeconds"]),
        )

    @property
    def grace_period(self) -> float:
        """``terminationGracePeriodSeconds`` as the chart derives it."""
        return self.pre_stop + self.drain + self.shutdown_timeout + self.margin

    def service_env(self) -> dict[str, str]:
        """The environment the chart gives the service for these timings."""
        return {
            "HELLO_DRAIN_SECONDS": str(self.drain),
            "HELLO_SHUTDOWN_TIMEOUT": str(self.shutdown_timeout),
            "HELLO_KEEPALIVE_TIMEOUT": str(self.keep_alive),
        }
