# Everything a fresh Debian machine needs, from nothing: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: setup run test lint browser clean

setup: $(VENV)/.installed browser

# The virtual environment with pinned packages; redone when the dependencies change.
$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

# Playwright cannot download its browsers here: use Debian's chromium, installed when missing.
browser: $(VENV)/.installed
	@if ! $(BIN)/python -m sentinel.browser >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for Playwright (apt-get)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  fi; \
	fi
	@$(BIN)/python -m sentinel.browser

run: setup
	@mkdir -p reports/mock-portal
	@test -s reports/mock-portal/test-token || \
	  $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(16))" > reports/mock-portal/test-token
	@echo "Test-control API token: reports/mock-portal/test-token (send it as X-Test-Token)"
	SENTINEL_TEST_TOKEN="$$(cat reports/mock-portal/test-token)" \
	  $(BIN)/sentinel mock --host $(HOST) --port $(PORT) --db reports/mock-portal/portal.db

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: setup lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) reports .pytest_cache .ruff_cache *.egg-info
