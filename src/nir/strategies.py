"""Hypothesis strategies for NIRs (needs ``pip install 'nir[hypothesis]'``).

* `nirs` -- valid numbers drawn by `nir.generate`'s generator (same options), compact
  or, with ``formatted=True``, typed the ways people and spreadsheets type them;
* `nias` -- NIAs (born abroad, often with a fictitious month);
* `invalid_nirs` -- numbers failing with exactly one error code.

Every draw is a hypothesis draw (``st.randoms``), so failures shrink towards simple
numbers and replay from the database. ``st.from_type(nir.Nir)`` works too: nir
registers a strategy for `nir.Nir` through hypothesis's entry point.
"""

from __future__ import annotations

from datetime import date
from random import Random

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "nir.strategies needs hypothesis: install it with pip install 'nir[hypothesis]'"
    ) from error

from nir._generate import ERROR_CODES, BornOption, Drawer, KindName, Request
from nir._model import format_compact

__all__ = ["invalid_nirs", "nias", "nirs"]

# Ways a valid number gets typed (all accepted by nir.compact), simplest first.
_SEPARATORS = (" ", ".", "-", "\N{NO-BREAK SPACE}", "\N{NARROW NO-BREAK SPACE}", "  ")


def _randoms() -> st.SearchStrategy[Random]:
    return st.randoms(use_true_random=False, note_method_calls=False)


def _request(**options: object) -> Request:
    try:
        return Request.checked(**options)  # type: ignore[arg-type]
    except ValueError as error:
        raise InvalidArgument(str(error)) from error


def _numbers(request: Request, reference_date: date | None) -> st.SearchStrategy[str]:
    def draw(random: Random) -> str:
        return request.person(Drawer(random.random, today=reference_date)).number

    return _randoms().map(draw)


@st.composite
def _typed(draw: st.DrawFn, number: str) -> str:
    """`number` with separators and spreadsheet noise, as an export holds it."""
    separator = draw(st.sampled_from(_SEPARATORS))
    text = draw(st.sampled_from([format_compact(number, separator), number]))
    if draw(st.booleans()):
        text = text.lower()  # 2a/2b
    if draw(st.booleans()):
        text = "'" + text  # a spreadsheet's "text" marker
    padding = st.sampled_from(["", " ", "\t", "\N{NO-BREAK SPACE}"])
    return draw(padding) + text + draw(padding)


def nirs(
    *,
    sex: str | None = None,
    born: BornOption = None,
    kind: KindName | None = None,
    place: str | None = None,
    formatted: bool = False,
    reference_date: date | None = None,
) -> st.SearchStrategy[str]:
    """Valid numbers with `nir.generate`'s options; needs hypothesis.

    Compact by default; ``formatted=True`` adds separators (spaces, dots, hyphens,
    no-break spaces), lower case, a leading apostrophe and padding, which
    `nir.validate` accepts. Wrong options raise ``InvalidArgument`` at call time.
    """
    request = _request(sex=sex, born=born, kind=kind, place=place)
    numbers = _numbers(request, reference_date)
    return numbers.flatmap(_typed) if formatted else numbers


def nias(
    *,
    sex: str | None = None,
    born: BornOption = None,
    formatted: bool = False,
    reference_date: date | None = None,
) -> st.SearchStrategy[str]:
    """NIAs (waiting numbers: born abroad, often a fictitious month); needs hypothesis."""
    return nirs(sex=sex, born=born, kind="nia", formatted=formatted, reference_date=reference_date)


def invalid_nirs(
    code: str | None = None,
    *,
    sex: str | None = None,
    born: BornOption = None,
    reference_date: date | None = None,
) -> st.SearchStrategy[str]:
    """Numbers that `nir.validate` rejects with error `code`; None: any code. Needs hypothesis.

    ``"temporary"`` numbers fail only with ``allow_temporary=False``; the other codes
    fail with the default options.
    """
    codes = [code] if code is not None else [c for c in ERROR_CODES if c != "temporary"]
    for one in codes:
        _request(invalid=one)  # refuses an unknown code now, not at the first draw
    strategies: list[st.SearchStrategy[str]] = [
        _numbers(_request(sex=sex, born=born, invalid=one), reference_date) for one in codes
    ]
    return st.one_of(strategies)
