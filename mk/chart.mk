# Container image, Helm chart and skaffold.yaml: render, lint and test without a cluster.
# Helm runs through helm-python-sdk (Helm's Go SDK in a wheel), so no helm binary is needed.

CHART := helm/hello
VALUES ?= $(CHART)/values.yaml
RELEASE ?= hello
NAMESPACE ?= default

# `helm template`: print every manifest of the chart rendered with VALUES (stdout only).
define CHART_RENDER_PY
import sys, yaml, helm_python
chart, values_file, release, namespace = sys.argv[1:5]
values = yaml.safe_load(open(values_file)) or {}
manifests = helm_python.Chart.load(chart).render(values, name=release, namespace=namespace)
for path, text in sorted(manifests.items()):
    if path.endswith(".yaml") and text.strip():
        print(f"---\n# Source: {path}\n{text.strip()}")
endef
export CHART_RENDER_PY

# `helm lint --strict` with every values file, for the oldest Kubernetes we support.
define CHART_LINT_PY
import pathlib, sys, yaml, helm_python
chart = pathlib.Path(sys.argv[1])
failed = False
for values_file in sorted(chart.glob("values*.yaml")):
    values = yaml.safe_load(values_file.read_text()) or {}
    report = helm_python.lint(chart, values, strict=True, kube_version="v1.30.0")
    for message in report["messages"]:
        level = {1: "INFO", 2: "WARNING", 3: "ERROR"}.get(message["severity"], "UNKNOWN")
        print(f"{values_file.name}: [{level}] {message['path']}: {message['error']}")
        failed = failed or message["severity"] >= 2
    failed = failed or bool(report["errors"])
sys.exit(1 if failed else 0)
endef
export CHART_LINT_PY

##@ Deployment

# No `install` prerequisite: its messages would mix into the YAML on stdout (`uv run` syncs).
.PHONY: chart-render
chart-render: ## Print the chart's manifests for VALUES=helm/hello/values-<env>.yaml
	@echo "=> rendering $(CHART) with $(VALUES)" >&2
	@$(RUN) python -c "$$CHART_RENDER_PY" $(CHART) $(VALUES) $(RELEASE) $(NAMESPACE)

.PHONY: chart-lint
chart-lint: install ## Lint the chart strictly with every values file
	@echo "=> helm lint --strict $(CHART)"
	@$(RUN) python -c "$$CHART_LINT_PY" $(CHART)

.PHONY: chart-test
chart-test: install ## Test the image, the chart and skaffold.yaml (render, validate, policies)
	@echo "=> pytest tests/deploy"
	$(RUN) pytest tests/deploy

.PHONY: chart-docs
chart-docs: install ## Regenerate the values section of helm/hello/README.md from values.yaml
	@$(RUN) python -m tests.deploy.test_chart_readme

.PHONY: image-lint
image-lint: install ## Lint the Dockerfile with hadolint
	@echo "=> hadolint Dockerfile"
	$(RUN) hadolint Dockerfile

CI_TARGETS += image-lint
