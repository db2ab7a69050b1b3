"""Fixtures for the load tests: services on free loopback ports."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.contract.service import ServiceRunner


if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def services(tmp_path: Path) -> Iterator[ServiceRunner]:
    """Start services for one test; each is stopped by its PID when the test ends."""
    runner = ServiceRunner(tmp_path)
    try:
        yield runner
    finally:
        runner.close()
