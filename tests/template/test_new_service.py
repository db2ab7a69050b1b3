"""scripts/new-service.py on a copy of this repository: the renamed copy works, `hello` is gone."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import helm_python
import pytest
import yaml


ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "new-service.py"
NAME = "birthday-api"
# The only places the old name may stay: the example API, and the script and this test.
KEPT = re.compile(
    r"/hello/|Hello, |HelloController|routes[/.]hello|test_hello|_HELLO_PATH|tags = \[\"hello\"\]"
)
KEPT_PATHS = ("scripts/new-service.py", "tests/template/")
BIN = Path(sys.executable).parent

if not (ROOT / "src" / "hello" / "__init__.py").is_file():
    pytest.skip("this repository was renamed from the template already", allow_module_level=True)


def _tracked_files() -> list[str]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"needs a git checkout to list the tracked files: {exc}")
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def _run_script(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "scripts/new-service.py", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def _clean_env(copy: Path) -> dict[str, str]:
    """Return this environment without coverage and pytest state, importing from the copy."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("COVERAGE_", "PYTEST_", "HELLO_", "REDIS_"))
    }
    env["PYTHONPATH"] = str(copy / "src")
    return env


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Yield a copy of the tracked files renamed to `birthday-api`, and the script's output."""
    copy = tmp_path_factory.mktemp("template") / "service"
    for name in [*_tracked_files(), "scripts/new-service.py"]:
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)

    result = _run_script(NAME, cwd=copy)

    assert result.returncode == 0, result.stderr
    return copy, result.stdout


def test_folders_and_metadata_take_the_new_name(renamed: tuple[Path, str]) -> None:
    """Package, chart, command, distribution, lock entry and Skaffold artifact are renamed."""
    copy, _ = renamed
    pyproject = tomllib.loads((copy / "pyproject.toml").read_text())
    chart = yaml.safe_load((copy / "helm" / NAME / "Chart.yaml").read_text())
    skaffold = yaml.safe_load((copy / "skaffold.yaml").read_text())
    release = skaffold["deploy"]["helm"]["releases"][0]

    assert not (copy / "src" / "hello").exists()
    assert not (copy / "helm" / "hello").exists()
    assert (copy / "src" / "birthday_api" / "routes" / "hello.py").is_file()
    assert (copy / "tests" / "api" / "test_hello.py").is_file()
    assert chart["name"] == NAME
    assert pyproject["project"]["name"] == NAME
    assert pyproject["project"]["scripts"] == {NAME: "birthday_api.cli:main"}
    assert pyproject["tool"]["ruff"]["lint"]["isort"]["known-first-party"] == ["birthday_api"]
    assert f'name = "{NAME}"' in (copy / "uv.lock").read_text()
    assert skaffold["build"]["artifacts"][0]["image"] == NAME
    assert release["chartPath"] == f"helm/{NAME}"
    assert release["setValueTemplates"]["image.repository"] == "{{.IMAGE_REPO_birthday_api}}"


def test_hello_remains_only_in_the_example_api(renamed: tuple[Path, str]) -> None:
    """Outside the example API's route, greeting and controller, no file says `hello` any more."""
    copy, _ = renamed
    leftovers = []
    for path in sorted(copy.rglob("*")):
        relative = path.relative_to(copy).as_posix()
        if not path.is_file() or relative.startswith(KEPT_PATHS):
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if re.search("hello", KEPT.sub("", line), re.IGNORECASE):
                leftovers.append(f"{relative}:{number}: {line.strip()}")
        if re.search("hello", KEPT.sub("", relative), re.IGNORECASE):
            leftovers.append(f"{relative}: the path")

    assert leftovers == []


def test_ruff_passes_but_for_the_lines_the_script_lists(renamed: tuple[Path, str]) -> None:
    """Ruff finds nothing but over-long lines, and the script named each of those."""
    copy, output = renamed
    reported = set(re.findall(r"^ {3}(\S+:\d+)$", output, re.M))

    other = subprocess.run(
        [BIN / "ruff", "check", "--no-cache", "--extend-ignore", "E501", "."],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
    )
    long_lines = subprocess.run(
        [
            BIN / "ruff",
            "check",
            "--no-cache",
            "--select",
            "E501",
            "--output-format",
            "concise",
            ".",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    flagged = set(re.findall(r"^(\S+?:\d+):\d+: E501", long_lines, re.M))

    assert other.returncode == 0, other.stdout
    assert flagged, "a name this long pushes some lines past 100 columns; none were found"
    assert sorted(flagged - reported) == []


def test_renamed_chart_renders_under_the_new_names(renamed: tuple[Path, str]) -> None:
    """The chart renders as `birthday-api`, with BIRTHDAY_API_* settings and BirthdayApi* alerts."""
    copy, _ = renamed
    chart_dir = copy / "helm" / NAME
    values = yaml.safe_load((chart_dir / "values-production-aws.yaml").read_text())
    values["metrics"] = {"prometheusRule": {"enabled": True}, "serviceMonitor": {"enabled": True}}

    rendered = helm_python.Chart.load(chart_dir).render(values, name=NAME, namespace=NAME)
    objects = [
        document
        for path, text in rendered.items()
        if path.endswith(".yaml")
        for document in yaml.safe_load_all(text)
        if isinstance(document, dict)
    ]
    by_kind = {document["kind"]: document for document in objects}
    rules = by_kind["PrometheusRule"]["spec"]["groups"][0]["rules"]

    assert by_kind["Deployment"]["metadata"]["name"] == NAME
    assert by_kind["Deployment"]["metadata"]["labels"]["app.kubernetes.io/name"] == NAME
    assert set(by_kind["ConfigMap"]["data"]) >= {"BIRTHDAY_API_PORT", "REDIS_KEY_PREFIX"}
    assert by_kind["ConfigMap"]["data"]["REDIS_KEY_PREFIX"] == f"{NAME}:"
    assert all(rule["alert"].startswith("BirthdayApi") for rule in rules)
    assert "birthday_api_http_requests_total" in rules[0]["expr"]


def test_renamed_service_passes_its_own_tests(renamed: tuple[Path, str]) -> None:
    """The copy's unit, API, chart and docs tests pass with the renamed package, from src/."""
    copy, _ = renamed
    imported = subprocess.run(
        [sys.executable, "-c", "import birthday_api.app, birthday_api.cli; print('ok')"],
        cwd=copy,
        env=_clean_env(copy),
        capture_output=True,
        text=True,
        check=False,
    )

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--timeout", "240",
         "tests/unit", "tests/api", "tests/deploy", "tests/docs"],
        cwd=copy,
        env=_clean_env(copy),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )  # fmt: skip

    assert imported.stdout.strip() == "ok", imported.stderr
    assert run.returncode == 0, run.stdout[-4000:]


def test_a_second_run_refuses(renamed: tuple[Path, str]) -> None:
    """In a renamed repository the script finds no `hello` to rename and changes nothing."""
    copy, _ = renamed

    result = _run_script("other-name", cwd=copy)

    assert result.returncode == 1
    assert "renamed already?" in result.stderr
    assert not (copy / "src" / "other_name").exists()


@pytest.mark.parametrize(
    "name",
    ["hello", "Birthday", "birthday_api", "2fast", "double--hyphen", "x", "a" * 31, "json", "tests",
     "redis", "litestar", "class"],
)  # fmt: skip
def test_unusable_names_are_refused(name: str) -> None:
    """Names that are not kebab-case, too short or long, or that shadow a module exit with 2."""
    config = ROOT / "src" / "hello" / "config.py"
    before = hashlib.sha256(config.read_bytes()).hexdigest()

    result = _run_script(name, "--dry-run", cwd=ROOT)

    assert result.returncode == 2, result.stdout
    assert f"cannot use {name!r}" in result.stderr
    assert hashlib.sha256(config.read_bytes()).hexdigest() == before


def test_dry_run_writes_nothing() -> None:
    """`--dry-run` reports what it would change in this repository and leaves it as it is."""
    config = ROOT / "src" / "hello" / "config.py"
    before = hashlib.sha256(config.read_bytes()).hexdigest()

    result = _run_script("greeter", "--dry-run", cwd=ROOT)

    assert result.returncode == 0, result.stderr
    assert "would change" in result.stdout
    assert (ROOT / "src" / "hello").is_dir()
    assert not (ROOT / "src" / "greeter").exists()
    assert hashlib.sha256(config.read_bytes()).hexdigest() == before
