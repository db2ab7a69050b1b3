"""What an answer must never show: stack traces, source paths, class and module names."""

from __future__ import annotations

import re


__all__ = ("internal_names",)

# Each pattern names something only the implementation knows.
_INTERNALS = (
    re.compile(rb"Traceback \(most recent call last\)"),
    re.compile(rb'File "[^"]*", line \d+'),
    re.compile(rb"[\w/.-]+\.py\b"),
    re.compile(rb"site-packages|/usr/lib|/work/|\.venv"),
    re.compile(rb"\b[A-Z][A-Za-z]*(?:Error|Exception)\b"),
    re.compile(rb"\b(?:hello|litestar|msgspec|redis|uvicorn|structlog|starlette)\.[a-z_]+"),
    re.compile(rb"<(?:function|class|module|coroutine|bound method) "),
    re.compile(rb"\bat 0x[0-9a-f]{6,}"),
)


def internal_names(body: bytes, sent: bytes = b"") -> list[str]:
    """Return every fragment of ``body`` that gives away the implementation.

    Args:
        body: An answer's body.
        sent: The request; a fragment it contains is the caller's own input echoed back
            (an unknown JSON key named ``AError``, say), not an internal name.
    """
    return [
        match.decode(errors="replace")
        for pattern in _INTERNALS
        for match in pattern.findall(body)
        if match not in sent
    ]
