#!/usr/bin/env python3
"""Start a new service from this template: turn `hello` into the new service's name, in place.

    python3 scripts/new-service.py NAME [--root DIR] [--dry-run]

NAME is lower case, letters and digits, words joined by hyphens (`birthday-api`). Every file below
the root (but .git, .venv and caches) and the paths `src/hello`, `helm/hello` are rewritten, each
spelling in the form its context needs:

    birthday-api   command, distribution, chart, image, release, namespaces, label keys, key prefix
    birthday_api   Python package and imports, metric names, logger names, Skaffold image variables
    BIRTHDAY_API_  environment variables (HELLO_PORT becomes BIRTHDAY_API_PORT)
    BirthdayApi    alert names (HelloHighErrorRatio becomes BirthdayApiHighErrorRatio)

The example API keeps its words, because a new service replaces it: the `/hello/{username}` route,
the "Hello, <name>!" greeting, `HelloController`, `routes/hello.py` and `test_hello.py`.
What stays to do by hand is printed at the end and listed in the README.
Needs only Python 3.11; run it before `make install`, on a clean git tree, and review `git diff`.
"""

from __future__ import annotations

import argparse
import keyword
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path


OLD = "hello"
NAME_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
MAX_NAME_LENGTH = 30  # leaves room in 63-character Kubernetes names: <name>-pr-<N>-redis
SKIPPED_DIRS = frozenset(
    {".git", ".venv", "node_modules", "reports", "__pycache__", ".pytest_cache", ".ruff_cache",
     ".mypy_cache", ".hypothesis"}
)  # fmt: skip
# This script and its test are about the template; they stay as they are (and stop at the check
# for src/hello in a renamed repository).
KEPT_PATHS = ("scripts/new-service.py", "tests/template/")
# Column limits the repository holds files to (STYLE.md); a longer name can push lines past them.
LINE_LIMITS = {".md": 120, ".py": 100, ".sh": 100, ".yaml": 100, ".yml": 100, ".toml": 100,
               ".mk": 100, ".tpl": 100, "Makefile": 100, "Dockerfile": 100}  # fmt: skip
# Import names that differ from their distribution's name, among this project's dependencies.
EXTRA_IMPORT_NAMES = frozenset({"yaml", "helm_python", "hiredis", "uvloop", "httptools"})
LEFT_BY_HAND = (
    "Run `uv lock`, then `make install`, `make format` and `make check test`.",
    "Replace the example API: src/<package>/routes/hello.py, birthday.py, their tests, "
    "contract/hooks.py and load/.",
    "Read the README, docs/ and the ADRs: they now name the new service but describe the "
    "template's example API and choices.",
    "Replace the example hosts, accounts, projects and CIDRs in values-production-*.yaml.",
    "Create the cloud resources (registry repository, roles, Redis, Secret <name>-redis) and set "
    "the GitHub variables and environments: docs/deployment.md, docs/cloud-setup.md.",
    "Set the version in pyproject.toml and helm/<chart>/Chart.yaml, and the licence.",
    "Point metrics.prometheusRule.runbookUrl in helm/<chart>/values.yaml at your repository's "
    "docs/runbook.md, so each alert links to its section.",
)


@dataclass(frozen=True)
class Names:
    """The spellings of one service name."""

    kebab: str
    snake: str
    upper: str
    camel: str

    @classmethod
    def of(cls, name: str) -> Names:
        """Derive every spelling from a kebab-case name."""
        words = name.split("-")
        return cls(
            kebab=name,
            snake="_".join(words),
            upper="_".join(words).upper(),
            camel="".join(word.capitalize() for word in words),
        )


class Renamer:
    """Rewrite `hello` in text, choosing the spelling from what surrounds each occurrence."""

    # `hello`, `Hello` or `HELLO` not inside a longer word (underscores and dots delimit).
    _OCCURRENCE = re.compile(r"(?<![A-Za-z0-9])(?:hello|Hello|HELLO)(?![a-z0-9])")
    _FRAGMENT = re.compile(r"\(#[^)\s]*hello[a-z][^)\s]*\)")
    # What is kept: the example API and its module and test names.
    _KEPT_BEFORE = ("routes/", "routes.", "test_", 'tags = ["', "_")
    _KEPT_AFTER = ("Controller", ",")
    # Contexts that need the Python spelling, by the text just before the occurrence.
    _SNAKE_BEFORE = re.compile(
        r"(?:src/|import |from |-m |\"-m\", \"|--cov=|known-first-party = \[\"|"
        r"source = \[\"|get_logger\(\"|getLogger\(\")$"
    )

    def __init__(self, names: Names, modules: frozenset[str]) -> None:
        self.names = names
        self._module_after = re.compile(rf"\.(?:{'|'.join(sorted(modules))})\b")

    def _is_route(self, text: str, start: int, end: int) -> bool:
        """Whether `hello` here is the first segment of the API's URL path, `/hello/...`."""
        if text[start - 1 : start] != "/" or text[end : end + 1] != "/":
            return False
        before = text[max(0, start - 8) : start - 1]
        return not re.search(r"[A-Za-z0-9_.-]$", before) or bool(re.search(r":\d+$", before))

    def _replacement(self, text: str, start: int, end: int) -> str:
        word = text[start:end]
        before = text[max(0, start - 24) : start]
        after = text[end : end + 12]
        if word == "HELLO":
            return word if before.endswith("_") else self.names.upper
        if word == "Hello":
            camel_case = after[:1].isupper() and not after.startswith("Controller")
            return self.names.camel if camel_case else word
        if before.endswith(self._KEPT_BEFORE[:4]) or self._is_route(text, start, end):
            return word
        if (
            after.startswith("_")
            or before.endswith("_")
            or self._SNAKE_BEFORE.search(before)
            or self._module_after.match(after)
        ):
            return self.names.snake
        return self.names.kebab

    def rename(self, text: str) -> str:
        """Return ``text`` with every service-naming `hello` replaced."""
        # Markdown fragments of renamed headings: `#hellonotready` for `### HelloNotReady`.
        text = self._FRAGMENT.sub(
            lambda match: re.sub(r"hello(?=[a-z])", self.names.camel.lower(), match[0]), text
        )
        return self._OCCURRENCE.sub(
            lambda match: self._replacement(text, match.start(), match.end()), text
        )


def _python_modules(package: Path) -> frozenset[str]:
    """Return the module and subpackage names of the package, to recognise `hello.<module>`."""
    names = {path.stem for path in package.glob("*.py")}
    names |= {path.name for path in package.iterdir() if (path / "__init__.py").is_file()}
    return frozenset(names - {"__init__"})


def _taken_names(root: Path) -> set[str]:
    """Return names the new package must not shadow: stdlib, dependencies, top-level folders."""
    taken = set(sys.stdlib_module_names) | EXTRA_IMPORT_NAMES
    taken |= {path.name.replace("-", "_") for path in root.iterdir()}
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = list(pyproject.get("project", {}).get("dependencies", []))
    for group in pyproject.get("dependency-groups", {}).values():
        requirements += [entry for entry in group if isinstance(entry, str)]
    for requirement in requirements:
        match = re.match(r"[A-Za-z0-9._-]+", requirement)
        if match:
            taken.add(re.sub(r"[-.]+", "_", match[0]).lower())
    return taken


def check_name(name: str, root: Path) -> str | None:
    """Return why ``name`` cannot name the new service, or None when it can."""
    if not NAME_PATTERN.fullmatch(name):
        return "use lower-case letters and digits, words joined by single hyphens (birthday-api)"
    if not 2 <= len(name) <= MAX_NAME_LENGTH:
        return f"use 2 to {MAX_NAME_LENGTH} characters"
    if name == OLD:
        return "that is the template's own name"
    snake = Names.of(name).snake
    if keyword.iskeyword(snake) or snake in _taken_names(root):
        return f"the package {snake!r} would shadow a module or folder of that name"
    return None


def _files(root: Path) -> list[Path]:
    """Return every regular file below ``root``, outside tool and cache folders."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and not path.is_symlink()
        and not SKIPPED_DIRS.intersection(path.relative_to(root).parts)
        and not path.relative_to(root).as_posix().startswith(KEPT_PATHS)
    )


def _read_text(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def overlong_lines(path: Path, old_text: str, new_text: str) -> list[int]:
    """Return the numbers of lines the rename pushed past the column limit of ``path``'s kind."""
    limit = LINE_LIMITS.get(path.suffix) or LINE_LIMITS.get(path.name)
    if limit is None:
        return []
    return [
        number
        for number, (old, new) in enumerate(
            zip(old_text.splitlines(), new_text.splitlines(), strict=True), start=1
        )
        if len(old) <= limit < len(new) and not (path.suffix == ".md" and new.startswith("|"))
    ]


def plan(root: Path, renamer: Renamer) -> list[tuple[Path, Path, str | None]]:
    """Return (old path, new path, new text or None when unchanged) for each file that changes."""
    changes = []
    for path in _files(root):
        relative = path.relative_to(root).as_posix()
        target = root / renamer.rename(relative)
        text = _read_text(path)
        new_text = renamer.rename(text) if text is not None else None
        changed_text = new_text if new_text != text else None
        if target != path or changed_text is not None:
            changes.append((path, target, changed_text))
    return changes


def apply(changes: list[tuple[Path, Path, str | None]]) -> None:
    """Write every change, moving files whose path changed, then drop emptied folders."""
    for old, new, text in changes:
        new.parent.mkdir(parents=True, exist_ok=True)
        if text is not None:
            new.write_text(text, encoding="utf-8")
            new.chmod(old.stat().st_mode)
            if new != old:
                old.unlink()
        elif new != old:
            old.rename(new)
    for old, new, _ in changes:
        folder = old.parent
        while folder != new.parent and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def main(argv: list[str] | None = None) -> int:
    """Rename the template in place; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="new-service.py",
        description="Rename this template's `hello` service to NAME, in place.",
    )
    parser.add_argument("name", metavar="NAME", help="the new service's name, e.g. birthday-api")
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(__file__).resolve().parents[1],
        help="the repository to rename (default: the one holding this script)",
    )
    parser.add_argument("--dry-run", action="store_true", help="list the changes, write nothing")
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()

    package, chart = root / "src" / OLD, root / "helm" / OLD
    if not (package / "__init__.py").is_file() or not (chart / "Chart.yaml").is_file():
        print(
            f"new-service: no src/{OLD}/ and helm/{OLD}/ in {root}; renamed already?",
            file=sys.stderr,
        )
        return 1
    problem = check_name(args.name, root)
    if problem:
        print(f"new-service: cannot use {args.name!r}: {problem}", file=sys.stderr)
        return 2

    names = Names.of(args.name)
    changes = plan(root, Renamer(names, _python_modules(package)))
    moved = [(old, new) for old, new, _ in changes if new != old]
    edited = sum(1 for *_, text in changes if text is not None)
    overlong = [
        f"{new.relative_to(root)}:{number}"
        for old, new, text in changes
        if text is not None
        for number in overlong_lines(new, old.read_text(encoding="utf-8"), text)
    ]
    if not args.dry_run:
        apply(changes)

    verb = "would change" if args.dry_run else "changed"
    print(f"=> {verb} {edited} files and moved {len(moved)} for {names.kebab}:")
    print(f"   package {names.snake}, command and chart {names.kebab}, "
          f"variables {names.upper}_*, alerts {names.camel}*")  # fmt: skip
    for old, new in moved[:5]:
        print(f"   {old.relative_to(root)} -> {new.relative_to(root)}")
    if len(moved) > 5:
        print(f"   … and {len(moved) - 5} more moves")
    if overlong:
        print(f"=> {len(overlong)} lines now run past their column limit; rewrap them:")
        print("".join(f"   {place}\n" for place in overlong), end="")
    print("=> left to do by hand:")
    for step in LEFT_BY_HAND:
        print(f"   - {step}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
