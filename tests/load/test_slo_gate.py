"""``scripts/load-test.sh`` (behind ``make load-test``) exits non-zero when an SLO breaks."""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

import pytest
from tests.support.ports import free_port
from tests.support.runner import HELLO_COMMAND, REPO


if TYPE_CHECKING:
    from pathlib import Path

    from tests.support.runner import ServiceRunner

pytestmark = pytest.mark.slow

# Three users for three seconds with little think time: a few hundred requests.
TINY_PROFILE = """
[defaults]
wait-seconds = [0.01, 0.05]
stop-timeout = 1

[defaults.mix]
read-known = 80
read-unknown = 10
write = 10

[defaults.slo]
p95-ms = 1000
p99-ms = 2000
max-failure-ratio = 0
min-rps = 5

[profiles.tiny]
users = 3
spawn-rate = 3
run-time = "3s"
"""


@pytest.fixture
def base_url(services: ServiceRunner) -> str:
    """Serve the real service on its embedded store."""
    return services.start(HELLO_COMMAND)


def _load_run(base_url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(TINY_PROFILE)
    env = os.environ | {
        "BASE_URL": base_url,
        "PROFILE": "tiny",
        "PROFILES_FILE": str(profiles),
        "REPORT_DIR": str(tmp_path / "reports"),
    }
    return subprocess.run(
        [str(REPO / "scripts" / "load-test.sh"), *extra],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_run_within_thresholds_passes_and_writes_reports(base_url: str, tmp_path: Path) -> None:
    """Against the real service, reachable thresholds hold: exit 0, HTML and CSV reports."""
    result = _load_run(base_url, tmp_path)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "SLO met by profile tiny" in output
    reports = tmp_path / "reports"
    assert (reports / "tiny.html").stat().st_size > 0
    stats = (reports / "tiny_stats.csv").read_text()
    assert "/hello/{username} [known]" in stats
    assert "/hello/{username} [unknown]" in stats


@pytest.mark.parametrize(
    ("override", "breach"),
    [
        (["--slo-min-rps", "1000000"], "SLO breach: throughput"),
        (["--slo-p99-ms", "0.001"], "SLO breach: p99 latency"),
    ],
)
def test_impossible_threshold_fails_the_run(
    base_url: str, tmp_path: Path, override: list[str], breach: str
) -> None:
    """One unreachable threshold makes the run exit 1 and name the threshold that broke."""
    result = _load_run(base_url, tmp_path, *override)

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert breach in output


def test_unreachable_service_fails_the_run(tmp_path: Path) -> None:
    """Nobody listening means every request fails, which breaks the failure ratio."""
    result = _load_run(f"http://127.0.0.1:{free_port()}", tmp_path)

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "SLO breach: failure ratio" in output
