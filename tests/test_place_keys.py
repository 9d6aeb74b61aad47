"""`nir._place_keys` holds what `nir._geo`'s tables say, in the identity checks' form.

Its names and spans are read from the same files without `Place` records: they
must be the image of those records (folded name, code, period), every one.
"""

from __future__ import annotations

from nir import _geo
from nir._identity_values import name_key
from nir._place_keys import OPEN, place_keys


def test_names_are_the_tables_names() -> None:
    tables = _geo._load()
    expected: dict[str, tuple[set[str], set[str], set[str]]] = {}
    for slot, table in enumerate((tables.communes, tables.departments, tables.countries)):
        for code, periods in table.items():
            for period in periods:
                expected.setdefault(name_key(period.name), (set(), set(), set()))[slot].add(code)
    names = place_keys().names
    assert names.keys() == expected.keys()
    for key, codes in names.items():
        assert tuple(set(part) for part in codes) == expected[key], key
        assert all(list(part) == sorted(part) for part in codes), key


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
