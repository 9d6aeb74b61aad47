# Two entry points for a fresh machine with Python >= 3.11: `make demo` and `make test`.
# Both create .venv and install the project (editable) with its dev tools first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Prints a few columns of the error report (cp1252, ';') whatever its quoting.
define SHOW_REPORT
import csv, sys
with open(sys.argv[1], encoding="cp1252", newline="") as report:
    for row in list(csv.reader(report, delimiter=";"))[1:]:
        print(f"{row[-7]:>4}  {row[5]!r:<26} {row[-5]:<14} {row[-4]}")
endef
export SHOW_REPORT

.PHONY: demo test lint typecheck unit bench data clean

# The C source is a prerequisite: an edit to it rebuilds the extension in place.
$(STAMP): pyproject.toml setup.py src/nir/_speedups.c
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "nir needs Python >= 3.11, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: set up, then check the bundled HR export (French Excel: cp1252, ';', CRLF).
## The sample holds 10 invalid rows on purpose, so `nir csv` exits 1 and the demo accepts it.
demo: $(STAMP)
	$(BIN)/nir --version
	$(BIN)/nir csv examples/hr_export.csv --only-invalid -o examples/hr_export.errors.csv || test $$? -eq 1
	@echo "--- the error report, examples/hr_export.errors.csv (line, NIR as typed, code, message):"
	@$(BIN)/python -c "$$SHOW_REPORT" examples/hr_export.errors.csv
	@echo "--- one number explained:"
	$(BIN)/nir explain "1 60 05 75 044 001 49"

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
