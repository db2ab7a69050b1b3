"""The delivery scripts behave as the workflows rely on, with helm, kubectl and gh faked.

The fakes (see conftest.FakeCli) answer as the real CLIs do for the case at hand and record
every call, so these tests check decisions and the exact commands that reach a cluster or
GitHub; the cloud calls themselves cannot run here.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from tests.workflows.conftest import ROOT, outputs, run_script


if TYPE_CHECKING:
    from pathlib import Path

    from tests.workflows.conftest import FakeCli

HISTORY_OK = [
    {"revision": 1, "status": "superseded"},
    {"revision": 2, "status": "deployed"},
]


def json_stream(text: str) -> list[Any]:
    """Parse concatenated JSON documents (what several `jq` calls wrote to one file)."""
    decoder, documents, index = json.JSONDecoder(), [], 0
    while index < len(text):
        if text[index].isspace():
            index += 1
            continue
        document, index = decoder.raw_decode(text, index)
        documents.append(document)
    return documents


def history(*statuses: str) -> str:
    """Return `helm history -o json` output for revisions 1.. with these statuses."""
    return json.dumps([{"revision": n, "status": s} for n, s in enumerate(statuses, 1)])


# review-guard.sh ------------------------------------------------------------------------------


GUARD_CASES = [
    # head repo, action, triggering actor, cloud, expected deploy, expected teardown
    ("acme/hello", "opened", "alice", "aws", "true", "false"),
    ("acme/hello", "synchronize", "alice", "gcp", "true", "false"),
    ("acme/hello", "reopened", "alice", "aws", "true", "false"),
    ("acme/hello", "closed", "alice", "aws", "false", "true"),
    ("mallory/hello", "opened", "mallory", "aws", "false", "false"),
    ("mallory/hello", "closed", "mallory", "aws", "false", "false"),
    ("", "synchronize", "mallory", "aws", "false", "false"),
    ("acme/hello", "opened", "dependabot[bot]", "aws", "false", "false"),
    ("acme/hello", "closed", "dependabot[bot]", "aws", "false", "true"),
    ("acme/hello", "opened", "alice", "", "false", "false"),
    ("acme/hello", "opened", "alice", "azure", "false", "false"),
]


@pytest.mark.parametrize(
    "case",
    GUARD_CASES,
    ids=[f"{h or 'deleted-fork'}-{a}-{u}-{c or 'none'}" for h, a, u, c, _, _ in GUARD_CASES],
)
def test_guard_deploys_only_pull_requests_from_this_repository(
    tmp_path: Path, fake_cli: FakeCli, case: tuple[str, str, str, str, str, str]
) -> None:
    """Forks, Dependabot-started runs and unconfigured repositories get no environment."""
    head, action, actor, cloud, deploy, teardown = case
    out, summary = tmp_path / "out", tmp_path / "summary"
    env = fake_cli.env(
        PR_NUMBER="42",
        EVENT_ACTION=action,
        HEAD_REPO=head,
        BASE_REPO="acme/hello",
        TRIGGERING_ACTOR=actor,
        CLOUD=cloud,
        REVIEW_DOMAIN="review.example.com",
        GITHUB_OUTPUT=str(out),
        GITHUB_STEP_SUMMARY=str(summary),
    )

    result = run_script("review-guard.sh", env=env)

    assert result.returncode == 0, result.stderr
    assert outputs(out) == {
        "deploy": deploy,
        "teardown": teardown,
        "namespace": "hello-pr-42",
        "host": "pr-42.review.example.com",
        "url": "https://pr-42.review.example.com",
    }
    if head != "acme/hello":
        assert "comes from the fork" in summary.read_text()


def test_guard_refuses_a_pull_request_number_that_is_not_a_number(fake_cli: FakeCli) -> None:
    """The number becomes a namespace and a host name, so it must be digits."""
    env = fake_cli.env(PR_NUMBER="1;rm", EVENT_ACTION="opened", BASE_REPO="acme/hello")

    result = run_script("review-guard.sh", env=env)

    assert result.returncode == 2


# deploy-recover-release.sh --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((), []),
        (("superseded", "deployed"), []),
        (("deployed", "failed"), []),
        (("superseded", "deployed", "pending-upgrade"), ["helm rollback hello 2"]),
        (("deployed", "pending-rollback"), ["helm rollback hello 1"]),
        (("pending-install",), ["helm uninstall hello"]),
        (("failed", "pending-upgrade"), ["helm uninstall hello"]),
    ],
    ids=["absent", "deployed", "failed", "pending-upgrade", "pending-rollback",
         "pending-install", "pending-without-good-revision"],
)  # fmt: skip
def test_recover_release_clears_only_pending_states(
    fake_cli: FakeCli, statuses: tuple[str, ...], expected: list[str]
) -> None:
    """Pending releases roll back to the last good revision, or go when there is none."""
    if statuses:
        answer = f"echo '{history(*statuses)}'"
    else:
        answer = 'echo "Error: release: not found" >&2; exit 1'
    fake_cli.add("helm", f'if [ "$1" = history ]; then {answer}; fi')

    result = run_script("deploy-recover-release.sh", "hello", "hello-pr-7", env=fake_cli.env())

    changes = [c for c in fake_cli.calls("helm") if not c.startswith("helm history")]
    assert result.returncode == 0, result.stderr
    assert [c.split(" --namespace")[0] for c in changes] == expected
    for call in changes:
        assert "--namespace hello-pr-7 --wait" in call


def test_recover_release_fails_when_helm_cannot_reach_the_cluster(fake_cli: FakeCli) -> None:
    """An error other than a missing release is not mistaken for "nothing to do"."""
    fake_cli.add("helm", 'echo "Error: Kubernetes cluster unreachable" >&2; exit 1')

    result = run_script("deploy-recover-release.sh", "hello", "hello", env=fake_cli.env())

    assert result.returncode == 1
    assert "unreachable" in result.stderr


# review-deploy.sh and review-teardown.sh ------------------------------------------------------


def test_review_deploy_labels_the_namespace_recovers_and_deploys_the_digest(
    fake_cli: FakeCli,
) -> None:
    """Namespace labels for the cleanup, release recovery, then skaffold with the image."""
    fake_cli.add(
        "kubectl",
        'case "$1" in create) echo "kind: Namespace" ;; apply) cat > /dev/null ;; esac',
    )
    fake_cli.add("helm", f"echo '{history('deployed')}'")
    fake_cli.add("skaffold", 'echo "REVIEW_NAMESPACE=$REVIEW_NAMESPACE REVIEW_HOST=$REVIEW_HOST"')
    image = "r.example/hello:tree-abc@sha256:" + "1" * 64
    env = fake_cli.env(
        PR_NUMBER="7",
        IMAGE=image,
        REVIEW_NAMESPACE="hello-pr-7",
        REVIEW_HOST="pr-7.review.example.com",
    )

    result = run_script("review-deploy.sh", env=env)

    assert result.returncode == 0, result.stderr
    label = next(c for c in fake_cli.calls("kubectl") if c.startswith("kubectl label"))
    assert "hello.dev/review=true" in label
    assert "hello.dev/pr=7" in label
    assert fake_cli.calls("helm") == [
        "helm history hello --namespace hello-pr-7 --max 20 --output json"
    ]
    (deploy,) = fake_cli.calls("skaffold")
    assert deploy.startswith("skaffold deploy --profile review")
    assert f"--images hello={image}" in deploy
    assert "REVIEW_NAMESPACE=hello-pr-7 REVIEW_HOST=pr-7.review.example.com" in result.stdout


def test_review_deploy_refuses_an_image_without_a_digest(fake_cli: FakeCli) -> None:
    """Only an image pinned by digest is deployed."""
    fake_cli.add("skaffold")
    env = fake_cli.env(
        PR_NUMBER="7",
        IMAGE="r.example/hello:latest",
        REVIEW_NAMESPACE="hello-pr-7",
        REVIEW_HOST="pr-7.review.example.com",
    )

    result = run_script("review-deploy.sh", env=env)

    assert result.returncode == 2
    assert fake_cli.calls("skaffold") == []


def test_teardown_uninstalls_then_deletes_the_namespace(fake_cli: FakeCli) -> None:
    """Both steps tolerate what is already gone, in the order helm then namespace."""
    fake_cli.add("helm")
    fake_cli.add("kubectl")

    result = run_script("review-teardown.sh", env=fake_cli.env(REVIEW_NAMESPACE="hello-pr-9"))

    assert result.returncode == 0, result.stderr
    helm, kubectl = fake_cli.calls()
    assert helm.startswith("helm uninstall hello --namespace hello-pr-9 --ignore-not-found")
    assert kubectl.startswith("kubectl delete namespace hello-pr-9 --ignore-not-found")


@pytest.mark.parametrize("namespace", ["hello", "kube-system", "default"])
def test_teardown_refuses_namespaces_that_are_not_review_ones(
    fake_cli: FakeCli, namespace: str
) -> None:
    """A wrong variable can never make teardown delete production or system namespaces."""
    fake_cli.add("helm")
    fake_cli.add("kubectl")

    result = run_script("review-teardown.sh", env=fake_cli.env(REVIEW_NAMESPACE=namespace))

    assert result.returncode == 2
    assert fake_cli.calls() == []


# review-comment.sh and review-deployment.sh ---------------------------------------------------


COMMENT_ENV = {
    "PR_NUMBER": "42",
    "URL": "https://pr-42.review.example.com",
    "IMAGE": "r.example/hello:tree-abc@sha256:" + "2" * 64,
    "HEAD_SHA": "0123abc",
    "RUN_URL": "https://github.example/run/1",
    "RESULT_BUILD": "success",
    "RESULT_DEPLOY": "success",
    "RESULT_CONTRACT": "failure",
    "RESULT_LOAD": "success",
    "REPORT_CONTRACT": "https://github.example/artifacts/1",
    "REPORT_LOAD": "",
}


def test_comment_shows_url_digest_results_and_report_links(fake_cli: FakeCli) -> None:
    """The body starts with the hidden marker and tabulates every check."""
    result = run_script(
        "review-comment.sh", "render", env=fake_cli.env(STATE="deployed", **COMMENT_ENV)
    )

    body = result.stdout
    assert result.returncode == 0, result.stderr
    assert body.startswith("<!-- hello-review-environment -->\n")
    assert "<https://pr-42.review.example.com>" in body
    assert COMMENT_ENV["IMAGE"] in body
    report = "[report](https://github.example/artifacts/1)"
    assert f"| Contract test (schemathesis) | ❌ failed | {report} |" in body
    assert "| Load test (locust, profile review) | ✅ passed | — |" in body


def test_comment_after_teardown_says_the_environment_is_gone(fake_cli: FakeCli) -> None:
    """On close the same comment is rewritten to say the environment was removed."""
    result = run_script(
        "review-comment.sh", "render", env=fake_cli.env(STATE="removed", PR_NUMBER="42")
    )

    assert result.returncode == 0
    assert "removed when the pull request closed" in result.stdout
    assert "https://pr-42" not in result.stdout


@pytest.mark.parametrize(("existing", "method"), [("", "POST"), ("987", "PATCH")])
def test_comment_is_updated_in_place_when_it_exists(
    fake_cli: FakeCli, existing: str, method: str
) -> None:
    """The marker finds the earlier comment, which is edited instead of adding another."""
    fake_cli.add(
        "gh",
        f'case "$*" in *"--jq"*) echo "{existing}" ;; *) cat > /dev/null ;; esac',
    )
    env = fake_cli.env(STATE="deployed", GITHUB_REPOSITORY="acme/hello", **COMMENT_ENV)

    result = run_script("review-comment.sh", "post", env=env)

    assert result.returncode == 0, result.stderr
    lookup, write = fake_cli.calls("gh")
    assert "repos/acme/hello/issues/42/comments" in lookup
    assert f"--method {method}" in write
    if existing:
        assert "repos/acme/hello/issues/comments/987" in write


def test_deployment_is_transient_and_deactivated_on_close(
    fake_cli: FakeCli, tmp_path: Path
) -> None:
    """`start` makes review/pr-N transient; `deactivate` marks each of its deployments inactive."""
    bodies = tmp_path / "bodies"
    fake_cli.add(
        "gh",
        f'if [[ "$*" == *"--input -"* ]]; then cat >> {bodies}; echo >> {bodies}; fi\n'
        'case "$*" in\n'
        "  *--silent*) ;;\n"
        '  *"environment=review/pr-5"*) printf "11\\n12\\n" ;;\n'
        "  *) echo 77 ;;\n"
        "esac",
    )
    env = fake_cli.env(GITHUB_REPOSITORY="acme/hello", PR_NUMBER="5", HEAD_SHA="abc123")

    started = run_script("review-deployment.sh", "start", env=env)
    stopped = run_script("review-deployment.sh", "deactivate", env=env)

    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "77"
    assert stopped.returncode == 0, stopped.stderr
    created, *statuses = json_stream(bodies.read_text())
    assert created["environment"] == "review/pr-5"
    assert created["transient_environment"] is True
    assert created["production_environment"] is False
    posts = [c for c in fake_cli.calls("gh") if "/statuses" in c]
    assert [c.split()[4] for c in posts] == [
        "repos/acme/hello/deployments/77/statuses",
        "repos/acme/hello/deployments/11/statuses",
        "repos/acme/hello/deployments/12/statuses",
    ]
    assert [status["state"] for status in statuses] == ["in_progress", "inactive", "inactive"]


def test_stop_runs_cancels_other_active_runs_of_the_pull_request(fake_cli: FakeCli) -> None:
    """In-flight deploy runs of the PR are cancelled; this run is never among them."""
    state = fake_cli.directory / "cancelled"
    fake_cli.add(
        "gh",
        f'case "$*" in\n'
        f'  *"/cancel"*) touch {state} ;;\n'
        f"  *) if [ -e {state} ]; then :; else echo 501; echo 502; fi ;;\n"
        "esac",
    )
    env = fake_cli.env(GITHUB_REPOSITORY="acme/hello", PR_NUMBER="5", GITHUB_RUN_ID="900")

    result = run_script("review-stop-runs.sh", env=env)

    assert result.returncode == 0, result.stderr
    cancels = [c for c in fake_cli.calls("gh") if c.endswith("/cancel --silent")]
    assert [c.split()[4] for c in cancels] == [
        "repos/acme/hello/actions/runs/501/cancel",
        "repos/acme/hello/actions/runs/502/cancel",
    ]
    query = fake_cli.calls("gh")[0]
    assert ".id != 900" in query
    assert ".number == 5" in query


# review-cleanup.sh ----------------------------------------------------------------------------


def namespace(name: str, pr: str, deployed: datetime) -> dict[str, object]:
    """Return a review namespace as `kubectl get -o json` lists it."""
    return {
        "metadata": {
            "name": name,
            "labels": {"hello.dev/review": "true", "hello.dev/pr": pr},
            "annotations": {"hello.dev/deployed-at": deployed.strftime("%Y-%m-%dT%H:%M:%SZ")},
            "creationTimestamp": "2020-01-01T00:00:00Z",
        }
    }


@pytest.mark.parametrize("dry_run", ["false", "true"])
def test_cleanup_deletes_closed_and_idle_environments(
    fake_cli: FakeCli, tmp_path: Path, dry_run: str
) -> None:
    """Closed PRs and environments idle past the TTL go; fresh open ones stay."""
    now = datetime.now(UTC)
    listing = {
        "items": [
            namespace("hello-pr-1", "1", now - timedelta(hours=1)),  # PR closed
            namespace("hello-pr-2", "2", now - timedelta(hours=1)),  # open, fresh
            namespace("hello-pr-3", "3", now - timedelta(days=9)),  # open, idle
        ]
    }
    (tmp_path / "ns.json").write_text(json.dumps(listing))
    fake_cli.add("kubectl", f'if [ "$1" = get ]; then cat {tmp_path / "ns.json"}; fi')
    fake_cli.add("helm")
    fake_cli.add(
        "gh",
        'case "$*" in *pulls/1*) echo closed ;; *pulls/*) echo open ;; *) : ;; esac',
    )
    summary = tmp_path / "summary"
    env = fake_cli.env(
        GITHUB_REPOSITORY="acme/hello",
        REVIEW_TTL_DAYS="7",
        DRY_RUN=dry_run,
        GITHUB_STEP_SUMMARY=str(summary),
    )

    result = run_script("review-cleanup.sh", env=env)

    assert result.returncode == 0, result.stderr
    deleted = [c.split()[3] for c in fake_cli.calls("kubectl") if c.startswith("kubectl delete")]
    assert deleted == ([] if dry_run == "true" else ["hello-pr-1", "hello-pr-3"])
    text = summary.read_text()
    assert "| hello-pr-1 | 1 |" in text
    assert "delete (PR closed)" in text
    assert "delete (idle over 7 days)" in text
    assert "| hello-pr-2 | 2 |" in text


# Production scripts ---------------------------------------------------------------------------


@pytest.mark.parametrize("cloud", ["aws", "gcp"])
def test_production_upgrade_pins_the_digest_and_rolls_back_on_failure(
    fake_cli: FakeCli, tmp_path: Path, cloud: str
) -> None:
    """One helm upgrade with the cloud's values and the digest; the prior revision is kept."""
    fake_cli.add("helm", f"if [ \"$1\" = history ]; then echo '{json.dumps(HISTORY_OK)}'; fi")
    out = tmp_path / "out"
    digest = "sha256:" + "3" * 64
    env = fake_cli.env(
        CLOUD=cloud,
        IMAGE_REPOSITORY="r.example/hello",
        IMAGE_TAG="tree-abc",
        IMAGE_DIGEST=digest,
        GITHUB_OUTPUT=str(out),
    )

    result = run_script("deploy-production.sh", env=env)

    assert result.returncode == 0, result.stderr
    upgrade = next(c for c in fake_cli.calls("helm") if c.startswith("helm upgrade"))
    assert upgrade.startswith("helm upgrade hello helm/hello --install --namespace hello")
    assert f"--values helm/hello/values-production-{cloud}.yaml" in upgrade
    assert f"--set-string image.digest={digest}" in upgrade
    assert "--rollback-on-failure --wait" in upgrade
    assert outputs(out) == {"previous-revision": "2"}


def test_production_upgrade_refuses_an_unknown_cloud(fake_cli: FakeCli) -> None:
    """Only the two values files that exist can be chosen."""
    fake_cli.add("helm")
    env = fake_cli.env(
        CLOUD="azure", IMAGE_REPOSITORY="r", IMAGE_TAG="t", IMAGE_DIGEST="sha256:" + "3" * 64
    )

    result = run_script("deploy-production.sh", env=env)

    assert result.returncode == 2
    assert fake_cli.calls("helm") == []


@pytest.mark.parametrize(("previous", "code"), [("4", 0), ("", 1)])
def test_rollback_returns_to_the_previous_revision(
    fake_cli: FakeCli, previous: str, code: int
) -> None:
    """A failed smoke test rolls back; after a first install there is nothing to return to."""
    fake_cli.add("helm")

    result = run_script("deploy-rollback.sh", env=fake_cli.env(PREVIOUS_REVISION=previous))

    assert result.returncode == code
    expected = ["helm rollback hello 4 --namespace hello --wait --timeout 10m"] if previous else []
    assert fake_cli.calls("helm") == expected


def test_plan_takes_the_tree_of_the_commit_or_a_requested_one(
    fake_cli: FakeCli, tmp_path: Path
) -> None:
    """Without input the tree is HEAD's; a requested tree must be 40 hex digits."""
    head_tree = subprocess.run(
        ["git", "rev-parse", "HEAD^{tree}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    out = tmp_path / "out"

    default = run_script("deploy-plan.sh", env=fake_cli.env(GITHUB_OUTPUT=str(out)))
    bad = run_script("deploy-plan.sh", env=fake_cli.env(REQUESTED="main"))

    assert default.returncode == 0, default.stderr
    assert outputs(out) == {"tree": head_tree}
    assert bad.returncode == 2


@pytest.mark.parametrize(
    ("tested", "built", "code"),
    [("sha256:aa", "sha256:aa", 0), ("", "sha256:aa", 1), ("sha256:aa", "sha256:bb", 1)],
    ids=["tested", "never-tested", "tags-disagree"],
)
def test_resolve_promotes_only_a_tested_image(
    fake_cli: FakeCli, tmp_path: Path, tested: str, built: str, code: int
) -> None:
    """Production gets a digest only when `tested-<tree>` exists and matches `tree-<tree>`."""
    manifests = {"tested-t1": tested, "tree-t1": built}
    cases = "\n".join(
        f'  *":{tag}"*) {"echo " + json.dumps(json.dumps({"digest": d})) if d else "exit 1"} ;;'
        for tag, d in manifests.items()
    )
    fake_cli.add("docker", f'case "$*" in\n{cases}\nesac')
    out, summary = tmp_path / "out", tmp_path / "summary"
    env = fake_cli.env(
        REPOSITORY="r.example/hello",
        TREE="t1",
        GITHUB_OUTPUT=str(out),
        GITHUB_STEP_SUMMARY=str(summary),
    )

    result = run_script("deploy-resolve-image.sh", env=env)

    assert result.returncode == code, result.stderr
    if code == 0:
        assert outputs(out) == {"digest": "sha256:aa"}
    else:
        assert not out.exists() or "digest" not in outputs(out)
    if not tested:
        assert "No tested image" in summary.read_text()


# CI helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("results", "code"),
    [
        ({"a": "success", "b": "success"}, 0),
        ({"a": "success", "b": "failure"}, 1),
        ({"a": "success", "b": "cancelled"}, 1),
        ({"a": "skipped"}, 1),
        ({}, 1),
    ],
    ids=["all-green", "failure", "cancelled", "skipped", "none"],
)
def test_all_green_passes_only_when_every_needed_job_succeeded(
    fake_cli: FakeCli, results: dict[str, str], code: int
) -> None:
    """The aggregator turns any non-success, skips included, into a failure."""
    needs = {job: {"result": result, "outputs": {}} for job, result in results.items()}

    result = run_script("ci-all-green.sh", env=fake_cli.env(NEEDS_JSON=json.dumps(needs)))

    assert result.returncode == code


def test_review_preview_renders_the_review_release_for_a_pull_request() -> None:
    """The laptop preview shows namespace hello-pr-N, host pr-N.<domain> and in-chart Redis."""
    result = subprocess.run(
        ["make", "--no-print-directory", "review-preview", "PR=42"],
        cwd=ROOT,
        env={**_clean_env(), "REVIEW_DOMAIN": "review.test"},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    documents = [doc for doc in result.stdout.split("\n---\n")[1:] if doc.strip()]
    assert documents
    assert all("namespace: hello-pr-42" in doc for doc in documents if "kind: Namespace" not in doc)
    assert 'host: "pr-42.review.test"' in result.stdout
    assert "# Source: hello/templates/redis/statefulset.yaml" in result.stdout


def test_review_preview_requires_a_pull_request_number() -> None:
    """Without PR=<n> the target says how to call it and fails."""
    result = subprocess.run(
        ["make", "--no-print-directory", "review-preview"],
        cwd=ROOT,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "usage: make review-preview PR=<number>" in result.stderr


def _clean_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}


@pytest.mark.parametrize(
    ("before", "after", "code", "creates"),
    [
        ("", "sha256:aa", 0, True),
        ("sha256:aa", "sha256:aa", 0, False),
        ("", "sha256:bb", 1, True),
    ],
    ids=["new-tag", "already-there", "digest-changed"],
)
def test_image_tag_keeps_the_digest(
    fake_cli: FakeCli, before: str, after: str, code: int, creates: bool
) -> None:
    """`tested-` is added once, must end up on the same digest, and re-runs change nothing."""
    created = fake_cli.directory / "created"
    inspect_before = f"echo '{json.dumps({'digest': before})}'" if before else "exit 1"
    fake_cli.add(
        "docker",
        f'case "$*" in\n'
        f'  *"imagetools create"*) touch {created} ;;\n'
        f"  *) if [ -e {created} ]; then echo '{json.dumps({'digest': after})}'; "
        f"else {inspect_before}; fi ;;\n"
        "esac",
    )

    result = run_script(
        "gha-image.sh", "tag", "r.example/hello", "sha256:aa", "tested-t1", env=fake_cli.env()
    )

    assert result.returncode == code, result.stderr
    create_calls = [c for c in fake_cli.calls("docker") if "imagetools create" in c]
    expected = [
        "docker buildx imagetools create --tag r.example/hello:tested-t1 r.example/hello@sha256:aa"
    ]
    assert create_calls == (expected if creates else [])
