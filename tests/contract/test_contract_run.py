"""``scripts/contract-test.sh`` (behind ``make contract-test``) fails on a broken service only."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from tests.support.runner import HELLO_COMMAND, REPO


if TYPE_CHECKING:
    from pathlib import Path

    from tests.support.runner import ServiceRunner

pytestmark = pytest.mark.slow

# Small enough for about half a minute per run; the shipped budget is in contract/schemathesis.toml.
BUDGET = ["--max-examples", "5", "--phases", "examples,coverage,fuzzing,stateful"]
BROKEN_APP = [
    sys.executable, "-m", "uvicorn", "--factory", "tests.contract.broken_app:create_broken_app",
    "--host", "127.0.0.1", "--port", "{port}",
]  # fmt: skip


def _contract_run(base_url: str, report_dir: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"BASE_URL": base_url, "REPORT_DIR": str(report_dir)}
    return subprocess.run(
        [str(REPO / "scripts" / "contract-test.sh"), *BUDGET],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.mark.parametrize(
    ("mode", "evidence"),
    [
        ("server-error", "- ST101 Server error"),
        ("wrong-greeting", "Your birthday is in 0 days"),
        ("future-date-accepted", "must be refused with 400, got 204"),
    ],
)
def test_contract_run_fails_against_a_broken_service(
    services: ServiceRunner, tmp_path: Path, mode: str, evidence: str
) -> None:
    """A service that errors, greets against its schema or saves the future fails the run."""
    base_url = services.start(BROKEN_APP, {"BROKEN_MODE": mode})

    result = _contract_run(base_url, tmp_path / "reports")

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    junit = (tmp_path / "reports" / "junit.xml").read_text()
    assert evidence in junit, output


def test_contract_run_passes_against_the_service(services: ServiceRunner, tmp_path: Path) -> None:
    """The real service, on its embedded store, passes every check and phase."""
    base_url = services.start(HELLO_COMMAND)

    result = _contract_run(base_url, tmp_path / "reports")

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Stateful" in output
    junit = (tmp_path / "reports" / "junit.xml").read_text()
    assert 'failures="0"' in junit
    assert 'errors="0"' in junit
