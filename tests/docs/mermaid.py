"""A well-formedness check for Mermaid diagrams: what breaks rendering most often, no full parse.

It checks the diagram type on the first line, balanced quotes on every line, and for flowcharts
and sequence diagrams the brackets and the blocks that ``end`` closes. A diagram that passes can
still fail in GitHub's renderer (Mermaid's grammar is far larger), but one that fails here never
renders.
"""

from __future__ import annotations

import re


__all__ = ("DIAGRAM_TYPES", "problems")

# First keyword of each diagram type Mermaid 11 knows.
# Ref: https://mermaid.js.org/intro/syntax-reference.html
DIAGRAM_TYPES = frozenset(
    {
        "architecture-beta", "block-beta", "C4Component", "C4Container", "C4Context",
        "C4Deployment", "C4Dynamic", "classDiagram", "classDiagram-v2", "erDiagram",
        "flowchart", "flowchart-elk", "gantt", "gitGraph", "graph", "journey", "kanban",
        "mindmap", "packet-beta", "pie", "quadrantChart", "radar-beta", "requirementDiagram",
        "sankey-beta", "sequenceDiagram", "stateDiagram", "stateDiagram-v2", "timeline",
        "xychart-beta",
    }
)  # fmt: skip

_PAIRS = {")": "(", "]": "[", "}": "{"}
_FLOW_BLOCK = re.compile(r"^subgraph\b")
_SEQUENCE_BLOCK = re.compile(r"^(?:loop|alt|opt|par|critical|break|rect|box)\b")
_SEQUENCE_MIDDLE = re.compile(r"^(?P<word>else|and|option)\b")
_SEQUENCE_MIDDLE_OF = {"else": {"alt", "critical"}, "and": {"par"}, "option": {"critical"}}
# `end` as a bare node name closes a subgraph instead (a classic flowchart mistake).
_FLOW_END_AS_NODE = re.compile(r"(?:-->|---|==>|-\.->|\|)\s*end\s*$|^end\s*(?:-->|---|==>)")


def _strip_comment(line: str) -> str:
    return "" if line.lstrip().startswith("%%") else line


def _statements(body: str) -> list[tuple[int, str]]:
    """Return (line offset, stripped line) for each line that is not blank, a comment or config."""
    lines = body.splitlines()
    statements = []
    in_front_matter = bool(lines) and lines[0].strip() == "---"
    for offset, raw in enumerate(lines):
        line = _strip_comment(raw).strip()
        if in_front_matter:
            if offset > 0 and line == "---":
                in_front_matter = False
            continue
        if line:
            statements.append((offset, line))
    return statements


def _bracket_problems(offset: int, line: str) -> list[str]:
    """Return unbalanced (), [] and {} outside quotes and edge labels (``|...|``)."""
    text = re.sub(r'"[^"]*"', '""', line)
    text = re.sub(r"\|[^|]*\|", "||", text)
    stack: list[str] = []
    for char in text:
        if char in "([{":
            stack.append(char)
        elif char in _PAIRS:
            if not stack or stack[-1] != _PAIRS[char]:
                return [f"line {offset + 1}: unmatched {char!r}: {line}"]
            stack.pop()
    return [f"line {offset + 1}: unclosed {stack[-1]!r}: {line}"] if stack else []


def _flowchart_problems(statements: list[tuple[int, str]]) -> list[str]:
    found: list[str] = []
    depth = 0
    for offset, line in statements[1:]:
        found += _bracket_problems(offset, line)
        if _FLOW_BLOCK.match(line):
            depth += 1
        elif line == "end":
            depth -= 1
            if depth < 0:
                found.append(f"line {offset + 1}: `end` without a subgraph")
                depth = 0
        elif _FLOW_END_AS_NODE.search(line):
            found.append(f"line {offset + 1}: a node named `end` breaks the flowchart: {line}")
    if depth > 0:
        found.append(f"{depth} subgraph(s) without `end`")
    return found


def _sequence_problems(statements: list[tuple[int, str]]) -> list[str]:
    found: list[str] = []
    blocks: list[str] = []
    for offset, line in statements[1:]:
        if block := _SEQUENCE_BLOCK.match(line):
            blocks.append(block[0])
        elif middle := _SEQUENCE_MIDDLE.match(line):
            if not blocks or blocks[-1] not in _SEQUENCE_MIDDLE_OF[middle["word"]]:
                found.append(f"line {offset + 1}: `{middle['word']}` outside its block")
        elif line == "end":
            if not blocks:
                found.append(f"line {offset + 1}: `end` without a block")
            else:
                blocks.pop()
    if blocks:
        found.append(f"unclosed block(s): {', '.join(blocks)}")
    return found


def problems(body: str) -> list[str]:
    """Return what is wrong with the Mermaid source ``body``; empty when it looks well formed."""
    statements = _statements(body)
    if not statements:
        return ["empty diagram"]
    first = statements[0][1].split()[0]
    if first not in DIAGRAM_TYPES:
        return [f"unknown diagram type {first!r}"]

    found = [
        f"line {offset + 1}: odd number of double quotes: {line}"
        for offset, line in statements
        if line.count('"') % 2
    ]
    if first in {"flowchart", "flowchart-elk", "graph"}:
        found += _flowchart_problems(statements)
    elif first == "sequenceDiagram":
        found += _sequence_problems(statements)
    return found
