"""The place answers the C scan keeps whatever the birth date hold at every date.

`compare_any_date` and the tables made from it (`nir._accel.place_name_table`)
let the scan settle a place cell without asking again; `compare` is the verdict
at one date. A sure answer must be `compare`'s at any date.
"""

from __future__ import annotations

import marshal
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nir import _accel, _csvio, _geo, _identity, _place_keys, _rules
from nir._identity_place import (
    compare,
    compare_any_date,
    department_of,
    moved_from_data,
    names_index,
)
from nir._identity_values import QUALIFIER, Declared, read_place

# (cell, reason): names the scan settles by table
NAMES = [
    ("Fayet", "homonyms in two departments (02, 12)"),
    ("Saint-Martin", "15 homonyms, and the collectivity"),
    ("Sainte-Marie", "13 homonyms, overseas too"),
    ("Levallois-Perret", "Seine (75044) before 1968, Hauts-de-Seine (92044) since"),
    ("Paris", "a city of arrondissements"),
    ("Bastia", "Corsica: 20033 before 1976, 2B033 since"),
    ("Ajaccio", "Corsica: 20004 before 1976, 2A004 since"),
    ("Vignes", "a commune merged into another in 2019"),
    ("La Courneuve", "Seine-Saint-Denis: a Seine commune before 1968"),
    ("Colombières", "a commune of one department"),
    ("Saint-Mandé", "Val-de-Marne (94): Algeria's 94 before 1962"),
    ("Massy", "homonyms, one in Essonne (91): Algeria's 91 before 1962"),
]
# number places of every sort: the names' own, their neighbours, Seine and Corsica,
# North Africa (91-96) and abroad, overseas, and a sample of every department
PLACES = sorted(
    {
        *("02303", "12099", "02304", "75044", "92044", "93027", "75056", "75104", "20033"),
        *("2B033", "2A004", "20004", "89448", "91044", "92050", "99352", "99126", "97801"),
        *("97127", "97418", "14168", "13055", "13201", "78646", "94067", "91377"),
        *(code for index, code in enumerate(sorted(_geo._load().communes)) if index % 97 == 0),
    }
)
DATES = st.dates(date(1906, 1, 1), date(2026, 12, 31))


def _table(cell: str) -> tuple[int, set[str]]:
    declared = read_place(cell)
    assert declared is not None
    table = _accel.place_name_table(declared)
    codes = table[2:].decode()
    return table[0], {codes[i : i + 5] for i in range(0, len(codes), 5)}


def _a_country_then(place: str, start: date) -> bool:
    """Whether a North African code named a country at `start` (the scan then asks)."""
    entry = _rules.NORTH_AFRICA.get(place[:2])
    return entry is not None and start < entry.independence


def _mismatches(department: int, place: str) -> bool:
    """What the scan reads in place_mismatch for a name of `department`'s communes."""
    ours = department_of(place)
    if department == _accel.NO_DEPARTMENT or ours not in _accel._DEPARTMENTS:
        return False
    row = _accel._DEPARTMENTS.index(ours)
    return bool(_accel.place_mismatch_table()[row * len(_accel._DEPARTMENTS) + department])


@pytest.mark.parametrize(("cell", "reason"), NAMES)
@settings(max_examples=30)  # x 10 names: a few seconds
@given(place=st.sampled_from(PLACES), start=DATES, days=st.integers(1, 62))
def test_name_tables_hold_at_every_date(
    cell: str, reason: str, place: str, start: date, days: int
) -> None:
    declared = read_place(cell)
    assert declared is not None
    department, matches = _table(cell)
    verdict = compare(place, declared, start, start + timedelta(days=days))
    if place in matches and not _a_country_then(place, start):
        assert verdict == "match", (reason, place, start)
    elif _mismatches(department, place):
        assert verdict == "mismatch", (reason, place, start)
    sure = compare_any_date(place, declared)
    assert sure is None or sure == verdict, (reason, place, start)


@pytest.mark.parametrize(
    ("cell", "place", "expected", "reason"),
    [
        ("Fayet", "02303", "match", "one homonym"),
        ("Fayet", "12099", "match", "the other"),
        ("Fayet", "14168", "mismatch", "an unrelated department: no date needed"),
        ("Fayet", "02304", None, "the homonym's department: the date decides"),
        ("Levallois-Perret", "75044", "match", "its Seine code"),
        ("Levallois-Perret", "13055", "mismatch", "Marseille"),
        ("Levallois-Perret", "75056", None, "Paris: a Seine code, the date decides"),
        ("Bastia", "20033", "match", "its code before 1976"),
        ("Bastia", "2A004", None, "Corsica: the date decides"),
        ("Colombières", "91044", None, "91: Algeria before 1962"),
        ("Rillieux-la-Pape", "01326", None, "Ain's Rillieux moved to the Rhône (69286)"),
        ("Rillieux-la-Pape", "14168", "mismatch", "Caen: no commune of it moved there"),
    ],
)
def test_compare_any_date_of_names(
    cell: str, place: str, expected: str | None, reason: str
) -> None:
    declared = read_place(cell)
    assert declared is not None
    assert compare_any_date(place, declared) == expected, reason


@pytest.mark.parametrize(
    ("cell", "dated", "reason"),
    [
        ("Fayet", _accel.NAME_DATED, "communes only: compared one by one at the date"),
        ("Saint-Mandé", _accel.NAME_DATED, "a Seine code and a 94 one (Algeria's before 1962)"),
        ("Paris", 0, "a department's name too (75): asked"),
        ("Saint-Martin", 0, "the collectivity's department too (978): asked"),
        ("Nowhere-sur-Mer", 0, "not a name of the data: asked"),
    ],
)
def test_name_tables_say_when_their_communes_settle_a_date(
    cell: str, dated: int, reason: str
) -> None:
    declared = read_place(cell)
    assert declared is not None
    assert _accel.place_name_table(declared)[1] == dated, reason


def test_the_builds_cache_holds_every_names_table(tmp_path: Path) -> None:
    path = tmp_path / "names.marshal"
    _accel.write_names_cache(str(path))
    read = _accel.read_names_cache(str(path))
    assert read is not None
    kept, spellings, moved = read
    assert moved == moved_from_data(), "the moved departments' pairs, as the data gives them"
    assert ("38", "69") in moved, "Isère's communes moved to the Rhône"
    names = names_index()
    qualified = {key for key in kept if QUALIFIER in key}
    assert set(kept) - qualified == set(names), "one table per folded name of the data"
    # and one per data name a cell reads as qualified, as read_place reads it
    assert {"paris|1er", "marseille|2e", "marshall|iles", "tcheque|republique"} <= qualified
    for key in [*sorted(names)[::50], *sorted(qualified)]:  # a sample: ~60,000 instructions each
        assert kept[key] == _accel.place_name_table(Declared("name", key)), key
    assert sorted(spellings) == ["cp1252", "utf-8"], "each encoding nir csv reads"
    built = _accel._names_cache()
    assert built is None or built == read, "the build's cache, when there is one"
    path.write_bytes(marshal.dumps((b"\0\0\0\0", kept, spellings, moved)))
    assert _accel.read_names_cache(str(path)) is None, "a stale stamp"
    path.write_bytes(marshal.dumps((kept, spellings)))
    assert _accel.read_names_cache(str(path)) is None, "an older build's form"
    path.write_bytes(marshal.dumps((_accel._spans_stamp(), kept, spellings)))
    assert _accel.read_names_cache(str(path)) is None, "the form before the moved pairs"
    path.write_bytes(b"junk")
    assert _accel.read_names_cache(str(path)) is None, "not a cache"
    assert _accel.read_names_cache(str(tmp_path / "none.marshal")) is None, "no cache"


def _records(spellings: bytes) -> dict[bytes, bytes]:
    """keep_names' records (cell -> table), as _speedups.c reads them."""
    records, at = {}, 0
    while at < len(spellings):
        cell = spellings[at + 1 : at + 1 + spellings[at]]
        at += 1 + len(cell)
        records[cell] = spellings[at + 1 : at + 1 + spellings[at]]
        at += 1 + spellings[at]
    return records


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_the_spellings_kept_are_the_datas_with_place_codes_answers(encoding: str) -> None:
    # What the C scan is given beforehand must be what RowChecker.place_codes would
    # answer for the same bytes, for every name of the shipped data that encodes.
    tables = _accel.place_name_tables()
    if tables is None:
        pytest.skip("no build cache (a source checkout): nothing is kept beforehand")
    records = _records(_accel.name_spellings(encoding))
    names = _place_keys.spellings()
    target = _accel.SPELLING_ENCODINGS[encoding]  # the same cells with or without a BOM
    written = {name.encode(target) for name in names if _encodes(name, target)}
    junk = {cell for cell in written if not _identity.place_matches(cell.decode(target))}
    assert {"Néant".encode(target)} <= junk, "a junk word of the data (no name: b'')"
    assert set(records) == written - junk, "each spelling the encoding writes, no other"
    assert len(records) > 38_000
    for cell, table in list(records.items())[::20]:  # a sample: ~5 us each
        text = cell.decode(target)
        assert table == _identity.place_matches(text) != b"", text
    assert records["Colombières".encode(target)] == _identity.place_matches("COLOMBIERES")
    assert _accel.name_spellings("latin-1") == b"", "an encoding nir csv does not read"


def test_spellings_are_kept_for_every_encoding_nir_csv_reads() -> None:
    assert set(_accel.SPELLING_ENCODINGS) == set(_csvio.ENCODINGS)


def _encodes(name: str, encoding: str) -> bool:
    try:
        name.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True
