"""Policies every rendered release obeys: probes, limits, security, disruption, shutdown."""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING, Any

import pytest

from hello.config import Settings
from tests.deploy.conftest import SCENARIOS, chart_defaults, deep_merge, render


if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from pathlib import Path

    from tests.deploy.conftest import Rendered

RECOMMENDED_LABELS = (
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/version",
    "app.kubernetes.io/component",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/managed-by",
)
WORKLOAD_KINDS = ("Deployment", "StatefulSet")
TMP = "/tmp"  # noqa: S108 - the container's path, an emptyDir; nothing here writes to it
LB_IDLE_TIMEOUT = 60  # seconds; the AWS ALB default, the shortest balancer we target


def pod_specs(rendered: Rendered) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every pod spec of the release, `helm test` pods included, with its owner."""
    for obj in rendered.objects:
        if obj["kind"] in WORKLOAD_KINDS:
            yield f"{obj['kind']}/{obj['metadata']['name']}", obj["spec"]["template"]["spec"]
    for pod in rendered.tests:
        yield f"Pod/{pod['metadata']['name']}", pod["spec"]


def api_container(rendered: Rendered) -> dict[str, Any]:
    """Return the API container of the Deployment."""
    (container,) = rendered.api()["spec"]["template"]["spec"]["containers"]

    return container


def test_api_probes_split_liveness_from_readiness(rendered: Rendered) -> None:
    """Readiness asks /readyz (Redis); liveness and startup ask /livez (process only)."""
    container = api_container(rendered)

    paths = {
        probe: container[probe]["httpGet"]["path"]
        for probe in ("startupProbe", "readinessProbe", "livenessProbe")
    }
    assert paths == {
        "startupProbe": "/livez",
        "readinessProbe": "/readyz",
        "livenessProbe": "/livez",
    }
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["port"] == "http"


def test_api_listens_where_the_service_sends(rendered: Rendered) -> None:
    """The Service targets the named port the container opens on 8000 (HELLO_PORT)."""
    service = rendered.one("Service", rendered.api()["metadata"]["name"])
    container = api_container(rendered)
    config = rendered.one("ConfigMap", rendered.api()["metadata"]["name"])["data"]

    assert service["spec"]["ports"][0]["targetPort"] == "http"
    assert container["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]
    assert config["HELLO_PORT"] == "8000"
    assert config["HELLO_HOST"] == "0.0.0.0"  # noqa: S104 - a container listens on all


def test_every_container_has_requests_and_limits(rendered: Rendered) -> None:
    """CPU and memory are requested and capped in every container, test pods included."""
    for owner, spec in pod_specs(rendered):
        for container in spec["containers"]:
            resources = container["resources"]
            for kind in ("requests", "limits"):
                assert set(resources[kind]) >= {"cpu", "memory"}, f"{owner} {kind}"


def test_every_pod_runs_restricted(rendered: Rendered) -> None:
    """Non-root numeric user, RuntimeDefault seccomp, no token, no escalation, no capability."""
    for owner, spec in pod_specs(rendered):
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True, owner
        assert pod["runAsUser"] > 0, owner
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}, owner
        assert spec["automountServiceAccountToken"] is False, owner
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, owner
            assert context["readOnlyRootFilesystem"] is True, owner
            assert context["capabilities"]["drop"] == ["ALL"], owner
            assert context.get("privileged", False) is False, owner


def test_no_service_links_shadow_the_settings(rendered: Rendered) -> None:
    """Service links are off: a Service named hello would otherwise set HELLO_PORT=tcp://…."""
    for owner, spec in pod_specs(rendered):
        assert spec["enableServiceLinks"] is False, owner


def test_api_writes_only_to_tmp(rendered: Rendered) -> None:
    """With a read-only root, /tmp is an emptyDir with a size limit; nothing else is writable."""
    spec = rendered.api()["spec"]["template"]["spec"]
    mounts = {m["mountPath"]: m for m in api_container(rendered)["volumeMounts"]}
    volumes = {v["name"]: v for v in spec["volumes"]}

    assert volumes[mounts[TMP]["name"]]["emptyDir"]["sizeLimit"]
    writable = [path for path, mount in mounts.items() if not mount.get("readOnly")]
    assert writable == [TMP]


def test_service_account_token_is_not_mounted(rendered: Rendered) -> None:
    """The ServiceAccount, when made, does not hand out an API token either."""
    for account in rendered.of_kind("ServiceAccount"):
        assert account["automountServiceAccountToken"] is False


def test_rollout_never_drops_below_desired(rendered: Rendered) -> None:
    """Rolling updates start new pods before stopping old ones."""
    strategy = rendered.api()["spec"]["strategy"]

    assert strategy["type"] == "RollingUpdate"
    assert strategy["rollingUpdate"]["maxUnavailable"] == 0


def test_disruption_budget_whenever_more_than_one_pod(rendered: Rendered) -> None:
    """A PDB exists exactly when replicas (or the autoscaler minimum) exceed one."""
    values = rendered.values
    autoscaled = values["autoscaling"]["enabled"]
    floor = values["autoscaling"]["minReplicas"] if autoscaled else values["replicaCount"]
    budgets = rendered.of_kind("PodDisruptionBudget")

    if floor > 1:
        (budget,) = budgets
        selector = rendered.api()["spec"]["selector"]
        assert budget["spec"]["selector"] == selector
        assert budget["spec"]["maxUnavailable"] == values["podDisruptionBudget"]["maxUnavailable"]
    else:
        assert budgets == []


def test_autoscaler_owns_the_replica_count(rendered: Rendered) -> None:
    """With an HPA the Deployment sets no replicas; without one it sets replicaCount."""
    values = rendered.values
    spec = rendered.api()["spec"]
    hpas = rendered.of_kind("HorizontalPodAutoscaler")

    if values["autoscaling"]["enabled"]:
        (hpa,) = hpas
        assert "replicas" not in spec
        assert hpa["spec"]["scaleTargetRef"]["name"] == rendered.api()["metadata"]["name"]
        assert hpa["spec"]["minReplicas"] == values["autoscaling"]["minReplicas"]
    else:
        assert hpas == []
        assert spec["replicas"] == values["replicaCount"]


def test_no_image_floats(rendered: Rendered) -> None:
    """Every image names a tag or digest, and no tag is `latest`."""
    for owner, spec in pod_specs(rendered):
        for container in spec["containers"]:
            image = container["image"]
            name, _, digest = image.partition("@")
            repository, _, tag = name.rpartition(":")
            assert repository, f"{owner}: {image} has no tag"
            assert tag != "latest", f"{owner}: {image}"
            assert not digest or re.fullmatch(r"sha256:[a-f0-9]{64}", digest), image


def test_helm_test_uses_the_service_image(rendered: Rendered) -> None:
    """`helm test` runs the API image itself, so it needs no extra image."""
    (pod,) = rendered.tests
    (container,) = pod["spec"]["containers"]
    script = "\n".join(container["args"])

    assert pod["metadata"]["annotations"]["helm.sh/hook"] == "test"
    assert container["image"] == api_container(rendered)["image"]
    assert '"/readyz"' in script
    assert '"PUT", "/hello/"' in script
    assert '"GET", "/hello/"' in script


def test_every_object_has_the_recommended_labels(rendered: Rendered) -> None:
    """Objects and pod templates carry the Kubernetes recommended labels."""
    for obj in (*rendered.objects, *rendered.tests):
        labels = obj["metadata"]["labels"]
        missing = [key for key in RECOMMENDED_LABELS if not labels.get(key)]
        assert missing == [], f"{obj['kind']}/{obj['metadata']['name']}"
    for owner, spec_owner in (
        (obj, obj["spec"]["template"]) for obj in rendered.objects if obj["kind"] in WORKLOAD_KINDS
    ):
        labels = spec_owner["metadata"]["labels"]
        assert all(labels.get(key) for key in RECOMMENDED_LABELS), owner["metadata"]["name"]


def test_selectors_pick_only_their_own_pods(rendered: Rendered) -> None:
    """Service and Deployment select the API pods; the test pod is never selected."""
    selector = rendered.api()["spec"]["selector"]["matchLabels"]
    template_labels = rendered.api()["spec"]["template"]["metadata"]["labels"]
    service = rendered.one("Service", rendered.api()["metadata"]["name"])
    (test_pod,) = rendered.tests

    assert selector.items() <= template_labels.items()
    assert service["spec"]["selector"] == selector
    assert not selector.items() <= test_pod["metadata"]["labels"].items()


def test_pods_spread_over_zones_and_nodes(rendered: Rendered) -> None:
    """Topology spread constraints cover zones and nodes, counting API pods only."""
    spec = rendered.api()["spec"]["template"]["spec"]
    selector = rendered.api()["spec"]["selector"]

    keys = {c["topologyKey"] for c in spec["topologySpreadConstraints"]}
    assert keys == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}
    for constraint in spec["topologySpreadConstraints"]:
        assert constraint["labelSelector"] == selector


def test_grace_period_covers_every_shutdown_phase(rendered: Rendered) -> None:
    """Grace period = preStop + drain + shutdown timeout + margin, from `shutdown` values."""
    shutdown = rendered.values["shutdown"]
    spec = rendered.api()["spec"]["template"]["spec"]
    container = api_container(rendered)
    config = rendered.one("ConfigMap", rendered.api()["metadata"]["name"])["data"]
    phases = (
        shutdown["preStopSeconds"] + shutdown["drainSeconds"] + shutdown["shutdownTimeoutSeconds"]
    )

    assert spec["terminationGracePeriodSeconds"] >= phases
    assert spec["terminationGracePeriodSeconds"] == phases + shutdown["marginSeconds"]
    if shutdown["preStopSeconds"]:
        sleep = container["lifecycle"]["preStop"]["sleep"]["seconds"]
        assert sleep == shutdown["preStopSeconds"]
    else:
        assert "lifecycle" not in container
    assert float(config["HELLO_DRAIN_SECONDS"]) == shutdown["drainSeconds"]
    assert float(config["HELLO_SHUTDOWN_TIMEOUT"]) == shutdown["shutdownTimeoutSeconds"]
    assert float(config["HELLO_KEEPALIVE_TIMEOUT"]) == shutdown["keepAliveSeconds"]
    assert shutdown["keepAliveSeconds"] > LB_IDLE_TIMEOUT


def test_shutdown_timings_have_one_source() -> None:
    """The chart's values.yaml holds the shutdown block the templates derive everything from."""
    shutdown = chart_defaults()["shutdown"]

    assert set(shutdown) == {
        "preStopSeconds",
        "drainSeconds",
        "shutdownTimeoutSeconds",
        "marginSeconds",
        "keepAliveSeconds",
    }
    grace = render().api()["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
    assert grace == sum(shutdown[key] for key in shutdown if key != "keepAliveSeconds")


def test_grace_period_follows_the_values() -> None:
    """Changing one timing moves the grace period by as much; nothing is hard-coded."""
    defaults = chart_defaults()
    longer = deep_merge(defaults, {"shutdown": {"shutdownTimeoutSeconds": 45}})

    before = render(defaults).api()["spec"]["template"]["spec"]
    after = render(longer).api()["spec"]["template"]["spec"]

    delta = 45 - defaults["shutdown"]["shutdownTimeoutSeconds"]
    grace = "terminationGracePeriodSeconds"
    assert after[grace] - before[grace] == delta


def _redis_url_secret(rendered: Rendered) -> dict[str, str] | None:
    env = api_container(rendered).get("env", [])
    refs = [item["valueFrom"]["secretKeyRef"] for item in env if item["name"] == "REDIS_URL"]

    return refs[0] if refs else None


class _RecordingEnv(dict[str, str]):
    """An environment that remembers which variables the settings reader asked for."""

    def __init__(self, data: Mapping[str, str]) -> None:
        super().__init__(data)
        self.asked: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self.asked.add(key)
        return super().get(key, default)


def test_service_accepts_the_rendered_settings(rendered: Rendered, tmp_path: Path) -> None:
    """hello.config reads every ConfigMap variable and accepts its value (no unknown name)."""
    config = dict(rendered.one("ConfigMap", rendered.api()["metadata"]["name"])["data"])
    if "REDIS_TLS_CA_FILE" in config:
        ca_file = tmp_path / "ca.crt"
        ca_file.write_text("")
        config["REDIS_TLS_CA_FILE"] = str(ca_file)
    env = _RecordingEnv(config)
    if rendered.values["redis"]["cluster"] or _redis_url_secret(rendered):
        env["REDIS_URL"] = "redis://:example@redis.example.internal:6379/0"

    settings = Settings.from_env(env)

    assert set(config) <= env.asked
    assert settings.server.keepalive_timeout == rendered.values["shutdown"]["keepAliveSeconds"]
    assert settings.redis.cluster is rendered.values["redis"]["cluster"]


def test_redis_url_comes_from_the_right_secret(rendered: Rendered) -> None:
    """REDIS_URL is read from the existing Secret, the chart's Secret, or not at all."""
    redis = rendered.values["redis"]
    ref = _redis_url_secret(rendered)
    chart_secrets = {s["metadata"]["name"]: s for s in rendered.of_kind("Secret")}

    if redis["existingSecret"]:
        assert ref == {"name": redis["existingSecret"], "key": redis["existingSecretKey"]}
        assert chart_secrets == {}
    elif redis["enabled"] or redis["url"]:
        assert ref is not None
        assert ref["name"] in chart_secrets
        assert ref["key"] in chart_secrets[ref["name"]]["data"]
    else:
        assert ref is None
        assert chart_secrets == {}


def test_in_chart_redis_is_durable_and_guarded(rendered: Rendered) -> None:
    """In-chart Redis: StatefulSet with a claim, AOF every second, password from the Secret."""
    if not rendered.values["redis"]["enabled"]:
        assert rendered.of_kind("StatefulSet") == []
        return
    statefulset = rendered.one("StatefulSet")
    (container,) = statefulset["spec"]["template"]["spec"]["containers"]
    config = rendered.one("ConfigMap", statefulset["metadata"]["name"])["data"]["redis.conf"]
    service = rendered.one("Service", statefulset["metadata"]["name"])
    password = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"]}

    assert "appendonly yes" in config.splitlines()
    assert "appendfsync everysec" in config.splitlines()
    assert container["args"][-2:] == ["--requirepass", "$(REDIS_PASSWORD)"]
    assert password["REDIS_PASSWORD"]["key"] == "redis-password"
    assert container["image"].startswith("redis:7.")
    if rendered.values["redis"]["server"]["persistence"]["enabled"]:
        (claim,) = statefulset["spec"]["volumeClaimTemplates"]
        assert claim["metadata"]["name"] == "data"
    assert service["spec"]["selector"] == statefulset["spec"]["selector"]["matchLabels"]


IN_CHART_REDIS = sorted(
    name
    for name, values in SCENARIOS.items()
    if deep_merge(chart_defaults(), values)["redis"]["enabled"]
)


@pytest.mark.parametrize("name", IN_CHART_REDIS)
def test_in_chart_redis_url_names_its_service(name: str) -> None:
    """The chart-made REDIS_URL points at the in-chart Redis Service, with its password."""
    rendered = render(SCENARIOS[name])
    secret = rendered.one("Secret")["data"]
    url = base64.b64decode(secret["redis-url"]).decode()
    password = base64.b64decode(secret["redis-password"]).decode()
    service = rendered.one("Service", rendered.one("StatefulSet")["metadata"]["name"])

    host = f"{service['metadata']['name']}.{service['metadata']['namespace']}.svc"
    assert url == f"redis://:{password}@{host}:6379/0"
    assert len(password) >= 32


def test_network_policies_admit_only_what_is_needed(rendered: Rendered) -> None:
    """API: in from test pods and `ingressFrom`; out to DNS and Redis only. Redis: API only."""
    name = rendered.api()["metadata"]["name"]
    policy = rendered.one("NetworkPolicy", name)["spec"]
    values = rendered.values
    extra = len(values["networkPolicy"]["extraEgress"])

    assert policy["podSelector"] == rendered.api()["spec"]["selector"]
    assert policy["policyTypes"] == ["Ingress", "Egress"]
    (rule,) = policy["ingress"]
    assert rule["ports"] == [{"port": "http", "protocol": "TCP"}]
    test_labels = rendered.tests[0]["metadata"]["labels"]
    selectors = [
        peer["podSelector"]["matchLabels"] for peer in rule["from"] if "podSelector" in peer
    ]
    assert any(sel.items() <= test_labels.items() for sel in selectors)
    ports = {
        p["port"]
        for egress in policy["egress"][: len(policy["egress"]) - extra]
        for p in egress["ports"]
    }
    redis = values["redis"]
    if redis["enabled"]:
        assert ports == {53, 6379}
    elif redis["url"] or redis["existingSecret"]:
        assert ports == {53, *values["networkPolicy"]["redisPorts"]}
    else:
        assert ports == {53}
    if values["redis"]["enabled"]:
        redis_policy = rendered.one("NetworkPolicy", f"{name}-redis")["spec"]
        (redis_rule,) = redis_policy["ingress"]
        assert redis_rule["from"] == [{"podSelector": rendered.api()["spec"]["selector"]}]
        assert redis_policy["egress"] == []


@pytest.mark.parametrize(
    ("values", "missing"),
    [
        ({"replicaCount": 3, "autoscaling": {"enabled": False}}, None),
        ({"replicaCount": 1, "autoscaling": {"enabled": False}}, "PodDisruptionBudget"),
        ({"replicaCount": 1, "autoscaling": {"enabled": True, "minReplicas": 2}}, None),
        (
            {"replicaCount": 5, "autoscaling": {"enabled": True, "minReplicas": 1}},
            "PodDisruptionBudget",
        ),
    ],
)
def test_budget_follows_the_replica_floor(values: dict[str, Any], missing: str | None) -> None:
    """The PDB depends on the autoscaler minimum when it is on, on replicaCount otherwise."""
    kinds = {obj["kind"] for obj in render(deep_merge(chart_defaults(), values)).objects}

    assert (missing not in kinds) if missing else ("PodDisruptionBudget" in kinds)


def test_skaffold_digest_tags_render_as_pinned_images() -> None:
    """`tag@digest` as Skaffold sets it, and a lone trailing `@`, both give valid images."""
    digest = "sha256:" + "a" * 64
    by_skaffold = {"image": {"repository": "registry.example.com/hello", "tag": f"abc123@{digest}"}}
    no_digest = {"image": {"repository": "hello", "tag": "abc123@"}}

    pinned = api_container(render(deep_merge(chart_defaults(), by_skaffold)))["image"]
    local = api_container(render(deep_merge(chart_defaults(), no_digest)))["image"]

    assert pinned == f"registry.example.com/hello:abc123@{digest}"
    assert local == "hello:abc123"
