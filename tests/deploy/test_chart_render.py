"""The chart renders, lints clean and yields valid Kubernetes objects for every scenario."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import helm_python
import kubernetes_validate
import pytest

from tests.deploy.conftest import (
    CHART,
    CUSTOM_KINDS,
    KUBERNETES_VERSIONS,
    VALUES_FILES,
    chart_defaults,
    deep_merge,
    load_values,
    render,
)


if TYPE_CHECKING:
    from pathlib import Path

    from tests.deploy.conftest import Rendered

WARNING = 2  # helm lint severities: 1 info, 2 warning, 3 error


def test_kubernetes_versions_span_oldest_and_newest() -> None:
    """Validation covers 1.30 and a newer release, so both ends of support are checked."""
    assert KUBERNETES_VERSIONS[0] == "1.30"
    assert tuple(map(int, KUBERNETES_VERSIONS[1].split("."))) > (1, 30)


def test_every_environment_has_a_values_file() -> None:
    """The shared names: defaults plus local, review, production on AWS and on GCP."""
    assert [path.name for path in VALUES_FILES] == [
        "values-local.yaml",
        "values-production-aws.yaml",
        "values-production-gcp.yaml",
        "values-review.yaml",
        "values.yaml",
    ]


@pytest.mark.parametrize("values_file", VALUES_FILES, ids=lambda path: path.name)
@pytest.mark.parametrize("kube_version", [f"v{version}.0" for version in KUBERNETES_VERSIONS])
def test_lint_reports_no_warning_or_error(values_file: Path, kube_version: str) -> None:
    """`helm lint --strict` finds nothing above info level with any values file."""
    report = helm_python.lint(
        CHART, load_values(values_file), strict=True, kube_version=kube_version
    )

    findings = [m for m in report["messages"] if m["severity"] >= WARNING]
    assert report["errors"] == []
    assert findings == []


def test_scenario_renders_the_api(rendered: Rendered) -> None:
    """Every scenario yields the API's Deployment, Service, ConfigMap and a `helm test` pod."""
    kinds = {obj["kind"] for obj in rendered.objects}

    assert {"Deployment", "Service", "ConfigMap", "ServiceAccount"} <= kinds
    assert [pod["kind"] for pod in rendered.tests] == ["Pod"]


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_objects_validate_strictly(rendered: Rendered, version: str) -> None:
    """Every built-in object matches the API schema of the version, unknown fields refused."""
    checked = 0
    for obj in (*rendered.objects, *rendered.tests):
        if (obj["apiVersion"], obj["kind"]) in CUSTOM_KINDS:
            continue
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            where = ".".join(str(part) for part in error.path)
            pytest.fail(f"{obj['kind']}/{obj['metadata']['name']} {where}: {error.message}")
        checked += 1

    assert checked >= 5


def test_validation_catches_an_unknown_field() -> None:
    """The strict validation used above does refuse a misspelt field."""
    deployment = render().api()
    deployment["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}

    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSIONS[0], strict=True)


def test_custom_resources_name_known_api_groups(rendered: Rendered) -> None:
    """Objects outside the built-in API are only the known custom kinds."""
    builtin = {"v1", "apps/v1", "autoscaling/v2", "policy/v1", "networking.k8s.io/v1"}

    for obj in rendered.objects:
        pair = (obj["apiVersion"], obj["kind"])
        assert obj["apiVersion"] in builtin or pair in CUSTOM_KINDS, pair


REFUSED: dict[str, tuple[dict[str, Any], str]] = {
    "in-chart redis and a url": (
        {"redis": {"enabled": True, "url": "redis://redis:6379"}},
        "leave redis.url",
    ),
    "url and existing secret": (
        {"redis": {"enabled": False, "url": "redis://r:6379", "existingSecret": "s"}},
        "not both",
    ),
    "cluster with in-chart redis": ({"redis": {"enabled": True, "cluster": True}}, "cluster"),
    "cluster without a redis": ({"redis": {"enabled": False, "cluster": True}}, "cluster"),
    "replicas without a store": (
        {"replicaCount": 2, "redis": {"enabled": False}},
        "own data",
    ),
    "autoscaling without a store": (
        {
            "autoscaling": {"enabled": True, "minReplicas": 1},
            "redis": {"enabled": False},
        },
        "shared store",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_template_refuses_broken_combinations(case: str) -> None:
    """Values that would deploy a broken service fail at render time, naming the fix."""
    values, message = REFUSED[case]

    with pytest.raises(helm_python.HelmRenderError, match=message):
        render(deep_merge(chart_defaults(), values))
