"""Damaged exports through the whole `nir csv` path, on both cores: exit 0/1/2, no
traceback, and where `csv.reader` reads the input, every record kept (tests/fuzzing.py).

The long campaign is `make fuzz`; each failure it finds is saved under
tests/regressions/ and run here from then on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import fuzzing

pytestmark = pytest.mark.usefixtures("core")

# Inputs that fail on main today, with why. The marks are strict: when one passes,
# pytest says so, and its name comes off this table.
KNOWN_FAILING: dict[str, str] = {}


def _known(name: str) -> list[pytest.MarkDecorator]:
    reason = KNOWN_FAILING.get(name)
    return [] if reason is None else [pytest.mark.xfail(reason=reason, strict=True)]


CASES = st.builds(
    fuzzing.build,
    st.integers(0, len(fuzzing.SEEDS) - 1),
    st.lists(
        st.tuples(
            st.sampled_from(fuzzing.OPERATIONS),
            st.integers(0, 1 << 20),
            st.integers(0, len(fuzzing.PAYLOADS) - 1),
        ),
        max_size=5,
    ),
    replace_bad_bytes=st.booleans(),
    chunk_size=st.sampled_from([0, 1, 2, 3, 5, 8, 64]),
)


def test_seeds_pass_unmutated() -> None:
    for number, (data, column) in enumerate(fuzzing.SEEDS):
        if data is fuzzing.STRAY_QUOTES:
            continue  # a regression file of its own
        case = fuzzing.Case(data, column)
        assert fuzzing.check(case, fuzzing.run(case)) == [], f"seed {number}"


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow])
@given(CASES)
def test_damaged_exports(case: fuzzing.Case) -> None:
    assert fuzzing.check(case, fuzzing.run(case)) == []


@pytest.mark.parametrize(
    "path",
    [pytest.param(path, marks=_known(path.name)) for path in fuzzing.regression_files()],
    ids=lambda path: path.name,
)
def test_regression(path: Path) -> None:
    case = fuzzing.load(path)
    assert fuzzing.check(case, fuzzing.run(case)) == []
