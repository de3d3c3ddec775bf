# Two commands do all the set-up: `make run` (the demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask
PORT ?= 5000

.PHONY: help install install-dev run test lint fmt bench clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python  ## Install the runtime dependencies into .venv
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: install  ## Install the test tools too, and Debian's chromium for browser tests
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else echo "Browser tests need /usr/bin/chromium: install Debian's chromium package (as root)."; fi; \
	fi

run: install  ## Start the platform with demo data on http://127.0.0.1:5000
	$(FLASK) db upgrade
	@if [ ! -f instance/demo-seeded ]; then $(FLASK) seed-demo && touch instance/demo-seeded; fi
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install-dev  ## Run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
	$(BIN)/python -m pytest

lint:  ## Check style and formatting
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt:  ## Fix formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install  ## Run the benchmarks and the load test (~35 min; PostgreSQL too when DATABASE_URL is set)
	$(BIN)/python -m bench.pages
	$(BIN)/python -m bench.certificates
	$(BIN)/python -m bench.exports
	$(BIN)/python -m bench.load

clean:  ## Remove the virtualenv and local data
	rm -rf $(VENV) instance
