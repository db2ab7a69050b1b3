"""The chart rendered with Helm's own Go SDK, once per set of values, and the values it uses."""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import helm_python
import kubernetes_validate
import pytest
import yaml


ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "helm" / "hello"
VALUES_FILES = tuple(sorted(CHART.glob("values*.yaml")))
RELEASE = "hello"
NAMESPACE = "hello-test"

# Oldest Kubernetes minor we support, and the newest one kubernetes-validate ships.
OLDEST_KUBERNETES = "1.30"
NEWEST_KUBERNETES = kubernetes_validate.utils.major_minor(kubernetes_validate.latest_version())
KUBERNETES_VERSIONS = (OLDEST_KUBERNETES, NEWEST_KUBERNETES)

# Custom resources: kubernetes-validate knows only the built-in API, so these are checked
# for shape by the policy tests instead.
CUSTOM_KINDS = {
    ("gateway.networking.k8s.io/v1", "HTTPRoute"),
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
    ("monitoring.coreos.com/v1", "PrometheusRule"),
}

Values = dict[str, Any]


@dataclass(frozen=True)
class Rendered:
    """What one `helm template` produced: the merged values and the parsed objects."""

    values: Values
    """The chart defaults merged with the values given, as an install would use them."""
    objects: tuple[dict[str, Any], ...]
    """Every object of the release, `helm test` hooks excluded."""
    tests: tuple[dict[str, Any], ...]
    """The `helm test` pods."""
    notes: str
    """The rendered NOTES.txt."""

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        """Return the objects of one kind, in template order."""
        return [obj for obj in self.objects if obj["kind"] == kind]

    def one(self, kind: str, name: str | None = None) -> dict[str, Any]:
        """Return the single object of `kind` (named `name` when given); fail otherwise."""
        found = [
            obj for obj in self.of_kind(kind) if name is None or obj["metadata"]["name"] == name
        ]
        assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"

        return found[0]

    def api(self) -> dict[str, Any]:
        """Return the Deployment of the API."""
        return self.one("Deployment")


def deep_merge(base: Values, override: Values) -> Values:
    """Return `base` with `override` merged in, as Helm merges values files."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)

    return merged


def load_values(path: Path) -> Values:
    """Read one values file; an empty file is an empty mapping."""
    return yaml.safe_load(path.read_text()) or {}


def chart_defaults() -> Values:
    """Return the chart's values.yaml, the one source of the shutdown timings."""
    return load_values(CHART / "values.yaml")


@functools.cache
def load_chart() -> helm_python.Chart:
    """Load the chart once per test session."""
    return helm_python.Chart.load(CHART)


@functools.cache
def _render(values_json: str) -> Rendered:
    chart = load_chart()
    values = json.loads(values_json)
    manifests = chart.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    objects: list[dict[str, Any]] = []
    tests: list[dict[str, Any]] = []
    for path, text in sorted(manifests.items()):
        if not path.endswith(".yaml"):
            continue
        for document in yaml.safe_load_all(text):
            if not document:
                continue
            is_test = "/templates/tests/" in path
            (tests if is_test else objects).append(document)

    return Rendered(
        values=chart.merge_values(values),
        objects=tuple(objects),
        tests=tuple(tests),
        notes=manifests.get("hello/templates/NOTES.txt", ""),
    )


def render(values: Values | None = None) -> Rendered:
    """Render the chart with `values` over its defaults; renders are cached per session.

    Raises:
        helm_python.HelmError: The values fail the schema or a template refuses them.
    """
    return _render(json.dumps(values or {}, sort_keys=True))


# Each store the chart can point the service at, as values over a values file.
REDIS_MODES: dict[str, Values] = {
    "in-chart": {"redis": {"enabled": True}},
    "url": {
        "redis": {
            "enabled": False,
            "url": "rediss://hello:example@redis.example.internal:6379/0",
        },
    },
    "existing-secret": {"redis": {"enabled": False, "existingSecret": "hello-redis"}},
    "cluster": {
        "redis": {"enabled": False, "existingSecret": "hello-redis", "cluster": True},
    },
}
INGRESS_MODES: dict[str, Values] = {
    "ingress-off": {"ingress": {"enabled": False}},
    "ingress-on": {
        "ingress": {
            "enabled": True,
            "className": "nginx",
            "host": "hello.example.com",
            "tls": {"enabled": True, "secretName": "hello-tls"},
        },
    },
}
SCALING_MODES: dict[str, Values] = {
    "fixed": {"autoscaling": {"enabled": False}},
    "autoscaled": {"autoscaling": {"enabled": True, "minReplicas": 2, "maxReplicas": 6}},
}
# Everything optional at once: Gateway API route, Prometheus objects, Grafana dashboard,
# CA bundle for TLS.
EXTRAS: Values = {
    "httpRoute": {"enabled": True, "parentRefs": [{"name": "public", "namespace": "gateway"}]},
    "metrics": {
        "serviceMonitor": {"enabled": True},
        "prometheusRule": {"enabled": True},
        "dashboard": {"enabled": True},
    },
    "redis": {"tls": {"caConfigMap": "hello-redis-ca"}},
}


def _scenarios() -> dict[str, Values]:
    scenarios: dict[str, Values] = {}
    for path in VALUES_FILES:
        scenarios[path.name] = load_values(path)
    base = load_values(CHART / "values.yaml")
    for redis_name, redis in REDIS_MODES.items():
        for ingress_name, ingress in INGRESS_MODES.items():
            for scaling_name, scaling in SCALING_MODES.items():
                values = deep_merge(deep_merge(deep_merge(base, redis), ingress), scaling)
                scenarios[f"{redis_name}/{ingress_name}/{scaling_name}"] = values
    # The embedded store: one replica, no autoscaler, nothing shared.
    for ingress_name, ingress in INGRESS_MODES.items():
        embedded = {"replicaCount": 1, "redis": {"enabled": False}}
        scenarios[f"embedded/{ingress_name}/fixed"] = deep_merge(
            deep_merge(base, embedded), ingress
        )
    scenarios["extras/url"] = deep_merge(deep_merge(base, REDIS_MODES["url"]), EXTRAS)
    scenarios["extras/in-chart"] = deep_merge(base, EXTRAS)
    for path in VALUES_FILES:
        scenarios[f"extras/{path.name}"] = deep_merge(load_values(path), EXTRAS)

    return scenarios


SCENARIOS = _scenarios()


@pytest.fixture(params=sorted(SCENARIOS), scope="session")
def scenario(request: pytest.FixtureRequest) -> tuple[str, Rendered]:
    """Yield each values file and each toggle combination, rendered."""
    name: str = request.param

    return name, render(SCENARIOS[name])


@pytest.fixture(scope="session")
def rendered(scenario: tuple[str, Rendered]) -> Rendered:
    """Yield the rendered chart of the current scenario."""
    return scenario[1]
