"""Every relative link in every Markdown file reaches a file, and a heading when it names one."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote

import pytest

from tests.docs.documents import Document, github_anchors, markdown_files


if TYPE_CHECKING:
    from pathlib import Path


DOCUMENTS = markdown_files()


def _broken_links(document: Document) -> list[str]:
    broken = []
    for link in document.links:
        if link.is_external:
            continue
        path_part, _, fragment = link.target.partition("#")
        target = document.path
        if path_part:
            target = (document.path.parent / unquote(path_part)).resolve()
        root = document.root.resolve()
        where = f"{document.name}:{link.line}: {link.target}"
        if root not in (target, *target.parents):
            broken.append(f"{where} leaves the repository")
        elif not target.exists():
            broken.append(f"{where} does not exist")
        elif fragment and target.suffix == ".md" and fragment not in Document(target).anchors:
            broken.append(f"{where} names no heading of {target.relative_to(root).as_posix()}")
    return broken


def test_markdown_files_are_found() -> None:
    """The top-level README, the docs and the decision records are among the files checked."""
    names = {document.name for document in DOCUMENTS}

    assert {"README.md", "docs/runbook.md", "docs/architecture.md", "docs/adr/README.md"} <= names


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
def test_relative_links_resolve(document: Document) -> None:
    """Each relative link names an existing path inside the repository, and an existing anchor."""
    assert _broken_links(document) == []


def test_broken_links_are_reported(tmp_path: Path) -> None:
    """A missing file, a missing heading and an escape from the repository are each reported."""
    (tmp_path / "README.md").write_text("# Readme\n\n## Usage\n")
    page = tmp_path / "docs" / "page.md"
    page.parent.mkdir()
    page.write_text(
        "# Title\n\n"
        "[ok](#title) [gone](missing.md) [no heading](../README.md#no-such-heading)\n"
        "[fine](../README.md#usage) [outside](../../etc/passwd) [web](https://example.com/x.md)\n"
        "`[code](nowhere.md)`\n"
        "```sh\n[fenced](nowhere.md)\n```\n"
    )

    broken = _broken_links(Document(page, tmp_path))

    assert [message.split(": ", 1)[1] for message in broken] == [
        "missing.md does not exist",
        "../README.md#no-such-heading names no heading of README.md",
        "../../etc/passwd leaves the repository",
    ]


def test_anchors_follow_github() -> None:
    """Headings become GitHub's fragments: lower case, punctuation dropped, repeats numbered."""
    headings = [
        "Redis failover",
        "Shutdown, probes and keep-alive",
        "`make test` & CI",
        "Notes",
        "Notes",
    ]

    assert github_anchors(headings) == [
        "redis-failover",
        "shutdown-probes-and-keep-alive",
        "make-test--ci",
        "notes",
        "notes-1",
    ]
