# Delivery: the GitHub Actions workflows, their composite actions and the scripts they call.
# Workflows cannot run here, so their tests read them; docs/cloud-setup.md sets the clouds up.

PR ?=

##@ Delivery

.PHONY: workflow-test
workflow-test: install ## Check workflows: schemas, pinning, permissions, guards, shellcheck
	@echo "=> pytest tests/workflows"
	$(RUN) pytest tests/workflows

.PHONY: workflow-audit
workflow-audit: install ## Audit workflows and actions with zizmor (offline without GH_TOKEN)
	@scripts/ci-zizmor.sh

CI_TARGETS += workflow-audit

.PHONY: review-preview
review-preview: ## Print the manifests review.yml would deploy for PR=<number>
	@test -n "$(PR)" || { echo "usage: make review-preview PR=<number>" >&2; exit 2; }
	@scripts/review-preview.sh "$(PR)"
