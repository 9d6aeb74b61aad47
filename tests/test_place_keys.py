"""`nir._place_keys` holds what `nir._geo`'s tables say, in the identity checks' form.

Its names and spans are read from the same files without `Place` records: they
must be the image of those records (folded name, code, period), every one.
"""

from __future__ import annotations

import marshal
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest

from nir import _data, _geo, _place_keys
from nir._identity_values import name_key
from nir._place_keys import OPEN, NameCodes, place_keys


def test_names_are_the_tables_names() -> None:
    tables = _geo._load()
    expected: dict[str, tuple[set[str], set[str], set[str], set[str]]] = {}
    for slot, table in enumerate((tables.communes, tables.departments, tables.countries)):
        for code, periods in table.items():
            for period in periods:
                kind = 3 if period.kind == _geo.NORTH_AFRICA_KIND else slot
                found = expected.setdefault(name_key(period.name), (set(), set(), set(), set()))
                found[kind].add(code)
    names = place_keys().names
    assert names.keys() == expected.keys()
    for key, codes in names.items():
        assert tuple(set(part) for part in codes) == expected[key], key
        assert all(list(part) == sorted(part) for part in codes), key


@pytest.mark.parametrize(
    ("name", "departments", "countries", "north_africa", "reason"),
    [
        ("essonne", ("91",), (), (), "a department since 1968"),
        ("alger", (), (), ("91",), "91 before 1962: Algeria's, not a department of France"),
        ("territoires du sud", (), (), ("94",), "Algeria's 94"),
        ("maroc", (), ("350",), ("95",), "the country, and its 95 before 1956"),
        ("tunisie", (), ("351",), ("96",), "the country, and its 96 before 1956"),
        ("algerie", (), ("352",), (), "the country only: its territories had other names"),
        ("france", (), ("100",), (), "France is a country of the data (99100)"),
        ("seine", ("75",), (), (), "Seine, a department of France until 1968"),
    ],
)
def test_the_shipped_names_of_departments_and_territories(
    name: str,
    departments: tuple[str, ...],
    countries: tuple[str, ...],
    north_africa: tuple[str, ...],
    reason: str,
) -> None:
    codes = place_keys().names[name]
    assert (codes.departments, codes.countries, codes.north_africa) == (
        departments,
        countries,
        north_africa,
    ), reason


def test_spans_are_the_communes_periods() -> None:
    communes = _geo._load().communes
    spans = place_keys().communes
    assert spans.keys() == communes.keys()
    for code, periods in communes.items():
        assert spans[code] == tuple(
            (
                name_key(p.name),
                p.valid_from.toordinal(),
                OPEN if p.valid_to is None else p.valid_to.toordinal(),
            )
            for p in periods
        ), code


def test_read_once() -> None:
    assert place_keys() is place_keys()


def test_the_built_cache_is_what_the_reader_makes(tmp_path: Path) -> None:
    path = tmp_path / "keys.marshal"
    _place_keys.write_cache(path)
    cached = _place_keys._cached(path)
    assert cached == _place_keys._read()
    assert cached is not None
    assert all(type(codes) is NameCodes for codes in cached.names.values())


def test_buckets_are_the_table_they_were_cut_from() -> None:
    table = {f"name {n}": (str(n), n) for n in range(1000)}
    buckets: _place_keys.Buckets[tuple[str, int]] = _place_keys.Buckets(
        _place_keys.packed(table, 16), lambda value: cast("tuple[str, int]", value)
    )
    assert dict(buckets) == table
    assert len(buckets) == len(table)
    assert buckets["name 7"] == ("7", 7)
    assert buckets.get("name 7") == ("7", 7)
    assert buckets.get("absent") is None, "a key no bucket holds"
    assert buckets.get("absent", ("d", 0)) == ("d", 0), "the default given"
    assert "name 999" in buckets
    assert "absent" not in buckets
    assert cast("object", 7) not in buckets, "not a str: in no bucket, and no error"
    assert buckets.get(cast("str", 7)) is None, "not a str: the default, as a dict's get"
    with pytest.raises(KeyError):
        buckets["absent"]
    with pytest.raises(KeyError):
        buckets[cast("str", None)]  # not a str: KeyError, as a dict says it


def test_a_look_up_reads_one_bucket_only() -> None:
    table = {f"name {n}": n for n in range(1000)}
    buckets = _place_keys.Buckets(_place_keys.packed(table, 16), lambda value: cast("int", value))
    assert buckets.get("name 3") == 3
    assert sum(bucket is not None for bucket in buckets._open) == 1


def test_buckets_are_the_same_in_every_process() -> None:
    # the build cuts the table in one process, a run reads it in another: not hash()
    code = "from nir._place_keys import bucket_of; print(bucket_of('saint denis', 256))"
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert seen == {f"{_place_keys.bucket_of('saint denis', 256)}\n"}


def test_the_shipped_place_data_is_read_by_the_cache_when_built() -> None:
    # an install (editable or wheel) builds it; a bare source checkout has none
    if not _place_keys.CACHE_FILE.is_file():
        pytest.skip("no built cache beside the code")
    assert _place_keys._cached() == _place_keys._read()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(None, id="no file: a source checkout reads data/"),
        pytest.param(b"", id="an empty file"),
        pytest.param(b"\x00garbage", id="not marshal data"),
        pytest.param(marshal.dumps((0, {}, {})), id="another stamp: data or readers changed since"),
        pytest.param(marshal.dumps([1, 2]), id="marshal, not a cache's shape"),
    ],
)
def test_a_cache_not_of_todays_data_is_ignored(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "keys.marshal"
    if content is not None:
        path.write_bytes(content)
    assert _place_keys._cached(path) is None


def test_the_stamp_follows_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    stamp = _place_keys.stamp()
    read = _data.read_bytes
    monkeypatch.setattr(
        _data,
        "read_bytes",
        lambda name: read(name) + (b"\n" if name == _geo.COMMUNES_FILE else b""),
    )
    assert _place_keys.stamp() != stamp
