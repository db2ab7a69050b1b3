"""Alerts: they query only series that exist, and link runbook sections that do."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from hello.metrics import Metrics
from tests.deploy.conftest import NAMESPACE, ROOT, chart_defaults, deep_merge, render
from tests.deploy.promql import read_query
from tests.docs.documents import Document


if TYPE_CHECKING:
    from tests.deploy.conftest import Rendered, Values


RUNBOOK = Document(ROOT / "docs" / "runbook.md")
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
    """Render the defaults with the PrometheusRule on, plus `values`."""
    switched = {"metrics": {"prometheusRule": {"enabled": True}}}

    return render(deep_merge(deep_merge(chart_defaults(), switched), values or {}))


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
