# Everything a fresh Debian machine needs, from nothing: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: setup run guides mock monitor bench report test lint browser ffmpeg xvfb prometheus wrk \
  mailbox clean

setup: $(VENV)/.installed node_modules/.installed browser ffmpeg xvfb prometheus wrk mailbox

# The virtual environment with pinned packages; redone when the dependencies change.
$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

# Allure Report 3 (npm `allure`, pinned in package-lock.json): renders the HTML reports.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Playwright cannot download its browsers here: use Debian's chromium, installed when missing.
browser: $(VENV)/.installed
	@if ! $(BIN)/python -m runtime.browser >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for Playwright (apt-get)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  fi; \
	fi
	@$(BIN)/python -m runtime.browser

# $(call debian_tool,COMMAND,PACKAGE,WITHOUT): install PACKAGE with apt-get when COMMAND is
# missing and this is root on Debian; otherwise say what goes WITHOUT it.
define debian_tool
	@if ! command -v $(1) >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's $(2) (apt-get)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	  else \
	    echo "$(1) missing: $(3)"; \
	  fi; \
	fi
endef

# Playwright records videos (--video) with an ffmpeg it cannot download here: Debian's,
# linked where Playwright looks (runtime/ffmpeg.py says where, or what is missing).
ffmpeg: $(VENV)/.installed
	$(call debian_tool,ffmpeg,ffmpeg,--video cannot record videos)
	@$(BIN)/python -m runtime.ffmpeg || true

# A virtual display for --headed on a machine without one: xvfb-run -a .venv/bin/pytest ... --headed
xvfb:
	$(call debian_tool,xvfb-run,xvfb,--headed needs a display of its own)

# A real Prometheus (and promtool) for the monitor's integration tests: Debian's package.
prometheus:
	$(call debian_tool,promtool,prometheus,the monitor's Prometheus tests will be skipped)

# Debian's Dovecot IMAP server: the test mailbox that codes sent by email reach in the tests.
mailbox:
	$(call debian_tool,/usr/sbin/dovecot,dovecot-imapd,the tests of codes read over IMAP will be skipped)

# Debian's wrk: the load generator of `make bench` (without it, a slower Python client).
wrk:
	$(call debian_tool,wrk,wrk,make bench will load the portal with its Python client)

# The main job: every documented flow against the bundled mock, the Allure report, and the
# step-by-step guides in Portuguese and English.
run: setup
	$(BIN)/sentinel run --target mock
	$(BIN)/sentinel guide --target mock --out reports/guides

guides: setup
	$(BIN)/sentinel guide --target mock --out reports/guides

# Serve the bundled mock portal on its own, with the test-control API.
mock: setup
	@mkdir -p reports/mock-portal
	@test -s reports/mock-portal/test-token || (umask 077 && \
	  $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(16))" > reports/mock-portal/test-token)
	@echo "Test-control API token: reports/mock-portal/test-token (send it as X-Test-Token)"
	$(BIN)/sentinel mock --host $(HOST) --port $(PORT) --db reports/mock-portal/portal.db \
	  --test-token-file reports/mock-portal/test-token

# The synthetic monitor: status page and /metrics on port 9464 unless PORT is given, against
# the bundled mock unless TARGET is; e.g. `make monitor PORT=9500 TARGET=https://staging.example.pt
# EVERY=1m MONITOR_ARGS="--flow portal"` (a URL's test token from $$SENTINEL_TEST_TOKEN).
TARGET ?= mock
EVERY ?= 5m
MONITOR_ARGS ?=
# PORT is the mock's (8000) unless given on the command line, where it is the monitor's.
MONITOR_PORT := $(if $(filter command line,$(origin PORT)),$(PORT),9464)
monitor: setup
	$(BIN)/sentinel monitor --target $(TARGET) --every $(EVERY) --metrics-host $(HOST) \
	  --metrics-port $(MONITOR_PORT) $(MONITOR_ARGS)

# Benchmarks (not tests: they report figures and fail only on errors).
bench: setup
	$(BIN)/python -m bench --suite

report: setup
	$(BIN)/sentinel report

# Ruff (lint, format) and mypy (types: the packages and settings of [tool.mypy]).
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The whole suite, headless, on $(WORKERS) workers; the Allure report is built either way.
# pytest writes reports/allure-results itself: it empties the run before's results there, and
# refuses to start while another run (another make test, sentinel run) is using the folder.
test: setup lint
	$(BIN)/python -m pytest -n $(WORKERS) $(PYTEST_ARGS); \
	  status=$$?; $(BIN)/sentinel report || true; exit $$status

clean:
	rm -rf $(VENV) node_modules reports test-results .pytest_cache .ruff_cache .mypy_cache *.egg-info
