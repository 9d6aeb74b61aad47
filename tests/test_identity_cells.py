"""The compiled scan's own readings of sex and date cells agree with nir._identity.

The C scan reads the usual date cells itself (`date_cell`) and the one-byte sex cells
by a table made from the run's own answers (`_accel.sex_cell_table`): both must give
exactly what RowChecker.cell_class gives, or leave the cell to it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nir
from nir import _accel, _csvio
from nir._identity import CELL_EMPTY, date_class, sex_class

from .conftest import compiled_or_skip, using_core
from .helpers import REFERENCE_DATE

DECLINED = -1


def cell_answer(cell: bytes) -> int:
    """What RowChecker.cell_class answers for a date cell (utf-8)."""
    text = cell.decode("utf-8", errors="replace").strip()
    return date_class(text) if text else CELL_EMPTY


# (cell, what the C reader gives, reason)
DATES = [
    (b"12/08/1955", 19550812, "French, slashes"),
    (b"12-08-1955", 19550812, "French, hyphens"),
    (b"12.08.1955", 19550812, "French, dots"),
    (b"1955-08-12", 19550812, "ISO"),
    (b"29/02/2000", 20000229, "29 February of a leap year (400)"),
    (b"29/02/1996", 19960229, "29 February of a leap year (4)"),
    (b"29/02/1900", 1, "1900 is no leap year"),
    (b"29/02/1955", 1, "a common year"),
    (b"31/02/1955", 1, "31 February"),
    (b"31/04/1955", 1, "31 April"),
    (b"00/01/1955", 1, "day 0"),
    (b"01/00/1955", 1, "month 0"),
    (b"01/13/1955", 1, "month 13"),
    (b"01/01/0000", 1, "year 0"),
    (b"0001-01-01", 10101, "the first year"),
    (b"31/12/9999", 99991231, "the last year"),
    (b"12/08-1955", DECLINED, "two separators"),
    (b"1955/08/12", DECLINED, "ISO with slashes: left to Python"),
    (b"1955.08.12", DECLINED, "ISO with dots"),
    (b" 2/08/1955", DECLINED, "a space"),
    (b"12/08/1955 ", DECLINED, "an extra character"),
    (b"2/8/1955", DECLINED, "one-digit fields: left to Python"),
    (b"12/0a/1955", DECLINED, "a letter"),
    (b"1955-08-12T00:00", DECLINED, "a time"),
    (b"12081955", DECLINED, "eight digits"),
    (b"", DECLINED, "empty"),
]


@pytest.mark.parametrize(("cell", "expected", "reason"), DATES)
def test_date_cell(cell: bytes, expected: int, reason: str) -> None:
    compiled = compiled_or_skip()
    assert compiled.date_cell(cell) == expected, reason
    if expected != DECLINED:
        assert expected == cell_answer(cell), reason


DIGIT = st.sampled_from("0123456789")
NEAR = st.sampled_from("0123456789/-. a\t")


@st.composite
def date_like(draw: st.DrawFn) -> bytes:
    """A date of the usual shapes, with near misses in any position."""
    day, month = draw(st.integers(0, 39)), draw(st.integers(0, 19))
    year = draw(st.integers(0, 9999))
    separator = draw(st.sampled_from("/-."))
    iso = draw(st.booleans())
    text = (
        f"{year:04d}-{month:02d}-{day:02d}"
        if iso
        else f"{day:02d}{separator}{month:02d}{separator}{year:04d}"
    )
    chars = list(text)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(chars) - 1))
        chars[at] = draw(NEAR)
    if draw(st.booleans()):
        chars.insert(draw(st.integers(0, len(chars))), draw(NEAR))
    return "".join(chars).encode("ascii")


@given(st.one_of(date_like(), st.binary(max_size=12)))
def test_date_cell_declines_or_agrees(cell: bytes) -> None:
    compiled = compiled_or_skip()
    read = compiled.date_cell(cell)
    assert read in {DECLINED, cell_answer(cell)}


def test_sex_cell_table_is_the_answer_of_each_cell() -> None:
    table = _accel.sex_cell_table(cell_answer_sex)
    assert len(table) == 257
    assert table[ord("M")] == sex_class("M")
    assert table[ord("F")] == sex_class("F")
    assert table[256] == CELL_EMPTY
    assert table[ord(" ")] == CELL_EMPTY
    assert _accel.sex_cell_table(lambda _cell: 1000)[0] == _accel.SEX_ASK


def cell_answer_sex(cell: bytes) -> int:
    text = cell.decode("utf-8", errors="replace").strip()
    return sex_class(text) if text else CELL_EMPTY


HEADER = b"nir;sexe;date_naissance;lieu_naissance\r\n"
WOMAN = b"255081416802538"
MAN = b"183127511600413"
# Rows for the new paths: every date shape, sex tokens, quoted rows, short rows, line ends
ROWS = [
    WOMAN + b";F;14/08/1955;81416\r\n",
    WOMAN + b";M;14-08-1955;81416\r\n",
    WOMAN + b";2;14.08.1955;81416\n",
    WOMAN + b";1;1955-08-14;81416\n",
    WOMAN + b";f;1956-08-14;\r\n",
    WOMAN + b";F;14/09/1955\r\n",
    WOMAN + b";F\r\n",
    WOMAN + b"\r\n",
    WOMAN + b";;;\r\n",
    WOMAN + b"; ;31/02/1955;\r\n",
    WOMAN + b";\xe9;29/02/1955;\r\n",
    WOMAN + b";Mme;14/8/1955;\r\n",
    WOMAN + b";X;00/00/0000;\r\n",
    WOMAN + b';"F";"14/08/1955";"81416"\r\n',
    WOMAN + b';"M";14/08/1955;81416\r\n',
    MAN + b";H;01/12/1983;75116\r\n",
    MAN + b";M;01/12/2030;75116\r\n",
    MAN + b";M;01/12/1883;75116\r",
    b"255081416802583;F;14/08/1955;81416\r\n",
    # a name of 13 codes (one of them the number's: 97418), in the C memo's table
    b"255089741800121;F;14/08/1955;Sainte-Marie\r\n",
    b"255080522700187;F;14/08/1955;SAINTE MARIE\r\n",
    # Paris and its arrondissements, settled in C (_same_city by the city bits)
    b"183127505600132;M;01/12/1983;75116\r\n",
    b"183127505600132;M;01/12/1983;75121\r\n",
    b"183127505600132;M;01/12/1983;13055\r\n",
    b"183127511600472;M;01/12/1983;75056\r\n",
    b"183127511600472;M;01/12/1983;75117\r\n",
    b"183127511600472;M;01/12/1983;69123\r\n",
    # a wrong key and non-ASCII cells: text beside them, or perhaps only whitespace
    b"255081416802583;F;14/08/1955;Saint-\xc3\x89tienne\r\n",
    b"255081416802583;F;14/08/1955;Cr\xc3\xa9chy\n",
    b"255081416802583;\xc2\xa0;;\r\n",
    b"255081416802583;;;\xc2\xa0\r\n",
    b"255081416802583;\xc2\xa0;\xc2\xa0;\xc2\xa0 \r\n",
]
WIDE = b";".join(b"c%d" % i for i in range(30)) + b";nir;sexe;date_naissance\n"


def run(data: bytes, jobs: int, *, only_invalid: bool = False) -> tuple[bytes, _csvio.Summary]:
    sink = io.BytesIO()
    config = _csvio.CsvConfig(
        options=nir.Options(reference_date=REFERENCE_DATE), jobs=jobs, only_invalid=only_invalid
    )
    summary = _csvio.process(io.BytesIO(data), sink, config)
    return sink.getvalue(), summary


@pytest.mark.parametrize("only_invalid", [False, True])
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (HEADER + b"".join(ROWS), "identity columns after the number"),
        (b"sexe;date_naissance;nir\n" + b"F;14/08/1955;" + WOMAN + b"\n", "before the number"),
        (WIDE + b"x;" * 30 + WOMAN + b";M;14/08/1955\n", "columns after the kept ones"),
    ],
)
def test_both_cores_and_threads_write_the_same(
    data: bytes, reason: str, only_invalid: bool
) -> None:
    compiled = compiled_or_skip()
    rows = data + data.split(b"\n", 1)[1] * 3000  # past one C stretch, into several pieces
    with using_core(None):
        expected = run(rows, 1, only_invalid=only_invalid)
    with using_core(compiled):
        assert run(rows, 1, only_invalid=only_invalid) == expected, reason
        assert run(rows, 2, only_invalid=only_invalid) == expected, reason


# (number, sex cell, date cell, reason): rows the C shortcut for a sex and a date
# column (agreeing_split) settles, and rows it must leave to the whole check
LAST_CELLS = [
    (WOMAN, b"F", b"14/08/1955", "agrees: settled by the shortcut"),
    (WOMAN, b"2", b"01-08-1955", "agrees, hyphens"),
    (WOMAN, b"", b"31.08.1955", "no sex, dots"),
    (WOMAN, b"M", b"14/08/1955", "the sex contradicts"),
    (WOMAN, b"F", b"14/09/1955", "the month contradicts"),
    (WOMAN, b"F", b"14/08/1956", "the year contradicts"),
    (WOMAN, b"F", b"32/08/1955", "no such day: checks nothing"),
    (WOMAN, b"F", b"", "no date"),
    (WOMAN, b"F", b"14/08/19555", "a date one character long"),
    (WOMAN, b"F", b"14/08/195", "a date one character short"),
    (WOMAN, b"Mme", b"14/08/1955", "a sex cell of three bytes"),
    (b"183127511600472", b"H", b"01/12/1983", "a valid man"),
    (b"255201416802512", b"F", b"14/20/1955", "month 20: no such month"),
    (MAN, b"M", b"01/12/1983", "a wrong key: no identity check"),
]
# (columns, line end, after the last field, reason): the identity cells last in the row
LAST_LAYOUTS = [
    ((0, 1, 2), b"\r\n", b"", "nir;sexe;date_naissance, CRLF"),
    ((0, 1, 2), b"\n", b"", "nir;sexe;date_naissance, LF"),
    ((0, 2, 1), b"\r\n", b"", "nir;date_naissance;sexe, CRLF"),
    ((0, 2, 1), b"\n", b"", "nir;date_naissance;sexe, LF"),
    ((1, 0, 2), b"\r\n", b"", "sexe;nir;date_naissance: the sex cell first"),
    ((2, 0, 1), b"\n", b"", "date_naissance;nir;sexe: the date cell first"),
    ((0, 1, 2), b"\r\n", b";", "a trailing delimiter, CRLF"),
    ((0, 2, 1), b"\n", b";", "a trailing delimiter, LF"),
    ((0, 1, 2), b"\r", b"", "CR line ends"),
]


@pytest.mark.parametrize(("order", "end", "trailing", "reason"), LAST_LAYOUTS)
def test_cores_agree_when_the_identity_cells_end_the_row(
    order: tuple[int, int, int], end: bytes, trailing: bytes, reason: str
) -> None:
    compiled = compiled_or_skip()
    header = (b"nir", b"sexe", b"date_naissance")
    lines = [b";".join(header[i] for i in order) + trailing]
    for number, sex, date, _reason in LAST_CELLS:
        fields = [(number, sex, date)[i] for i in order]
        lines.append(b";".join(fields) + trailing)
        lines.append(b";".join(fields[:-1]))  # a short row: no last cell
        lines.append(b";".join(fields[:-1]) + b";")  # its last cell empty
    body = end.join(lines[1:]) + end
    data = lines[0] + end + body * 200 + body.rstrip(b"\r\n")  # the last line unended
    with using_core(None):
        expected = run(data, 1)
    assert expected[1].identity_checked, reason  # the rows check something
    with using_core(compiled):
        assert run(data, 1) == expected, reason
        assert run(data, 2) == expected, reason


# Cells around the number's own facts: the C shortcut for agreeing rows (sex by the
# table, a DD/MM/YYYY date whose month and year digits are the number's) and the
# suggestion filters (candidates dropped by the row's sex and date) against Python.
NUMBERS = st.sampled_from(
    [
        WOMAN,  # 2 55 08: a woman born in August 1955
        MAN,  # 1 83 12, a wrong key
        b"183127511600472",  # 1 83 12, valid: a man
        b"255081416802583",  # a wrong key: suggestions, filtered by the row's cells
        b"25508141680253",  # a missing digit
        b"255201416802512",  # month 20 (fictitious)
        b"755081416802578",  # a temporary number
        b"855081416802525",
        b"2550814168025381",  # a digit too many
    ]
)
SEX_CELLS = st.sampled_from([b"1", b"2", b"M", b"F", b"H", b"f", b"X", b"", b" ", b"Mme"])
DAYS = st.sampled_from([b"00", b"01", b"14", b"29", b"31"])
MONTHS = st.sampled_from([b"00", b"02", b"08", b"12", b"13", b"20"])
YEARS = st.sampled_from([b"1955", b"2055", b"1855", b"1983", b"2030", b"0000"])


@st.composite
def date_cells(draw: st.DrawFn) -> bytes:
    day, month, year = draw(DAYS), draw(MONTHS), draw(YEARS)
    separator = draw(st.sampled_from([b"/", b"-", b".", b"iso"]))
    if separator == b"iso":
        return year + b"-" + month + b"-" + day
    cell = day + separator + month + separator + year
    if draw(st.booleans()):  # a date that is not one: the C shortcut must not take it
        index = draw(st.sampled_from([0, 1, 2, 5, 6, 7]))
        junk = draw(st.sampled_from([b"x", b" ", b"/", b":", b"5"]))
        cell = cell[:index] + junk + cell[index + 1 :]
    return cell


@st.composite
def rows_near_their_facts(draw: st.DrawFn) -> tuple[bytes, bytes, bytes]:
    """A number, a sex cell, a date cell: half the dates in the number's own month and
    year (the rows the C shortcut settles, or must leave alone)."""
    number = draw(NUMBERS)
    if draw(st.booleans()):
        return number, draw(SEX_CELLS), draw(date_cells())
    separator = draw(st.sampled_from([b"/", b"-", b"."]))
    century = draw(st.sampled_from([b"19", b"20", b"18", b"x9", b"1 "]))
    day = draw(st.sampled_from([b"14", b"31", b"00", b"1x", b" 1"]))
    cell = day + separator + number[3:5] + separator + century + number[1:3]
    return number, draw(SEX_CELLS), cell


# The three columns in every order: the C shortcut reads the cells from the split's
# bounds, the first field's from the row's start.
ORDERS = st.permutations([0, 1, 2])


def assert_cores_agree(
    header: tuple[bytes, ...], rows: Sequence[tuple[bytes, ...]], order: list[int], end: bytes
) -> None:
    """The compiled scan writes what the Python one does, the columns in `order`."""
    compiled = compiled_or_skip()
    data = b";".join(header[i] for i in order) + end
    data += b"".join(b";".join(row[i] for i in order) + end for row in rows)
    with using_core(None):
        expected = run(data, 1)
    with using_core(compiled):
        assert run(data, 1) == expected


@given(st.lists(rows_near_their_facts(), min_size=1, max_size=30), ORDERS)
def test_cores_agree_on_cells_around_the_numbers_facts(
    rows: list[tuple[bytes, bytes, bytes]], order: list[int]
) -> None:
    assert_cores_agree((b"nir", b"sexe", b"date_naissance"), rows, order, b"\r\n")


# With a birth-place column too: the C shortcut also settles a row whose place cell is
# the number's own code, when that code fits at the birth (a North African head: at
# the day of the date cell).
PLACED_NUMBERS = st.sampled_from(
    [
        WOMAN,  # place 14168
        b"183127511600472",  # Paris 16e
        b"155039135202572",  # 91 352 in March 1955: Algeria then, a country
        b"165039135202567",  # 91 352 in 1965: after independence
        b"162079135202584",  # 91 352 in July 1962: Algeria until the 3rd, by the date cell
        b"280089205012352",  # 92 050 in 1980: Hauts-de-Seine
        b"255089935202580",  # born abroad (99 352)
        b"755081416802578",  # a temporary number: no birth place
        b"255081416802583",  # a wrong key
    ]
)


@st.composite
def rows_with_a_place(draw: st.DrawFn) -> tuple[bytes, bytes, bytes, bytes]:
    """A number, a sex cell, a date cell and a place cell, most of them the number's
    own facts (the rows the C shortcut settles, or must leave alone)."""
    number = draw(PLACED_NUMBERS)
    separator = draw(st.sampled_from([b"/", b"-", b"."]))
    century = draw(st.sampled_from([b"19", b"20"]))
    date = draw(st.sampled_from([b"14", b"01", b"31"])) + separator + number[3:5] + separator
    date = date + century + number[1:3] if draw(st.booleans()) else draw(date_cells())
    own = number[5:10]
    place = draw(
        st.sampled_from(
            [
                own,
                own,
                own.lower(),
                own[:4] + b"9",
                b"",
                b" " + own,
                own + b" ",
                b"75056",
                b"75116",
                b"99352",
                b"Paris",
                b"Colombi\xc3\xa8res",
            ]
        )
    )
    return number, draw(st.sampled_from([b"F", b"M", b"1", b"2", b""])), date, place


@given(st.lists(rows_with_a_place(), min_size=1, max_size=30), st.permutations([0, 1, 2, 3]))
def test_cores_agree_with_a_place_column(
    rows: list[tuple[bytes, bytes, bytes, bytes]], order: list[int]
) -> None:
    header = (b"nir", b"sexe", b"date_naissance", b"lieu_naissance")
    assert_cores_agree(header, rows, order, b"\n")
