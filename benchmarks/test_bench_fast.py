"""Benchmarks of the hot paths on each core: `nir.is_valid` and the CSV `scan`.

Targets (issue): is_valid under 250 ns on the C core; the pure-Python core at
least 2.5x faster than python-stdnum's loop. Run with `make bench`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
from stdnum.fr import nir as stdnum_nir

import nir
from nir import _accel, _bulk, _csvscan, messages

if TYPE_CHECKING:
    from pytest_benchmark.fixture import BenchmarkFixture

NUMBER = "255081416802538"


@pytest.fixture(params=[_accel.COMPILED, _accel.PURE_PYTHON])
def core(request: pytest.FixtureRequest) -> Iterator[str]:
    saved = _accel.compiled
    if request.param == _accel.COMPILED:
        compiled = _accel.load_compiled()
        if compiled is None:
            pytest.skip("the C extension nir._speedups is not built")
        _accel.compiled = compiled
    else:
        _accel.compiled = None
    yield str(request.param)
    _accel.compiled = saved


LOOP = 10_000  # calls per timing: one call is shorter than the timer's own overhead


def calls(function: Callable[[str], bool]) -> Callable[[], bool]:
    def loop() -> bool:
        result = True
        for _ in range(LOOP):
            result = function(NUMBER)
        return result

    return loop


def test_is_valid(benchmark: BenchmarkFixture, core: str) -> None:
    assert benchmark.pedantic(calls(nir.is_valid), rounds=50, warmup_rounds=2)  # type: ignore[no-untyped-call]
    if benchmark.disabled:
        pytest.skip("timing disabled (--benchmark-disable): no time to compare with the target")
    assert benchmark.stats is not None
    limit = 250e-9 if core == _accel.COMPILED else stdnum_time() / 2.5
    assert benchmark.stats.stats.median / LOOP < limit


def test_stdnum_is_valid(benchmark: BenchmarkFixture) -> None:
    assert benchmark.pedantic(calls(stdnum_nir.is_valid), rounds=10, warmup_rounds=1)  # type: ignore[no-untyped-call]


def stdnum_time() -> float:
    import timeit

    return min(timeit.repeat(lambda: stdnum_nir.is_valid(NUMBER), number=2000, repeat=5)) / 2000


def hr_export(size: int) -> bytes:
    """About `size` bytes of a 10-column HR export, 5% wrong keys, some quotes and accents."""
    rnd = random.Random(1)  # noqa: S311  # test data, not secrets
    rows: list[bytes] = []
    length = 0
    while length < size:
        body = f"{rnd.choice('12')}{rnd.randint(40, 99):02d}{rnd.randint(1, 12):02d}"
        body += f"{rnd.randint(21, 89):02d}{rnd.randint(1, 999):03d}{rnd.randint(1, 999):03d}"
        key = nir.calc_check_digits(body) if rnd.random() > 0.05 else "00"
        comment = '"a;b"' if rnd.random() < 0.03 else "ras"
        row = f"{len(rows)};Lefèvre;Zoé;{body}{key};1970-01-01;RH;Poste;2000;2020-01-01;{comment}\n"
        rows.append(row.encode())
        length += len(rows[-1])
    return b"".join(rows)


DATA = hr_export(10 << 20)


def python_judge(field: bytes) -> tuple[str, bytes, str, str, tuple[str, ...]]:
    result = _bulk.verdict(field.decode("ascii"), nir.Options())
    message = render(result.code, result.params) if result.code else b""
    return result.code, message, result.number, result.kind, result.warnings


def render(code: str, params: tuple[str | int | None, ...]) -> bytes:
    return messages.render_values(code, params, "en").encode()


def slow(body: bytes, end: bytes, line: int) -> bytes:  # noqa: ARG001  # scan's callback
    return b""


@pytest.mark.usefixtures("core")
def test_scan(benchmark: BenchmarkFixture) -> None:
    compiled = _accel.compiled
    scan: Callable[..., tuple[object, ...]] = compiled.scan if compiled else _csvscan.scan
    # The C core applies the rules itself (a policy tuple); Python gets a judge.
    judge: object = (True, False, False, 2026, 11) if compiled else python_judge
    result = benchmark.pedantic(  # type: ignore[no-untyped-call]
        scan, (DATA, b";", 3, 10, True, 1, True, slow, judge, render), rounds=3, iterations=1
    )
    assert result[1] == len(DATA)
