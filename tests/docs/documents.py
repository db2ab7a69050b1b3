"""The repository's Markdown files: their links, heading anchors, code and fenced blocks."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path


__all__ = (
    "ROOT",
    "Document",
    "Fence",
    "Link",
    "github_anchors",
    "markdown_files",
)

ROOT = Path(__file__).resolve().parents[2]
# Never documentation of this repository, even when present in a working tree.
_SKIPPED_DIRS = frozenset(
    {".git", ".venv", "node_modules", "reports", ".pytest_cache", ".ruff_cache", ".mypy_cache"}
)
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<mark>`{3,}|~{3,})(?P<info>[^`]*)$")
_CODE_SPAN = re.compile(r"(?<!`)(?P<ticks>`+)(?P<code>.+?)(?<!`)(?P=ticks)(?!`)")
# [text](target "title") and ![alt](target); the text may hold one level of brackets.
_INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?(?P<target>[^)\s>]+)>?")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(?P<target>\S+?)>?(?:\s|$)")
_HTML_ATTRIBUTE = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)=["'](?P<target>[^"']+)["']""")
_HTML_ANCHOR = re.compile(r"""<a\b[^>]*?\b(?:name|id)=["'](?P<anchor>[^"']+)["']""")
_HEADING = re.compile(r"^ {0,3}(?P<level>#{1,6})\s+(?P<text>.*?)(?:\s+#+)?\s*$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_SHELL_LANGUAGES = frozenset({"", "sh", "bash", "shell", "console", "zsh"})


@dataclass(frozen=True)
class Link:
    """A link target written in a document, with the line it is on."""

    target: str
    line: int

    @property
    def is_external(self) -> bool:
        """Whether the target names a scheme (``https:``, ``mailto:``) and so leaves the repo."""
        return bool(_SCHEME.match(self.target)) or self.target.startswith("//")


@dataclass(frozen=True)
class Fence:
    """A fenced code block: its info string, first line number and body."""

    info: str
    line: int
    body: str

    @property
    def language(self) -> str:
        """Return the first word of the info string, lower-cased (``mermaid``, ``sh``)."""
        words = self.info.split()
        return words[0].lower() if words else ""


@dataclass(frozen=True)
class Document:
    """One Markdown file, split into prose lines and fenced blocks."""

    path: Path
    root: Path = ROOT

    @cached_property
    def text(self) -> str:
        """Return the whole file."""
        return self.path.read_text(encoding="utf-8")

    @property
    def name(self) -> str:
        """Return the path relative to the repository root, for messages."""
        return self.path.relative_to(self.root).as_posix()

    @cached_property
    def _split(self) -> tuple[list[tuple[int, str]], list[Fence]]:
        prose: list[tuple[int, str]] = []
        fences: list[Fence] = []
        opened: tuple[str, str, int] | None = None
        body: list[str] = []
        for number, line in enumerate(self.text.splitlines(), start=1):
            match = _FENCE.match(line)
            if opened is None:
                if match:
                    opened = (match["mark"], match["info"].strip(), number)
                    body = []
                else:
                    prose.append((number, line))
                continue
            mark, info, start = opened
            closing = match and not match["info"].strip() and match["mark"].startswith(mark)
            if closing:
                fences.append(Fence(info, start, "\n".join(body)))
                opened = None
                continue
            body.append(line)
        if opened is not None:  # an unclosed fence runs to the end of the file
            fences.append(Fence(opened[1], opened[2], "\n".join(body)))
        return prose, fences

    @property
    def prose(self) -> list[tuple[int, str]]:
        """Return (line number, line) for every line outside fenced blocks."""
        return self._split[0]

    @property
    def fences(self) -> list[Fence]:
        """Return every fenced code block."""
        return self._split[1]

    @property
    def code(self) -> list[tuple[int, str]]:
        """Return (line number, text) of every inline code span and fenced block line."""
        spans = [
            (number, match["code"].strip())
            for number, line in self.prose
            for match in _CODE_SPAN.finditer(line)
        ]
        for fence in self.fences:
            lines = fence.body.splitlines()
            spans += [(fence.line + 1 + offset, line) for offset, line in enumerate(lines)]
        return spans

    @property
    def commands(self) -> list[tuple[int, str]]:
        """Return (line number, text) of inline code and of lines in shell fences (or untyped)."""
        spans = [
            (number, match["code"].strip())
            for number, line in self.prose
            for match in _CODE_SPAN.finditer(line)
        ]
        for fence in self.fences:
            if fence.language in _SHELL_LANGUAGES:
                lines = fence.body.splitlines()
                spans += [(fence.line + 1 + offset, line) for offset, line in enumerate(lines)]
        return spans

    @property
    def links(self) -> list[Link]:
        """Return every link outside code: inline, reference-style and HTML."""
        found = []
        for number, line in self.prose:
            text = _CODE_SPAN.sub("", line)
            for pattern in (_INLINE_LINK, _REFERENCE, _HTML_ATTRIBUTE):
                found += [Link(match["target"], number) for match in pattern.finditer(text)]
        return found

    @cached_property
    def anchors(self) -> frozenset[str]:
        """Return the fragment names GitHub gives this file: headings and HTML anchors."""
        headings = [match["text"] for _, line in self.prose if (match := _HEADING.match(line))]
        explicit = {
            match["anchor"] for _, line in self.prose for match in _HTML_ANCHOR.finditer(line)
        }
        return frozenset(github_anchors(headings)) | explicit


def github_anchors(headings: list[str]) -> list[str]:
    """Return the fragment GitHub derives from each heading, numbering repeats as it does."""
    seen: dict[str, int] = {}
    anchors = []
    for heading in headings:
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
        text = re.sub(r"<[^>]+>", "", text).replace("`", "").strip().lower()
        slug = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.append(slug if count == 0 else f"{slug}-{count}")
    return anchors


def markdown_files(root: Path = ROOT) -> list[Document]:
    """Return the Markdown files git would commit (tracked and untracked, not ignored).

    Outside a git checkout, every ``*.md`` below ``root`` except tool and cache folders.
    """
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", "*.md"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout.decode()
        paths = sorted({root / name for name in listed.split("\0") if name})
    except (OSError, subprocess.CalledProcessError):
        paths = sorted(root.rglob("*.md"))
    return [
        Document(path, root)
        for path in paths
        if path.is_file() and not _SKIPPED_DIRS.intersection(path.relative_to(root).parts)
    ]
