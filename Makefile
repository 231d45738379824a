# Example Counseling: the practice's website.
# `make serve` and `make test` set everything up on a fresh machine with
# Python 3.11; `make help` lists every target.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
OUTPUT ?= output

RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP    := $(VENV)/.test-installed

.DEFAULT_GOAL := help
.PHONY: help venv html serve publish clean test
.PHONY: check

help: ## List the targets
	@echo "Example Counseling website. Usage: make <target>"
	@echo
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-14s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: PORT=$(PORT) (serve), OUTPUT=$(OUTPUT), PYTHON=$(PYTHON)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(TEST_STAMP): requirements-test.txt requirements.txt $(RUNTIME_STAMP)
	$(BIN)/pip install --quiet -r requirements-test.txt
	@touch $@

venv: $(RUNTIME_STAMP) ## Create .venv and install the pinned dependencies

html: $(RUNTIME_STAMP) ## Build the site into output/ (development settings)
	$(BIN)/python tools/build.py --settings pelicanconf.py --output $(OUTPUT)

serve: $(RUNTIME_STAMP) ## Build and serve at http://127.0.0.1:$(PORT) with autoreload
	$(BIN)/python tools/serve.py --port $(PORT) --output $(OUTPUT)

publish: $(RUNTIME_STAMP) ## Build for the live site (publishconf.py) into output/
	$(BIN)/python tools/build.py --settings publishconf.py --output $(OUTPUT)

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf $(OUTPUT) $(OUTPUT).old-* .build-* .pytest_cache __pycache__ */__pycache__ */*/__pycache__

test: $(TEST_STAMP) ## Set up and run every test (installs Chromium if missing and root)
	@sh tools/ensure-chromium.sh
	@sh tools/ensure-java.sh
	$(BIN)/python -m pytest

check: $(TEST_STAMP) html ## Build, then check output/: valid HTML, accessibility, links, privacy
	@sh tools/ensure-chromium.sh
	@sh tools/ensure-java.sh
	CHECK_OUTPUT=$(OUTPUT) $(BIN)/python -m pytest -m check
