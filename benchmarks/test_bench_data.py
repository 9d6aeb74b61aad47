"""Benchmarks of the reference data: cold load and one lookup.

Targets (issue): load under 150 ms, lookup under 2 µs. Run with
``PYTHONPATH=src pytest benchmarks/test_bench_data.py -p no:cacheprovider``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from nir import _geo

if TYPE_CHECKING:
    from pytest_benchmark.fixture import BenchmarkFixture


def test_cold_load(benchmark: BenchmarkFixture) -> None:
    def load() -> bool:
        _geo.clear_cache()
        return _geo.known_department("75")  # the first lookup reads the tables

    known = benchmark.pedantic(load, rounds=20, warmup_rounds=1)  # type: ignore[no-untyped-call]
    assert known
    if benchmark.disabled:
        pytest.skip("timing disabled (--benchmark-disable): no time to compare with the target")
    assert benchmark.stats is not None
    assert benchmark.stats.stats.median < 0.150


def test_commune_lookup(benchmark: BenchmarkFixture) -> None:
    _geo.known_department("75")  # loaded before the timing
    start, end = date(1960, 3, 1), date(1960, 4, 1)
    places = benchmark(_geo.communes, "75044", start, end)
    assert places[0].name == "Levallois-Perret"
    if benchmark.disabled:
        pytest.skip("timing disabled (--benchmark-disable): no time to compare with the target")
    assert benchmark.stats is not None
    assert benchmark.stats.stats.median < 2e-6


def test_multi_period_lookup(benchmark: BenchmarkFixture) -> None:
    _geo.known_department("75")  # loaded before the timing
    start, end = date(2017, 1, 1), date(2018, 1, 1)
    places = benchmark(_geo.communes, "22183", start, end)
    assert places[0].name == "Les Moulins"


def test_department_lookup(benchmark: BenchmarkFixture) -> None:
    _geo.known_department("75")  # loaded before the timing
    start, end = date(1950, 1, 1), date(1951, 1, 1)
    places = benchmark(_geo.departments, "91", start, end)
    assert places[0].country == "352"
