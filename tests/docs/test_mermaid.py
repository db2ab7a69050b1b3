"""Every Mermaid block in the docs is well formed, and the check itself catches broken ones."""

from __future__ import annotations

import pytest

from tests.docs.documents import Fence, markdown_files
from tests.docs.mermaid import problems


BLOCKS = [
    pytest.param(fence, id=f"{document.name}:{fence.line}")
    for document in markdown_files()
    for fence in document.fences
    if fence.language == "mermaid"
]


def test_the_architecture_has_diagrams() -> None:
    """docs/architecture.md holds at least the four diagrams it promises."""
    in_architecture = [block for block in BLOCKS if block.id.startswith("docs/architecture.md:")]

    assert len(in_architecture) >= 4


@pytest.mark.parametrize("fence", BLOCKS)
def test_mermaid_block_is_well_formed(fence: Fence) -> None:
    """The block starts with a known diagram type and its quotes, brackets and blocks balance."""
    assert problems(fence.body) == []


def test_well_formed_diagrams_pass() -> None:
    """Shapes, edge labels, subgraphs, comments and sequence blocks are accepted."""
    flowchart = """%% a comment
flowchart LR
  subgraph zone["Zone (a)"]
    api[(Redis)] -->|"GET /x (y)"| db{{decide}}
  end
  user((User)) -.-> api
"""
    sequence = """sequenceDiagram
  participant C as Client
  alt found
    C->>S: GET /hello/{name} (JSON)
  else missing
    S-->>C: 404
  end
  par one
    C-)S: async
  and two
    C->>S: again
  end
"""

    assert problems(flowchart) == []
    assert problems(sequence) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("", "empty diagram"),
        ("flowhcart LR\n  a --> b", "unknown diagram type 'flowhcart'"),
        ('flowchart LR\n  a["open] --> b', "odd number of double quotes"),
        ("flowchart LR\n  a[label --> b", "unclosed '['"),
        ("flowchart LR\n  a(label] --> b", "unmatched ']'"),
        ("flowchart LR\n  subgraph one\n  a --> b", "1 subgraph(s) without `end`"),
        ("flowchart LR\n  a --> b\n  end", "`end` without a subgraph"),
        ("flowchart LR\n  start --> end", "a node named `end` breaks the flowchart"),
        ("sequenceDiagram\n  loop every minute\n  A->>B: ping", "unclosed block(s): loop"),
        ("sequenceDiagram\n  A->>B: ping\n  else", "`else` outside its block"),
        ("sequenceDiagram\n  A->>B: ping\n  end", "`end` without a block"),
    ],
)
def test_broken_diagrams_are_reported(source: str, expected: str) -> None:
    """Each classic mistake yields a problem that names it."""
    found = problems(source)

    assert any(expected in problem for problem in found), found
