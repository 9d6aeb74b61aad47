"""Hypothesis strategies that build valid numbers from their parts.

`numbers` covers every layout evenly (some with warnings); `realistic` is the
library's own `nir.strategies.nirs`, numbers as files hold them; the tests use both.
"""

from __future__ import annotations

from hypothesis import strategies as st

from nir.strategies import nirs

from .helpers import REFERENCE_DATE, with_key

DOCUMENTED_MONTHS = [f"{m:02d}" for m in [*range(1, 13), 20, *range(30, 43), *range(50, 100)]]
MAINLAND = [f"{d:02d}" for d in range(1, 96) if d != 20]
OVERSEAS = ["971", "972", "973", "974", "975", "976", "977", "978", "984", "985", "986", "987"]
OVERSEAS += ["988", "989"]


@st.composite
def places(draw: st.DrawFn) -> str:
    """Positions 6-10: mainland, Corsica, overseas or abroad."""
    layout = draw(st.sampled_from(["mainland", "corsica", "overseas", "abroad"]))
    if layout == "mainland":
        return draw(st.sampled_from(MAINLAND)) + f"{draw(st.integers(1, 999)):03d}"
    if layout == "corsica":
        return draw(st.sampled_from(["2A", "2B", "20"])) + f"{draw(st.integers(1, 999)):03d}"
    if layout == "overseas":
        return draw(st.sampled_from(OVERSEAS)) + f"{draw(st.integers(1, 90)):02d}"
    return "99" + f"{draw(st.integers(1, 999)):03d}"


@st.composite
def bodies(draw: st.DrawFn, first_digits: str = "12") -> str:
    """A 13-character body: sex, year, month, place, order."""
    sex = draw(st.sampled_from(first_digits))
    year = f"{draw(st.integers(0, 99)):02d}"
    month = draw(st.sampled_from(DOCUMENTED_MONTHS))
    order = f"{draw(st.integers(1, 999)):03d}"
    return sex + year + month + draw(places()) + order


def numbers(first_digits: str = "12") -> st.SearchStrategy[str]:
    """Well-formed 15-character numbers with the right key (some may carry warnings)."""
    return bodies(first_digits).map(with_key)


# Places whose meaning depends on the birth date (nir._parse: North Africa, Corsica,
# Mayotte, Saint-Barthelemy/Saint-Martin), a place that never does, and place errors.
DATED_PLACES = ["96001", "96373", "91352", "94001", "95001", "20004", "2A004", "2B099"]
DATED_PLACES += ["98501", "97601", "97701", "75056", "00056", "96000", "97900"]


@st.composite
def dated_numbers(draw: st.DrawFn) -> str:
    """Numbers (right key, any first digit) whose verdict may depend on the century."""
    sex = draw(st.sampled_from("1212123478"))
    year = f"{draw(st.integers(0, 99)):02d}"
    month = draw(st.sampled_from([*DOCUMENTED_MONTHS, "21", "00"]))
    return with_key(sex + year + month + draw(st.sampled_from(DATED_PLACES)) + "001")


def realistic(*, formatted: bool = False) -> st.SearchStrategy[str]:
    """Valid numbers from `nir.strategies.nirs`, at the tests' reference date."""
    return nirs(formatted=formatted, reference_date=REFERENCE_DATE)


def any_valid() -> st.SearchStrategy[str]:
    """Either kind: even coverage of the layouts, or realistic numbers."""
    return st.one_of(numbers(), realistic())
