"""Byte-level fuzzing of `nir csv`: seeds, mutations, one run, and the invariants.

Shared by the hypothesis tests (tests/test_fuzz_csv.py, a short deterministic run in
`make test`) and the long campaign (tests/fuzz_campaign.py, `make fuzz`): a case is a
seed file, a list of mutations and a few options, so both draw the same kinds of
damage, and a failure is saved as a plain file under tests/regressions/.

The invariants, for every input: exit code 0, 1 or 2, no exception escapes, and an
error is one line. Where Python's `csv.reader` (strict, universal newlines, the
encoding and delimiter nir detected) reads the input, also: one output row per
record, blank lines included; every output row starts with its record's exact
bytes and ends with its line ending; the fields are the record's (short rows padded)
then the appended cells, `nir_line` being the line the record starts on.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import re
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import generate
from click.testing import CliRunner

from nir import _csvio, cli

ROOT = Path(__file__).resolve().parent.parent
REGRESSIONS = Path(__file__).resolve().parent / "regressions"
REFERENCE_DATE = "2026-11-23"
APPENDED = list(_csvio.APPENDED_COLUMNS)
BOM = b"\xef\xbb\xbf"

# The case: stray quotes inside unquoted fields (issue 8).
STRAY_QUOTES = (
    "employee_id,last_name,first_name,birth_date,sex,nir,email,hire_date,salary,department\n"
    'E0000010,Martin,Sandrine,1984-12-16,F,284"126213538849,sandrine.martin@entreprise.fr,'
    "2013-11-03,36066.06,Ventes\n"
    "E0000168,Chevalier,Chloé,1965-03-03,F,265569913971148,chloe.chevalier@entreprise.fr,"
    '198"7-12-19,40549.88,Logistique\n'
).encode()


def _generated(encoding: str, delimiter: str, newline: str, seed: int, columns: int) -> bytes:
    spec = generate.Spec(
        rows=6,
        columns=columns,
        seed=seed,
        encoding=encoding,
        delimiter=delimiter,
        newline=newline,
        chunk_rows=6,
    )
    text = generate.header(spec) + generate.render_rows(list(generate.iter_rows(spec)), spec)
    data = text.encode("utf-8" if encoding == "utf-8-sig" else encoding)
    return BOM + data if encoding == "utf-8-sig" else data


def _seeds() -> list[tuple[bytes, int]]:
    """Small real-looking exports, each with the 1-based number of its NIR column."""
    hr = (ROOT / "examples" / "hr_export.csv").read_bytes().split(b"\r\n")  # French Excel
    seeds = [(b"\r\n".join(rows) + b"\r\n", 6) for rows in (hr[:8], hr[:1] + hr[20:30])]
    seeds.append((STRAY_QUOTES, 6))
    layouts = [
        ("utf-8", ";", "\r\n"),
        ("utf-8-sig", ",", "\n"),
        ("cp1252", ";", "\r\n"),
        ("utf-8", "\t", "\r"),
        ("cp1252", "|", "\n"),
    ]
    for number, (encoding, delimiter, newline) in enumerate(layouts):
        columns = 11 if number % 2 else 10  # 11: with the birth place, an identity column
        seeds.append((_generated(encoding, delimiter, newline, number, columns), 6))
    seeds.append((_generated("utf-8", ",", "\n", 9, 1), 1))
    return seeds


SEEDS = _seeds()

# What damaged exports hold: quotes, line ends, NUL, BOM, cp1252 and broken UTF-8
# bytes, delimiters, spreadsheet noise, numbers.
PAYLOADS: tuple[bytes, ...] = (
    b'"',
    b'""',
    b'"""',
    b"\r",
    b"\n",
    b"\r\n",
    b"\n\r",
    b"\x00",
    BOM,
    b"\xe9",
    b"\x80",
    b"\x81",
    b"\x8d",
    b"\x92",
    b"\x9c",
    b"\x9f",
    b"\xa0",
    b"\xc3",
    b"\xc3\xa9",
    b"\xe2\x82",
    b"\xe2\x82\xac",
    b"\xed\xa0\x80",
    b"\xff",
    b";",
    b",",
    b"\t",
    b"|",
    b"'",
    b" ",
    b"2A",
    b"255081416802538",
    b'"255081416802538"',
    b"2 55 08 14 168 025 38",
    b"2.55081416802538E+14",
)
OPERATIONS = (
    "insert",
    "replace",
    "delete",
    "truncate",
    "newline",
    "delimiter",
    "duplicate_field",
    "drop_field",
    "duplicate_line",
)
LINE_ENDS = (b"\r\n", b"\r", b"\n")
DELIMITERS = b";,\t|"

Mutation = tuple[str, int, int]  # operation, position, payload index


def _nth(data: bytes, needles: bytes, position: int) -> int:
    """The index of one of the bytes `needles` in `data`, picked by `position`; -1 if none."""
    found = [i for i, byte in enumerate(data) if byte in needles]
    return found[position % len(found)] if found else -1


def mutate(data: bytes, mutation: Mutation) -> bytes:
    """`data` with one mutation applied (positions wrap around, so any int is valid)."""
    operation, position, which = mutation
    payload = PAYLOADS[which % len(PAYLOADS)]
    at = position % (len(data) + 1)
    if operation == "insert":
        return data[:at] + payload + data[at:]
    if operation == "replace":
        return data[:at] + payload + data[at + 1 :]
    if operation == "delete":
        return data[:at] + data[at + 1 + which % 4 :]
    if operation == "truncate":
        return data[:at]
    if operation == "newline":
        index = _nth(data, b"\r\n", position)
        if index < 0:
            return data
        size = 2 if data[index : index + 2] == b"\r\n" else 1
        return data[:index] + LINE_ENDS[which % 3] + data[index + size :]
    if operation == "delimiter":
        index = _nth(data, DELIMITERS, position)
        if index < 0:
            return data
        return data[:index] + DELIMITERS[which % 4 : which % 4 + 1] + data[index + 1 :]
    index = _nth(data, DELIMITERS, position)
    if index < 0:
        return data
    stop = _nth(data[index + 1 :], DELIMITERS + b"\r\n", 0)
    stop = len(data) if stop < 0 else index + 1 + stop
    if operation == "duplicate_field":
        return data[:stop] + data[index:stop] + data[stop:]
    if operation == "drop_field":
        return data[:index] + data[stop:]
    # duplicate_line: the line holding `index`, once more
    start = max(data.rfind(b"\n", 0, index), data.rfind(b"\r", 0, index)) + 1
    end = _nth(data[index:], b"\n", 0)
    end = len(data) if end < 0 else index + end + 1
    return data[:end] + data[start:end] + data[end:]


@dataclass(frozen=True, slots=True)
class Case:
    """One input to `nir csv` and the options it runs with."""

    data: bytes
    column: int
    replace_bad_bytes: bool = False
    chunk_size: int = 0
    """When not 0: the read chunk and sample size, to put records across chunk ends."""

    def args(self) -> list[str]:
        """The command line (input on stdin, summary JSON on stderr after the summary line)."""
        args = ["csv", "-", "--reference-date", REFERENCE_DATE, "--summary-json", "-"]
        args += ["--column", str(self.column)]
        return args + (["--replace-bad-bytes"] if self.replace_bad_bytes else [])


def build(seed: int, mutations: Sequence[Mutation], **options: int | bool) -> Case:
    """The case made of seed number `seed` (wraps around) with `mutations` applied."""
    data, column = SEEDS[seed % len(SEEDS)]
    for mutation in mutations:
        data = mutate(data, mutation)
    return Case(data, column, **options)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one run gave."""

    exit_code: int
    stdout: bytes
    stderr: str
    error: str = ""
    """The traceback of an exception that escaped the command, if one did."""


@contextlib.contextmanager
def _chunks(size: int) -> Iterator[None]:
    # windows on threads too: the cores then cut the input alike (what reaches stdout
    # before an unreadable byte stops the run depends on the window)
    saved = _csvio.CHUNK_SIZE, _csvio.SAMPLE_SIZE, _csvio.THREAD_WINDOW
    if size:
        _csvio.CHUNK_SIZE = _csvio.SAMPLE_SIZE = _csvio.THREAD_WINDOW = size
    try:
        yield
    finally:
        _csvio.CHUNK_SIZE, _csvio.SAMPLE_SIZE, _csvio.THREAD_WINDOW = saved


def run(case: Case) -> Outcome:
    """`nir csv` on the case, in this process (on the core `nir._accel` selects)."""
    with _chunks(case.chunk_size):
        result = CliRunner().invoke(cli.main, case.args(), input=case.data)
    error = ""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        error = "".join(traceback.format_exception(result.exception))
    return Outcome(result.exit_code, result.stdout_bytes, result.stderr, error)


@dataclass(slots=True)
class _Record:
    fields: list[str]
    line: int
    raw: bytes


def records(data: bytes, encoding: str, delimiter: str, replace: bool) -> list[_Record] | None:
    """The records Python's csv module reads in `data`, or None where it cannot read it."""
    try:
        text = data.decode(encoding, errors="replace" if replace else "strict")
    except UnicodeDecodeError:
        return None
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    found: list[_Record] = []
    start = 1
    try:
        for fields in reader:
            raw = "".join(lines[start - 1 : reader.line_num])
            found.append(
                _Record(fields, start, raw.encode(encoding.removesuffix("-sig"), errors="replace"))
            )
            start = reader.line_num + 1
    except csv.Error:
        return None
    return found


def _line_end(raw: bytes) -> bytes:
    for end in LINE_ENDS:
        if raw.endswith(end):
            return end
    return b""


def check(case: Case, outcome: Outcome) -> list[str]:
    """What is wrong with `outcome` (empty when every invariant holds)."""
    if outcome.error:
        return ["an exception escaped: " + outcome.error.strip().splitlines()[-1]]
    problems: list[str] = []
    if outcome.exit_code not in (0, 1, 2):
        problems.append(f"exit code {outcome.exit_code}")
    if "Traceback" in outcome.stderr:
        problems.append("a traceback on stderr")
    if outcome.exit_code not in {0, 1}:
        if outcome.stderr.count("\n") != 1:
            problems.append(f"the error is not one line: {outcome.stderr!r:.200}")
        return problems
    summary_line, _, payload = outcome.stderr.partition("\n")
    summary = json.loads(payload)
    encoding, delimiter = summary["encoding"], summary["delimiter"]
    replaced = set(summary["replaced_lines"])
    if not case.replace_bad_bytes:
        try:
            case.data.decode(encoding)
        except UnicodeDecodeError:
            return [*problems, f"exit {outcome.exit_code} on bytes that are not {encoding}"]
    expected = records(case.data, encoding, delimiter, case.replace_bad_bytes)
    if expected is None:
        return problems
    written = records(outcome.stdout, encoding, delimiter, replace=True)
    if written is None:
        return [*problems, "csv cannot read the output"]
    if len(written) != len(expected):
        problems.append(
            f"{len(expected)} records in (csv.reader), {len(written)} out ({summary_line})"
        )
        return problems
    # The first record that is not a blank line is the header, or the first row.
    first = next((i for i, record in enumerate(expected) if record.fields), 0)
    width = len(expected[first].fields) if expected else 0
    blank = sum(1 for record in expected if not record.fields)
    rows = len(expected) - blank - (1 if summary["header"] else 0)
    if (summary["rows"], summary["blank_lines"]) != (rows, blank):
        problems.append(
            f"summary counts {summary['rows']} rows, {summary['blank_lines']} blank lines; "
            f"csv.reader {rows}, {blank}"
        )
    for index, (source, out) in enumerate(zip(expected, written, strict=True)):
        header = summary["header"] and index == first
        problems += _row_problems(index, source, out, width, header, replaced)
        if len(problems) > 5:
            break
    return problems


def _row_problems(
    index: int, source: _Record, out: _Record, width: int, header: bool, replaced: set[int]
) -> list[str]:
    where = f"record {index + 1} (line {source.line})"
    if not source.fields:
        return [] if out.raw == source.raw else [f"{where}: blank line written as {out.raw!r}"]
    if header:
        cells = APPENDED
    else:
        if source.line in replaced:
            return []  # its bad bytes were replaced, as asked: not the same bytes
        cells = out.fields[-len(APPENDED) :]
        if cells[:1] != [str(source.line)] or cells[1:2] not in (["true"], ["false"]):
            return [f"{where}: appended cells {cells!r}"]
    padded = source.fields + [""] * (width - len(source.fields))
    problems = []
    if out.fields != [*padded, *cells]:
        problems.append(f"{where}: fields {source.fields!r:.120} came out as {out.fields!r:.160}")
    end = _line_end(source.raw)
    body = source.raw[: len(source.raw) - len(end)]
    if not out.raw.startswith(body) or _line_end(out.raw) != end:
        problems.append(f"{where}: bytes {source.raw!r:.120} came out as {out.raw!r:.160}")
    return problems


def regression_files() -> list[Path]:
    """The saved failing inputs, each run by tests/test_fuzz_csv.py."""
    return sorted(REGRESSIONS.glob("*.csv"))


def _options(name: str) -> tuple[int, bool, int]:
    """Column, replace_bad_bytes and chunk size, from a name `<stem>.c<N>[.r][.k<N>].csv`."""
    parts = name.removesuffix(".csv").split(".")[1:]
    column = next((int(p[1:]) for p in parts if p[:1] == "c" and p[1:].isdigit()), 1)
    chunk = next((int(p[1:]) for p in parts if p[:1] == "k" and p[1:].isdigit()), 0)
    return column, "r" in parts, chunk


def file_name(stem: str, case: Case) -> str:
    """The regression file name that carries `case`'s options."""
    name = f"{stem}.c{case.column}"
    name += ".r" if case.replace_bad_bytes else ""
    name += f".k{case.chunk_size}" if case.chunk_size else ""
    return name + ".csv"


def load(path: Path) -> Case:
    """The case saved in `path`."""
    column, replace_bad_bytes, chunk_size = _options(path.name)
    return Case(path.read_bytes(), column, replace_bad_bytes, chunk_size)


def signature(problem: str) -> str:
    """A problem without its details (numbers, quoted text): one per kind of failure."""
    return re.sub(r"\d+|'[^']*'|\"[^\"]*\"|\(.*", "#", problem)[:80]


def minimise(case: Case, fails: Callable[[Case], bool], budget: int = 3000) -> Case:
    """A smaller input that still `fails`: deletes ever smaller spans while it can."""
    data = case.data
    size = max(len(data) // 2, 1)
    while size and budget > 0:
        start = 0
        while start < len(data) and budget > 0:
            smaller = data[:start] + data[start + size :]
            budget -= 1
            if smaller and fails(dataclasses.replace(case, data=smaller)):
                data = smaller
            else:
                start += size
        size //= 2
    return dataclasses.replace(case, data=data)
