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
        line, code, message, mismatch, suggestion = row[-9], row[-7], row[-6], row[-2], row[-1]
        said = message or "identity differs: " + mismatch
        print(f"{line:>4}  {row[5]!r:<26} {code or '-':<14} {said}")
        if suggestion:
            print(f"{'':>4}  {'':<26} {'':<14} suggestion: {suggestion}")
endef
export SHOW_REPORT

.PHONY: demo test lint typecheck unit bench bench-dsn bench-report fuzz sanitize data clean test-spark \
	dist-check

# The C sources are prerequisites: an edit rebuilds the extensions in place. So are the
# place data and its readers: the install writes their fast-loading copy
# (src/nir/_place_keys.marshal, _place_tables.bin, _place_names.marshal): a stale one would be unused or remade.
BUILT_FROM := src/nir/_speedups.c src/nir/_arrow_abi.h src/nir/_duckdb_ext.c \
	src/nir/_place_keys.py src/nir/_identity_values.py src/nir/_geo.py data/insee_*.csv \
	src/nir/_accel.py src/nir/_identity_place.py src/nir/_rules.py
$(STAMP): pyproject.toml setup.py $(BUILT_FROM)
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
	@echo "--- the error report, examples/hr_export.errors.csv (line, NIR as typed, code, message;"
	@echo "    identity mismatches, suggested corrections):"
	@$(BIN)/python -c "$$SHOW_REPORT" examples/hr_export.errors.csv
	@echo "--- a DSN (payroll declaration) checked, in French:"
	$(BIN)/nir dsn --lang fr examples/declaration.dsn || test $$? -eq 1
	@echo "--- one number explained:"
	$(BIN)/nir explain "1 60 05 75 044 001 49"
	@echo "--- a mistyped number, with the person's identity (does it belong to her?):"
	$(BIN)/nir explain --lang fr "2 55 08 14 168 025 83" --sex Mme --birth-date 12/08/1955 || test $$? -eq 1
	$(BIN)/nir explain --lang fr "2 55 08 14 168 025 38" --sex M --birth-date 12/09/1956 || test $$? -eq 1

## test: set up, then lint, type-check and run the whole test suite
test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# One pytest-xdist worker per core (PYTEST_WORKERS=0: one process, as plain `pytest`).
PYTEST_WORKERS ?= auto
unit: $(STAMP)
	$(BIN)/pytest -n $(PYTEST_WORKERS)

## test-spark: the Spark recipe (examples/spark_recipe.py) in local mode, outside `make test`:
## pyspark is large and Spark slow to start, so it is installed here, not by .[dev]. Needs Java 17.
PYSPARK := pyspark==4.3.0
test-spark: $(STAMP)
	$(BIN)/python -c 'import pyspark' 2>/dev/null || $(BIN)/python -m pip install --quiet '$(PYSPARK)'
	NIR_SPARK=1 PYTHONPATH=examples $(BIN)/pytest -p no:logging tests/spark_recipe_check.py

## bench: the benchmarks (not part of `make test`)
bench: $(STAMP)
	$(BIN)/pytest benchmarks --benchmark-only

## bench-dsn: `nir dsn` on a generated 1,000,000-individual DSN (557 MB, kept in
## /work/bench/ or benchmarks/data/) against `nir csv` on its numbers, and its peak RSS
bench-dsn: $(STAMP)
	$(BIN)/python benchmarks/bench_dsn.py

## bench-report: every benchmark in one run (about 30 minutes, several GB of data in
## benchmarks/data/), its output written into benchmarks/README.md
bench-report: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE PYTHONPATH=benchmarks $(BIN)/python benchmarks/report.py

## fuzz: a long fuzzing campaign of `nir csv` (not part of `make test`): random damaged
## exports on both cores and every CPU for FUZZ_MINUTES; prints the cases run and the
## crashes found, and saves each new kind of crash, minimised, under tests/regressions/.
FUZZ_MINUTES ?= 5
fuzz: $(STAMP)
	PYTHONPATH=benchmarks $(BIN)/python -m tests.fuzz_campaign --minutes $(FUZZ_MINUTES)

## sanitize: the C extension built with AddressSanitizer and UndefinedBehaviorSanitizer
## into build/sanitize/ (the normal build is untouched), then the C-facing tests and a
## short fuzz run under them. Any sanitizer report stops the run (exit 86).
SANITIZE := build/sanitize
SANITIZE_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SANITIZE_ENV := PYTHONPATH=$(SANITIZE)/src:benchmarks \
	LD_PRELOAD=$$(gcc -print-file-name=libasan.so) \
	ASAN_OPTIONS=detect_leaks=0:exitcode=86:abort_on_error=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=86
C_FACING_TESTS := tests/test_speedups.py tests/test_rules.py tests/test_csvscan.py tests/test_csv.py \
	tests/test_csv_engine.py tests/test_fuzz_csv.py tests/test_arrow.py tests/test_dsn.py \
	tests/test_sheets.py tests/test_identity_cells.py tests/test_csv_threads.py \
	tests/test_csv_identity.py tests/test_suggest_candidates.py
sanitize: $(STAMP)
	rm -rf $(SANITIZE) && mkdir -p $(SANITIZE)/src/nir
	cp src/nir/*.py src/nir/*.pyi src/nir/py.typed $(SANITIZE)/src/nir/
	cp -r src/nir/locale $(SANITIZE)/src/nir/
	ln -s $(CURDIR)/data $(SANITIZE)/data
	gcc $(SANITIZE_FLAGS) -Wall -shared -fPIC \
		-I"$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("include"))')" \
		src/nir/_speedups.c -o $(SANITIZE)/src/nir/_speedups$$($(BIN)/python -c \
		'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
	$(SANITIZE_ENV) $(BIN)/python -c 'import nir._speedups as s; print("sanitized:", s.__file__)'
	@# Not DuckDB's tests: its C++ exceptions trip ASan's __cxa_throw interceptor
	@# (a CHECK failure inside libduckdb, not in our code).
	$(SANITIZE_ENV) CI=true $(BIN)/pytest -q $(C_FACING_TESTS) -k "not duckdb"
	@# Exit 1 is crashes of the invariants (reported above), not a sanitizer finding.
	$(SANITIZE_ENV) $(BIN)/python -m tests.fuzz_campaign --minutes 1 --jobs 1 \
		--save-dir $(SANITIZE)/found || test $$? -eq 1

## dist-check: what a user installs from the source archive works: build the sdist,
## install it (so a wheel built from it) in a new virtualenv, outside the checkout.
DIST := build/dist-check
define DIST_CHECK
import nir, nir._geo
assert nir.core_implementation() == "C extension", nir.core_implementation()
assert nir.parse("255081416802538").commune_name == "Colombières"
assert "/site-packages/nir/" in nir.__file__, nir.__file__
try:
    nir.validate("255081416802512")
except nir.NirError as error:  # the catalogues are in the wheel, compiled
    assert error.message("fr") == "la clé est 12, elle devrait être 38", error.message("fr")
print("installed from the sdist:", nir.__version__, nir._geo.data_vintage())
endef
export DIST_CHECK
dist-check: $(STAMP)
	rm -rf $(DIST) && mkdir -p $(DIST)
	$(PYTHON) -m venv $(DIST)/venv
	$(DIST)/venv/bin/python -m pip install --quiet build
	$(DIST)/venv/bin/python -m build --sdist --outdir $(DIST) .
	$(DIST)/venv/bin/python -m pip install --quiet $(DIST)/nir-*.tar.gz
	cd $(DIST) && venv/bin/python -c "$$DIST_CHECK"
	cd $(DIST) && printf 'nir\n255081416802538\n255081416802512\n' | venv/bin/nir csv - || test $$? -eq 1

clean:
	rm -rf $(VENV) build src/*.egg-info
