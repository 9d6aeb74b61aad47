"""The place data as the identity checks read it: folded names, codes, day spans.

`nir._identity_place` compares names (`name_key`), never the `Place` records of
`nir._geo`: this form holds only what it reads, as strings and day numbers (a
quarter of the memory of `nir._geo`'s tables, and read in a third of the time).
It comes from the same files by the same reader (`nir._geo._rows`), on first use.

Reading them takes ~0.5 s (a name folded per name, a date parsed per date): the
build (setup.py) therefore keeps what `_read` makes, marshalled, beside this module
(`CACHE_FILE`, never committed), with a stamp of what made it: the data files and
the code that reads them. A cache whose stamp differs, or no cache (a source
checkout), is ignored: `_read` runs, so ``data/`` stays the one source.
"""

from __future__ import annotations

import gc
import marshal
import threading
import zlib
from datetime import date
from pathlib import Path
from typing import NamedTuple

from nir import _data, _geo, _identity_values
from nir._identity_values import name_key

CACHE_FILE = Path(__file__).with_name("_place_keys.marshal")
"""What `_read` makes, as `write_cache` keeps it (built by setup.py, git-ignored)."""
_SOURCES = (_geo.COMMUNES_FILE, _geo.DEPARTMENTS_FILE, _geo.COUNTRIES_FILE)
_CACHE_FORMAT = 2

OPEN = date.max.toordinal() + 1
"""The day number ending a span still valid (no `valid_to`)."""

Span = tuple[str, int, int]
"""One period of a commune code: its folded name, first day, day after (ordinals)."""


class NameCodes(NamedTuple):
    """The codes a folded name has had: communes, departments, countries (sorted, as the files).

    `north_africa` holds the codes 91-96 of the name of a territory of Algeria,
    Morocco or Tunisia before independence ("Alger" 91, "Maroc" 95), apart from
    `departments` (the departments of France: "Essonne" 91 since 1968): the same
    code named two places, and a name says which.
    """

    communes: tuple[str, ...]
    departments: tuple[str, ...]
    countries: tuple[str, ...]
    north_africa: tuple[str, ...]


class PlaceKeys(NamedTuple):
    """Folded name -> its codes; commune code -> its spans, in the file's order."""

    names: dict[str, NameCodes]
    communes: dict[str, tuple[Span, ...]]


_lock = threading.Lock()
_keys: list[PlaceKeys] = []
_stamps: list[int] = []  # `stamp`, made once (keys_stamp)


def place_keys() -> PlaceKeys:
    """The one `PlaceKeys` of the shipped data, read on first use."""
    if not _keys:
        with _lock:
            if not _keys:
                # ~100,000 small objects without cycles: the cyclic GC, paused, would
                # otherwise walk them again and again (two thirds of the time)
                was_enabled = gc.isenabled()
                gc.disable()
                try:
                    _keys.append(_cached() or _read())
                finally:
                    if was_enabled:
                        gc.enable()
    return _keys[0]


def keys_stamp() -> int:
    """`stamp`, made once (~14 ms: it reads the data files) for all that checks it.

    The cache of the keys (`_cached`, `write_cache`) and the build's tables made
    from them (`nir._accel`, checked without reading the keys: a run of place
    names needs only those).
    """
    if not _stamps:
        _stamps.append(stamp())
    return _stamps[0]


def stamp() -> int:
    """A checksum of what `_read` depends on: the data files and the readers' code."""
    value = _CACHE_FORMAT
    for name in _SOURCES:
        value = zlib.crc32(_data.read_bytes(name), value)
    for module in (__file__, _identity_values.__file__, _geo.__file__):
        value = zlib.crc32(Path(module).read_bytes(), value)
    return value


def write_cache(path: Path = CACHE_FILE) -> None:
    """Keep what `_read` makes, with its `stamp`, in `path` (the build calls it)."""
    keys = _read()
    names = {key: tuple(codes) for key, codes in keys.names.items()}
    path.write_bytes(marshal.dumps((keys_stamp(), names, keys.communes)))


def _cached(path: Path = CACHE_FILE) -> PlaceKeys | None:
    """What `write_cache` kept in `path`, when its stamp is today's; else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        kept, names, communes = marshal.loads(data)  # noqa: S302  # our own build's file
    except (EOFError, ValueError, TypeError):
        return None
    if kept != keys_stamp():
        return None
    new = tuple.__new__  # NameCodes as its own __new__ makes it, without a call each
    return PlaceKeys({key: new(NameCodes, codes) for key, codes in names.items()}, communes)


def _read() -> PlaceKeys:
    keys: dict[str, str] = {}  # name -> folded name, each made once
    days: dict[str, int] = {"": OPEN}
    # folded name -> codes, one list per kind (communes, departments, countries,
    # North Africa's): the files are sorted by code, so a code is in a list already
    # only as its last one
    found: tuple[dict[str, list[str]], ...] = ({}, {}, {}, {})
    communes: dict[str, list[Span]] = {}
    for slot, table in enumerate((_geo.COMMUNES_FILE, _geo.DEPARTMENTS_FILE, _geo.COUNTRIES_FILE)):
        for code, name, _country, start, end, kind in _geo._rows(table):  # noqa: SLF001  # the one reader
            key = keys.get(name)
            if key is None:
                key = keys[name] = name_key(name)
            codes_of = found[3 if kind == _geo.NORTH_AFRICA_KIND else slot]
            codes = codes_of.get(key)
            if codes is None:
                codes_of[key] = [code]
            elif codes[-1] != code:
                codes.append(code)
            if slot == 0:
                first = days.get(start)
                if first is None:
                    first = days[start] = date.fromisoformat(start).toordinal()
                after = days.get(end)
                if after is None:
                    after = days[end] = date.fromisoformat(end).toordinal()
                spans = communes.get(code)
                if spans is None:
                    communes[code] = [(key, first, after)]
                else:
                    spans.append((key, first, after))
    in_communes, in_departments, in_countries, in_north_africa = found
    none: tuple[str, ...] = ()
    names = {
        key: NameCodes(
            tuple(in_communes.get(key, none)),
            tuple(in_departments.get(key, none)),
            tuple(in_countries.get(key, none)),
            tuple(in_north_africa.get(key, none)),
        )
        for key in {*in_communes, *in_departments, *in_countries, *in_north_africa}
    }
    return PlaceKeys(names, {code: tuple(spans) for code, spans in communes.items()})


def spellings() -> list[str]:
    """Every name of the data as its files write it (communes, departments, countries), sorted.

    The cells a national export most often holds: the build keeps each one's table
    for the C scan (`nir._accel.spelling_records`).
    """
    names = {
        name
        for table in (_geo.COMMUNES_FILE, _geo.DEPARTMENTS_FILE, _geo.COUNTRIES_FILE)
        for _code, name, *_rest in _geo._rows(table)  # noqa: SLF001  # the one reader
    }
    return sorted(names)
