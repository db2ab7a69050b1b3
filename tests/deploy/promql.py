"""Read the names a PromQL expression uses: metrics, the labels it matches on and groups by.

A reader for the simple queries of this chart's alerts and dashboard, not a full parser:
selectors with string matchers, range vectors, function calls, aggregations with `by`,
binary operators with `on`/`ignoring`. Grafana variables (`$namespace`) may appear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


__all__ = ("Query", "Selector", "read_query")

_GRAFANA_VARIABLE = re.compile(r"\$(?:\{\w+\}|\w+)")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_SELECTOR = re.compile(r"(?P<metric>[A-Za-z_:][\w:]*)\s*\{(?P<matchers>[^{}]*)\}")
_MATCHER = re.compile(
    r'(?P<label>[A-Za-z_]\w*)\s*(?P<op>=~|!~|!=|=)\s*"(?P<value>(?:[^"\\]|\\.)*)"'
)
_GROUPING = re.compile(
    r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\((?P<labels>[^()]*)\)"
)
_RANGE = re.compile(r"\[[^\[\]]*\]")
_OFFSET = re.compile(r"\boffset\s+\S+")
# A name not inside a number (`1e3`, `0.99`) and not called as a function.
_NAME = re.compile(r"(?<![\w.:])[A-Za-z_:][\w:]*(?![\w:])(?!\s*\()")
_KEYWORDS = frozenset({"and", "or", "unless", "bool", "inf", "nan"})


@dataclass(frozen=True)
class Selector:
    """One `metric{label="value", …}` in a query."""

    metric: str
    matchers: tuple[tuple[str, str, str], ...]
    """(label, operator, value) of each matcher, in the order written."""

    @property
    def labels(self) -> frozenset[str]:
        """Return the label names the selector matches on."""
        return frozenset(label for label, _, _ in self.matchers)

    def value_of(self, label: str) -> str | None:
        """Return the value an `=` matcher gives `label`, or None when there is none."""
        equal = [value for name, op, value in self.matchers if name == label and op == "="]

        return equal[0] if equal else None


@dataclass(frozen=True)
class Query:
    """What one PromQL expression names."""

    metrics: frozenset[str]
    """Every metric name, with or without a selector."""
    selectors: tuple[Selector, ...]
    """Every selector with braces, in the order written."""
    grouping: frozenset[str]
    """Labels named in `by`, `without`, `on`, `ignoring` and `group_*` clauses."""


def read_query(expr: str) -> Query:
    """Return the metrics, selectors and grouping labels of a PromQL expression."""
    selectors = tuple(
        Selector(
            match["metric"],
            tuple((m["label"], m["op"], m["value"]) for m in _MATCHER.finditer(match["matchers"])),
        )
        for match in _SELECTOR.finditer(expr)
    )
    grouping = {
        label.strip()
        for match in _GROUPING.finditer(expr)
        for label in match["labels"].split(",")
        if label.strip()
    }

    text = _GRAFANA_VARIABLE.sub("", _STRING.sub('""', expr))
    text = _SELECTOR.sub(r"\g<metric>", text)
    for pattern in (_GROUPING, _RANGE, _OFFSET):
        text = pattern.sub(" ", text)
    names = {name for name in _NAME.findall(text) if name.lower() not in _KEYWORDS}

    return Query(frozenset(names), selectors, frozenset(grouping))
