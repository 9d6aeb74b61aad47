"""Shared test helpers: build numbers with python-stdnum's key (an independent oracle)."""

from __future__ import annotations

from datetime import date

from stdnum.fr import nir as stdnum_nir

import nir
from nir import messages
from nir._bulk import verdict
from nir.messages import ParamValue

# Every test that depends on "today" uses this date, so results never drift.
REFERENCE_DATE = date(2026, 11, 23)


def with_key(body: str) -> str:
    """A 13-character body (spaces allowed) plus its key, computed by python-stdnum."""
    compact = body.replace(" ", "")
    return compact + stdnum_nir.calc_check_digits(compact)


class Recorder:
    """A `slow` callback for `scan`: records its calls, returns bytes made from them."""

    def __init__(self) -> None:
        self.calls: list[tuple[bytes, bytes, int]] = []

    def __call__(self, body: bytes, end: bytes, line: int) -> bytes:
        self.calls.append((body, end, line))
        return b"<%s|%s|%d>" % (body, end, line)


# The reference date of the judges below (only its year and month matter).
JUDGE_OPTIONS = nir.Options(reference_date=REFERENCE_DATE)


def rules_verdict(field: bytes) -> tuple[str, bytes, str, str, tuple[str, ...]]:
    """The Python rules' verdict on an ASCII field, as `scan`'s judge returns it.

    French, in UTF-8: the scans' message cells then hold non-ASCII bytes.
    """
    result = verdict(field.decode("ascii"), JUDGE_OPTIONS)
    message = result.message("fr").encode()
    return result.code, message, result.number, result.kind, result.warnings


class Judge:
    """A `judge` callback for `scan`: the rules' verdict, recorded; None for fields
    holding a "z" (which sends the record to `slow`)."""

    def __init__(self) -> None:
        self.calls: list[bytes] = []

    def __call__(self, field: bytes) -> tuple[str, bytes, str, str, tuple[str, ...]] | None:
        self.calls.append(field)
        return None if b"z" in field else rules_verdict(field)


def render_fr(code: str, params: tuple[ParamValue, ...]) -> bytes:
    """The scans' `render`: French in UTF-8, so that non-ASCII bytes go through both cores."""
    return messages.render_values(code, params, "fr").encode()
