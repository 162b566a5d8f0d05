# The two front-door commands (see README):
#   make run    set up, start Flowmap on SQLite and open it in a browser
#   make test   set up, then run every test: unit, integration, end-to-end (Chromium)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

run: $(VENV)/.runtime
	$(BIN)/flowmap serve --open

test: $(VENV)/.test
	scripts/ensure-chromium
	$(BIN)/pytest

lint: $(VENV)/.test
	$(BIN)/ruff check app tests e2e bench
	$(BIN)/mypy app

bench: $(VENV)/.test
	$(BIN)/python bench/bench_metrics.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.runtime

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
