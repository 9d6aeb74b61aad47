"""`nir csv` on real workbooks: .xlsx/.xlsm/.ods in, .xlsx reports out.

Spreadsheet dates have no time zone: the datetimes here are naive on purpose.
"""

# ruff: noqa: DTZ001

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from unittest.mock import patch

import msoffcrypto.format.ooxml
import pytest
import python_calamine
import xlsxwriter
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from nir import _sheets, cli

from .conftest import compiled_or_skip

VALID = "255081416802538"
CORSICAN = "269092A001234"  # born in 2A, typed as text; 13 characters: no key
HEADER = ["nom", "nir", "naissance", "salaire"]


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def staff_workbook(tmp_path: Path) -> Path:
    return make_xlsx(tmp_path / "export.xlsx")


def make_xlsx(path: Path, sheet: str = "Staff", leading_blank_rows: int = 0) -> Path:
    """A workbook as HR sends it: the NIR as a number cell, a date, a 2A typed as text."""
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Cover")
    sheet_ = book.add_worksheet(sheet)
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    top = leading_blank_rows
    sheet_.write_row(top, 0, HEADER)
    sheet_.write_string(top + 1, 0, "Dupont")
    sheet_.write_number(top + 1, 1, float(VALID))
    sheet_.write_datetime(top + 1, 2, datetime(1955, 8, 1), day)
    sheet_.write_number(top + 1, 3, 2500.5)
    sheet_.write_string(top + 2, 0, "Casanova\nPaoli")  # a cell on two lines
    sheet_.write_string(top + 2, 1, CORSICAN)
    sheet_.write_datetime(top + 2, 2, datetime(1969, 9, 1), day)
    sheet_.write_number(top + 2, 3, 3000)
    book.close()
    return path


def make_ods(path: Path) -> Path:
    """A minimal OpenDocument spreadsheet: a float cell, a date cell, a text cell."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )

    def text(value: str) -> str:
        cell = '<table:table-cell office:value-type="string">'
        return f"{cell}<text:p>{value}</text:p></table:table-cell>"

    rows = [
        text("nir") + text("naissance"),
        (
            f'<table:table-cell office:value-type="float" office:value="{VALID}"/>'
            '<table:table-cell office:value-type="date" office:date-value="1955-08-01"/>'
        ),
        text(CORSICAN) + text(""),
    ]
    body = "".join(f"<table:table-row>{row}</table:table-row>" for row in rows)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body>'
        f'<office:spreadsheet><table:table table:name="Feuille1">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def rows_of(output: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(output)))


# (cell, its text, why)
CELLS = [
    (255081416802538.0, VALID, "a NIR stored as a double: every digit, no .0"),
    (255081416802538, VALID, "the same as an int"),
    (2.55081416802538e14, VALID, "the same number in scientific notation"),
    (2500.5, "2500.5", "a fraction stays a fraction"),
    (2.0**53, "9007199254740992.0", "beyond exact integers: not passed off as exact"),
    ("2A", "2A", "text as typed"),
    (True, "TRUE", "a boolean as Excel shows it"),
    (date(1955, 8, 1), "1955-08-01", "a date cell as ISO text"),
    (datetime(1955, 8, 1, 12, 30), "1955-08-01T12:30:00", "a date and time as ISO text"),
    ("", "", "an empty cell"),
]


@pytest.mark.parametrize(("cell", "text", "reason"), CELLS)
def test_cell_text(cell: _sheets.Cell, text: str, reason: str) -> None:
    assert _sheets.cell_text(cell) == text, reason


@pytest.mark.parametrize(
    ("suffix", "sheet_option"),
    [(".xlsx", ["--sheet", "Staff"]), (".xlsm", ["--sheet", "2"])],
)
def test_workbook_in_csv_out(tmp_path: Path, suffix: str, sheet_option: list[str]) -> None:
    book = make_xlsx(tmp_path / f"export{suffix}", leading_blank_rows=2)
    code, out, err = run("csv", str(book), *sheet_option)
    assert code == 1, err
    rows = rows_of(out)
    assert rows[0][:4] == HEADER
    assert rows[1][:4] == ["Dupont", VALID, "1955-08-01", "2500.5"]
    assert rows[2][:4] == ["Casanova\nPaoli", CORSICAN, "1969-09-01", "3000"]
    # nir_line is the spreadsheet row (blank rows above, a two-line cell before)
    assert [row[4] for row in rows[1:]] == ["4", "5"]
    assert [row[5] for row in rows[1:]] == ["true", "false"]
    assert "2 rows: 1 valid, 1 invalid (key_missing 1)" in err


def test_first_sheet_by_default(tmp_path: Path) -> None:
    book = make_xlsx(tmp_path / "export.xlsx")
    code, _, err = run("csv", str(book))
    assert code == 2, "the first sheet, Cover, is empty"
    assert "empty" in err


def test_ods(tmp_path: Path) -> None:
    code, out, err = run("csv", str(make_ods(tmp_path / "export.ods")))
    assert code == 1, err
    assert [row[:3] for row in rows_of(out)[1:]] == [
        [VALID, "1955-08-01", "2"],
        [CORSICAN, "", "3"],
    ]


def password_protected(tmp_path: Path) -> Path:
    plain = make_xlsx(tmp_path / "plain.xlsx")
    locked = tmp_path / "locked.xlsx"
    with plain.open("rb") as source, locked.open("wb") as target:
        msoffcrypto.format.ooxml.OOXMLFile(source).encrypt("secret", target)
    return locked


def truncated(tmp_path: Path) -> Path:
    book = make_xlsx(tmp_path / "whole.xlsx")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(book.read_bytes()[:500])
    return cut


def not_a_workbook(tmp_path: Path) -> Path:
    path = tmp_path / "export.xlsx"
    path.write_text(f"nir\n{VALID}\n", encoding="utf-8")
    return path


# (make the input, extra options, words of the message in fr, why)
BAD = [
    (staff_workbook, ["--sheet", "Paie"], "il n'y a pas de feuille 'Paie'", "no such sheet name"),
    (staff_workbook, ["--sheet", "3"], "'Cover', 'Staff'", "a sheet number too big lists sheets"),
    (password_protected, [], "protégé par un mot de passe", "an encrypted workbook"),
    (truncated, [], "le classeur est illisible", "half a download"),
    (not_a_workbook, [], "le classeur est illisible", "a CSV named .xlsx"),
]


@pytest.mark.parametrize(("make", "options", "words", "reason"), BAD)
def test_bad_workbooks_exit_2(
    tmp_path: Path, make: Callable[[Path], Path], options: list[str], words: str, reason: str
) -> None:
    path = make(tmp_path)
    code, out, err = run("csv", str(path), *options, "--lang", "fr")
    assert code == 2, reason
    assert words in err, reason
    assert "Traceback" not in err + out, reason
    assert VALID not in err, reason


def test_sheet_option_needs_a_workbook(tmp_path: Path) -> None:
    data = tmp_path / "export.csv"
    data.write_text(f"nir\n{VALID}\n", encoding="utf-8")
    code, _, err = run("csv", str(data), "--sheet", "1")
    assert code == 2
    assert "--sheet is for an .xlsx" in err


def read_report(path: Path) -> dict[str, list[list[_sheets.Cell]]]:
    with python_calamine.load_workbook(str(path)) as book:
        return {
            name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in book.sheet_names
        }


def test_workbook_in_xlsx_report_out(tmp_path: Path) -> None:
    book = make_xlsx(tmp_path / "export.xlsx")
    report = tmp_path / "report.xlsx"
    code, _, err = run("csv", str(book), "--sheet", "Staff", "-o", str(report))
    assert code == 1, err
    sheets = read_report(report)
    assert list(sheets) == ["rows", "summary"]
    rows = sheets["rows"]
    assert rows[0][:5] == [*HEADER, "nir_line"]
    # the NIR is text now, the other cells keep their type
    assert rows[1][:6] == ["Dupont", VALID, date(1955, 8, 1), 2500.5, "2", "true"]
    assert rows[2][:6] == ["Casanova\nPaoli", CORSICAN, date(1969, 9, 1), 3000.0, "3", "false"]
    assert sheets["summary"][5][:2] == ["key_missing", 1.0]
    with zipfile.ZipFile(report) as archive:
        names = archive.namelist()
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "xl/charts/chart1.xml" in names, "the summary's bar chart"
    assert '<conditionalFormatting sqref="A2:M3">' in sheet_xml, "invalid rows highlighted"
    assert "numberStoredAsText" in sheet_xml


def test_csv_in_xlsx_report_out_keeps_rows_and_order(tmp_path: Path) -> None:
    data = tmp_path / "export.csv"
    data.write_bytes(f"nom;nir\r\nA;{VALID}\r\nB;123\r\nC;=1+1\r\n".encode("cp1252"))
    report = tmp_path / "report.xlsx"
    code, _, err = run("csv", str(data), "-o", str(report), "--lang", "en")
    assert code == 1, err
    rows = read_report(report)["rows"]
    assert [row[:2] for row in rows] == [["nom", "nir"], ["A", VALID], ["B", "123"], ["C", "=1+1"]]
    assert read_report(report)["summary"][0][:2] == ["Rows checked", 3.0]


def test_report_only_as_xlsx(tmp_path: Path) -> None:
    book = make_xlsx(tmp_path / "export.xlsx")
    code, _, err = run("csv", str(book), "--sheet", "Staff", "-o", str(tmp_path / "out.ods"))
    assert code == 2
    assert "written as .xlsx only" in err
    assert not (tmp_path / "out.ods").exists()


def make_rows_xlsx(path: Path, rows: list[list[str | float]], top: int = 0) -> Path:
    """A one-sheet workbook holding `rows` from row `top` + 1 (the rows above empty)."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Data")
    for index, row in enumerate(rows, start=top):
        for column, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(index, column, value)
            else:
                sheet.write_number(index, column, value)
    book.close()
    return path


# (rows of the sheet from row 3, options, expected (nir, nir_line, nir_valid) per data row, why)
LINE_BREAKS = [
    (
        [["service", "nir"], ["Atelier\r\nNuit", float(VALID)], ["Paie", "123"]],
        [],
        [[VALID, "4", "true"], ["123", "5", "false"]],
        "a CRLF in a text cell: still one row, the next keeps its row number",
    ),
    (
        [["service", "nir"], ["Paie", f"{VALID}\n"], ["Paie", CORSICAN]],
        [],
        [[f"{VALID}\n", "4", "true"], [CORSICAN, "5", "false"]],
        "a line break in the NIR cell: checked as the text holds it (stripped)",
    ),
    (
        [["service", "nir"], ["a\ue000b", float(VALID)], ["Paie\nNuit", "123"]],
        [],
        [[VALID, "4", "true"], ["123", "5", "false"]],
        "a cell already holding the private-use mark: the line breaks kept as they are",
    ),
    (
        [["service", "nir"], ["Atelier\nNuit", float(VALID)], ["Paie", "123"]],
        ["--output-encoding", "cp1252"],
        [[VALID, "4", "true"], ["123", "5", "false"]],
        "an output encoding without the marks",
    ),
    (
        [["service", "nir"], ["Atelier\nNuit", float(VALID)], ["Paie", "123"]],
        ["--output-encoding", "utf-8-sig"],
        [[VALID, "4", "true"], ["123", "5", "false"]],
        "a BOM before the output: the blank rows above still dropped",
    ),
]


@pytest.mark.parametrize(("rows", "options", "expected", "reason"), LINE_BREAKS)
def test_line_breaks_keep_row_numbers(
    tmp_path: Path,
    rows: list[list[str | float]],
    options: list[str],
    expected: list[list[str]],
    reason: str,
) -> None:
    book = make_rows_xlsx(tmp_path / "export.xlsx", rows, top=2)
    target = tmp_path / "out.csv"
    code, _, err = run("csv", str(book), "-o", str(target), *options)
    assert code == 1, err
    encoding = options[1] if options else "utf-8"
    out = rows_of(target.read_bytes().decode(encoding))
    assert out[0][:2] == ["service", "nir"], reason
    assert [row[0] for row in out[1:]] == [row[0] for row in rows[1:]], reason
    assert [[row[1], row[2], row[3]] for row in out[1:]] == expected, reason


TEXT = st.text(st.sampled_from('ab ,"\n\r\ue0002'), max_size=4)
CELL = st.one_of(TEXT, st.floats(allow_nan=False), st.integers(-(2**60), 2**60), st.booleans())


@given(
    st.integers(1, 4).flatmap(
        lambda width: st.lists(st.lists(CELL, min_size=width, max_size=width), max_size=6)
    ),
    st.integers(0, 2),
)
def test_csv_as_csv_writer_writes_it(grid: list[list[_sheets.Cell]], blank: int) -> None:
    """The CSV the engine reads is csv.writer's, one line per row, line breaks as marks.

    csv.writer with a "\n" terminator leaves a lone CR unquoted (the engine would
    then split the row): the reference is written with "\r\n", which quotes both.
    """
    width = len(grid[0]) if grid else 1
    empty: list[_sheets.Cell] = [""] * width
    grid = [empty] * blank + grid
    sheet = _sheets._to_csv("x", grid)
    skipped = next((i for i, row in enumerate(grid) if any(c != "" for c in row)), len(grid))
    records = []
    for row in grid[skipped:]:
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerow([_sheets.cell_text(c) for c in row])
        records.append(out.getvalue()[:-2] + "\n")
    out = io.StringIO("".join(records))
    expected = ("\n" * skipped + out.getvalue()) if skipped < len(grid) else ""
    plain = sheet.plain() if sheet.marked else sheet
    assert plain.csv.decode("utf-8") == expected
    assert sheet.numbers == list(range(skipped + 1, len(grid) + 1))
    if sheet.row_at_line is None:  # marks: spreadsheet row N on line N
        assert sheet.csv.count(b"\n") == len(grid) * (skipped < len(grid))
    lines = [line for line, _ in sorted((plain.row_at_line or {}).items())]
    assert lines == sorted(lines)


@given(
    st.integers(2, 3).flatmap(
        lambda width: st.lists(st.lists(CELL, min_size=width, max_size=width), max_size=9)
    ),
    st.integers(1, 3),
)
def test_blocks_make_the_sheet_s_csv(grid: list[list[_sheets.Cell]], block: int) -> None:
    """Rows turned into CSV a block at a time: the same CSV and marked columns as in one go.

    A mark in a later block still sends the whole sheet to the plain CSV.
    """
    whole = _sheets.python_sheet_csv(grid)
    with patch.object(_sheets, "BLOCK_ROWS", block):
        blocks = _sheets.python_sheet_csv(grid)
    assert blocks == whole


class _Text(str):
    """A str subclass: "".join takes it, the C core asks cell_text for its text."""

    __slots__ = ()


ANY_CELL = st.one_of(
    CELL,
    st.text(st.sampled_from('aé€😀 ,"\n\r\ue000\ue001'), max_size=6),
    st.floats(),
    st.sampled_from([2.0**53, -(2.0**53), 2.0**53 - 1, 1 - 2.0**53, 1e16, -0.0, 0.5]),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    TEXT.map(_Text),
)


@given(
    st.integers(1, 4).flatmap(
        lambda width: st.lists(st.lists(ANY_CELL, min_size=width, max_size=width), max_size=8)
    )
)
def test_c_sheet_csv_is_the_python_one(grid: list[list[_sheets.Cell]]) -> None:
    """The C core's sheet_csv gives python_sheet_csv's bytes and marked columns, or None."""
    speedups = compiled_or_skip()
    assert speedups.sheet_csv(grid, _sheets.cell_text) == _sheets.python_sheet_csv(grid)


_ErrorRow = tuple[list[list[object]], Callable[[Any], object], type[Exception], str]
SHEET_CSV_ERRORS: list[_ErrorRow] = [
    ([["a", "b"], ["c"]], str, ValueError, "rows of different widths"),
    ([("a", "b")], str, ValueError, "a row that is not a list"),  # type: ignore[list-item]
    ([[1.5]], len, TypeError, "cell_text fails on a cell: its error"),
    ([[1.5]], lambda _cell: 1.5, TypeError, "cell_text gives something other than a str"),
    ([["\ud800"]], str, UnicodeEncodeError, "a lone surrogate has no UTF-8"),
]


@pytest.mark.parametrize(("grid", "cell_text", "error", "reason"), SHEET_CSV_ERRORS)
def test_c_sheet_csv_errors(
    grid: list[list[object]],
    cell_text: Callable[[Any], object],
    error: type[Exception],
    reason: str,
) -> None:
    speedups = compiled_or_skip()
    with pytest.raises(error):
        speedups.sheet_csv(grid, cell_text)  # type: ignore[arg-type]  # the wrong types
    assert reason


@given(
    st.lists(
        st.one_of(
            CELL,
            st.floats(),
            st.sampled_from([2.0**53, -(2.0**53), 2.0**53 - 1, 1e16, -0.0]),
            st.dates(),
            st.datetimes(),
        )
    )
)
def test_texts_is_cell_text_per_cell(cells: list[_sheets.Cell]) -> None:
    """The column fast path gives cell_text's text, around the 2**53 edge, NaN and dates too."""
    assert _sheets._texts(cells) == [_sheets.cell_text(cell) for cell in cells]


def test_leading_empty_rows_are_not_blank_lines(tmp_path: Path) -> None:
    """The engine reads them as blank lines; the summary does not count them as such."""
    book = make_xlsx(tmp_path / "export.xlsx", leading_blank_rows=2)
    report = tmp_path / "summary.json"
    code, out, err = run("csv", str(book), "--sheet", "Staff", "--summary-json", str(report))
    assert code == 1, err
    assert out.startswith("nom,"), "no blank line before the header"
    assert json.loads(report.read_text())["blank_lines"] == 0
