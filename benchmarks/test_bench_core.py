"""Per-call cost of the core, with python-stdnum's `is_valid` as the in-run baseline.

Run with `make bench` (pytest benchmarks --benchmark-only); compare.py times whole files.
"""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from stdnum.fr import nir as stdnum_nir

import nir

pytestmark = pytest.mark.benchmark(group="one number", min_rounds=20, warmup=True)

VALID = "255081416802538"
INVALID = "2 55 08 14 168 025 12"  # wrong key: the whole rule chain runs before it fails


def test_is_valid(benchmark: BenchmarkFixture) -> None:
    assert benchmark(nir.is_valid, VALID) is True


def test_parse(benchmark: BenchmarkFixture) -> None:
    assert benchmark(nir.parse, VALID).key == "38"


def test_validate_invalid(benchmark: BenchmarkFixture) -> None:
    def validate_invalid() -> str:
        try:
            return nir.validate(INVALID)
        except nir.NirError as error:
            return error.code

    assert benchmark(validate_invalid) == "key"


def test_stdnum_is_valid_baseline(benchmark: BenchmarkFixture) -> None:
    assert benchmark(stdnum_nir.is_valid, VALID) is True
