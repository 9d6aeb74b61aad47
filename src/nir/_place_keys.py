"""The place data as the identity checks read it: folded names, codes, day spans.

`nir._identity_place` compares names (`name_key`), never the `Place` records of
`nir._geo`: this form holds only what it reads, as strings and day numbers (a
quarter of the memory of `nir._geo`'s tables, and read in a third of the time).
It comes from the same files by the same reader (`nir._geo._rows`), on first use.

Reading them takes ~0.5 s (a name folded per name, a date parsed per date): the
build (setup.py) therefore keeps what `_read` makes, marshalled, beside this module
(`CACHE_FILE`, never committed), with a stamp of what made it: the data files and
the code that reads them. A cache whose stamp differs, or no cache (a source
checkout), is ignored: `_read` runs, so ``data/`` stays the one source. The cache
keeps each table in `Buckets`, read as they are asked for: most runs ask a few names.
"""

from __future__ import annotations

import gc
import marshal
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import NamedTuple, TypeVar

from nir import _data, _geo, _identity_values
from nir._identity_values import name_key

CACHE_FILE = Path(__file__).with_name("_place_keys.marshal")
"""What `_read` makes, as `write_cache` keeps it (built by setup.py, git-ignored)."""
_SOURCES = (_geo.COMMUNES_FILE, _geo.DEPARTMENTS_FILE, _geo.COUNTRIES_FILE)
_CACHE_FORMAT = 3
BUCKETS = 256
"""How many parts the cache cuts each table into (`Buckets`): ~150 names or codes each."""

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
    """Folded name -> its codes; commune code -> its spans (in the file's order).

    Tables to look up, not to walk in an order: the cache's (`Buckets`) go bucket by
    bucket.
    """

    names: Mapping[str, NameCodes]
    communes: Mapping[str, tuple[Span, ...]]


V = TypeVar("V")


def bucket_of(key: str, count: int) -> int:
    """The bucket of `key` among `count`: a hash that is the same in every process."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % count


class Buckets(Mapping[str, V]):
    """A table kept as marshalled buckets (`bucket_of`), each read the first time it is asked.

    A run that compares a few names reads a few buckets (~0.1 ms each), not the
    whole table: that was ~90 ms, paid by the first row whose check needed the
    place data in Python (one row of two million, say).
    """

    __slots__ = ("_make", "_open", "_packed")

    def __init__(self, packed: tuple[bytes, ...], make: Callable[[object], V]) -> None:
        self._packed = packed
        self._make = make
        self._open: list[dict[str, V] | None] = [None] * len(packed)

    def _bucket(self, index: int) -> dict[str, V]:
        bucket = self._open[index]
        if bucket is None:
            make = self._make
            loaded = marshal.loads(self._packed[index])  # noqa: S302  # our own build's file
            bucket = self._open[index] = {key: make(value) for key, value in loaded.items()}
        return bucket

    def __getitem__(self, key: object) -> V:
        if not isinstance(key, str):  # as a dict of str keys says it
            raise KeyError(key)
        return self._bucket(bucket_of(key, len(self._packed)))[key]

    def get(self, key: object, default: V | None = None) -> V | None:  # type: ignore[override]
        if not isinstance(key, str):
            return default
        return self._bucket(bucket_of(key, len(self._packed))).get(key, default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._bucket(bucket_of(key, len(self._packed)))

    def __iter__(self) -> Iterator[str]:
        for index in range(len(self._packed)):
            yield from self._bucket(index)

    def __len__(self) -> int:
        return sum(len(self._bucket(index)) for index in range(len(self._packed)))


def packed(table: Mapping[str, object], count: int = BUCKETS) -> tuple[bytes, ...]:
    """`table` cut into `count` buckets by `bucket_of`, each marshalled: what `Buckets` reads."""
    buckets: list[dict[str, object]] = [{} for _ in range(count)]
    for key, value in table.items():
        buckets[bucket_of(key, count)][key] = value
    return tuple(marshal.dumps(bucket) for bucket in buckets)


_lock = threading.Lock()
_keys: list[PlaceKeys] = []
_stamps: list[int] = []  # `stamp`, made once (keys_stamp)


def place_keys() -> PlaceKeys:
    """The one `PlaceKeys` of the shipped data, read on first use."""
    if not _keys:
        with _lock:
            if not _keys:
                # without the cache, ~100,000 small objects without cycles: the cyclic
                # GC, paused, would otherwise walk them again and again (two thirds of
                # the time)
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
    path.write_bytes(marshal.dumps((keys_stamp(), packed(names), packed(keys.communes))))


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
    if kept != keys_stamp() or not _all_bytes(names) or not _all_bytes(communes):
        return None
    return PlaceKeys(Buckets(names, _name_codes), Buckets(communes, _spans))


def _all_bytes(buckets: object) -> bool:
    return isinstance(buckets, tuple) and all(isinstance(bucket, bytes) for bucket in buckets)


def _name_codes(codes: object) -> NameCodes:
    """NameCodes as its own __new__ makes it, without a call to it."""
    return tuple.__new__(NameCodes, codes)  # type: ignore[arg-type]


def _spans(spans: object) -> tuple[Span, ...]:
    return spans  # type: ignore[return-value]  # marshalled so by write_cache


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
