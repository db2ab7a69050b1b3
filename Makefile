# Targets shared by humans and pipelines: a workflow step is `make <target>`, nothing more.
# Each area keeps its targets in mk/<area>.mk; `make help` lists them all.

.DEFAULT_GOAL := help
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c

UV ?= uv
RUN := $(UV) run --frozen
BASE_URL ?= http://127.0.0.1:8000
PROFILE ?= smoke

# Targets that .ci/run executes after `test`; each mk/*.mk file appends its own.
CI_TARGETS :=

export UV_PYTHON_DOWNLOADS := never
export PATH := $(HOME)/.local/bin:$(PATH)

##@ Development

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} \
		/^##@/ {printf "\n%s\n", substr($$0, 5)} \
		/^[a-zA-Z0-9_-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: install
install: ## Install uv if missing, then the locked dependencies into .venv
	@echo "=> installing dependencies"
	@scripts/bootstrap.sh

.PHONY: run
run: install ## Serve the API on 127.0.0.1:8000 (embedded store unless REDIS_URL is set)
	@echo "=> serving on http://$${HELLO_HOST:-127.0.0.1}:$${HELLO_PORT:-8000}"
	$(RUN) hello serve

.PHONY: dev
dev: install ## Serve with auto-reload for local development
	$(RUN) hello serve --reload

##@ Quality

.PHONY: lint
lint: install ## Lint and check formatting with ruff, spelling with codespell
	@echo "=> ruff and codespell"
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) codespell

.PHONY: format
format: install ## Format and autofix with ruff
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

.PHONY: typecheck
typecheck: install ## Type-check src/ with mypy in strict mode
	@echo "=> mypy"
	$(RUN) mypy

.PHONY: check
check: lint typecheck ## Every static check: lint, format, types

.PHONY: pre-commit
pre-commit: install ## Run every pre-commit hook over every file (offline, pinned tools)
	@echo "=> pre-commit"
	$(RUN) pre-commit run --all-files --show-diff-on-failure

.PHONY: pre-commit-install
pre-commit-install: install ## Install the git hook so the checks run on each commit
	$(RUN) pre-commit install

.PHONY: audit
audit: install ## Fail on dependencies with known vulnerabilities that have a fix
	@echo "=> pip-audit"
	@scripts/audit.sh

##@ Tests

.PHONY: system-deps
system-deps: ## Install the Debian packages the tests run (redis-server, haproxy) if missing
	@scripts/system-deps.sh

.PHONY: test
test: install system-deps ## Run the whole test suite (starts its own redis-server processes)
	@echo "=> pytest"
	$(RUN) pytest --cov=hello --cov-report=term --cov-fail-under=90

.PHONY: test-unit
test-unit: install ## Run the unit tests only
	$(RUN) pytest tests/unit

# Area targets; they append to CI_TARGETS, so this comes before ci-extra.
-include mk/*.mk

##@ CI

.PHONY: ci
ci: check test ci-extra audit ## Everything .ci/run checks, in its order

.PHONY: ci-extra
ci-extra: $(CI_TARGETS) ## The checks beyond `check` and `test` that CI runs (e2e, …)
