"""Every workflow, composite action and dependabot.yml validates against its published schema.

check-jsonschema ships SchemaStore's schemas (`--builtin-schema vendor.*`), so this runs offline.
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

import pytest

from tests.workflows.conftest import ACTIONS, DEPENDABOT, WORKFLOWS, rel, tool


if TYPE_CHECKING:
    from pathlib import Path

CASES = [
    *((path, "vendor.github-workflows") for path in WORKFLOWS),
    *((path, "vendor.github-actions") for path in ACTIONS),
    (DEPENDABOT, "vendor.dependabot"),
]


def check_schema(path: Path, schema: str) -> subprocess.CompletedProcess[str]:
    """Run check-jsonschema with one built-in schema on one file."""
    return subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_files_under_test_exist() -> None:
    """The four workflows, both composite actions and dependabot.yml are all found."""
    names = {path.name for path in WORKFLOWS}

    assert {"ci.yml", "review.yml", "review-cleanup.yml", "production.yml"} <= names
    assert {path.parent.name for path in ACTIONS} >= {"cloud-login", "setup-project"}
    assert DEPENDABOT.is_file()


@pytest.mark.parametrize(("path", "schema"), CASES, ids=[rel(path) for path, _ in CASES])
def test_file_validates_against_its_schema(path: Path, schema: str) -> None:
    """The file is valid under GitHub's schema for its kind."""
    result = check_schema(path, schema)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("text", "schema"),
    [
        ("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: 1\n        nope: 2\n",
         "vendor.github-workflows"),
        ("name: a\ndescription: b\nruns:\n  using: composite\n  steps: 3\n",
         "vendor.github-actions"),
        ("version: 2\nupdates:\n  - package-ecosystem: maven-central\n    directory: /\n",
         "vendor.dependabot"),
    ],
    ids=["workflow", "action", "dependabot"],
)  # fmt: skip
def test_schema_check_rejects_a_broken_file(tmp_path: Path, text: str, schema: str) -> None:
    """The same check fails on an invalid file, so a pass above means something."""
    path = tmp_path / "broken.yml"
    path.write_text(text)

    result = check_schema(path, schema)

    assert result.returncode != 0
