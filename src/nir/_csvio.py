"""`nir csv`'s engine: stream a CSV export, check one column, lose nothing.

The engine works on bytes. Every input record is written back byte for byte (its
quoting, spacing and line ending untouched) followed by the appended columns, so
no field can change on the way through. This holds for UTF-8 (with or without
BOM) and cp1252, where the delimiter, the quote and line breaks are single ASCII
bytes that never occur inside another character.

The work is split so that a faster implementation of the per-chunk step can
replace `ChunkProcessor.process` without touching detection or I/O.
"""

from __future__ import annotations

import codecs
import csv
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO, cast

from nir._bulk import verdict
from nir._fast import quick_valid_bytes
from nir._parse import Options, compact

CHUNK_SIZE = 1 << 20
SAMPLE_SIZE = 1 << 16
APPENDED_COLUMNS = (
    "nir_line",
    "nir_valid",
    "nir_error_code",
    "nir_error",
    "nir_number",
    "nir_kind",
    "nir_warnings",
)
DELIMITER_CANDIDATES = (";", ",", "\t", "|")
UTF8_BOM = codecs.BOM_UTF8
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")


class CsvInputError(Exception):
    """The input cannot be processed: says where, what is wrong and what to try."""


@dataclass(frozen=True, slots=True)
class CsvConfig:
    """What the caller asked for; None means "detect it"."""

    column: str | None = None
    """A header name, or a 1-based column number."""
    delimiter: str | None = None
    encoding: str | None = None
    header: bool | None = None
    only_invalid: bool = False
    replace_bad_bytes: bool = False
    output_encoding: str | None = None
    options: Options = field(default_factory=Options)


@dataclass(slots=True)
class Summary:
    """Counts for the one-line report and `--summary-json`."""

    rows: int = 0
    valid: int = 0
    invalid: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    rows_with_warnings: int = 0
    blank_lines: int = 0
    short_rows: list[int] = field(default_factory=list)
    replaced_lines: list[int] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    header: bool = False
    column: int = 0
    column_name: str = ""

    def line(self) -> str:
        """The one-line summary printed on stderr."""
        text = f"{self.rows:,} rows: {self.valid:,} valid, {self.invalid:,} invalid"
        if self.errors:
            detail = ", ".join(f"{code} {count:,}" for code, count in self.errors.most_common())
            text += f" ({detail})"
        if self.rows_with_warnings:
            text += f"; {self.rows_with_warnings:,} with warnings"
        if self.short_rows:
            text += f"; short rows padded: {len(self.short_rows):,}"
        if self.replaced_lines:
            text += f"; undecodable bytes replaced on {len(self.replaced_lines):,} lines"
        return text

    def as_json(self) -> dict[str, object]:
        """A JSON-ready dict of everything counted."""
        return {
            "rows": self.rows,
            "valid": self.valid,
            "invalid": self.invalid,
            "errors": dict(self.errors.most_common()),
            "warnings": dict(self.warnings.most_common()),
            "rows_with_warnings": self.rows_with_warnings,
            "blank_lines": self.blank_lines,
            "short_rows": self.short_rows,
            "replaced_lines": self.replaced_lines,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "header": self.header,
            "column": self.column,
            "column_name": self.column_name,
        }


# ---------------------------------------------------------------------------
# Detection


def detect_encoding(sample: bytes) -> str:
    """UTF-8 with BOM, UTF-8, or cp1252 (French Excel's "CSV (séparateur: point-virgule)")."""
    if sample.startswith(UTF8_BOM):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CsvInputError(
            "line 1: the file is UTF-16 (Excel's 'Unicode text'); "
            "re-export it as 'CSV UTF-8' or pass a UTF-8 or cp1252 copy"
        )
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def detect_newline(sample: bytes) -> bytes:
    """The record separator: LF (CRLF records keep their CR) or, for old Mac files, CR."""
    if b"\n" in sample or b"\r" not in sample:
        return b"\n"
    return b"\r"


def detect_delimiter(first_record: str) -> str:
    """The candidate that occurs most often outside quotes in the first record."""
    outside = first_record.split('"')[::2]
    counts = {d: sum(part.count(d) for part in outside) for d in DELIMITER_CANDIDATES}
    best = max(DELIMITER_CANDIDATES, key=lambda d: counts[d])
    return best if counts[best] else ","


def split_fields(text: str, delimiter: str) -> list[str]:
    """The fields of one record (quoted fields may hold delimiters, quotes, newlines)."""
    if '"' not in text:
        return text.split(delimiter)
    return next(csv.reader([text], delimiter=delimiter), [])


def _normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(c for c in decomposed if c.isalnum())


_NIR_HEADER_HINTS = ("nir", "secu", "insee", "nss", "ssn")


def find_column(header: list[str] | None, column: str | None, first_row: list[str]) -> int:
    """The 0-based index of the NIR column, from a name, a number, or the header."""
    if column is not None and column.strip().isdigit():
        index = int(column) - 1
        if index < 0:
            raise CsvInputError(f"--column {column}: columns are numbered from 1")
        return index
    if header is None:
        if column is not None:
            raise CsvInputError(
                f"--column {column!r} is a name but the file has no header row; "
                "give the column's number instead (1 = first)"
            )
        if len(first_row) == 1:
            return 0
        raise CsvInputError(
            "the file has no header row and several columns: "
            "say which holds the NIR with --column NUMBER (1 = first)"
        )
    names = [name.strip() for name in header]
    if column is not None:
        for wanted in (column.strip(), _normalise_name(column)):
            for index, name in enumerate(names):
                if name == wanted or _normalise_name(name) == wanted:
                    return index
        raise CsvInputError(
            f"--column {column!r} is not in the header; the columns are: {_listing(names)}"
        )
    matches = [
        index
        for index, name in enumerate(names)
        if any(hint in _normalise_name(name) for hint in _NIR_HEADER_HINTS)
    ]
    if len(matches) == 1:
        return matches[0]
    if len(names) == 1:
        return 0
    found = "several columns look like it" if matches else "no column name looks like it"
    raise CsvInputError(
        f"which column holds the NIR? {found}; pass --column NAME or NUMBER. "
        f"The columns are: {_listing(names)}"
    )


def _listing(names: list[str]) -> str:
    shown = ", ".join(f"{i}={name!r}" for i, name in enumerate(names[:30], start=1))
    return shown + (", ..." if len(names) > 30 else "")


def looks_like_header(value: str) -> bool:
    """A header cell has letters and few digits; a NIR cell is mostly digits."""
    digits = sum(c.isdigit() for c in value)
    return digits < 8


# ---------------------------------------------------------------------------
# The per-chunk work


@dataclass(slots=True)
class ChunkProcessor:
    """Checks the records of one chunk and renders their output bytes.

    State carried between chunks: the line counter and the summary.
    """

    delimiter: bytes
    encoding: str
    column: int
    width: int
    only_invalid: bool
    replace_bad_bytes: bool
    options: Options
    summary: Summary
    line: int = 1
    quote_out: Callable[[str], str] = field(init=False)

    def __post_init__(self) -> None:
        delimiter = self.delimiter.decode("ascii")
        specials = (delimiter, '"', "\r", "\n")

        def quote(text: str) -> str:
            if any(s in text for s in specials):
                return '"' + text.replace('"', '""') + '"'
            return text

        self.quote_out = quote

    def process(self, records: list[bytes], newline: bytes) -> bytes:
        """Check each record (without its separator) and return the output bytes."""
        out: list[bytes] = []
        emit = out.append
        delimiter = self.delimiter
        column = self.column
        only_invalid = self.only_invalid
        summary = self.summary
        line = self.line
        for record in records:
            first_line = line
            line += record.count(newline) + 1 if b'"' in record else 1
            if record.endswith(b"\r") and newline == b"\n":
                body, end = record[:-1], b"\r\n"
            else:
                body, end = record, newline
            if not body:
                summary.blank_lines += 1
                if not only_invalid:
                    emit(end)
                continue
            summary.rows += 1
            if b'"' not in body:
                fields = body.split(delimiter)
                count = len(fields)
                raw = fields[column] if column < count else None
                if raw is not None and quick_valid_bytes(raw):
                    summary.valid += 1
                    if not only_invalid:
                        emit(
                            b"%s%s%s%d%strue%s%s%s%s%s%snir%s%s"
                            % (
                                body,
                                delimiter * (self.width - count) if count < self.width else b"",
                                delimiter,
                                first_line,
                                delimiter,
                                delimiter,
                                delimiter,
                                delimiter,
                                raw,
                                delimiter,
                                b"",
                                delimiter,
                                end,
                            )
                        )
                    continue
                value = None if raw is None else self._decode(raw, first_line)
            else:
                text_fields = split_fields(self._decode(body, first_line), self.encoding_text)
                count = len(text_fields)
                value = text_fields[column] if column < count else None
            emit(self._slow_row(body, end, value, count, first_line))
        self.line = line
        return b"".join(out)

    @property
    def encoding_text(self) -> str:
        """The delimiter as text."""
        return self.delimiter.decode("ascii")

    def _decode(self, raw: bytes, line: int) -> str:
        try:
            return raw.decode(self.encoding)
        except UnicodeDecodeError:
            if not self.replace_bad_bytes:
                raise
            if not self.summary.replaced_lines or self.summary.replaced_lines[-1] != line:
                self.summary.replaced_lines.append(line)
            return raw.decode(self.encoding, errors="replace")

    def _slow_row(self, body: bytes, end: bytes, value: str | None, count: int, line: int) -> bytes:
        summary = self.summary
        if value is None:
            code = "missing"
            message = (
                f"the row has {count} field{'s' if count != 1 else ''}; "
                f"the NIR column is number {self.column + 1}"
            )
            number = kind = ""
            warnings: tuple[str, ...] = ()
        else:
            result = verdict(value, self.options)
            code, message, number, kind, warnings = (
                result.code,
                result.message,
                result.number,
                result.kind,
                result.warnings,
            )
            if not code and value and compact(value) != result.number:
                number = result.number
        if code:
            summary.invalid += 1
            summary.errors[code] += 1
        else:
            summary.valid += 1
        if warnings:
            summary.rows_with_warnings += 1
            summary.warnings.update(warnings)
        if summary.replaced_lines and summary.replaced_lines[-1] == line:
            warnings = (*warnings, "bad_bytes")
            body = body.decode(self.encoding, errors="replace").encode(
                self.encoding, errors="replace"
            )
        if self.only_invalid and not code:
            return b""
        if count < self.width:
            summary.short_rows.append(line)
            body += self.delimiter * (self.width - count)
        quote = self.quote_out
        cells = [
            str(line),
            "false" if code else "true",
            code,
            quote(message),
            quote(number),
            kind,
            quote("|".join(warnings)),
        ]
        delimiter = self.encoding_text
        appended = delimiter + delimiter.join(cells)
        return body + appended.encode(self.encoding, errors="replace") + end


# ---------------------------------------------------------------------------
# Records from a byte stream


def split_records(data: bytes, newline: bytes) -> tuple[list[bytes], bytes]:
    """Complete records of `data` (without separators) and the unfinished rest.

    A separator inside a quoted field does not end the record: a record is complete
    when it holds an even number of quote characters.
    """
    parts = data.split(newline)
    rest = parts.pop()
    if b'"' not in data:
        return parts, rest
    records: list[bytes] = []
    pending: list[bytes] = []
    odd = False
    for part in parts:
        if part.count(b'"') & 1:
            odd = not odd
        if odd:
            pending.append(part)
        elif pending:
            pending.append(part)
            records.append(newline.join(pending))
            pending = []
        else:
            records.append(part)
    if pending:
        rest = newline.join([*pending, rest])
    return records, rest


@dataclass(slots=True)
class _Reader:
    """Chunks of the input, with the bytes consumed reported for a progress bar."""

    source: BinaryIO
    progress: Callable[[int], None] | None
    position: Callable[[], int] | None = None
    _seen: int = 0

    def read(self, size: int) -> bytes:
        data = self.source.read(size)
        if self.progress is not None:
            now = self.position() if self.position is not None else self._seen + len(data)
            self.progress(now - self._seen)
            self._seen = now
        return data


def process(
    source: BinaryIO,
    sink: BinaryIO,
    config: CsvConfig,
    progress: Callable[[int], None] | None = None,
    position: Callable[[], int] | None = None,
) -> Summary:
    """Read CSV bytes from `source`, write the checked CSV to `sink`, return the counts.

    Raises `CsvInputError` when the input cannot be read as CSV.
    """
    reader = _Reader(source, progress, position)
    data = reader.read(SAMPLE_SIZE)
    while len(data) < SAMPLE_SIZE:
        more = reader.read(SAMPLE_SIZE)
        if not more:
            break
        data += more
    if not data:
        raise CsvInputError("the input is empty: there is no row to check")
    if b"\x00" in data[:SAMPLE_SIZE]:
        raise CsvInputError(
            "line 1: the input holds NUL bytes, so it is not a CSV text file "
            "(a spreadsheet .xlsx, or UTF-16?); export it as CSV first"
        )
    encoding = _encoding_name(config.encoding) if config.encoding else detect_encoding(data)
    bom = b""
    if encoding == "utf-8-sig":
        if data.startswith(UTF8_BOM):
            bom, data = UTF8_BOM, data[len(UTF8_BOM) :]
        encoding = "utf-8"
    output_encoding = _encoding_name(config.output_encoding) if config.output_encoding else ""
    newline = detect_newline(data)

    records, rest = split_records(data, newline)
    if not records:  # the whole input is one record without a final separator
        records, rest = [rest], b""
    first = records[0].removesuffix(b"\r") if newline == b"\n" else records[0]
    try:
        first_text = first.decode(encoding)
    except UnicodeDecodeError as error:
        raise _decode_error(error, encoding, 1) from None
    delimiter = config.delimiter or detect_delimiter(first_text)
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise CsvInputError(f"--delimiter {delimiter!r}: give one character other than a quote")
    first_fields = split_fields(first_text, delimiter)
    header_fields: list[str] | None
    if config.header is None:
        if config.column is not None and not config.column.strip().isdigit():
            has_header = True
        else:
            probe = find_column(None, config.column, first_fields) if config.column else None
            cell = first_fields[probe] if probe is not None and probe < len(first_fields) else ""
            has_header = looks_like_header(cell) if probe is not None else _all_texty(first_fields)
    else:
        has_header = config.header
    header_fields = first_fields if has_header else None
    column = find_column(header_fields, config.column, first_fields)
    if header_fields is not None and column >= len(header_fields):
        raise CsvInputError(
            f"--column {column + 1}: the header has only {len(header_fields)} columns"
        )

    summary = Summary(
        encoding=(encoding if not bom else "utf-8-sig"),
        delimiter=delimiter,
        header=has_header,
        column=column + 1,
        column_name=header_fields[column].strip() if header_fields else "",
    )
    width = len(first_fields)
    processor = ChunkProcessor(
        delimiter=delimiter.encode("ascii"),
        encoding=encoding,
        column=column,
        width=width,
        only_invalid=config.only_invalid,
        replace_bad_bytes=config.replace_bad_bytes,
        options=config.options,
        summary=summary,
    )
    transcode = _transcoder(encoding, output_encoding)
    sink.write(transcode(bom) if not output_encoding else b"")
    if has_header:
        header_record = records.pop(0)
        end = b"\r\n" if header_record.endswith(b"\r") and newline == b"\n" else newline
        names = delimiter.join(APPENDED_COLUMNS).encode("ascii")
        sink.write(transcode(first + delimiter.encode("ascii") + names + end))
        processor.line = 2 + header_record.count(newline)

    while True:
        _check_decodable(records, newline, encoding, processor)
        sink.write(transcode(processor.process(records, newline)))
        chunk = reader.read(CHUNK_SIZE)
        if not chunk:
            break
        records, rest = split_records(rest + chunk, newline)
    if rest:
        if rest.count(b'"') & 1:
            raise CsvInputError(
                f"line {processor.line}: a quoted field opens here and never closes "
                '(an unpaired ")'
                "; fix the quote in the file, then check again"
            )
        final = [rest]
        _check_decodable(final, newline, encoding, processor)
        output = processor.process(final, newline)
        if output.endswith(newline) and not rest.endswith(b"\r"):
            output = output[: -len(newline)]  # keep the missing final separator missing
        sink.write(transcode(output))
    return summary


def _all_texty(fields: list[str]) -> bool:
    return all(looks_like_header(cell) for cell in fields)


def _encoding_name(name: str) -> str:
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        raise CsvInputError(f"unknown encoding {name!r}; use utf-8, utf-8-sig or cp1252") from None
    if canonical not in ENCODINGS:
        raise CsvInputError(
            f"encoding {name!r} is not supported: use utf-8, utf-8-sig or cp1252 "
            "(encodings where ';', ',' and line breaks are single bytes)"
        )
    return canonical


def _transcoder(encoding: str, output_encoding: str) -> Callable[[bytes], bytes]:
    if not output_encoding or output_encoding == encoding:
        return lambda data: data
    target = "utf-8" if output_encoding == "utf-8-sig" else output_encoding

    def transcode(data: bytes) -> bytes:
        try:
            return data.decode(encoding, errors="replace").encode(target)
        except UnicodeEncodeError as error:
            raise CsvInputError(
                f"a character ({error.object[error.start : error.end]!r}) cannot be written "
                f"in {output_encoding}; choose another --output-encoding"
            ) from None

    return transcode


def _check_decodable(
    records: list[bytes], newline: bytes, encoding: str, processor: ChunkProcessor
) -> None:
    """Fail with the line number of the first undecodable byte, unless replacing."""
    if processor.replace_bad_bytes:
        return
    data = newline.join(records)
    if data.isascii():
        return
    try:
        data.decode(encoding)
    except UnicodeDecodeError as error:
        line = processor.line + data.count(newline, 0, error.start)
        raise _decode_error(error, encoding, line) from None


def _decode_error(error: UnicodeDecodeError, encoding: str, line: int) -> CsvInputError:
    bad = error.object[error.start : error.start + 4].hex(" ")
    other = "cp1252" if encoding.startswith("utf") else "utf-8"
    return CsvInputError(
        f"line {line}: bytes {bad} cannot be read as {encoding}; "
        f"try --encoding {other}, or --replace-bad-bytes to replace them and report the rows"
    )


def open_input(raw: BinaryIO) -> tuple[BinaryIO, Callable[[], int] | None]:
    """The stream to read, gunzipped when it starts with the gzip magic number.

    For gzip, also a function that gives the compressed bytes read so far (the
    progress bar follows the file on disk).
    """
    peek = getattr(raw, "peek", None)
    if peek is not None:
        head = peek(2)[:2]
    else:  # an unbuffered or in-memory stream: it can seek back
        head = raw.read(2)
        raw.seek(0)
    if head == b"\x1f\x8b":
        import gzip  # noqa: PLC0415  # only for .gz inputs

        return cast("BinaryIO", gzip.GzipFile(fileobj=raw, mode="rb")), raw.tell
    return raw, None
