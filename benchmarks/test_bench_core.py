"""Per-call cost of the public entry points, on both cores, with in-run baselines.

Baselines measured in the same run, so that ratios survive a loaded machine:
python-stdnum's `validate` and `is_valid` (what people use today), a bare call of a
C builtin (`len`) and of an empty Python function (the floor of any entry point).
`check_many` runs on 10,000 values: divide its time by 10,000 for the cost per value.

Run with `make bench` (pytest benchmarks --benchmark-only), or only this file with
`.venv/bin/pytest benchmarks/test_bench_core.py --benchmark-only --benchmark-group-by=group`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypedDict

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from stdnum.fr import nir as stdnum_nir

import nir
from nir import _accel

pytestmark = pytest.mark.benchmark(min_rounds=20, warmup=True)

VALID = "255081416802538"
INVALID = "2 55 08 14 168 025 12"  # wrong key: the whole rule chain runs before it fails
MANY = [VALID] * 10_000


@pytest.fixture(params=[_accel.COMPILED, _accel.PURE_PYTHON])
def core(request: pytest.FixtureRequest) -> Iterator[str]:
    """The core to time, put back afterwards (as tests/conftest.py's `core`)."""
    saved = _accel.compiled
    if request.param == _accel.COMPILED:
        compiled = _accel.load_compiled()
        if compiled is None:
            pytest.skip("the C extension is not built")
        _accel.compiled = compiled
    else:
        _accel.compiled = None
    try:
        yield str(request.param)
    finally:
        _accel.compiled = saved


@pytest.mark.benchmark(group="is_valid")
def test_is_valid(benchmark: BenchmarkFixture, core: str) -> None:
    assert benchmark(nir.is_valid, VALID) is True, core


@pytest.mark.benchmark(group="validate")
def test_validate(benchmark: BenchmarkFixture, core: str) -> None:
    assert benchmark(nir.validate, VALID) == VALID, core


@pytest.mark.benchmark(group="parse")
def test_parse(benchmark: BenchmarkFixture, core: str) -> None:
    nir.parse(VALID)  # the reference data loads once, before timing
    assert benchmark(nir.parse, VALID).commune_name == "Colombières", core


@pytest.mark.benchmark(group="parse")
def test_parse_without_names(benchmark: BenchmarkFixture, core: str) -> None:
    assert benchmark(nir.parse, VALID, names=False).key == "38", core


@pytest.mark.benchmark(group="check_many, 10,000 values")
def test_check_many(benchmark: BenchmarkFixture, core: str) -> None:
    assert benchmark(nir.check_many, MANY).all_valid, core


@pytest.mark.benchmark(group="invalid")
def test_validate_invalid(benchmark: BenchmarkFixture, core: str) -> None:
    def validate_invalid() -> str:
        try:
            return nir.validate(INVALID)
        except nir.NirError as error:
            return error.code

    assert benchmark(validate_invalid) == "key", core


# Identity (issue targets: check_identity under 3 us with the C core, suggest under 50 us).
class _Identity(TypedDict):
    sex: str
    birth_date: str
    birth_place: str


CONSISTENT = _Identity(sex="F", birth_date="12/08/1955", birth_place="14168")
MISMATCHED = _Identity(sex="M", birth_date="12/08/1956", birth_place="75056")


@pytest.mark.benchmark(group="check_identity")
def test_check_identity_consistent(benchmark: BenchmarkFixture, core: str) -> None:
    nir.check_identity(VALID, **CONSISTENT)  # the place data loads once, before timing
    assert benchmark(nir.check_identity, VALID, **CONSISTENT).ok, core


@pytest.mark.benchmark(group="check_identity")
def test_check_identity_mismatched(benchmark: BenchmarkFixture, core: str) -> None:
    nir.check_identity(VALID, **MISMATCHED)
    found = benchmark(nir.check_identity, VALID, **MISMATCHED).mismatches
    assert found == ("sex", "birth_year", "birth_place"), core


@pytest.mark.parametrize(
    ("value", "edit"),
    [
        ("2 55 08 14 168 025 12", "substitution"),  # wrong key: 15 characters, every edit
        ("25508141680253", "insertion"),  # a character missing
    ],
)
@pytest.mark.benchmark(group="suggest")
def test_suggest(benchmark: BenchmarkFixture, core: str, value: str, edit: str) -> None:
    nir.suggest(value, birth_date="1955-08-12")
    best = benchmark(nir.suggest, value, birth_date="1955-08-12")[0]
    assert best.edit == edit, core


# ---------------------------------------------------------------------------
# Baselines


@pytest.mark.benchmark(group="baseline")
def test_stdnum_validate_baseline(benchmark: BenchmarkFixture) -> None:
    assert benchmark(stdnum_nir.validate, VALID) == VALID


@pytest.mark.benchmark(group="baseline")
def test_stdnum_is_valid_baseline(benchmark: BenchmarkFixture) -> None:
    assert benchmark(stdnum_nir.is_valid, VALID) is True


@pytest.mark.benchmark(group="baseline")
def test_bare_c_call_baseline(benchmark: BenchmarkFixture) -> None:
    assert benchmark(len, VALID) == 15


def _python_floor(value: str, *, allow_temporary: bool = True) -> str:
    """An entry point's shape with no work: the cost of the call itself."""
    del allow_temporary
    return value


@pytest.mark.benchmark(group="baseline")
def test_bare_python_call_baseline(benchmark: BenchmarkFixture) -> None:
    assert benchmark(_python_floor, VALID) == VALID
