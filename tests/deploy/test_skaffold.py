"""skaffold.yaml: valid against Skaffold's schema, and every name it uses exists and matches.

The schema is not in the repository: it is read from `../shared/schemas/` beside the checkout.
Without it those tests skip; the structural checks run everywhere.
"""

from __future__ import annotations

import copy
import json
import re
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
import yaml

from tests.deploy.conftest import (
    CHART,
    ROOT,
    chart_defaults,
    deep_merge,
    load_chart,
    load_values,
    render,
)
from tests.deploy.test_image import BY_NAME


if TYPE_CHECKING:
    from pathlib import Path

SKAFFOLD = ROOT / "skaffold.yaml"
CONFIG: dict[str, Any] = yaml.safe_load(SKAFFOLD.read_text())
SCHEMAS = ROOT.parent / "shared" / "schemas"
PROFILES = {
    "dev": "values-local.yaml",
    "review": "values-review.yaml",
    "production-eks": "values-production-aws.yaml",
    "production-gke": "values-production-gcp.yaml",
}
# What Skaffold would put into its templates: a pushed image, and a review's environment.
TEMPLATE_CONTEXT = {
    "IMAGE_REPO_hello": "registry.example.com/hello",
    "IMAGE_TAG_hello": "abc1234",
    "IMAGE_DIGEST_hello": "sha256:" + "c" * 64,
    "REVIEW_NAMESPACE": "pr-42",
    "REVIEW_HOST": "pr-42.review.example.com",
}


def _pointer(path: str) -> list[str]:
    return [part.replace("~1", "/").replace("~0", "~") for part in path.split("/")[1:]]


def apply_patches(config: dict[str, Any], patches: list[dict[str, Any]]) -> dict[str, Any]:
    """Apply JSON Patch `add`, `replace` and `remove` operations, as Skaffold profiles do."""
    patched = copy.deepcopy(config)
    for patch in patches:
        *parents, last = _pointer(patch["path"])
        node: Any = patched
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        op = patch.get("op", "replace")
        if isinstance(node, list):
            index = len(node) if last == "-" else int(last)
            if op == "add":
                node.insert(index, copy.deepcopy(patch["value"]))
            elif op == "replace":
                node[index] = copy.deepcopy(patch["value"])
            else:
                del node[index]
        elif op in ("add", "replace"):
            assert op == "add" or last in node, f"replace of a missing key: {patch['path']}"
            node[last] = copy.deepcopy(patch["value"])
        else:
            del node[last]

    return patched


def profile(name: str) -> dict[str, Any]:
    """Return one profile of skaffold.yaml."""
    (found,) = [p for p in CONFIG["profiles"] if p["name"] == name]

    return found


def effective(name: str | None) -> dict[str, Any]:
    """Return the configuration Skaffold runs with the profile `name` (None: no profile)."""
    if name is None:
        return CONFIG
    chosen = profile(name)
    config = copy.deepcopy(CONFIG)
    for field in ("build", "deploy", "portForward", "manifests"):
        if field in chosen:
            config[field] = chosen[field]

    return apply_patches(config, chosen.get("patches", []))


def fill(template: Any) -> str:
    """Evaluate the simple `{{.NAME}}` templates Skaffold allows in setValueTemplates."""
    text = str(template)

    return re.sub(r"\{\{\s*\.(\w+)\s*\}\}", lambda m: TEMPLATE_CONTEXT[m[1]], text)


def set_value(values: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    """Return `values` with `--set dotted=value` applied."""
    nested: Any = value
    for key in reversed(dotted.split(".")):
        nested = {key: nested}

    return deep_merge(values, nested)


def release_values(config: dict[str, Any]) -> dict[str, Any]:
    """Return the values the release would install with: files, then --set values."""
    (release,) = config["deploy"]["helm"]["releases"]
    values: dict[str, Any] = {}
    for path in release.get("valuesFiles", []):
        values = deep_merge(values, load_values(ROOT / path))
    for key, template in release.get("setValueTemplates", {}).items():
        values = set_value(values, key, fill(template))
    for key, value in release.get("setValues", {}).items():
        values = set_value(values, key, value)

    return values


ALL_RUNS = [None, *PROFILES]


def _schema_file() -> Path:
    return SCHEMAS / f"skaffold-{CONFIG['apiVersion'].removeprefix('skaffold/')}.json"


@pytest.fixture(scope="module")
def skaffold_schema() -> dict[str, Any]:
    """Load Skaffold's JSON schema for the apiVersion in use, from the shared directory."""
    path = _schema_file()
    if not path.is_file():
        pytest.skip(f"no Skaffold schema at {path}: clone with ../shared beside the repository")

    return json.loads(path.read_text())


@pytest.mark.parametrize("name", ALL_RUNS, ids=lambda n: n or "no-profile")
def test_matches_skaffold_schema(skaffold_schema: dict[str, Any], name: str | None) -> None:
    """The file, and the configuration each profile produces, satisfy Skaffold's schema."""
    validator = jsonschema.Draft7Validator(skaffold_schema)

    errors = [error.message for error in validator.iter_errors(effective(name))]

    assert errors == []


def test_schema_refuses_a_misspelt_field(skaffold_schema: dict[str, Any]) -> None:
    """The schema check is strict enough to catch a typo in skaffold.yaml."""
    broken = copy.deepcopy(CONFIG)
    broken["deploy"]["statusChek"] = True

    assert not jsonschema.Draft7Validator(skaffold_schema).is_valid(broken)


def test_api_version_is_v4beta13_or_newer() -> None:
    """The schema version is skaffold/v4beta13 or a later v4beta."""
    match = re.fullmatch(r"skaffold/v4beta(\d+)", CONFIG["apiVersion"])

    assert match, CONFIG["apiVersion"]
    assert int(match[1]) >= 13


def test_profiles_are_the_shared_names() -> None:
    """Profiles: dev, review, production-eks and production-gke, nothing else."""
    assert [p["name"] for p in CONFIG["profiles"]] == list(PROFILES)


def test_dev_profile_is_active_on_skaffold_dev() -> None:
    """`skaffold dev` picks the dev profile without `-p`."""
    assert profile("dev")["activation"] == [{"command": "dev"}]


def test_builds_the_hello_image_from_the_dockerfile() -> None:
    """One artifact, `hello`, built from the Dockerfile's runtime target with BuildKit."""
    (artifact,) = CONFIG["build"]["artifacts"]

    assert artifact["image"] == "hello"
    assert (ROOT / artifact["context"] / artifact["docker"]["dockerfile"]).is_file()
    assert artifact["docker"]["target"] == "runtime"
    assert set(artifact["docker"]["buildArgs"]) <= {
        a.partition("=")[0] for a in BY_NAME["runtime"].all("ARG")
    }
    assert CONFIG["build"]["local"]["useBuildkit"] is True


@pytest.mark.parametrize("name", ALL_RUNS, ids=lambda n: n or "no-profile")
def test_every_path_exists_and_is_the_chart(name: str | None) -> None:
    """Chart path and values files exist; the release deploys the hello chart."""
    config = effective(name)
    (release,) = config["deploy"]["helm"]["releases"]
    chart = ROOT / release["chartPath"]

    assert chart == CHART
    assert yaml.safe_load((chart / "Chart.yaml").read_text())["name"] == "hello"
    for path in release["valuesFiles"]:
        assert (ROOT / path).is_file(), path
        assert (ROOT / path).parent == CHART


@pytest.mark.parametrize("name", list(PROFILES))
def test_each_profile_uses_its_environment_values(name: str) -> None:
    """Each profile deploys with the values file of its environment."""
    (release,) = effective(name)["deploy"]["helm"]["releases"]

    assert release["valuesFiles"] == [f"helm/hello/{PROFILES[name]}"]


@pytest.mark.parametrize("name", ALL_RUNS, ids=lambda n: n or "no-profile")
def test_built_image_is_injected_by_digest(name: str | None) -> None:
    """The built image's repository and `tag@digest` are fed to the chart by setValueTemplates."""
    config = effective(name)
    (release,) = config["deploy"]["helm"]["releases"]
    (artifact,) = config["build"]["artifacts"]
    image = artifact["image"].replace("/", "_").replace("-", "_").replace(".", "_")

    templates = release["setValueTemplates"]
    assert templates["image.repository"] == f"{{{{.IMAGE_REPO_{image}}}}}"
    assert templates["image.tag"] == f"{{{{.IMAGE_TAG_{image}}}}}@{{{{.IMAGE_DIGEST_{image}}}}}"


@pytest.mark.parametrize("name", ALL_RUNS, ids=lambda n: n or "no-profile")
def test_every_value_skaffold_sets_exists_in_the_chart(name: str | None) -> None:
    """Keys in setValues and setValueTemplates are real chart values, and the result installs."""
    config = effective(name)
    (release,) = config["deploy"]["helm"]["releases"]
    defaults = chart_defaults()
    keys = [*release.get("setValueTemplates", {}), *release.get("setValues", {})]

    for key in keys:
        node: Any = defaults
        for part in key.split("."):
            assert isinstance(node, dict), key
            assert part in node, f"{key} is not a chart value"
            node = node[part]
    values = release_values(config)
    load_chart().validate_schema(values)
    image = render(deep_merge(defaults, values)).api()["spec"]["template"]["spec"]
    expected = "registry.example.com/hello:abc1234@sha256:" + "c" * 64
    assert image["containers"][0]["image"] == expected


def test_review_takes_namespace_and_host_from_the_environment() -> None:
    """The review profile reads REVIEW_NAMESPACE and REVIEW_HOST, and creates the namespace."""
    config = effective("review")
    (release,) = config["deploy"]["helm"]["releases"]

    assert release["namespace"] == "{{.REVIEW_NAMESPACE}}"
    assert release["createNamespace"] is True
    assert release["setValueTemplates"]["ingress.host"] == "{{.REVIEW_HOST}}"
    ingress = render(deep_merge(chart_defaults(), release_values(config))).one("Ingress")
    assert ingress["spec"]["rules"][0]["host"] == TEMPLATE_CONTEXT["REVIEW_HOST"]


def test_dev_profile_syncs_source_into_the_dev_image() -> None:
    """The dev profile builds the `dev` target and syncs Python edits to where it installed them."""
    config = effective("dev")
    (artifact,) = config["build"]["artifacts"]
    (rule,) = artifact["sync"]["manual"]
    (release,) = config["deploy"]["helm"]["releases"]

    assert artifact["docker"]["target"] == "dev"
    assert "dev" in BY_NAME
    assert rule["dest"] == BY_NAME["deps"].all("WORKDIR")[0]
    assert list(ROOT.glob(rule["src"]))
    assert release["setValues"] == {"securityContext.readOnlyRootFilesystem": False}


def test_dev_profile_forwards_the_service_port() -> None:
    """The dev profile forwards 127.0.0.1:8000 to the port of the release's Service."""
    (forward,) = effective("dev")["portForward"]
    rendered = render(deep_merge(chart_defaults(), release_values(effective("dev"))))
    service = rendered.one("Service", rendered.api()["metadata"]["name"])

    assert forward["resourceType"] == "service"
    assert forward["resourceName"] == service["metadata"]["name"]
    assert forward["port"] == service["spec"]["ports"][0]["port"]
    assert forward["localPort"] == 8000


def test_status_checks_are_on() -> None:
    """Skaffold waits for the rollout and fails the run when it does not converge."""
    deploy = CONFIG["deploy"]

    assert deploy["statusCheck"] is True
    assert deploy["statusCheckDeadlineSeconds"] > 0


@pytest.mark.parametrize("name", ["production-eks", "production-gke"])
def test_production_profiles_use_external_redis(name: str) -> None:
    """Production releases run no in-chart Redis; the URL comes from an existing Secret."""
    values = deep_merge(chart_defaults(), release_values(effective(name)))

    assert values["redis"]["enabled"] is False
    assert values["redis"]["existingSecret"]
    assert values["autoscaling"]["enabled"] is True


def test_patches_apply_like_json_patch() -> None:
    """The patch helper adds, replaces and removes as RFC 6902 says."""
    config = {"a": {"b": [1, 2]}, "c": 1}

    patched = apply_patches(
        config,
        [
            {"op": "add", "path": "/a/b/-", "value": 3},
            {"op": "replace", "path": "/c", "value": 2},
            {"op": "add", "path": "/a/d~1e", "value": True},
            {"op": "remove", "path": "/a/b/0"},
        ],
    )

    assert patched == {"a": {"b": [2, 3], "d/e": True}, "c": 2}
    assert config == {"a": {"b": [1, 2]}, "c": 1}
