# Two commands set Accord up on a fresh machine with Python 3.11 and make:
#   make run   - create .venv, install Accord, run the main job on the default case
#   make test  - create .venv if needed, install the test extras, run the whole suite
#   make fuzz  - the hostile-input campaign: 12,500 hypothesis inputs over case and scenario validation
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/accord run

# Tests run against real services (PostgreSQL), which scripts/with-services.sh installs, starts and stops.
test: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard benchmarks)
	scripts/with-services.sh $(BIN)/python -m pytest

# 2,500 inputs for each of five properties (tests/hostile/test_fuzz.py); `make test` runs a seed-fixed 150 each.
fuzz: $(STAMP)
	ACCORD_FUZZ_EXAMPLES=2500 $(BIN)/python -m pytest tests/hostile/test_fuzz.py -q -s -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard benchmarks)

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
