# The two front-door commands (see README):
#   make run    set up, start Flowmap on SQLite and open it in a browser
#   make test   set up, then run every test: unit, integration, end-to-end (Chromium)
# `make run PORT=8765` (or HOST=0.0.0.0) serves elsewhere; FLOWMAP_PORT works too.
# Every install comes from the lock files in requirements/ (hash-checked); `make lock`
# renews them from the ranges in pyproject.toml.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
RUN_ARGS := $(if $(PORT),--port $(PORT)) $(if $(HOST),--host $(HOST))
COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --no-header --quiet

.PHONY: run test lint bench lock clean

run: $(VENV)/.runtime
	$(BIN)/flowmap serve --open $(RUN_ARGS)

test: $(VENV)/.test
	scripts/ensure-chromium
	$(BIN)/pytest

lint: $(VENV)/.test
	$(BIN)/ruff check app tests e2e bench conftest.py
	$(BIN)/mypy app

bench: $(VENV)/.test
	$(BIN)/python bench/bench_metrics.py

lock: | $(VENV)/bin/python
	$(PIP) install uv
	$(COMPILE) -o requirements/runtime.txt
	$(COMPILE) --extra test -o requirements/test.txt

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Runtime: the locked runtime dependencies and Flowmap itself, nothing from the extras.
$(VENV)/.runtime: requirements/runtime.txt pyproject.toml | $(VENV)/bin/python
	$(PIP) install --require-hashes -r requirements/runtime.txt
	$(PIP) install --no-deps -e .
	touch $@

$(VENV)/.test: requirements/test.txt pyproject.toml | $(VENV)/bin/python
	$(PIP) install --require-hashes -r requirements/test.txt
	$(PIP) install --no-deps -e .
	touch $@ $(VENV)/.runtime

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
