"""The Make targets, scripts and repository paths that the docs name all exist."""

from __future__ import annotations

import re
import subprocess
from typing import TYPE_CHECKING

import pytest

from tests.docs.documents import ROOT, Document, markdown_files


if TYPE_CHECKING:
    from pathlib import Path


DOCUMENTS = markdown_files()
# `make` at the start of a command, then its words up to a shell operator or a comment.
_MAKE = re.compile(r"(?:^|[\s;&|(`$])(?:sudo\s+)?make\s+(?P<words>[^;&|<>#)`]*)")
_TARGET = re.compile(r"[a-z][a-z0-9-]*")
# A repository path in code: a top-level folder this repository has, then a file or folder.
_TOP_LEVEL = r"(?:\.github|bench|contract|docs|helm|load|mk|scripts|src|tests)"
_PATH = re.compile(rf"^(?:\./)?(?P<path>{_TOP_LEVEL}/[\w./-]*[\w/])$")


def _help_targets() -> set[str]:
    """Return the targets `make help` lists: every target with a `## description`."""
    listing = subprocess.run(
        ["make", "--no-print-directory", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {match[1] for match in re.finditer(r"^  (\S+)\s", listing, re.M)}


def _named_targets(document: Document) -> list[tuple[int, str]]:
    """Return (line, target) for every `make <target>` inside code in ``document``."""
    named = []
    for line, code in document.commands:
        for match in _MAKE.finditer(code):
            for word in match["words"].split():
                if word.startswith("-") or "=" in word:
                    continue  # an option or a variable
                if not _TARGET.fullmatch(word):
                    break  # the end of the command: prose, a redirection, a path
                named.append((line, word))
    return named


def _named_paths(document: Document) -> list[tuple[int, str]]:
    """Return (line, path) for each inline code span or shell word that is a repository path."""
    named = []
    for line, code in document.code:
        for word in code.split():
            match = _PATH.match(word.strip("\"'(),:;[]"))
            if match and not re.search(r"[<>{}*$]", match["path"]):
                named.append((line, match["path"]))
    return named


HELP_TARGETS = _help_targets()


def test_help_lists_the_shared_targets() -> None:
    """The targets every area agreed on are in `make help`, `docs-test` among them."""
    shared = {"run", "dev", "test", "check", "lint", "typecheck", "audit", "install", "docs-test"}

    assert shared <= HELP_TARGETS


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
def test_named_make_targets_exist(document: Document) -> None:
    """Each `make <target>` written in code in the docs is a target `make help` lists."""
    missing = [f"line {line}: make {name}" for line, name in _named_targets(document)]

    assert [entry for entry in missing if entry.rsplit(" ", 1)[1] not in HELP_TARGETS] == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
def test_named_paths_exist(document: Document) -> None:
    """Each script, workflow or other repository path written in code in the docs exists."""
    missing = [f"line {line}: {path}" for line, path in _named_paths(document)]

    assert [entry for entry in missing if not (ROOT / entry.split(": ", 1)[1]).exists()] == []


def test_targets_and_paths_are_recognised(tmp_path: Path) -> None:
    """Targets after `make` and its options are found in shell code; paths in any code."""
    page = tmp_path / "page.md"
    page.write_text(
        "Make sure to `make run` and `sudo make install system-deps`.\n"
        "Run `scripts/nope.sh` or `./scripts/bootstrap.sh`; `helm/hello/values-<env>.yaml`.\n"
        "```sh\nmake --no-print-directory load-test BASE_URL=http://x PROFILE=smoke > out\n```\n"
        "scripts/prose.sh is prose.\n"
        "```mermaid\nflowchart LR\n  a[make one, start scripts/gone.sh]\n```\n"
    )
    document = Document(page, tmp_path)

    assert _named_targets(document) == [
        (1, "run"),
        (1, "install"),
        (1, "system-deps"),
        (4, "load-test"),
    ]
    assert _named_paths(document) == [
        (2, "scripts/nope.sh"),
        (2, "scripts/bootstrap.sh"),
        (9, "scripts/gone.sh"),
    ]


def test_readme_table_names_every_target() -> None:
    """The README's Make targets table names each target `make help` lists."""
    readme = Document(ROOT / "README.md")
    section = readme.text.split("## Make targets", 1)[1].split("\n## ", 1)[0]
    in_table = {
        word
        for row in section.splitlines()
        if row.startswith("| `make ")
        for word in re.findall(r"`make ([a-z][a-z0-9-]*)", row)
    }

    assert sorted(HELP_TARGETS - in_table) == []
