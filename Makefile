# EOB Scanner: `make run` serves on 127.0.0.1:8765; `make test` runs everything CI runs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.DEFAULT_GOAL := help

help: ## Show the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(STAMP_RUN)

install: $(STAMP_RUN) ## Create .venv and install the project

run: $(STAMP_RUN) ## Start the service on 127.0.0.1:8765 (prints the URL with its token)
	$(BIN)/eobscan serve --host 127.0.0.1 --port 8765

chromium: ## Install Debian's chromium for the browser tests (when missing and root)
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing; install Debian's chromium package to run the browser tests"; fi; \
	fi

lint: $(STAMP_TEST) ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(STAMP_TEST) chromium lint ## Install what tests need and run everything
	$(BIN)/pytest -q

bench: $(STAMP_TEST) chromium ## Print the benchmark table (ratios measured in one run)
	$(BIN)/python -m bench

docs: $(STAMP_RUN) vocabulary ## Regenerate docs/rules.md and the extension's vocabulary.js
	$(BIN)/python -m scanner.rules_doc > docs/rules.md

vocabulary: $(STAMP_RUN) ## Regenerate extension/content/vocabulary.js from the readers' vocabulary
	$(BIN)/python -m scanner.extension_vocabulary > extension/content/vocabulary.js

extension: store-check ## Build dist/eob-scanner-extension.zip (after the store checklist)
	$(BIN)/python scripts/build_extension.py

store-check: $(STAMP_RUN) ## The Chrome Web Store checklist, PASS or FAIL per item
	$(BIN)/python scripts/store_checklist.py

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache

.PHONY: help install run chromium lint test bench docs vocabulary extension store-check clean
