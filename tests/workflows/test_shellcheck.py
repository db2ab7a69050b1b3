"""The shell in every `run:` step, and every delivery script, passes shellcheck.

A `run:` block goes to shellcheck as the bash script the runner makes of it, with each
`${{ … }}` expression replaced by a plain word, as the runner substitutes it before bash starts.
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

import pytest

from tests.workflows.conftest import (
    ACTIONS,
    DELIVERY_SCRIPTS,
    EXPRESSION,
    WORKFLOWS,
    rel,
    run_blocks,
    tool,
)


if TYPE_CHECKING:
    from pathlib import Path

PLACEHOLDER = "EXPRESSION_VALUE"
FILES = (*WORKFLOWS, *ACTIONS)


def shellcheck(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    """Run shellcheck (bash dialect, every optional severity) over `paths` at once."""
    return subprocess.run(
        [tool("shellcheck"), "--shell=bash", "--severity=style", "--format=gcc", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def as_script(text: str) -> str:
    """Return a `run:` block as the script file the runner writes for it."""
    return "#!/usr/bin/env bash\nset -eo pipefail\n" + EXPRESSION.sub(PLACEHOLDER, text) + "\n"


@pytest.mark.parametrize("path", FILES, ids=[rel(path) for path in FILES])
def test_run_blocks_pass_shellcheck(tmp_path: Path, path: Path) -> None:
    """Each `run:` block of the file is clean under shellcheck."""
    blocks = run_blocks(path)
    scripts = []
    for index, (label, text) in enumerate(blocks):
        script = tmp_path / f"block-{index}.sh"
        script.write_text(as_script(text))
        scripts.append((script, label))

    if not scripts:
        pytest.skip(f"{rel(path)} has no run: steps")
    result = shellcheck([script for script, _ in scripts])

    labels = "\n".join(f"{script.name}: {label}" for script, label in scripts)
    assert result.returncode == 0, f"{result.stdout}{result.stderr}\n{labels}"


@pytest.mark.parametrize("path", DELIVERY_SCRIPTS, ids=[rel(path) for path in DELIVERY_SCRIPTS])
def test_script_passes_shellcheck(path: Path) -> None:
    """The script is clean under shellcheck and starts with a bash shebang."""
    result = shellcheck([path])

    assert path.read_text().startswith("#!/usr/bin/env bash\n")
    assert result.returncode == 0, result.stdout + result.stderr


def test_shellcheck_flags_an_unquoted_expansion(tmp_path: Path) -> None:
    """The harness reports a classic bug, so a clean result above is a real one."""
    script = tmp_path / "bad.sh"
    script.write_text(as_script('rm -rf $DIR/${{ github.sha }}\necho "${{ github.ref }}"'))

    result = shellcheck([script])

    assert result.returncode != 0
    assert "SC2086" in result.stdout
