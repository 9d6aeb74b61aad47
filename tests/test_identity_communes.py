"""The C scan's dated comparison of two commune codes against nir._identity_place's.

The compiled scan settles a commune cell against the number's commune at the birth
date with `nir._accel.commune_spans_table` (no Python call); the pure core asks
`nir._identity_place.compare`, the reference. Both must write the same bytes.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nir
from nir import _accel, _csvio, _identity
from nir._place_keys import place_keys

from .conftest import compiled_or_skip, using_core
from .helpers import REFERENCE_DATE, with_key

HEADER = "nir;date_naissance;lieu_naissance\n"


def run(data: bytes) -> bytes:
    sink = io.BytesIO()
    config = _csvio.CsvConfig(options=nir.Options(reference_date=REFERENCE_DATE), jobs=1)
    _csvio.process(io.BytesIO(data), sink, config)
    return sink.getvalue()


def row(sex: str, born: date, place: str, day_cell: str, cell: str) -> str:
    number = with_key(f"{sex}{born:%y%m}{place}001")
    return f"{number};{day_cell};{cell}\n"


def both_cores(text: str) -> bytes:
    compiled = compiled_or_skip()
    with using_core(None):
        expected = run(text.encode())
    with using_core(compiled):
        assert run(text.encode()) == expected
    return expected


def mismatches(output: bytes) -> list[bool]:
    return [b"birth_place" in line for line in output.splitlines()[1:]]


# (number's place, birth date, date cell, commune cell, birth place mismatch, reason)
TABLE = [
    ("02116", date(1950, 5, 15), "15/05/1950", "02118", False, "both named Braye in 1950"),
    ("02116", date(1960, 5, 15), "15/05/1960", "02118", True, "02116 is Braye-en-Thiérache"),
    ("02116", date(1956, 2, 23), "23/02/1956", "02118", False, "the day before the rename"),
    ("02116", date(1956, 2, 24), "24/02/1956", "02118", True, "the day of the rename"),
    ("02116", date(1956, 2, 10), "", "02118", False, "no date: February 1956 holds both names"),
    ("02116", date(1960, 5, 15), "15/05/1961", "02118", True, "another year: May 1960"),
    ("02333", date(1965, 5, 15), "15/05/1965", "02332", False, "Fresnes: 02332's old name"),
    ("02333", date(1950, 5, 15), "15/05/1950", "02332", True, "02333 was Fresnes-sous-Coucy"),
    ("02333", date(1950, 5, 15), "15/05/1950", "02999", False, "a code the data lacks"),
    ("75044", date(1960, 5, 15), "15/05/1960", "92044", False, "Seine before 1968: 92044"),
    ("75044", date(1960, 5, 15), "15/05/1960", "92004", True, "another commune of 92"),
    ("75044", date(1960, 5, 15), "15/05/1960", "92045", False, "a 92 code the data lacks"),
    ("78146", date(1970, 5, 15), "15/05/1970", "92044", True, "Seine-et-Oise after 1968"),
    ("38233", date(1965, 5, 15), "15/05/1965", "69282", False, "Meyzieu, Isère's until 1967"),
    ("69282", date(1990, 5, 15), "15/05/1990", "38233", False, "its old code, for a later birth"),
    ("38233", date(1965, 5, 15), "15/05/1965", "69283", True, "another Rhône commune"),
    ("38185", date(1965, 5, 15), "15/05/1965", "69282", True, "another Isère commune"),
    ("75044", date(1970, 5, 15), "15/05/1970", "92044", True, "75044 given after 1968: not so"),
    ("69385", date(1960, 5, 15), "15/05/1960", "69389", False, "the 9th, made of the 5th in 1964"),
    ("69385", date(1970, 5, 15), "15/05/1970", "69389", True, "the 9th and the 5th, both then"),
    ("75056", date(1960, 5, 15), "15/05/1960", "75116", False, "Paris and an arrondissement"),
    ("75116", date(1960, 5, 15), "15/05/1960", "75056", False, "an arrondissement and Paris"),
    ("75116", date(1980, 5, 15), "", "75117", True, "two arrondissements"),
    ("69123", date(1980, 5, 15), "15/05/1980", "69389", False, "Lyon's last arrondissement"),
    ("13055", date(1980, 5, 15), "15/05/1980", "13216", False, "Marseille's last one"),
    ("13055", date(1980, 5, 15), "15/05/1980", "75116", True, "not Paris's"),
    ("13216", date(1980, 5, 15), "15/05/1980", "69123", True, "nor Lyon's"),
    ("91352", date(1950, 5, 15), "15/05/1950", "91352", True, "Algeria then: not a commune"),
    ("20004", date(1970, 5, 15), "15/05/1970", "2A004", False, "Corsica before 1976"),
    ("97123", date(1990, 5, 15), "15/05/1990", "97701", False, "Saint-Barthélemy's one name"),
    ("97123", date(2010, 5, 15), "15/05/2010", "97701", True, "971 is not 977 after 2007"),
]


@pytest.mark.parametrize(
    ("place", "born", "day_cell", "cell", "mismatch", "reason"),
    TABLE,
    ids=[entry[-1] for entry in TABLE],
)
def test_commune_cells(
    place: str, born: date, day_cell: str, cell: str, mismatch: bool, reason: str
) -> None:
    output = both_cores(HEADER + row("1", born, place, day_cell, cell))
    assert mismatches(output) == [mismatch], reason


def test_the_table_knows_every_code_of_the_data() -> None:
    table = _accel.commune_spans_table()
    departments = len(_accel._DEPARTMENTS)  # the table's layout
    codes = departments * 1000
    starts = memoryview(table).cast("H")[2 + departments**2 :][: codes + 1]
    assert starts[-1] == sum(len(spans) for spans in place_keys().communes.values())


# Communes of departments that were split, merged or renamed, and the days their
# names changed: the pairs the dated comparison sees.
_COMMUNES = place_keys().communes
_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("02", "16", "05"),
    ("75", "78", "91", "92", "93", "94", "95"),
    ("2A", "2B", "20"),
    ("971", "977", "978"),
    ("976", "985"),
)
_CODES = {
    family: sorted(code for code in _COMMUNES if code[: len(family[0])] in family)
    for family in _FAMILIES
}
_OPEN = date.max.toordinal()


@st.composite
def commune_rows(draw: st.DrawFn) -> str:
    family = draw(st.sampled_from(_FAMILIES))
    codes = _CODES[family]
    place = draw(st.sampled_from(codes[:400]) if codes else st.just(family[0] + "001"))
    department = draw(st.sampled_from(family))
    cell = draw(
        st.sampled_from(
            [
                draw(st.sampled_from(codes[:400])) if codes else place,
                department + place[len(department) :],
                place,
            ]
        )
    )
    days = [day for _, first, after in _COMMUNES.get(place, ()) for day in (first, after)]
    days = [day for day in days if day < _OPEN] or [date(1960, 1, 1).toordinal()]
    born = date.fromordinal(draw(st.sampled_from(days))) + timedelta(
        days=draw(st.integers(-40, 40))
    )
    born = min(born, REFERENCE_DATE - timedelta(days=1))
    day_cell = draw(
        st.sampled_from([f"{born:%d/%m/%Y}", "", f"{born.day:02d}/{born.month:02d}/1899"])
    )
    return row(draw(st.sampled_from("12")), born, place, day_cell, cell)


@given(st.lists(commune_rows(), min_size=1, max_size=20))
def test_cores_agree_on_commune_cells_around_their_changes(rows: list[str]) -> None:
    both_cores(HEADER + "".join(rows))


def test_the_compiled_scan_asks_python_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = compiled_or_skip()
    asked: list[str] = []
    ask = _identity.place_class

    def place_class(text: str, head: str, born_day: int, today: date) -> int:
        asked.append(text)
        return ask(text, head, born_day, today)

    monkeypatch.setattr(_csvio, "place_class", place_class)
    rows = "".join(row("1", born, place, day, cell) for place, born, day, cell, _, _ in TABLE)
    with using_core(compiled):
        run((HEADER + rows).encode())
    assert asked == []  # cities too: nir._identity_place.city_parts


def test_the_builds_cache_holds_the_tables(tmp_path: Path) -> None:
    built = (_accel._mismatch_table(), _accel._spans_table())
    assert (_accel.place_mismatch_table(), _accel.commune_spans_table()) == built  # cache or made
    path = tmp_path / "tables.bin"
    _accel.write_tables_cache(str(path))
    assert _accel.cached_tables(str(path)) == built
    path.write_bytes(b"\0\0\0\0" + b"".join(built))
    assert _accel.cached_tables(str(path)) is None, "a stale stamp"
    path.write_bytes(_accel._spans_stamp())
    assert _accel.cached_tables(str(path)) is None, "cut short"
    assert _accel.cached_tables(str(tmp_path / "none.bin")) is None, "no cache"
