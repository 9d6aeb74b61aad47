# Two entry points for a fresh machine with Python >= 3.11: `make demo` and `make test`.
# Both create .venv and install the project (editable) with its dev tools first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench data clean

# The C source is a prerequisite: an edit to it rebuilds the extension in place.
$(STAMP): pyproject.toml setup.py src/nir/_speedups.c
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "nir needs Python >= 3.11, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: set up, then check the bundled sample numbers (exit 1 = some are invalid, as intended)
demo: $(STAMP)
	$(BIN)/nir --version
	$(BIN)/nir explain "2 55 08 14 168 025 38"
	$(BIN)/nir check - < examples/numbers.txt || test $$? -eq 1

## test: set up, then lint, type-check and run the whole test suite
test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

## bench: the benchmarks (not part of `make test`)
bench: $(STAMP)
	$(BIN)/pytest benchmarks --benchmark-only

clean:
	rm -rf $(VENV) build src/*.egg-info
