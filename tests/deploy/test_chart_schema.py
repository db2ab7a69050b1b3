"""values.schema.json is strict, matches values.yaml key for key, and refuses mistakes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import helm_python
import pytest

from tests.deploy.conftest import CHART, VALUES_FILES, chart_defaults, load_chart, load_values


if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

SCHEMA = json.loads((CHART / "values.schema.json").read_text())


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` to its definition."""
    while "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        node = SCHEMA["$defs"][name]

    return node


def object_nodes(node: dict[str, Any], where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every object-typed schema node, with a path naming where it sits."""
    node = resolve(node)
    if node.get("type") == "object":
        yield where or "/", node
    for key, child in node.get("properties", {}).items():
        yield from object_nodes(child, f"{where}/{key}")
    for keyword in ("items", "additionalProperties"):
        if isinstance(node.get(keyword), dict):
            yield from object_nodes(node[keyword], f"{where}/{keyword}")
    for keyword in ("anyOf", "oneOf", "allOf"):
        for index, child in enumerate(node.get(keyword, [])):
            yield from object_nodes(child, f"{where}/{keyword}{index}")


# Objects whose keys are the user's (annotations, labels, selectors) take any string key;
# `global` is Helm's subchart channel; affinity terms are Kubernetes' own structures,
# which the rendered-object validation checks.
OPEN_OBJECTS = {"/global", "/affinity/nodeAffinity", "/affinity/podAffinity"}
OPEN_OBJECTS |= {"/affinity/podAntiAffinity"}


def test_every_object_level_refuses_unknown_keys() -> None:
    """Each object in the schema sets additionalProperties false, or to string-only maps."""
    loose = []
    for where, node in object_nodes(SCHEMA):
        extra = node.get("additionalProperties")
        string_map = extra == {"type": "string"} and "properties" not in node
        if extra is not False and not string_map and where not in OPEN_OBJECTS:
            loose.append(where)

    assert loose == []


def schema_keys(node: dict[str, Any], prefix: str = "") -> set[str]:
    """Return the dotted paths of every named property in the schema."""
    node = resolve(node)
    keys = set()
    for key, child in node.get("properties", {}).items():
        path = f"{prefix}{key}"
        keys.add(path)
        keys |= schema_keys(child, f"{path}.")

    return keys


def value_keys(values: dict[str, Any], prefix: str = "") -> set[str]:
    """Return the dotted paths of every key in a values mapping."""
    keys = set()
    for key, value in values.items():
        path = f"{prefix}{key}"
        keys.add(path)
        if isinstance(value, dict) and value:
            keys |= value_keys(value, f"{path}.")

    return keys


def test_schema_and_values_name_the_same_keys() -> None:
    """Every schema property is set in values.yaml and every values.yaml key is in the schema."""
    defaults = value_keys(chart_defaults())
    described = schema_keys(SCHEMA) - {"global"}
    # Free-form maps: their keys are Kubernetes' or the user's, not the chart's.
    free = ("podSecurityContext.", "securityContext.", "resources.", "networkPolicy.dnsTo")
    free += ("redis.server.podSecurityContext.", "redis.server.securityContext.")
    free += ("redis.server.resources.", "tests.resources.")

    only_in_values = {k for k in defaults - described if not k.startswith(free)}
    only_in_schema = {k for k in described - defaults if not k.startswith(free)}
    assert only_in_values == set()
    assert only_in_schema == {"affinity.nodeAffinity", "affinity.podAffinity"} | {
        "affinity.podAntiAffinity"
    }


@pytest.mark.parametrize("values_file", VALUES_FILES, ids=lambda path: path.name)
def test_values_files_pass_the_schema(values_file: Path) -> None:
    """Each environment's values, merged over the defaults, satisfy the schema."""
    load_chart().validate_schema(load_values(values_file))


MISTAKES: dict[str, tuple[dict[str, Any], str]] = {
    "unknown top-level key": ({"replicas": 3}, "'replicas' not allowed"),
    "unknown nested key": ({"shutdown": {"preStopSecond": 5}}, "'preStopSecond' not allowed"),
    "unknown deep key": (
        {"redis": {"server": {"persistence": {"capacity": "1Gi"}}}},
        "'capacity' not allowed",
    ),
    "misspelt switch": ({"ingress": {"enable": True}}, "'enable' not allowed"),
    "unknown security field": (
        {"securityContext": {"readOnlyRootFileSystem": True}},
        "'readOnlyRootFileSystem' not allowed",
    ),
    "string for an integer": ({"replicaCount": "3"}, "/replicaCount': got string"),
    "string for a boolean": ({"redis": {"enabled": "yes"}}, "/redis/enabled': got string"),
    "number for a string": ({"ingress": {"host": 42}}, "/ingress/host': got number"),
    "object for a list": ({"imagePullSecrets": {"name": "x"}}, "/imagePullSecrets': got object"),
    "latest tag": ({"image": {"tag": "latest"}}, "/image/tag'"),
    "keep-alive at the balancer timeout": (
        {"shutdown": {"keepAliveSeconds": 60}},
        "/shutdown/keepAliveSeconds': minimum",
    ),
    "unknown log level": ({"config": {"logLevel": "verbose"}}, "/config/logLevel'"),
    "password unsafe in a URL": (
        {"redis": {"auth": {"password": "p@ss/word"}}},
        "/redis/auth/password'",
    ),
    "not a redis URL": ({"redis": {"url": "http://redis:6379"}}, "/redis/url'"),
    "route without a gateway": ({"httpRoute": {"enabled": True}}, "/httpRoute/parentRefs'"),
    "runbook URL with an anchor": (
        {"metrics": {"prometheusRule": {"runbookUrl": "https://example.com/runbook.md#top"}}},
        "/metrics/prometheusRule/runbookUrl'",
    ),
    "burn ratio above 1": (
        {"metrics": {"prometheusRule": {"fastBurnErrorRatio": 14.4}}},
        "/metrics/prometheusRule/fastBurnErrorRatio'",
    ),
    "dashboard label value with a space": (
        {"metrics": {"dashboard": {"labelValue": "yes please"}}},
        "/metrics/dashboard/labelValue'",
    ),
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_schema_refuses_mistakes(mistake: str) -> None:
    """A misspelt key or a wrong type fails validation, naming where, before any render."""
    values, where = MISTAKES[mistake]

    with pytest.raises(helm_python.HelmValuesError) as refused:
        load_chart().validate_schema(values)

    assert where in str(refused.value)


def test_install_refuses_an_unknown_key() -> None:
    """Rendering (what `helm install` does) applies the schema too."""
    with pytest.raises(helm_python.HelmValuesError, match="replicas"):
        load_chart().render({"replicas": 3}, name="hello", namespace="default")


@pytest.mark.parametrize(
    "values",
    [
        {"image": {"tag": "0.2.0"}},
        {"image": {"tag": "abc1234@sha256:" + "0" * 64}},
        {"image": {"tag": "abc1234@"}},
        {"image": {"digest": "sha256:" + "f" * 64}},
        {"podDisruptionBudget": {"maxUnavailable": "50%"}},
        {"config": {"limitConcurrency": 200}},
        {"redis": {"auth": {"password": "Correct-horse.battery_staple~1"}}},
    ],
)
def test_schema_accepts_legitimate_values(values: dict[str, Any]) -> None:
    """Tags Skaffold sets, digests, percentages and URL-safe passwords pass."""
    load_chart().validate_schema(values)
