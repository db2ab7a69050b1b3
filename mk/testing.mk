# Contract, load and end-to-end tests against a running service, and the benchmark.
# contract-test and load-test aim only at $(BASE_URL) (default http://127.0.0.1:8000);
# their scripts print the `=> …` line themselves, with the run's size.

##@ Contract, load and performance

CONTRACT_ARGS ?=

.PHONY: contract-test
contract-test: install ## Check the service at BASE_URL against its OpenAPI (CONTRACT_ARGS: more)
	@BASE_URL="$(BASE_URL)" scripts/contract-test.sh $(CONTRACT_ARGS)

.PHONY: load-test
load-test: install ## Run locust profile PROFILE (smoke|review|soak) against BASE_URL
	@BASE_URL="$(BASE_URL)" PROFILE="$(PROFILE)" scripts/load-test.sh

.PHONY: e2e
e2e: install system-deps ## Start redis-server and the service, run contract and smoke tests
	@echo "=> end-to-end run on loopback"
	@scripts/e2e.sh

.PHONY: bench
bench: install system-deps ## Compare the service with a raw-ASGI baseline under wrk (not in CI)
	@echo "=> benchmark"
	@scripts/bench.sh

CI_TARGETS += e2e
