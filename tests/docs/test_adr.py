"""Decision records follow ADR 1: name, title, date, sections, cross-links, and the index."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

import pytest

from tests.docs.documents import ROOT, Document


if TYPE_CHECKING:
    from pathlib import Path


ADR_DIR = ROOT / "docs" / "adr"
RECORDS = sorted(path for path in ADR_DIR.glob("*.md") if path.name != "README.md")
INDEX = Document(ADR_DIR / "README.md")
SECTIONS = ("Status", "Context", "Decision", "Consequences", "Alternatives", "Revisit when")
_FILE_NAME = re.compile(r"(?P<number>\d{4})-[a-z0-9]+(?:-[a-z0-9]+)*\.md")
_LINKED_ADR = re.compile(r"\]\((?P<file>\d{4}-[a-z0-9-]+\.md)\)")


def _section(document: Document, title: str) -> str:
    """Return the body of the ``## title`` section, up to the next heading of that level."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", document.text, re.M | re.S)
    return match[1] if match else ""


@pytest.mark.parametrize("path", RECORDS, ids=lambda path: path.name)
def test_record_has_the_agreed_shape(path: Path) -> None:
    """`NNNN-kebab-title.md`, `# N. Title`, an ISO date, then the sections of ADR 1 in order."""
    document = Document(path)
    lines = document.text.splitlines()
    name = _FILE_NAME.fullmatch(path.name)
    headings = re.findall(r"^## (.+)$", document.text, re.M)

    assert name, "file name is not NNNN-kebab-title.md"
    assert re.fullmatch(rf"# {int(name['number'])}\. \S.*", lines[0]), lines[0]
    date = next((line for line in lines if line.startswith("Date: ")), "")
    assert datetime.date.fromisoformat(date.removeprefix("Date: ")), "no `Date: YYYY-MM-DD` line"
    assert [heading for heading in headings if heading in SECTIONS] == list(SECTIONS)
    assert _section(document, "Status").strip(), "empty Status"


def test_record_numbers_are_unique() -> None:
    """No two records share a number."""
    numbers = [path.name[:4] for path in RECORDS]

    assert len(numbers) == len(set(numbers))


def test_index_lists_every_record() -> None:
    """docs/adr/README.md has a row for each record, and names no record that does not exist."""
    rows = [line for line in INDEX.text.splitlines() if line.startswith("| [")]
    linked = [name for row in rows for name in _LINKED_ADR.findall(row)]

    assert sorted(linked) == [path.name for path in RECORDS]


@pytest.mark.parametrize("path", RECORDS, ids=lambda path: path.name)
def test_amendments_link_both_ways(path: Path) -> None:
    """A record whose Status amends or supersedes another is named in that one's Status."""
    status = _section(Document(path), "Status")
    for verb, other in re.findall(
        r"(Amends|Supersedes)[^\n]*?\]\((\d{4}-[a-z0-9-]+\.md)\)", status
    ):
        assert path.name in _section(Document(ADR_DIR / other), "Status"), f"{verb} {other}"
