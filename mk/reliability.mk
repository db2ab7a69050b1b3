# Reliability and security: faults against real redis-server, service and HAProxy processes,
# raw-HTTP fuzzing and limits. `make test` runs these too; docs/reliability.md has the results.

##@ Reliability and security

.PHONY: reliability-test
reliability-test: install system-deps ## Fault, fuzzing and limit tests; figures in reports/
	@echo "=> pytest tests/reliability tests/security"
	$(RUN) pytest tests/reliability tests/security
