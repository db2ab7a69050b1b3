"""The workflows, composite actions and delivery scripts, loaded once, and fake cloud CLIs."""

from __future__ import annotations

import functools
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml


if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

ROOT = Path(__file__).resolve().parents[2]
GITHUB = ROOT / ".github"
WORKFLOWS = tuple(sorted((GITHUB / "workflows").glob("*.yml")))
ACTIONS = tuple(sorted((GITHUB / "actions").glob("*/action.yml")))
DEPENDABOT = GITHUB / "dependabot.yml"
SCRIPTS = ROOT / "scripts"
# The scripts this area owns; other areas' scripts are checked by their own tests.
DELIVERY_SCRIPTS = tuple(
    sorted(
        path
        for prefix in ("ci-", "deploy-", "gha-", "review-")
        for path in SCRIPTS.glob(f"{prefix}*.sh")
    )
)
BIN = Path(sys.executable).parent
EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.DOTALL)

Document = dict[str, Any]


def tool(name: str) -> str:
    """Return the path of a console script installed in this virtualenv."""
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not installed in {BIN}; run `make install`")
    return str(path)


@functools.cache
def load(path: Path) -> Document:
    """Parse a workflow or action file; `on:` stays the string key it is to GitHub."""
    document = yaml.safe_load(path.read_text())
    if True in document:  # YAML 1.1 reads a bare `on` key as the boolean true
        document["on"] = document.pop(True)
    return document


def rel(path: Path) -> str:
    """Return a path relative to the repository root, for test ids and messages."""
    return str(path.relative_to(ROOT))


def triggers(workflow: Document) -> dict[str, Any]:
    """Return the workflow's triggers as a mapping of event name to its settings."""
    on = workflow["on"]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return dict(on)


def steps_of(document: Document) -> Iterator[tuple[str, Document]]:
    """Yield (job id, step) for every step of a workflow, or ("", step) for a composite action."""
    if "jobs" in document:
        for job_id, job in document["jobs"].items():
            for step in job.get("steps", []):
                yield job_id, step
    else:
        for step in document["runs"].get("steps", []):
            yield "", step


def run_blocks(path: Path) -> list[tuple[str, str]]:
    """Return (label, shell text) of every `run:` step in a workflow or action file."""
    blocks = []
    for index, (job_id, step) in enumerate(steps_of(load(path))):
        if "run" in step:
            label = f"{rel(path)}:{job_id or 'action'}:{step.get('name', index)}"
            blocks.append((label, step["run"]))
    return blocks


def uses_lines(path: Path) -> list[tuple[int, str]]:
    """Return (line number, text) of every `uses:` line, comments kept (YAML drops them)."""
    return [
        (number, line)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.match(r"^\s*(-\s+)?uses:", line)
    ]


@dataclass
class FakeCli:
    """Executables on a private PATH that stand in for cloud CLIs (helm, kubectl, gh, …).

    Each fake runs the bash `body` given for it with the real argv, after appending the argv
    to a shared log, so a test can script answers and then read back every call made.
    """

    directory: Path
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.log = self.directory / "calls.log"
        self.log.touch()

    def add(self, name: str, body: str = "exit 0") -> None:
        """Install a fake `name` whose behaviour is the bash `body`."""
        path = self.directory / name
        path.write_text(
            "#!/usr/bin/env bash\n"
            "set -euo pipefail\n"
            'line="$*"\n'
            f'printf "%s\\n" "{name} ${{line//$\'\\n\'/ }}" >> {shlex.quote(str(self.log))}\n'
            f"{body}\n"
        )
        path.chmod(0o755)

    def calls(self, name: str | None = None) -> list[str]:
        """Return the logged command lines, optionally only those of one fake."""
        lines = self.log.read_text().splitlines()
        return [line for line in lines if name is None or line.split(" ", 1)[0] == name]

    def env(self, **extra: str) -> dict[str, str]:
        """Return an environment whose PATH finds the fakes first."""
        env = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
        env["PATH"] = f"{self.directory}{os.pathsep}{env['PATH']}"
        env.update(extra)
        return env


@pytest.fixture
def fake_cli(tmp_path: Path) -> FakeCli:
    """Yield an empty set of fake CLIs on a private PATH."""
    return FakeCli(tmp_path / "bin")


def run_script(
    script: str, *args: str, env: Mapping[str, str], cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """Run one of scripts/ with bash and return its completed process (never raises)."""
    return subprocess.run(  # noqa: PLW1510 - callers assert on the return code themselves
        ["bash", str(SCRIPTS / script), *args],
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def outputs(path: Path) -> dict[str, str]:
    """Parse a GITHUB_OUTPUT file of `key=value` lines."""
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return dict(pairs)
