"""Alerts and dashboard: they query only series that exist, and link runbook sections that do."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest

from hello.metrics import Metrics
from tests.deploy.conftest import CHART, NAMESPACE, ROOT, chart_defaults, deep_merge, render
from tests.deploy.promql import read_query
from tests.docs.documents import Document


if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.deploy.conftest import Rendered, Values


RUNBOOK = Document(ROOT / "docs" / "runbook.md")
DASHBOARD_FILE = CHART / "dashboards" / "hello.json"
# Labels Prometheus adds to the service's series when the chart's ServiceMonitor scrapes them.
SCRAPE_LABELS = frozenset({"namespace", "service", "pod", "container", "endpoint", "job"})
SCRAPE_LABELS |= {"instance"}
# The kube-state-metrics series the chart uses and their labels (its docs/metrics/workload/).
KUBE_STATE_METRICS = {
    "kube_deployment_spec_replicas": frozenset({"namespace", "deployment"}),
    "kube_deployment_status_replicas_available": frozenset({"namespace", "deployment"}),
    "kube_pod_container_status_restarts_total": frozenset({"namespace", "pod", "uid", "container"}),
}
# Severity and `for` of each alert, as docs/runbook.md and ADR 7 describe them.
ALERTS = {
    "HelloHighErrorRatio": ("page", "5m"),
    "HelloStoreErrors": ("ticket", "10m"),
    "HelloSlowResponses": ("ticket", "10m"),
    "HelloErrorBudgetFastBurn": ("page", "2m"),
    "HelloErrorBudgetSlowBurn": ("ticket", "15m"),
    "HelloNotReady": ("page", "2m"),
    "HelloPodRestarts": ("ticket", "5m"),
}
_LABEL_VALUES = re.compile(r"label_values\((?P<selector>.+),\s*(?P<label>\w+)\s*\)")
_LEGEND_LABEL = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def exported_series() -> dict[str, frozenset[str]]:
    """Return each series name the service exports, with the labels it may carry when scraped."""
    metrics = Metrics()
    metrics.observe_request("GET", "/livez", 200, 0.001)
    metrics.store_errors.labels("get").inc()
    series: dict[str, set[str]] = {}
    for family in metrics.registry.collect():
        for sample in family.samples:
            series.setdefault(sample.name, set()).update(sample.labels)

    return {name: frozenset(labels) | SCRAPE_LABELS for name, labels in series.items()}


KNOWN_SERIES = {**exported_series(), **KUBE_STATE_METRICS}


def unknown_names(expr: str) -> list[str]:
    """Return what `expr` names that neither the service nor kube-state-metrics exports."""
    query = read_query(expr)
    problems = [f"metric {name}" for name in sorted(query.metrics - KNOWN_SERIES.keys())]
    for selector in query.selectors:
        allowed = KNOWN_SERIES.get(selector.metric, frozenset())
        problems += [f"{selector.metric} label {label}" for label in selector.labels - allowed]
    in_scope = frozenset().union(*(KNOWN_SERIES.get(name, ()) for name in query.metrics))
    problems += [f"grouping label {label}" for label in sorted(query.grouping - in_scope)]

    return problems


def rules_of(rendered: Rendered) -> dict[str, dict[str, Any]]:
    """Return the PrometheusRule's alerts by name."""
    (group,) = rendered.one("PrometheusRule")["spec"]["groups"]

    return {rule["alert"]: rule for rule in group["rules"]}


def with_monitoring(values: Values | None = None) -> Rendered:
    """Render the defaults with the PrometheusRule and the dashboard on, plus `values`."""
    switched = {"metrics": {"prometheusRule": {"enabled": True}, "dashboard": {"enabled": True}}}

    return render(deep_merge(deep_merge(chart_defaults(), switched), values or {}))


def dashboard_configmap(rendered: Rendered) -> dict[str, Any] | None:
    """Return the ConfigMap holding the dashboard, or None when the release has none."""
    found = [
        c for c in rendered.of_kind("ConfigMap") if c["metadata"]["name"].endswith("-dashboard")
    ]
    assert len(found) <= 1

    return found[0] if found else None


def dashboard_of(rendered: Rendered) -> dict[str, Any]:
    """Return the dashboard JSON the release ships, parsed."""
    configmap = dashboard_configmap(rendered)
    assert configmap is not None
    (text,) = configmap["data"].values()

    return json.loads(text)


def panels_of(dashboard: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield every panel, including those nested in rows."""
    for panel in dashboard["panels"]:
        yield panel
        yield from panel.get("panels", [])


def targets_of(dashboard: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (panel title, target) for every query of every panel."""
    for panel in panels_of(dashboard):
        for target in panel.get("targets", []):
            yield panel["title"], target


@pytest.mark.parametrize(
    ("expr", "problems"),
    [
        ('sum(rate(hello_http_requests_total{status=~"5.."}[5m]))', []),
        ("rate(hello_http_requests_count[5m])", ["metric hello_http_requests_count"]),
        ("up == 0", ["metric up"]),
        ('hello_store_errors_total{route="/"}', ["hello_store_errors_total label route"]),
        (
            "sum by (status_code) (rate(hello_http_requests_total[5m]))",
            ["grouping label status_code"],
        ),
        (
            "histogram_quantile(0.99, sum by (le) (rate(hello_store_errors_total[5m])))",
            ["grouping label le"],
        ),
    ],
)
def test_query_check_names_what_is_not_exported(expr: str, problems: list[str]) -> None:
    """The check below refuses unknown metrics and labels, and passes a correct query."""
    assert unknown_names(expr) == problems


def test_exported_series_come_from_the_service() -> None:
    """The allowed names are read from src/hello/metrics.py, with the labels each one has."""
    assert KNOWN_SERIES["hello_http_requests_total"] >= {"method", "route", "status"}
    assert "le" in KNOWN_SERIES["hello_http_request_duration_seconds_bucket"]
    assert "operation" in KNOWN_SERIES["hello_store_errors_total"]
    assert "le" not in KNOWN_SERIES["hello_http_requests_total"]


def test_alerts_are_the_agreed_set() -> None:
    """Seven alerts, each with the severity and `for` the runbook gives, and a summary."""
    rules = rules_of(with_monitoring())

    assert {name: (r["labels"]["severity"], r["for"]) for name, r in rules.items()} == ALERTS
    for name, rule in rules.items():
        assert rule["annotations"]["summary"], name
        assert rule["annotations"]["description"], name


@pytest.mark.parametrize("alert", sorted(ALERTS))
def test_alert_queries_name_exported_series(alert: str) -> None:
    """Each alert queries only series the service or kube-state-metrics exports."""
    expr = rules_of(with_monitoring())[alert]["expr"]

    assert unknown_names(expr) == []


@pytest.mark.parametrize("alert", sorted(ALERTS))
def test_alert_selectors_pick_this_release(alert: str) -> None:
    """Every selector names the release namespace and its Service, Deployment or container."""
    rendered = with_monitoring()
    deployment = rendered.api()
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    service = rendered.one("Service", deployment["metadata"]["name"])
    query = read_query(rules_of(rendered)[alert]["expr"])

    assert query.selectors
    for selector in query.selectors:
        assert selector.value_of("namespace") == NAMESPACE
        if selector.metric.startswith("hello_"):
            assert selector.value_of("service") == service["metadata"]["name"]
        elif selector.metric.startswith("kube_deployment_"):
            assert selector.value_of("deployment") == deployment["metadata"]["name"]
        else:
            assert selector.value_of("container") == container["name"]


def test_kube_state_metrics_alerts_say_they_need_it() -> None:
    """Alerts on kube-state-metrics series say so, since they never fire without it."""
    for name, rule in rules_of(with_monitoring()).items():
        needs_it = any(metric.startswith("kube_") for metric in read_query(rule["expr"]).metrics)

        assert needs_it == ("kube-state-metrics" in rule["annotations"]["description"]), name


THRESHOLDS = {
    "HelloHighErrorRatio": ("errorRatio", 0.2),
    "HelloErrorBudgetFastBurn": ("fastBurnErrorRatio", 0.03),
    "HelloErrorBudgetSlowBurn": ("slowBurnErrorRatio", 0.01),
    "HelloSlowResponses": ("latencyP99Seconds", 0.75),
    "HelloPodRestarts": ("podRestarts", 7),
}


@pytest.mark.parametrize("alert", sorted(THRESHOLDS))
def test_alert_thresholds_follow_the_values(alert: str) -> None:
    """Each threshold is the value of its key, in every comparison of the alert."""
    key, value = THRESHOLDS[alert]
    default = chart_defaults()["metrics"]["prometheusRule"][key]
    changed = {"metrics": {"prometheusRule": {key: value}}}

    before = re.findall(r">\s*([0-9.]+)", rules_of(with_monitoring())[alert]["expr"])
    after = re.findall(r">\s*([0-9.]+)", rules_of(with_monitoring(changed))[alert]["expr"])

    assert before
    assert {float(found) for found in before} == {default}
    assert {float(found) for found in after} == {value}


def test_burn_rate_thresholds_are_multiples_of_the_error_budget() -> None:
    """The defaults are 14.4 and 6 times the 0.1 % budget of the availability objective."""
    rule = chart_defaults()["metrics"]["prometheusRule"]

    assert rule["fastBurnErrorRatio"] == pytest.approx(14.4 * 0.001)
    assert rule["slowBurnErrorRatio"] == pytest.approx(6 * 0.001)


@pytest.mark.parametrize(
    "runbook_url", [None, "https://git.example.com/team/birthday/-/blob/main/docs/runbook.md"]
)
def test_every_alert_links_its_runbook_section(runbook_url: str | None) -> None:
    """`runbook_url` is the runbook value plus `#<alert in lower case>`, a runbook heading."""
    values = {"metrics": {"prometheusRule": {"runbookUrl": runbook_url}}} if runbook_url else {}
    base = runbook_url or chart_defaults()["metrics"]["prometheusRule"]["runbookUrl"]

    rules = rules_of(with_monitoring(values))

    assert base.endswith("/docs/runbook.md")
    for name, rule in rules.items():
        assert rule["annotations"]["runbook_url"] == f"{base}#{name.lower()}"
        assert name.lower() in RUNBOOK.anchors, f"docs/runbook.md has no heading {name}"


def test_runbook_describes_exactly_the_shipped_alerts() -> None:
    """The runbook's alert headings are the chart's alerts: none missing, none extra."""
    alerts_section = RUNBOOK.text.split("\n## Alerts\n", 1)[1].split("\n## ", 1)[0]
    headings = re.findall(r"^### (\S+)$", alerts_section, re.M)

    assert sorted(headings) == sorted(rules_of(with_monitoring()))


def test_dashboard_exists_only_when_enabled(rendered: Rendered) -> None:
    """The dashboard ConfigMap follows `metrics.dashboard.enabled`, off by default."""
    configmap = dashboard_configmap(rendered)

    assert (configmap is not None) == rendered.values["metrics"]["dashboard"]["enabled"]
    assert chart_defaults()["metrics"]["dashboard"]["enabled"] is False


def test_dashboard_carries_the_sidecar_label() -> None:
    """The Grafana sidecar's label (`grafana_dashboard: "1"` by default) and annotations apply."""
    custom = {
        "metrics": {
            "dashboard": {
                "label": "example.com/dashboard",
                "labelValue": "hello",
                "annotations": {"grafana_folder": "Services"},
            }
        }
    }

    default = dashboard_configmap(with_monitoring())
    changed = dashboard_configmap(with_monitoring(custom))

    assert default is not None
    assert changed is not None
    assert default["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert "annotations" not in default["metadata"]
    assert changed["metadata"]["labels"]["example.com/dashboard"] == "hello"
    assert "grafana_dashboard" not in changed["metadata"]["labels"]
    assert changed["metadata"]["annotations"] == {"grafana_folder": "Services"}


def test_dashboard_is_the_shipped_file() -> None:
    """The ConfigMap holds helm/hello/dashboards/hello.json unchanged, as one `.json` key."""
    configmap = dashboard_configmap(with_monitoring())

    assert configmap is not None
    (key,) = configmap["data"]
    assert key.endswith(".json")
    assert dashboard_of(with_monitoring()) == json.loads(DASHBOARD_FILE.read_text())


def test_dashboard_queries_name_exported_series() -> None:
    """Panel and variable queries name only exported series; legends only labels kept.

    Exported means by the service (src/hello/metrics.py) or by kube-state-metrics.
    """
    dashboard = dashboard_of(with_monitoring())
    problems = []

    for title, target in targets_of(dashboard):
        query = read_query(target["expr"])
        problems += [f"{title}: {problem}" for problem in unknown_names(target["expr"])]
        legend = set(_LEGEND_LABEL.findall(target.get("legendFormat", "")))
        problems += [f"{title}: legend {label}" for label in sorted(legend - query.grouping)]
    for variable in dashboard["templating"]["list"]:
        if variable["type"] != "query":
            continue
        match = _LABEL_VALUES.fullmatch(variable["query"]["query"])
        assert match, variable["name"]
        problems += [f"${variable['name']}: {p}" for p in unknown_names(match["selector"])]
        metric = read_query(match["selector"]).metrics
        allowed = frozenset().union(*(KNOWN_SERIES.get(name, ()) for name in metric))
        if match["label"] not in allowed:
            problems.append(f"${variable['name']}: label {match['label']}")

    assert list(targets_of(dashboard))
    assert problems == []


def test_dashboard_selects_through_its_variables() -> None:
    """Queries pick the namespace and Service chosen in the dashboard, from the chosen source."""
    dashboard = dashboard_of(with_monitoring())
    variables = {variable["name"] for variable in dashboard["templating"]["list"]}

    assert {"datasource", "namespace", "service"} <= variables
    for panel in panels_of(dashboard):
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
    for title, target in targets_of(dashboard):
        for selector in read_query(target["expr"]).selectors:
            assert selector.value_of("namespace") == "$namespace", title
            name_label = "deployment" if selector.metric.startswith("kube_") else "service"
            assert selector.value_of(name_label) == "$service", title


def test_dashboard_has_the_agreed_panels() -> None:
    """Requests by route and status, 5xx ratio, p50/p95/p99, store errors, ready replicas."""
    queries = [read_query(t["expr"]) for _, t in targets_of(dashboard_of(with_monitoring()))]
    exprs = [t["expr"] for _, t in targets_of(dashboard_of(with_monitoring()))]

    def grouped(metric: str, labels: set[str]) -> bool:
        return any(metric in q.metrics and q.grouping == labels for q in queries)

    assert grouped("hello_http_requests_total", {"route", "status"})
    assert any(("status", "=~", "5..") in s.matchers for q in queries for s in q.selectors), (
        "no 5xx ratio"
    )
    quantiles = {
        float(found)
        for expr in exprs
        if "hello_http_request_duration_seconds_bucket" in expr
        for found in re.findall(r"histogram_quantile\(\s*([0-9.]+)", expr)
    }
    assert quantiles == {0.5, 0.95, 0.99}
    assert grouped("hello_store_errors_total", {"operation"})
    assert any("kube_deployment_status_replicas_available" in q.metrics for q in queries)


def test_dashboard_panels_have_unique_ids_and_places() -> None:
    """Panel ids differ and no two panels overlap on the grid."""
    panels = list(panels_of(json.loads(DASHBOARD_FILE.read_text())))
    cells = [
        (p["gridPos"]["x"] + dx, p["gridPos"]["y"] + dy)
        for p in panels
        for dx in range(p["gridPos"]["w"])
        for dy in range(p["gridPos"]["h"])
    ]

    assert len({panel["id"] for panel in panels}) == len(panels)
    assert len(set(cells)) == len(cells)
    assert all(p["gridPos"]["x"] + p["gridPos"]["w"] <= 24 for p in panels)
