"""INSEE place codes (communes, departments, countries) with their validity periods.

A NIR names the birth place by the code valid *at the birth date*, so every lookup
takes a date window. The tables are CSV files built by ``scripts/build_data.py``; they
are read lazily, once, on the first lookup, so ``import nir`` stays cheap.

>>> from datetime import date
>>> [p.name for p in communes("75044", date(1960, 1, 1), date(1960, 2, 1))]
['Levallois-Perret']
>>> departments("75", date(1960, 1, 1), date(1961, 1, 1))[0].name
'Seine'
"""

from __future__ import annotations

import csv
import functools
import gc
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from nir._data import data_vintage, read_bytes, read_meta

__all__ = [
    "Place",
    "clear_cache",
    "communes",
    "countries",
    "data_vintage",
    "departments",
    "is_loaded",
    "known_commune",
    "known_country",
    "known_department",
]

COMMUNES_FILE = "insee_communes.csv"
DEPARTMENTS_FILE = "insee_departments.csv"
COUNTRIES_FILE = "insee_countries.csv"
_HEADERS = {
    COMMUNES_FILE: "code,name,department,valid_from,valid_to,kind",
    DEPARTMENTS_FILE: "code,name,country,valid_from,valid_to,kind",
    COUNTRIES_FILE: "code,name,valid_from,valid_to,kind",
}

NORTH_AFRICA_KIND = "afrique-du-nord"
"""The kind of the departments file's rows of 91-96 before independence."""

# Lower ranks first among equally good matches: the place a person is "from".
_KIND_RANK = {
    "commune": 0,
    "arrondissement-municipal": 0,
    "departement": 0,
    "collectivite-outre-mer": 0,
    NORTH_AFRICA_KIND: 0,
    "pays": 0,
    "commune-associee": 1,
    "commune-deleguee": 2,
}


class Place(NamedTuple):
    """One validity period of one INSEE code.

    ``valid_to`` is exclusive; ``None`` means still valid. ``department`` is set for
    communes, ``country`` (3-digit INSEE code) for the pre-independence North-Africa
    departments 91-96.
    """

    code: str
    name: str
    kind: str
    valid_from: date
    valid_to: date | None
    department: str | None = None
    country: str | None = None

    def overlap_days(self, start: date, end: date) -> int:
        """Days of [start, end) this period covers (0 if disjoint)."""
        lo = max(start, self.valid_from)
        hi = end if self.valid_to is None else min(end, self.valid_to)
        return max((hi - lo).days, 0)


Index = dict[str, tuple[Place, ...]]


@dataclass(frozen=True, slots=True)
class _Tables:
    communes: Index
    departments: Index
    countries: Index
    meta: dict[str, str]


_ONE_DAY = timedelta(days=1)
_lock = threading.Lock()
_tables: _Tables | None = None


def _read_text(name: str) -> str:
    """Text of a data file: packaged copy first (wheel), else the repo's ``data/``."""
    return read_bytes(name).decode("utf-8")


def _rows(name: str) -> Iterator[list[str]]:
    """Rows of one table as 6 fields: code, name, parent, valid_from, valid_to, kind.

    One at a time: a reader keeps only what it makes of them (a list of the
    46,000 rows would be 20 MB at the peak of the load).
    """
    text = _read_text(name)
    header, _, body = text.partition("\n")
    if header != _HEADERS[name]:
        raise ValueError(f"{name}: unexpected header {header!r}")
    lines = body.splitlines()
    # A plain split is 3x faster than csv; quoted fields (names with commas) need csv.
    rows = csv.reader(lines) if '"' in body else (line.split(",") for line in lines)
    if name == COUNTRIES_FILE:  # no parent column
        return ([code, place, "", start, end, kind] for code, place, start, end, kind in rows)
    return rows


def _index(name: str) -> Index:
    """Read one table into code -> periods sorted by start date (the file's order)."""
    in_department = name == COMMUNES_FILE
    from_iso = date.fromisoformat
    dates: dict[str, date] = {}
    new = tuple.__new__  # skips NamedTuple.__new__'s argument handling: 2x faster load
    index: Index = {}
    previous = ""
    bucket: list[Place] = []
    for code, place, parent, start, end, kind in _rows(name):
        valid_from = dates.get(start)
        if valid_from is None:
            valid_from = dates[start] = from_iso(start)
        valid_to = dates.get(end) if end else None
        if end and valid_to is None:
            valid_to = dates[end] = from_iso(end)
        fields = (
            (code, place, kind, valid_from, valid_to, parent or None, None)
            if in_department
            else (code, place, kind, valid_from, valid_to, None, parent or None)
        )
        if code != previous:
            if bucket:
                index[previous] = tuple(bucket)
            bucket = []
            previous = code
        bucket.append(new(Place, fields))
    if bucket:
        index[previous] = tuple(bucket)
    return index


def _load() -> _Tables:
    """Load every table once; later calls return the same object."""
    global _tables  # noqa: PLW0603 - the one lazily filled module cache
    tables = _tables
    if tables is not None:
        return tables
    with _lock:
        if _tables is None:
            # ~45,000 small objects: pausing the cyclic GC (they hold no cycles) cuts the
            # load time by a third.
            was_enabled = gc.isenabled()
            gc.disable()
            try:
                meta = read_meta()
                _tables = _Tables(
                    communes=_index(COMMUNES_FILE),
                    departments=_index(DEPARTMENTS_FILE),
                    countries=_index(COUNTRIES_FILE),
                    meta=meta,
                )
            finally:
                if was_enabled:
                    gc.enable()
        return _tables


def is_loaded() -> bool:
    """Whether the tables have been read (they are only read on first use)."""
    return _tables is not None


def clear_cache() -> None:
    """Forget the loaded tables (for benchmarks of the cold load)."""
    global _tables  # noqa: PLW0603
    with _lock:
        _tables = None
        _departments_only.cache_clear()


def _find(index: Index, code: str, start: date, end: date) -> tuple[Place, ...]:
    periods = index.get(code)
    if periods is None:
        return ()
    if end <= start:
        end = start + _ONE_DAY
    hits = [p for p in periods if p[3] < end and (p[4] is None or start < p[4])]
    if len(hits) < 2:  # the usual case: no sorting needed
        return tuple(hits)
    # Most days of the window first, then the main kinds, then the latest period.
    lo, hi = start.toordinal(), end.toordinal()
    ranked = sorted(
        (
            max(lo, p[3].toordinal()) - (hi if p[4] is None else min(hi, p[4].toordinal())),
            _KIND_RANK.get(p[2], 9),
            -p[3].toordinal(),
            i,
        )
        for i, p in enumerate(hits)
    )
    return tuple(hits[key[3]] for key in ranked)


def communes(code: str, start: date, end: date) -> tuple[Place, ...]:
    """Communes/arrondissements coded ``code`` valid at some point of [start, end).

    Most relevant first: the period covering most of the window, then communes and
    arrondissements before associated and delegated communes.
    """
    tables = _tables if _tables is not None else _load()
    return _find(tables.communes, code.upper(), start, end)


def departments(code: str, start: date, end: date) -> tuple[Place, ...]:
    """Departments (incl. historical 20, 75 Seine, 78, 91-96, 985) valid in [start, end)."""
    tables = _tables if _tables is not None else _load()
    return _find(tables.departments, code.upper(), start, end)


def department_periods(code: str) -> tuple[Place, ...]:
    """Every period of department `code`, in the file's order.

    From the departments table alone (125 rows) until the tables are loaded: the
    identity checks ask for it without needing the 46,000 communes' (~20 MB).
    """
    tables = _tables
    index = tables.departments if tables is not None else _departments_only()
    return index.get(code.upper(), ())


@functools.cache
def _departments_only() -> Index:
    return _index(DEPARTMENTS_FILE)


def countries(code: str, start: date, end: date) -> tuple[Place, ...]:
    """Countries by 3-digit INSEE code (``"330"``, without the ``99``) valid in [start, end)."""
    tables = _tables if _tables is not None else _load()
    return _find(tables.countries, code, start, end)


def known_commune(code: str) -> bool:
    """Whether ``code`` was a commune or arrondissement code at any date covered."""
    return code.upper() in _load().communes


def known_department(code: str) -> bool:
    """Whether ``code`` was a department or collectivity code at any date covered."""
    return code.upper() in _load().departments


def known_country(code: str) -> bool:
    """Whether ``code`` (3 digits, no ``99``) is a known INSEE country code."""
    return code in _load().countries
