# Treem: the two commands of the README are `make demo` and `make test`; `make setup` installs for both.
SHELL := /bin/bash
PYTHON ?= $(shell pyenv which python3 2>/dev/null || command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ENV := DJANGO_SETTINGS_MODULE=treem.config.settings.local

.PHONY: setup demo demo-data test test-sqlite test-postgres system-deps lint typecheck messages

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else "Treem needs Python 3.13 (see .python-version); found " + sys.version)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -U pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

demo-data: setup
	$(DEMO_ENV) $(BIN)/treem migrate --noinput -v 0
	$(DEMO_ENV) $(BIN)/treem units load
	$(DEMO_ENV) $(BIN)/treem demo seed

demo: demo-data
	@echo "Treem runs on http://$(HOST):$(PORT)/ (Ctrl-C stops it). Logins are listed above."
	@trap 'kill $$worker 2>/dev/null' EXIT; \
	  $(DEMO_ENV) $(BIN)/treem db_worker >var/worker.log 2>&1 & worker=$$!; \
	  $(DEMO_ENV) $(BIN)/treem runserver $(HOST):$(PORT)

# Debian packages the tests need (browser, database, fonts); installed only when running as root.
system-deps:
	@missing=""; \
	  [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  fc-list 2>/dev/null | grep -q LiberationSerif || missing="$$missing fonts-liberation2"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then \
	      echo "Installing Debian packages:$$missing"; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    else echo "Missing Debian packages:$$missing (run as root or install them)"; exit 1; fi; \
	  fi

test: setup system-deps
	@echo "=== Treem test suite: leg 1/2, SQLite ==="
	env -u TREEM_DATABASE_URL $(BIN)/pytest
	@echo "=== Treem test suite: leg 2/2, PostgreSQL (throwaway server on loopback) ==="
	scripts/with-postgres $(BIN)/pytest
	$(BIN)/ruff check .
	$(BIN)/mypy

test-sqlite: setup
	env -u TREEM_DATABASE_URL $(BIN)/pytest $(ARGS)

test-postgres: setup
	scripts/with-postgres $(BIN)/pytest $(ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with django-stubs, configured in pyproject.toml ([tool.mypy]): strict over services, selectors and core.
typecheck: setup
	$(BIN)/mypy

messages: setup
	cd src/treem && ../../$(BIN)/treem makemessages -l vi -l en --no-obsolete && ../../$(BIN)/treem compilemessages
