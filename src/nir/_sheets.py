"""Workbooks in and out of `nir csv`, around the one CSV engine.

A workbook (.xlsx, .xlsm, .ods) is read with python-calamine into CSV bytes in memory
(UTF-8, ",", csv-module quoting) that `nir._csvio.process` checks like any export;
an .xlsx report is written with XlsxWriter from the checked CSV. So every rule of the
engine (column detection, policies, appended columns) is the same for both inputs.
Needs the `excel` extra; `nir csv` on a plain CSV never imports this module.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import gc
import importlib
import io
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from nir import _accel, _csvio, messages
from nir._csvio import CsvConfig, CsvInputError, Summary
from nir._workbooks import is_report, is_workbook

EXACT_INTEGERS = 2**53  # a double holds every integer below this exactly
MAX_REPORT_ROWS = 1_048_576  # an .xlsx sheet's row limit
Cell = int | float | str | bool | time | date | datetime | timedelta


def cell_text(value: Cell) -> str:
    """A cell as the text a person reads in it.

    A whole number stored as a double becomes its digits: 255081416802538.0 ->
    "255081416802538", exactly, since a double holds every integer below 2**53; dates
    become ISO text (1955-08-01), booleans TRUE/FALSE as Excel shows them.
    """
    if type(value) is float:  # the usual non-text cell: first
        if value.is_integer() and -EXACT_INTEGERS < value < EXACT_INTEGERS:
            return str(int(value))
        return repr(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < EXACT_INTEGERS:
            return str(int(value))
        return repr(value)
    if isinstance(value, (date, time)):  # datetime is a date
        return value.isoformat()
    return str(value)  # a timedelta (a duration cell)


_EXACT = float(EXACT_INTEGERS)  # compared with a float: no int-float comparison per cell


def _texts(cells: Sequence[Cell]) -> list[str]:
    """[cell_text(cell) for cell in cells], without a call for text and whole-number cells.

    A column of 100,000 numbers is the NIR column of an Excel export: the call per
    cell was a third of the time of turning a sheet into CSV.
    """
    return [
        cell
        if type(cell) is str
        else str(int(cell))
        if type(cell) is float and cell.is_integer() and -_EXACT < cell < _EXACT
        else cell_text(cell)
        for cell in cells
    ]


def _line_breaks(text: str) -> int:
    """Line breaks as the CSV engine counts them: LF, CR and CRLF."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


@dataclass(slots=True)
class Sheet:
    """One sheet, read: its typed rows and the CSV the engine checks."""

    name: str
    rows: list[list[Cell]]
    """The cells from column A, leading empty rows dropped."""
    numbers: list[int]
    """The spreadsheet row number (1-based) of each row."""
    csv: bytes
    marked: frozenset[int] = frozenset()
    """Columns (0-based) whose line breaks `csv` holds as `MARKS`."""
    row_at_line: dict[int, int] | None = None
    """CSV line where each record starts -> its row number; None: line N is row N."""

    def plain(self) -> Sheet:
        """This sheet with its line breaks back in the CSV, and the lines renumbered."""
        lines = self.csv.decode("utf-8").split("\n")[:-1]
        row_at_line: dict[int, int] = {}
        line = 1
        for number, record in enumerate(lines, start=1):
            if record:  # the leading empty rows are blank lines
                row_at_line[line] = number
            line += 1 + sum(record.count(mark) for mark in MARKS.values())
        return Sheet(self.name, self.rows, self.numbers, _unmark(self.csv), row_at_line=row_at_line)


# A line break inside a cell, while the engine checks the CSV: private-use characters.
MARKS = {"\n": "\ue000", "\r": "\ue001"}
_MARKS_BYTES = {mark.encode("utf-8"): text.encode("utf-8") for text, mark in MARKS.items()}


def _unmark(data: bytes) -> bytes:
    """The UTF-8 bytes with each mark back as the line break it stands for."""
    for mark, text in _MARKS_BYTES.items():
        data = data.replace(mark, text)
    return data


def _extra(name: str) -> Any:  # noqa: ANN401  # the module, typed at its use
    """A module of the `excel` extra, or the error that says to install it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        raise CsvInputError("sheet_needs_excel") from None


def read_sheet(path: str, sheet: str | None) -> Sheet:
    """Read one sheet (a name or a 1-based number; None: the first) into CSV bytes."""
    calamine = _extra("python_calamine")
    try:
        with calamine.load_workbook(path) as workbook:
            names: list[str] = list(workbook.sheet_names)
            name = _pick(names, sheet)
            grid = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            return _to_csv(name, grid)
    except calamine.PasswordError:
        raise CsvInputError("sheet_password") from None
    except calamine.CalamineError as error:
        raise CsvInputError("sheet_corrupt", kind=type(error).__name__) from None


def _pick(names: list[str], sheet: str | None) -> str:
    if not names:
        raise CsvInputError("sheet_corrupt", kind="no sheet")
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return names[int(sheet) - 1]
    raise CsvInputError("sheet_missing", sheet=sheet, sheets=", ".join(map(repr, names)))


def _to_csv(name: str, grid: list[list[Cell]]) -> Sheet:
    """The rows (from cell A1) as CSV, spreadsheet row N on CSV line N.

    Leading empty rows become blank lines (the engine skips them before the header,
    counting them); a line break inside a cell is written as a mark (`MARKS`), put
    back in the checked output, so no record spans lines and the engine's nir_line is
    the row number. The C core's `sheet_csv` makes the lines when it is built.
    """
    skipped = 0
    while skipped < len(grid) and all(cell == "" for cell in grid[skipped]):
        skipped += 1  # leading empty rows: the header comes first, as in a CSV
    rows = grid[skipped:]
    numbers = list(range(skipped + 1, len(grid) + 1))
    if not rows:
        return Sheet(name, [], [], b"")
    if len(rows[0]) < 2 or len(set(map(len, rows))) > 1:
        # one column (a lone empty field is written ""), or rows of different widths
        return _plain_csv(name, rows, numbers, skipped)
    compiled = _accel.compiled
    made = compiled.sheet_csv(rows, cell_text) if compiled is not None else python_sheet_csv(rows)
    if made is None:
        return _plain_csv(name, rows, numbers, skipped)
    body, marked = made
    return Sheet(name, rows, numbers, b"\n" * skipped + body, frozenset(marked))


def python_sheet_csv(rows: list[list[Cell]]) -> tuple[bytes, list[int]] | None:
    """Rows of one width as CSV lines, and the columns with line breaks (as marks).

    None when a cell holds a mark already. The reference of the C core's
    `sheet_csv`, which gives the same bytes a cell at a time. Here the work is done a
    column at a time: "".join tells whether a column is all text and whether any cell
    needs quotes, so only the columns with numbers, dates or quotes cost a Python call
    per cell.
    """
    marked: set[int] = set()
    blocks = []
    for start in range(0, len(rows), BLOCK_ROWS):
        block = _block_csv(rows[start : start + BLOCK_ROWS], marked)
        if block is None:
            return None
        blocks.append(block)
    return b"".join(blocks), sorted(marked)


BLOCK_ROWS = 1024
"""Rows turned into CSV at a time: a block's cells are still in the CPU cache when each
of its columns is walked, where a whole sheet's are not (100,000 rows: 3x faster)."""


def _block_csv(rows: list[list[Cell]], marked: set[int]) -> bytes | None:
    """The rows' CSV lines (see `_to_csv`); None when a cell holds a mark already.

    Adds to `marked` the columns with line breaks.
    """
    columns: list[Sequence[str]] = []
    for index, cells in enumerate(zip(*rows, strict=True)):
        column: Sequence[str]
        try:
            joined = "".join(cells)  # TypeError: not all text
            column = cells
        except TypeError:
            column = _texts(cells)
            joined = "".join(column)
        if any(mark in joined for mark in MARKS.values()):
            return None
        if "\n" in joined or "\r" in joined:
            marked.add(index)
        specials = [special for special in ',"\n\r' if special in joined]
        if specials == [","]:  # the usual case (decimal commas): quotes, nothing to double
            column = [f'"{cell}"' if "," in cell else cell for cell in column]
        elif len(specials) == 1:  # one character to look for: `in`, cheaper than a search
            special = specials[0]
            column = [_quote(cell) if special in cell else cell for cell in column]
        elif specials:
            column = [_quote(cell) if _needs_quotes(cell) else cell for cell in column]
        columns.append(column)
    return ("\n".join(map(",".join, zip(*columns, strict=True))) + "\n").encode("utf-8")


# What makes csv.writer quote a field (QUOTE_MINIMAL, delimiter ",", terminator "\n").
_needs_quotes = re.compile('[,"\n\r]').search


def _quote(cell: str) -> str:
    """A field as csv.writer quotes it, its line breaks as marks."""
    quoted = '"' + cell.replace('"', '""') + '"'
    for line_break, mark in MARKS.items():
        quoted = quoted.replace(line_break, mark)
    return quoted


def _plain_csv(name: str, rows: list[list[Cell]], numbers: list[int], skipped: int) -> Sheet:
    """The rows as CSV with their line breaks: one column, or a cell already holds a mark.

    Written with a CRLF terminator, which makes csv.writer quote a lone CR too, then
    each record ended with LF.
    """
    records: list[str] = []
    write = csv.writer(_Appender(records), lineterminator="\r\n").writerow
    row_at_line: dict[int, int] = {}
    line = skipped + 1
    for number, row in zip(numbers, rows, strict=True):
        cells = [cell if type(cell) is str else cell_text(cell) for cell in row]
        row_at_line[line] = number
        line += 1 + sum(_line_breaks(cell) for cell in cells)
        write(cells)
    text = "\n" * skipped + "".join(record[:-2] + "\n" for record in records)
    return Sheet(name, rows, numbers, text.encode("utf-8"), row_at_line=row_at_line)


class _Appender:
    """A file for csv.writer that keeps each record apart."""

    def __init__(self, lines: list[str]) -> None:
        self.write = lines.append


@contextmanager
def _no_collection() -> Iterator[None]:
    """No cyclic garbage collection inside, where a sheet's cells are alive.

    A sheet is a million cells in lists of atoms that hold no cycle, and each full
    collection would walk them all: a third of the time of reading 100,000 rows.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(input_path: str, output_path: str, config: CsvConfig, sheet: str | None) -> Summary:
    """`nir csv` when the input is a workbook or the output an .xlsx report."""
    with _no_collection():
        return _run(input_path, output_path, config, sheet)


def _run(input_path: str, output_path: str, config: CsvConfig, sheet: str | None) -> Summary:
    workbook: Sheet | None = None
    if is_workbook(input_path):
        workbook = read_sheet(input_path, sheet)
        if workbook.marked and not _utf8(config.output_encoding):
            workbook = workbook.plain()  # the marks are found back in UTF-8 only
        source: BinaryIO = io.BytesIO(workbook.csv)
        config = dataclasses.replace(config, delimiter=",", encoding="utf-8")
    elif sheet is not None:
        raise CsvInputError("sheet_not_workbook")
    elif input_path == "-":
        source, _ = _csvio.open_input(sys.stdin.buffer)
    else:
        source, _ = _csvio.open_input(io.BytesIO(Path(input_path).read_bytes()))
    if is_workbook(output_path) and not is_report(output_path):
        raise CsvInputError("report_xlsx_only")
    if is_report(output_path):
        _extra("xlsxwriter")  # the extra is there, before any work
        config = dataclasses.replace(config, output_encoding="utf-8")
    checked = io.BytesIO()
    summary = _csvio.process(source, checked, config)
    if workbook is not None and workbook.marked:
        if _reads_marks(workbook, summary):
            workbook = workbook.plain()  # the check must see these line breaks: again
            checked = io.BytesIO()
            summary = _csvio.process(io.BytesIO(workbook.csv), checked, config)
        else:
            checked = io.BytesIO(_unmark(checked.getvalue()))
    data = checked.getvalue()
    if workbook is not None and workbook.numbers:
        blank = b"\n" * (workbook.numbers[0] - 1)  # the leading empty rows, copied
        bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
        if data.startswith(bom + blank):
            data = bom + data[len(bom + blank) :]
            summary.blank_lines -= len(blank)  # rows of the sheet, not lines of a file
    if workbook is not None and workbook.row_at_line is not None:
        data = _renumber(data, summary, workbook.row_at_line, config)
    if is_report(output_path):
        _atomically(
            Path(output_path), lambda path: write_report(path, data, summary, config, workbook)
        )
    elif output_path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        _atomically(Path(output_path), lambda path: path.write_bytes(data))
    return summary


def _renumber(
    data: bytes, summary: Summary, row_at_line: dict[int, int], config: CsvConfig
) -> bytes:
    """nir_line as the spreadsheet's row numbers, not the lines of the CSV in between."""
    encoding = config.output_encoding or "utf-8"
    rows = list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
    row_of = {str(line): str(number) for line, number in row_at_line.items()}
    position = -len(_csvio.APPENDED_COLUMNS)  # nir_line, the first appended column
    for row in rows[1 if summary.header else 0 :]:
        row[position] = row_of[row[position]]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


def _utf8(encoding: str | None) -> bool:
    """True when the checked output is UTF-8, where the marks are found back as bytes."""
    return encoding is None or codecs.lookup(encoding).name in {"utf-8", "utf-8-sig"}


def _reads_marks(workbook: Sheet, summary: Summary) -> bool:
    """True when a column with marks is one the engine reads: the NIR or an identity column.

    There a line break is text the check strips or rejects; a mark is not.
    """
    header = [cell_text(cell).strip() for cell in workbook.rows[0]] if summary.header else []
    for column in workbook.marked:
        names = {str(column + 1), header[column] if column < len(header) else ""}
        if column == summary.column - 1 or names & set(summary.identity_columns.values()):
            return True
    return False


def _atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Write beside the target, then rename: never half a file.

    A target that exists and is not a regular file (/dev/null, a pipe) is written
    in place: renaming over it would replace the device with a file.
    """
    if target.exists() and not target.is_file():
        write(target)
        return
    import tempfile  # noqa: PLC0415  # only for a file: nir csv on a CSV never needs it

    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    os.close(handle)
    try:
        write(Path(temporary))
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_report(
    path: Path, data: bytes, summary: Summary, config: CsvConfig, workbook: Sheet | None
) -> None:
    """The checked rows, then a summary sheet with a chart, as an .xlsx workbook.

    Every row in order, invalid ones highlighted; the NIR and nir_number columns are
    text cells formatted as text, so Excel cannot turn them into 2.55E+14 again. Cells
    read from a workbook keep their type (numbers, dates); CSV cells are text.
    """
    xlsxwriter = _extra("xlsxwriter")
    lang = config.lang
    say: Callable[[str], str] = lambda code: messages.render(code, {}, lang)  # noqa: E731
    report = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    text = report.add_format({"num_format": "@"})
    bold = report.add_format({"bold": True})
    day = report.add_format({"num_format": "yyyy-mm-dd"})
    moment = report.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    invalid = report.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
    rows_sheet = report.add_worksheet(say("report_sheet_rows"))
    records = csv.reader(
        io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=summary.delimiter
    )
    first = next(records, None)
    width = len(first) if first is not None else 0
    nir_column = summary.column - 1
    number_column = width - len(_csvio.APPENDED_COLUMNS) + 4  # nir_number
    valid_column = width - len(_csvio.APPENDED_COLUMNS) + 1  # nir_valid
    for column in (nir_column, number_column):
        rows_sheet.set_column(column, column, 18, text)
    typed = dict(zip(workbook.numbers, workbook.rows, strict=True)) if workbook else {}
    row_index = 0
    for record in _records(first, records):
        if row_index >= MAX_REPORT_ROWS:
            raise CsvInputError("report_too_many_rows", rows=MAX_REPORT_ROWS)
        is_header = row_index == 0 and summary.header
        base = len(record) - len(_csvio.APPENDED_COLUMNS)
        if is_header:
            cells: Sequence[Cell] = record
            original = typed.get(workbook.numbers[0]) if workbook else None
        else:
            cells = record
            line = record[base] if base >= 0 else ""
            original = typed.get(int(line)) if workbook and line.isdigit() else None
        for column, value in enumerate(cells):
            cell: Cell = value
            if original is not None and column < base and column < len(original):
                cell = original[column]
            if is_header:
                rows_sheet.write_string(row_index, column, str(cell), bold)
            elif column in (nir_column, number_column) or isinstance(cell, str):
                if cell != "":
                    rows_sheet.write_string(row_index, column, cell_text(cell), text)
            elif isinstance(cell, bool):
                rows_sheet.write_boolean(row_index, column, cell)
            elif isinstance(cell, (int, float)):
                rows_sheet.write_number(row_index, column, cell)
            else:
                rows_sheet.write_datetime(
                    row_index, column, cell, day if type(cell) is date else moment
                )
        row_index += 1
    if row_index and width:
        top = 1 if summary.header else 0
        valid_letter = xlsxwriter.utility.xl_col_to_name(valid_column)
        rows_sheet.conditional_format(
            top,
            0,
            max(row_index - 1, top),
            width - 1,
            {
                "type": "formula",
                "criteria": f'=${valid_letter}{top + 1}="false"',
                "format": invalid,
            },
        )
        if summary.header:
            rows_sheet.freeze_panes(1, 0)
            rows_sheet.autofilter(0, 0, row_index - 1, width - 1)
        rows_sheet.ignore_errors({"number_stored_as_text": f"A1:XFD{row_index}"})
    _summary_sheet(report, summary, say, bold)
    report.close()


def _records(first: list[str] | None, rest: Iterator[list[str]]) -> Iterator[list[str]]:
    if first is not None:
        yield first
        yield from rest


def _summary_sheet(report: Any, summary: Summary, say: Callable[[str], str], bold: Any) -> None:  # noqa: ANN401
    """Counts, then one row and one bar per error code."""
    sheet = report.add_worksheet(say("report_sheet_summary"))
    sheet.set_column(0, 0, 24)
    sheet.write_string(0, 0, say("report_rows"), bold)
    sheet.write_number(0, 1, summary.rows)
    sheet.write_string(1, 0, say("report_valid"), bold)
    sheet.write_number(1, 1, summary.valid)
    sheet.write_string(2, 0, say("report_invalid"), bold)
    sheet.write_number(2, 1, summary.invalid)
    sheet.write_string(4, 0, say("report_error_code"), bold)
    sheet.write_string(4, 1, say("report_count"), bold)
    codes = _csvio.ranked(summary.errors)
    for offset, (code, count) in enumerate(codes, start=5):
        sheet.write_string(offset, 0, code)
        sheet.write_number(offset, 1, count)
    if codes:
        chart = report.add_chart({"type": "bar"})
        name = sheet.get_name()
        last = 4 + len(codes)
        chart.add_series(
            {
                "name": say("report_count"),
                "categories": [name, 5, 0, last, 0],
                "values": [name, 5, 1, last, 1],
            }
        )
        chart.set_title({"name": say("report_chart_title")})
        chart.set_legend({"none": True})
        sheet.insert_chart(0, 3, chart)
