# Example Counseling: the practice's website.
# `make serve` and `make test` set everything up on a fresh machine with
# Python 3.11; `make help` lists every target.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
OUTPUT ?= output
PREVIEW ?= var/preview

# Deploying (see docs/deploying.md): each target needs its one setting.
SSH_HOST            ?=
SSH_PORT            ?= 22
SSH_USER            ?=
SSH_TARGET_DIR      ?=
S3_BUCKET           ?=
GITHUB_PAGES_BRANCH ?= gh-pages
GITHUB_REMOTE       ?= origin

RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP    := $(VENV)/.test-installed

.DEFAULT_GOAL := help
.PHONY: help venv html serve publish clean test bench bench-preview
.PHONY: inbox inbox-key requests bench-inbox vendor
.PHONY: newpost new-practice lint rsync_upload s3_upload github
.PHONY: comments
.PHONY: check screenshots

help: ## List the targets
	@echo "Example Counseling website. Usage: make <target>"
	@echo
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-14s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: PORT=$(PORT), PREVIEW=$(PREVIEW) (html, serve, check), OUTPUT=$(OUTPUT) (publish, deploy), PYTHON=$(PYTHON)"
	@echo "Deploying: SSH_HOST, SSH_TARGET_DIR, SSH_USER, SSH_PORT=$(SSH_PORT) (rsync_upload), S3_BUCKET (s3_upload),"
	@echo "           GITHUB_PAGES_BRANCH=$(GITHUB_PAGES_BRANCH), GITHUB_REMOTE=$(GITHUB_REMOTE) (github)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The pinned requirements, then the project itself as a package (editable:
# the plugin and tools run from plugins/practice/ as they are edited). Its
# bytecode is compiled ahead (BYTECODE), so that no build or test process
# compiles it again where Python is told not to write bytecode itself.
BYTECODE = $(BIN)/python -m compileall -q plugins/practice
$(RUNTIME_STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@$(BYTECODE)
	@touch $@

$(TEST_STAMP): requirements-test.txt requirements.txt $(RUNTIME_STAMP)
	$(BIN)/pip install --quiet -r requirements-test.txt
	@touch $@

venv: $(RUNTIME_STAMP) ## Create .venv and install the pinned dependencies

# Development builds (html, serve, check) write the preview folder only;
# output/ is the publish folder, written by publish alone and uploaded.
html: $(RUNTIME_STAMP) ## Build the preview into var/preview/ (development settings; never output/)
	$(BIN)/python -m practice.tools.build --settings pelicanconf.py --output $(PREVIEW)

serve: $(RUNTIME_STAMP) ## Preview at http://127.0.0.1:$(PORT) from var/preview/; pages reload after each save
	$(BIN)/python -m practice.tools.serve --port $(PORT) --output $(PREVIEW)

comments: $(RUNTIME_STAMP) ## Run the development comment server (Isso) alone on 127.0.0.1:8080
	$(BIN)/python -m practice.tools.comments run --site-port $(PORT)

publish: $(RUNTIME_STAMP) ## Build for the live site (publishconf.py) into output/
	$(BIN)/python -m practice.tools.lint --settings publishconf.py
	$(BIN)/python -m practice.tools.build --settings publishconf.py --output $(OUTPUT)

# The intake inbox (docs/intake.md). Its settings are read from the
# environment: INBOX_KEY, INBOX_PASSPHRASE, INBOX_PORT, INBOX_DATA,
# INBOX_SITE_URL, INBOX_SPAM_CHECKS, INBOX_URL, INBOX_TOKEN ...
INBOX_PYTHON := $(BIN)/python -m practice.inbox
inbox-key: $(RUNTIME_STAMP) ## Create the practice's key pair; the public key goes into content/practice.yaml
	@$(INBOX_PYTHON) key

inbox: $(RUNTIME_STAMP) ## Run the request inbox on 127.0.0.1:INBOX_PORT (8001), data in INBOX_DATA (var/inbox/)
	@$(INBOX_PYTHON) run

requests: $(RUNTIME_STAMP) ## Decrypt and print the requests (JSON=1, SINCE=2026-12-01 or 7d, DELETE=<id>)
	@$(INBOX_PYTHON) requests $(if $(JSON),--json) $(if $(SINCE),--since "$(SINCE)") $(if $(DELETE),--delete "$(DELETE)")

bench-inbox: $(RUNTIME_STAMP) ## Benchmark the inbox: sealed submissions/s, p50/p99 at 20 clients (TOTAL=1000)
	$(BIN)/python -m practice.inbox.bench --total $(or $(TOTAL),1000) --clients 20

vendor: ## Fetch the vendored browser libraries again with npm (versions in plugins/practice/tools/vendor.py)
	$(BIN)/python -m practice.tools.vendor

new-practice: $(RUNTIME_STAMP) ## Start your own practice: demo posts and offers to docs/examples/, practice.yaml to a template
	@$(BIN)/python -m practice.tools.new_practice

newpost: $(RUNTIME_STAMP) ## Start a draft article: make newpost TITLE="How to ..."
	@$(BIN)/python -m practice.tools.newpost

lint: $(RUNTIME_STAMP) ## Check the content: errors stop a publish, warnings are worth fixing
	$(BIN)/python -m practice.tools.lint

rsync_upload: ## Publish, then upload output/ over SSH (SSH_HOST, SSH_TARGET_DIR)
	@test -n "$(SSH_HOST)" -a -n "$(SSH_TARGET_DIR)" || { echo 'error: set SSH_HOST and SSH_TARGET_DIR: make rsync_upload SSH_HOST=example.org SSH_TARGET_DIR=/var/www/site' >&2; exit 2; }
	$(MAKE) publish
	rsync -e "ssh -p $(SSH_PORT)" -P -rvzc --cvs-exclude --delete $(OUTPUT)/ "$(if $(SSH_USER),$(SSH_USER)@)$(SSH_HOST):$(SSH_TARGET_DIR)"

s3_upload: ## Publish, then sync output/ to an S3 bucket (S3_BUCKET)
	@test -n "$(S3_BUCKET)" || { echo 'error: set S3_BUCKET: make s3_upload S3_BUCKET=my-bucket' >&2; exit 2; }
	@command -v aws >/dev/null || { echo 'error: the AWS command line (aws) is not installed' >&2; exit 2; }
	$(MAKE) publish
	aws s3 sync $(OUTPUT)/ "s3://$(S3_BUCKET)" --delete

github: ## Publish, then push output/ to the gh-pages branch (GITHUB_PAGES_BRANCH)
	$(MAKE) publish
	$(BIN)/ghp-import --no-jekyll --push --remote "$(GITHUB_REMOTE)" --branch "$(GITHUB_PAGES_BRANCH)" --message "Publish the site" $(OUTPUT)

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf $(OUTPUT) $(OUTPUT).old-* .build-* $(PREVIEW) $(PREVIEW).old-* cache .pytest_cache __pycache__ */__pycache__ */*/__pycache__

SIZES ?= 100 1000
RUNS  ?= 3
bench: $(RUNTIME_STAMP) ## Cold builds against stock Pelican, wall and CPU (SIZES="100 1000" RUNS=3; other sizes write to bench/work/)
	$(BIN)/python -m practice.tools.bench --sizes $(SIZES) --runs $(RUNS)
	$(MAKE) --no-print-directory bench-preview

PREVIEW_SIZES ?= 100 1000
bench-preview: $(TEST_STAMP) ## Time from a save to the page shown in Chromium under make serve (PREVIEW_SIZES="100 1000")
	@sh tools/ensure-chromium.sh
	$(BIN)/python -m practice.tools.bench_preview --sizes $(PREVIEW_SIZES) --runs $(RUNS) --out bench

test: $(TEST_STAMP) ## Set up and run every test (installs Chromium, Java, nginx and Caddy if missing and root; Lighthouse with npm)
	@sh tools/ensure-chromium.sh
	@sh tools/ensure-java.sh
	@sh tools/ensure-nginx.sh
	@sh tools/ensure-caddy.sh
	@sh tools/ensure-lighthouse.sh
	@$(BYTECODE)
	@# The tests marked `alone` (Lighthouse's timings) run after the others,
	@# one at a time, so the other workers' builds do not slow their page loads.
	$(BIN)/python -m pytest -m "not alone"; parallel=$$?; \
	$(BIN)/python -m pytest -m alone -n 0; alone=$$?; \
	test $$parallel = 0 && test $$alone = 0

screenshots: $(TEST_STAMP) ## Photograph the key pages at 375 and 1280 px, light and dark, into docs/screenshots/
	@sh tools/ensure-chromium.sh
	$(BIN)/python -m practice.tools.screenshots

check: $(TEST_STAMP) html ## Build the preview, then check it: valid HTML, accessibility, links, privacy
	@sh tools/ensure-chromium.sh
	@sh tools/ensure-java.sh
	CHECK_OUTPUT=$(PREVIEW) $(BIN)/python -m pytest -m check
