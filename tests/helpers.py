"""Shared test helpers: build numbers with python-stdnum's key (an independent oracle)."""

from __future__ import annotations

from datetime import date

from stdnum.fr import nir as stdnum_nir

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
