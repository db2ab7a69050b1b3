# Documentation: links, the targets and paths the docs name, Mermaid blocks, decision records;
# and the rename that starts a new service from this template (scripts/new-service.py).

##@ Documentation

.PHONY: docs-test
docs-test: install ## Check the docs: links and anchors, named targets and paths, Mermaid, ADRs
	@echo "=> pytest tests/docs"
	$(RUN) pytest tests/docs

.PHONY: template-test
template-test: install ## Rename a copy of this repository with scripts/new-service.py and test it
	@echo "=> pytest tests/template"
	$(RUN) pytest tests/template
