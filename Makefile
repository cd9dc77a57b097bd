# Two commands set Accord up on a fresh machine with Python 3.11 and make:
#   make run   - create .venv, install Accord (no test stack), run the main job on the default case
#   make test  - create .venv if needed, install the test extras, lint, type-check, run the whole suite
# and, for the edit loop, make test-fast (under a minute, no services or browsers).
#   make fuzz  - the hostile-input campaign: 12,500 hypothesis inputs over case and scenario validation
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
CHECKED := src tests $(wildcard benchmarks)

# The fast tier leaves out what needs services, a browser, the semantic model or long runs.
FAST := tests --ignore=tests/web --ignore=tests/store/test_runs_postgres.py \
	--ignore=tests/evidence/test_semantic.py --ignore=tests/test_services.py \
	-m "not slow and not services" -p no:schemathesis

.PHONY: run test test-fast lint typecheck format bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(TESTSTAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TESTSTAMP)

run: $(STAMP)
	$(BIN)/accord run

# Tests run against real services (PostgreSQL, Chromium), which scripts/with-services.sh installs, starts and stops.
test: $(TESTSTAMP)
	$(BIN)/ruff check $(CHECKED)
	$(BIN)/ruff format --check $(CHECKED)
	$(BIN)/mypy
	scripts/with-services.sh $(BIN)/python -m pytest

test-fast: $(TESTSTAMP)
	$(BIN)/python -m pytest -x -n 2 $(FAST)

# 2,500 inputs for each of five properties (tests/hostile/test_fuzz.py); `make test` runs a seed-fixed 150 each.
fuzz: $(TESTSTAMP)
	ACCORD_FUZZ_EXAMPLES=2500 $(BIN)/python -m pytest tests/hostile/test_fuzz.py -q -s -p no:cacheprovider

lint: $(TESTSTAMP)
	$(BIN)/ruff check $(CHECKED)
	$(BIN)/ruff format --check $(CHECKED)

typecheck: $(TESTSTAMP)
	$(BIN)/mypy

# The formatter is ruff format (configured in pyproject.toml); `make format` rewrites, test and lint check.
format: $(TESTSTAMP)
	$(BIN)/ruff format $(CHECKED)

bench: $(TESTSTAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .mypy_cache
