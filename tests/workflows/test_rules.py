"""The rules every workflow keeps: pinned actions, least privilege, timeouts, concurrency, trust.

These read the YAML (and, for comments YAML drops, the text) and assert what docs/adr/0020 and
0021 and the repository's supply-chain rules promise.
"""

from __future__ import annotations

import re
import subprocess
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from tests.workflows.conftest import (
    ACTIONS,
    DEPENDABOT,
    GITHUB,
    ROOT,
    WORKFLOWS,
    load,
    rel,
    run_blocks,
    steps_of,
    triggers,
    uses_lines,
)
from tests.workflows.expressions import interpolate


if TYPE_CHECKING:
    from pathlib import Path

    from tests.workflows.conftest import Document

FILES = (*WORKFLOWS, *ACTIONS)
PINNED = re.compile(
    r"^\s*(?:-\s+)?uses:\s*(?P<action>[\w.-]+/[\w./-]+)@(?P<ref>\S+)"
    r"(?:\s+#\s*(?P<version>\S+))?\s*$"
)
CLOUD_LOGIN = "./.github/actions/cloud-login"
TOP_LEVEL_PERMISSIONS = ({}, {"contents": "read"})


def workflow(name: str) -> Document:
    """Return one workflow by file name."""
    return load(GITHUB / "workflows" / name)


def jobs(document: Document) -> dict[str, Document]:
    """Return the jobs of a workflow."""
    return document["jobs"]


def uses_cloud_login(job: Document) -> bool:
    """Tell whether a job logs in to the cloud through the composite action."""
    return any(step.get("uses") == CLOUD_LOGIN for step in job.get("steps", []))


def ancestors(document: Document, job_id: str) -> set[str]:
    """Return every job `job_id` needs, directly or through other jobs."""
    needs = jobs(document)[job_id].get("needs", [])
    direct = {needs} if isinstance(needs, str) else set(needs)
    return direct.union(*(ancestors(document, parent) for parent in direct))


# Third-party actions and their pins ---------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=[rel(path) for path in FILES])
def test_third_party_actions_are_pinned_to_a_full_sha_with_version(path: Path) -> None:
    """Every `uses:` of another repository names a 40-hex commit and its `# vX.Y.Z`."""
    problems = []
    for number, line in uses_lines(path):
        if re.search(r"uses:\s*\./", line):
            continue
        match = PINNED.match(line)
        if match is None:
            problems.append(f"{number}: cannot read {line.strip()!r}")
        elif not re.fullmatch(r"[0-9a-f]{40}", match["ref"]):
            problems.append(f"{number}: {match['action']} pinned to {match['ref']!r}, not a SHA")
        elif not re.fullmatch(r"v\d+\.\d+\.\d+", match["version"] or ""):
            problems.append(f"{number}: {match['action']} lacks a '# vX.Y.Z' comment")

    assert not problems, "\n".join(problems)


def test_each_action_is_pinned_to_one_commit_everywhere() -> None:
    """One action, one SHA and version across all files, so an update touches them all."""
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in FILES:
        for _, line in uses_lines(path):
            match = PINNED.match(line)
            if match and not match["action"].startswith("."):
                pins.setdefault(match["action"], set()).add((match["ref"], match["version"]))

    assert pins, "no third-party actions found"
    assert {action: refs for action, refs in pins.items() if len(refs) > 1} == {}


def test_local_actions_exist() -> None:
    """Every `./.github/actions/…` a workflow uses has its action.yml."""
    for path in FILES:
        for _, step in steps_of(load(path)):
            target = step.get("uses", "")
            if target.startswith("./"):
                assert (ROOT / target / "action.yml").is_file(), f"{rel(path)}: {target}"


def test_setup_uv_installs_the_version_bootstrap_pins() -> None:
    """CI's uv is the one scripts/bootstrap.sh installs on a laptop."""
    pinned = re.search(r'UV_VERSION="([^"]+)"', (ROOT / "scripts/bootstrap.sh").read_text())
    setup = load(GITHUB / "actions/setup-project/action.yml")
    versions = [
        step["with"]["version"]
        for _, step in steps_of(setup)
        if step.get("uses", "").startswith("astral-sh/setup-uv@")
    ]

    assert pinned is not None
    assert versions == [pinned.group(1)]


def test_ci_redis_service_is_the_charts_redis_image() -> None:
    """The Redis CI tests against is the image, by digest, the chart deploys."""
    values = yaml.safe_load((ROOT / "helm/hello/values.yaml").read_text())
    image = values["redis"]["server"]["image"]
    expected = f"{image['repository']}:{image['tag']}@{image['digest']}"

    service = jobs(workflow("ci.yml"))["service"]["services"]["redis"]["image"]

    assert service == expected


# Permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOWS, ids=[rel(path) for path in WORKFLOWS])
def test_top_level_permissions_grant_nothing_to_write(path: Path) -> None:
    """The workflow starts from no permissions (or read-only contents)."""
    assert load(path).get("permissions") in TOP_LEVEL_PERMISSIONS


@pytest.mark.parametrize("path", WORKFLOWS, ids=[rel(path) for path in WORKFLOWS])
def test_every_job_declares_its_permissions_with_a_reason(path: Path) -> None:
    """Each job lists its permissions; every granted scope has a comment saying why."""
    for job_id, job in jobs(load(path)).items():
        assert "permissions" in job, f"{job_id} inherits the workflow's permissions"
    granted = [
        (number, line)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.match(r"^\s{6}[a-z-]+:\s*(read|write)\b", line)
    ]
    missing = [f"{number}: {line.strip()}" for number, line in granted if "#" not in line]

    assert granted, "no job grants anything; the pattern above no longer matches"
    assert not missing, "permissions without a reason:\n" + "\n".join(missing)


@pytest.mark.parametrize("path", WORKFLOWS, ids=[rel(path) for path in WORKFLOWS])
def test_id_token_is_granted_only_to_jobs_that_log_in(path: Path) -> None:
    """`id-token: write` appears exactly on the jobs that use the cloud-login action."""
    for job_id, job in jobs(load(path)).items():
        has_token = (job.get("permissions") or {}).get("id-token") == "write"

        assert has_token == uses_cloud_login(job), f"{rel(path)}: {job_id}"


def test_no_workflow_reads_secrets() -> None:
    """Keyless everywhere: no workflow or action references a stored secret."""
    for path in FILES:
        assert "secrets." not in path.read_text(), rel(path)


def test_cloud_login_is_keyless_for_both_clouds() -> None:
    """AWS assumes a role by OIDC and GCP uses Workload Identity Federation, nothing else."""
    action = load(GITHUB / "actions/cloud-login/action.yml")
    steps = [step for _, step in steps_of(action)]
    aws = [s for s in steps if s.get("uses", "").startswith("aws-actions/configure-aws-")]
    gcp = [s for s in steps if s.get("uses", "").startswith("google-github-actions/auth@")]
    text = (GITHUB / "actions/cloud-login/action.yml").read_text()

    assert len(aws) == 1
    assert aws[0]["if"] == "inputs.cloud == 'aws'"
    assert set(aws[0]["with"]) == {"role-to-assume", "role-session-name", "aws-region"}
    assert len(gcp) == 1
    assert gcp[0]["if"] == "inputs.cloud == 'gcp'"
    assert set(gcp[0]["with"]) == {"project_id", "workload_identity_provider", "service_account"}
    for key_input in ("aws-access-key-id", "aws-secret-access-key", "credentials_json"):
        assert key_input not in text


def test_documented_trust_binds_each_identity_to_one_environment() -> None:
    """The documented trust names `environment:review` or `environment:production`, exactly."""
    setup = (ROOT / "docs/cloud-setup.md").read_text()

    assert '"token.actions.githubusercontent.com:sub": "repo:${REPO}:environment:$1"' in setup
    assert '--assume-role-policy-document "$(trust review)"' in setup
    assert '--assume-role-policy-document "$(trust production)"' in setup
    assert "/subject/repo:${REPO}:environment:${env}" in setup
    assert "StringLike" not in setup


def test_kubeconfig_is_written_for_both_clouds() -> None:
    """The login action ends by writing a kubeconfig, for EKS and for GKE."""
    script = (ROOT / "scripts/gha-kubeconfig.sh").read_text()

    assert "aws eks update-kubeconfig" in script
    assert "gcloud container clusters get-credentials" in script


@pytest.mark.parametrize("path", WORKFLOWS, ids=[rel(path) for path in WORKFLOWS])
def test_jobs_with_cloud_credentials_run_in_their_own_environment(path: Path) -> None:
    """A credentialed job names `review` or `production`: the only subjects the roles trust."""
    expected = "production" if path.name == "production.yml" else "review"
    for job_id, job in jobs(load(path)).items():
        if not uses_cloud_login(job):
            continue
        environment = job.get("environment")
        name = environment["name"] if isinstance(environment, dict) else environment

        assert name == expected, f"{rel(path)}: {job_id} uses environment {name!r}"


def test_only_production_yml_uses_the_production_environment() -> None:
    """No other workflow can ask for the production role's environment."""
    for path in WORKFLOWS:
        if path.name == "production.yml":
            continue
        for job_id, job in jobs(load(path)).items():
            environment = job.get("environment") or {}
            name = environment.get("name") if isinstance(environment, dict) else environment

            assert name != "production", f"{rel(path)}: {job_id}"


@pytest.mark.parametrize("path", FILES, ids=[rel(path) for path in FILES])
def test_checkout_never_keeps_the_token(path: Path) -> None:
    """actions/checkout always runs with persist-credentials: false."""
    for job_id, step in steps_of(load(path)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, job_id


# Triggers and the fork guard -----------------------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOWS, ids=[rel(path) for path in WORKFLOWS])
def test_no_privileged_pull_request_triggers(path: Path) -> None:
    """Neither `pull_request_target` nor `workflow_run` appears in any workflow."""
    code = re.sub(r"#.*", "", path.read_text())

    assert not {"pull_request_target", "workflow_run"} & set(triggers(load(path)))
    assert "pull_request_target" not in code


def test_review_runs_on_the_pull_request_lifecycle() -> None:
    """review.yml listens to opened, synchronize, reopened and closed pull requests only."""
    on = triggers(workflow("review.yml"))

    assert set(on) == {"pull_request"}
    assert set(on["pull_request"]["types"]) == {"opened", "synchronize", "reopened", "closed"}


def test_every_credentialed_review_job_sits_behind_the_guard() -> None:
    """Each job that gets an OIDC token depends on `guard` and on one of its decisions."""
    review = workflow("review.yml")
    for job_id, job in jobs(review).items():
        if not uses_cloud_login(job):
            continue
        chain = {job_id} | ancestors(review, job_id)
        conditions = " ".join(str(jobs(review)[name].get("if", "")) for name in chain)

        assert "guard" in ancestors(review, job_id), job_id
        assert re.search(r"needs\.guard\.outputs\.(deploy|teardown) == 'true'", conditions)


def test_guard_compares_the_head_repository_with_this_one() -> None:
    """The guard's decision is fed the PR head's repository and this repository's name."""
    guard = jobs(workflow("review.yml"))["guard"]
    decide = next(step for step in guard["steps"] if step.get("id") == "decide")

    assert decide["env"]["HEAD_REPO"] == "${{ github.event.pull_request.head.repo.full_name }}"
    assert decide["env"]["BASE_REPO"] == "${{ github.repository }}"
    assert decide["run"] == "scripts/review-guard.sh"


def test_teardown_needs_nothing_from_the_pull_request_branch() -> None:
    """Teardown checks out the base branch and never names the PR's head."""
    teardown = jobs(workflow("review.yml"))["teardown"]
    checkout = teardown["steps"][0]
    text = yaml.safe_dump(teardown)

    assert teardown["if"] == "needs.guard.outputs.teardown == 'true'"
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["ref"] == "${{ github.event.pull_request.base.ref }}"
    assert "head.ref" not in text
    assert "head.sha" not in text
    assert "head_ref" not in text
    for script in ("review-stop-runs.sh", "review-teardown.sh", "review-deployment.sh deactivate"):
        assert any(script in step.get("run", "") for step in teardown["steps"]), script


# Concurrency ---------------------------------------------------------------------------------


def contexts_for(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """Return a plausible expression context for every trigger (and activity type)."""
    cases = []
    for event, settings in triggers(load(path)).items():
        types = (settings or {}).get("types") if isinstance(settings, dict) else None
        for action in types or [None]:
            github: dict[str, Any] = {
                "event_name": event,
                "ref": "refs/heads/main",
                "head_ref": "",
                "run_id": 1234567,
                "event": {},
            }
            if event == "pull_request":
                github["ref"] = "refs/pull/42/merge"
                github["head_ref"] = "feature"
                github["event"] = {"action": action, "number": 42, "pull_request": {"number": 42}}
            cases.append((f"{event}:{action}" if action else event, {"github": github}))
    return cases


CONCURRENCY_CASES = [
    (path, label, context) for path in WORKFLOWS for label, context in contexts_for(path)
]


@pytest.mark.parametrize(
    ("path", "label", "context"),
    CONCURRENCY_CASES,
    ids=[f"{rel(path)}-{label}" for path, label, _ in CONCURRENCY_CASES],
)
def test_concurrency_key_is_never_empty(path: Path, label: str, context: dict[str, Any]) -> None:
    """On every trigger the workflow's concurrency group evaluates to a non-empty key."""
    concurrency = load(path)["concurrency"]
    group = interpolate(concurrency["group"], context)

    assert isinstance(group, str)
    assert group.strip()
    assert not re.search(r"(^|-)(-|$)", group), f"{label}: an empty part in {group!r}"
    assert isinstance(interpolate(concurrency["cancel-in-progress"], context), bool)


def test_review_deploys_cancel_each_other_and_teardown_is_never_cancelled() -> None:
    """A push cancels the deploy in flight; the closed event has its own uncancelled group."""
    concurrency = workflow("review.yml")["concurrency"]
    by_action = {
        label: tuple(interpolate(concurrency[key], ctx) for key in ("group", "cancel-in-progress"))
        for label, ctx in contexts_for(GITHUB / "workflows/review.yml")
    }

    deploy_groups = {by_action[f"pull_request:{a}"] for a in ("opened", "synchronize", "reopened")}
    teardown_group, teardown_cancels = by_action["pull_request:closed"]

    assert deploy_groups == {("review-42-deploy", True)}
    assert teardown_group == "review-42-teardown"
    assert teardown_cancels is False


def test_production_is_never_cancelled() -> None:
    """Production releases queue; none is cancelled half-way."""
    assert workflow("production.yml")["concurrency"]["cancel-in-progress"] is False


# Jobs, steps and the things they call --------------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOWS, ids=[rel(path) for path in WORKFLOWS])
def test_every_job_has_a_timeout(path: Path) -> None:
    """No job can run for the runner's default six hours."""
    for job_id, job in jobs(load(path)).items():
        assert 0 < job.get("timeout-minutes", 0) <= 60, f"{rel(path)}: {job_id}"


def make_targets() -> set[str]:
    """Return every target Make knows after reading the Makefile and all mk/*.mk files."""
    database = subprocess.run(
        ["make", "--print-data-base", "--question", "--no-builtin-rules", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    ).stdout
    return {
        match.group(1)
        for match in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9_.-]*):(?!=)", database, re.MULTILINE)
    }


def called_make_targets() -> set[tuple[str, str]]:
    """Return (where, target) for each `make <target>` in run steps and delivery scripts."""
    texts = [(label, text) for path in FILES for label, text in run_blocks(path)]
    texts += [(rel(p), p.read_text()) for p in (ROOT / "scripts").glob("*.sh")]
    found = set()
    for label, text in texts:
        code = re.sub(r"(?m)^\s*#.*$", "", text)
        for match in re.finditer(r"(?:^|[\s;&|(])make\s+([^;&|\n]+)", code):
            for word in match.group(1).split():
                if word.startswith(("-", "#")) or "=" in word or "$" in word:
                    continue
                found.add((label, word))
    return found


def test_make_targets_the_workflows_call_exist() -> None:
    """Each `make <target>` a workflow step or delivery script runs is a real target."""
    known = make_targets()
    called = called_make_targets()
    missing = sorted(f"{where}: make {target}" for where, target in called if target not in known)

    assert "help" in known
    assert "no-such-target" not in known
    assert {"test", "lint", "typecheck"} <= {target for _, target in called}
    assert not missing, "\n".join(missing)


def test_scripts_the_workflows_run_exist_and_are_executable() -> None:
    """Each `scripts/….sh` named in a run step is in the repository with its exec bit."""
    for path in FILES:
        for label, text in run_blocks(path):
            for name in re.findall(r"scripts/[\w.-]+\.sh", text):
                script = ROOT / name

                assert script.is_file(), f"{label}: {name}"
                assert script.stat().st_mode & 0o111, f"{label}: {name} is not executable"


@pytest.mark.parametrize("path", FILES, ids=[rel(path) for path in FILES])
def test_run_steps_stay_short(path: Path) -> None:
    """Inline shell stays a few lines; anything longer belongs in scripts/."""
    for label, text in run_blocks(path):
        assert len(text.strip().splitlines()) <= 5, label


# CI, review and production specifics ---------------------------------------------------------


def test_ci_has_one_job_per_tool_and_an_aggregator() -> None:
    """ci.yml splits the tools into jobs and `ci-ok` needs every one of them."""
    ci = jobs(workflow("ci.yml"))
    tools = set(ci) - {"ci-ok"}

    assert {"lint", "pre-commit", "typecheck", "test", "chart", "image", "workflows"} <= tools
    assert set(ci["ci-ok"]["needs"]) == tools
    assert ci["ci-ok"]["if"] == "always()"


def test_ci_image_job_builds_with_cache_scans_and_makes_an_sbom() -> None:
    """The image is built with buildx and the GHA cache, scanned, and described by an SBOM."""
    image = jobs(workflow("ci.yml"))["image"]
    uses = [step.get("uses", "").split("@")[0] for step in image["steps"]]
    build = next(s for s in image["steps"] if s.get("uses", "").startswith("docker/build-push"))

    assert "docker/setup-buildx-action" in uses
    assert "anchore/scan-action" in uses
    assert "anchore/sbom-action" in uses
    assert build["with"]["cache-from"].startswith("type=gha")
    assert build["with"]["cache-to"].startswith("type=gha")


def test_ci_test_job_installs_redis_server_before_the_tests() -> None:
    """The suite starts its own redis-server processes, so the job installs the binaries."""
    runs = [step.get("run", "") for step in jobs(workflow("ci.yml"))["test"]["steps"]]

    assert runs.index("sudo make system-deps") < runs.index("make test")


def test_review_records_the_digest_and_deploys_it_by_digest() -> None:
    """The deploy job receives repo:tag@sha256 from the build job, never a bare tag."""
    review = jobs(workflow("review.yml"))
    record = (ROOT / "scripts/review-record-image.sh").read_text()
    deploy = (ROOT / "scripts/review-deploy.sh").read_text()

    assert review["deploy"]["env"]["IMAGE"] == "${{ needs.build.outputs.image }}"
    assert 'image="${REPOSITORY}:tree-${TREE}@${DIGEST}"' in record
    assert "--profile review" in deploy
    assert "scripts/deploy-recover-release.sh" in deploy


def test_review_tests_run_through_make_and_upload_reports() -> None:
    """Contract and load tests are Make targets against the review URL, reports uploaded."""
    review = jobs(workflow("review.yml"))
    for job_id, command in (
        ("contract-test", 'make contract-test BASE_URL="$BASE_URL"'),
        ("load-test", 'make load-test BASE_URL="$BASE_URL" PROFILE=review'),
    ):
        steps = review[job_id]["steps"]
        upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))

        assert any(step.get("run") == command for step in steps), job_id
        assert upload["if"] == "always()"
        assert upload["with"]["path"] == "reports/"


def test_review_comment_and_deployment_are_maintained() -> None:
    """One sticky comment per run, and a deployment named review/pr-<N>."""
    review = jobs(workflow("review.yml"))
    comment = (ROOT / "scripts/review-comment.sh").read_text()
    deployment = (ROOT / "scripts/review-deployment.sh").read_text()

    assert review["report"]["if"] == "${{ !cancelled() && needs.guard.outputs.deploy == 'true' }}"
    assert "<!-- hello-review-environment -->" in comment
    assert '--method PATCH "repos/${GITHUB_REPOSITORY}/issues/comments/' in comment
    assert 'environment="review/pr-${PR_NUMBER}"' in deployment


def test_production_promotes_a_tested_image_and_never_builds() -> None:
    """production.yml resolves `tested-<tree>` to a digest; no build step anywhere in it."""
    production = workflow("production.yml")
    deploy = jobs(production)["deploy"]
    text = (GITHUB / "workflows/production.yml").read_text()
    runs = [step.get("run", "") for step in deploy["steps"]]

    assert set(triggers(production)) == {"push", "workflow_dispatch"}
    assert triggers(production)["push"]["branches"] == ["main"]
    assert "build-push-action" not in text
    assert deploy["environment"]["name"] == "production"
    assert "scripts/deploy-resolve-image.sh" in runs
    assert runs.index("scripts/deploy-resolve-image.sh") < runs.index(
        "scripts/deploy-production.sh"
    )


def test_production_rolls_back_by_itself_and_after_a_failed_smoke_test() -> None:
    """Helm rolls back a failed upgrade; a failed smoke test triggers a rollback step."""
    steps = jobs(workflow("production.yml"))["deploy"]["steps"]
    rollback = next(step for step in steps if step.get("run") == "scripts/deploy-rollback.sh")
    smoke = next(step for step in steps if "deploy-smoke.sh" in step.get("run", ""))
    upgrade = (ROOT / "scripts/deploy-production.sh").read_text()

    assert "--rollback-on-failure" in upgrade
    assert "--wait" in upgrade
    assert steps.index(smoke) < steps.index(rollback)
    assert rollback["if"] == "failure() && steps.upgrade.outcome == 'success'"


def test_cleanup_runs_on_a_schedule_with_a_ttl() -> None:
    """review-cleanup.yml runs daily and passes the TTL to its script."""
    cleanup = workflow("review-cleanup.yml")
    sweep = jobs(cleanup)["sweep"]

    assert "schedule" in triggers(cleanup)
    assert sweep["env"]["REVIEW_TTL_DAYS"] == "${{ vars.REVIEW_TTL_DAYS || '7' }}"
    assert sweep["steps"][-1]["run"] == "scripts/review-cleanup.sh"


# Dependabot, docs and layout -----------------------------------------------------------------


def test_dependabot_updates_actions_uv_docker_and_helm() -> None:
    """Each kind of pinned dependency has a Dependabot entry."""
    updates = yaml.safe_load(DEPENDABOT.read_text())["updates"]
    ecosystems = {update["package-ecosystem"] for update in updates}

    assert ecosystems == {"github-actions", "uv", "docker", "helm"}
    actions = next(u for u in updates if u["package-ecosystem"] == "github-actions")
    assert "/.github/actions/*" in actions["directories"]


def test_workflows_readme_lists_exactly_the_workflow_files() -> None:
    """The workflows README names every workflow file and no file that is gone."""
    readme = GITHUB / "workflows/README.md"
    if not readme.exists():
        pytest.skip("no workflows README")
    named = set(re.findall(r"`([\w.-]+\.yml)`", readme.read_text()))

    assert named == {path.name for path in WORKFLOWS}


OWNED = (
    *WORKFLOWS,
    *ACTIONS,
    DEPENDABOT,
    GITHUB / "zizmor.yml",
    *(ROOT / "scripts").glob("ci-*.sh"),
    *(ROOT / "scripts").glob("deploy-*.sh"),
    *(ROOT / "scripts").glob("gha-*.sh"),
    *(ROOT / "scripts").glob("review-*.sh"),
    ROOT / "mk/delivery.mk",
)


@pytest.mark.parametrize("path", OWNED, ids=[rel(path) for path in OWNED])
def test_lines_fit_in_100_columns(path: Path) -> None:
    """The repository's width limit holds for workflows, actions and scripts."""
    long = [
        f"{number}: {len(line)} columns"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if len(line.expandtabs(4)) > 100
    ]

    assert not long, "\n".join(long)
