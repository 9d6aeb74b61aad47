r"""Read a DSN (déclaration sociale nominative) and check the NIR of each individual.

A DSN is a text file of ``RUBRIQUE,'value'`` lines (nir-spec.md §2.2, §4.5, §5).
The individual block ``S21.G00.30`` carries the NIR (``.001``, 13 characters,
without the key), the sex (``.005``, ``01``/``02``), the birth date (``.006``,
``DDMMYYYY``), the birth place (``.007`` commune name, ``.014`` department,
``.015`` country), the employee's registration number (``.019``) and, for an
employee without a NIR yet, a temporary technical number (NTT, ``.020``).

Reading streams: the file is read in 4 MB chunks of whole individuals into one
reused buffer, each chunk parsed by one regular expression per individual, its
NIRs checked in one `nir.check_many` call, the identity compared only for valid
numbers. Memory does not grow with the file. `findings` (what ``nir dsn``
reports from) goes further: a scan (the C core's ``dsn_scan``, else
`_scan_python`) settles the individuals whose number is plainly valid and whose
declared identity plainly agrees without making objects of them; only the others
take the path above.

Encoding: ISO-8859-1, what the DSN standard (norme NEODeS) prescribes, or UTF-8
when the value decodes as such. Only declared names are text; the NIR is ASCII.

>>> import io
>>> text = "S21.G00.30.001,'2550814168025'\nS21.G00.30.005,'02'\nS21.G00.30.006,'12081955'\n"
>>> [(c.line, c.valid, c.mismatches) for c in check(io.BytesIO(text.encode()))]
[(1, True, ())]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO, Final

from nir import _accel, messages
from nir._accel import DsnRow, DsnScan
from nir._bulk import check_many
from nir._csvio import open_input
from nir._fast import plain_fields, quick_valid
from nir._identity import identity_codes
from nir._key import key_of

__all__ = ["Checked", "DsnError", "Individual", "Problem", "check", "findings", "read"]

INDIVIDUAL: Final = b"S21.G00.30."
"""The individual block's rubric prefix."""

MALE, FEMALE = "01", "02"
"""The sex codes of ``S21.G00.30.005``."""

BORN_ABROAD = "99"
"""The department code ``S21.G00.30.014`` gives for a birth abroad."""

FRANCE = "FR"
"""The country code ``S21.G00.30.015`` gives for a birth in France (ISO 3166)."""

LAST_FIELD = 30
"""The individual block's rubrics nir.dsn knows: ``.001`` to ``.030``."""

CHUNK = 1 << 22
"""Bytes read at a time: large enough for C speed, small enough to stay flat."""

_LONGEST = 16 * CHUNK  # beyond, a "block" is junk: cut it anywhere

_VALUE = rb"'([^\r\n]*)'\r?\n"
_SKIP = rb"(?:S21\.G00\.30\.(?:%s),'[^\r\n]*'\r?\n)*"


def _field(number: bytes) -> bytes:
    return rb"(?:S21\.G00\.30\." + number + rb"," + _VALUE + rb")?"


# One individual: its rubrics in increasing order, each optional (a rubric that
# does not follow in order starts the next individual, as in a DSN).
_BLOCK = re.compile(
    rb"^(?=S21\.G00\.30\.)"
    + _field(b"001")
    + _SKIP % rb"00[234]"
    + _field(b"005")
    + _field(b"006")
    + _field(b"007")
    + _SKIP % rb"00[89]|01[0-3]"
    + _field(b"014")
    + _field(b"015")
    + _SKIP % rb"01[678]"
    + _field(b"019")
    + _field(b"020")
    + _SKIP % rb"02[1-9]|030",
    re.MULTILINE,
)
# A line that is not RUBRIQUE,'value' (a blank line too: dropped), and an
# individual-block rubric nir.dsn does not know: the slow path then says which.
_BAD_LINE = re.compile(
    rb"^(?!S[0-9]{2}\.G[0-9]{2}\.[0-9]{2}\.[0-9]{3},'[^\r\n]*'\r?$)(?!\Z)", re.MULTILINE
)
# (after a line end, not ^: a pattern that starts with a literal is searched fast)
_UNKNOWN = re.compile(rb"\nS21\.G00\.30\.(?!0[0-2][1-9]|0[12]0|030)")
_RUBRIC = re.compile(rb"S[0-9]{2}\.G[0-9]{2}\.[0-9]{2}\.[0-9]{3}")


class DsnError(Exception):
    """A file that cannot be read as a DSN at all: `code` and `line` say why and where."""

    def __init__(self, file: str, line: int, code: str) -> None:
        super().__init__(f"{file}:{line}: {code}")
        self.file, self.line, self.code = file, line, code

    def message(self, lang: str | None = None) -> str:
        """The reason in words, in `lang`."""
        return messages.render(self.code, {}, lang)


@dataclass(frozen=True, slots=True)
class Problem:
    """A line the reader could not take as a rubric, or a file that stops short."""

    file: str
    line: int
    code: str
    rubric: str = ""

    def message(self, lang: str | None = None) -> str:
        """The problem in words, in `lang` (the value of the line is never in it)."""
        params = {"rubric": self.rubric} if self.code in _WITH_RUBRIC else {}
        return messages.render(self.code, params, lang)


_WITH_RUBRIC = frozenset({"dsn_unknown_rubric", "dsn_no_quotes"})


@dataclass(frozen=True, slots=True)
class Individual:
    """One ``S21.G00.30`` block as declared: None for an absent rubric."""

    file: str
    line: int
    nir: str | None
    sex: str | None
    birth_date: str | None
    birth_place: str | None
    birth_department: str | None
    birth_country: str | None
    registration: str | None
    ntt: str | None

    def declared_place(self, number: str) -> str | None:
        """The birth place to compare with `number`: the department, else the commune name.

        Born abroad: .015 is an ISO 3166 code, the NIR an INSEE one, and no table
        links them here; so only "abroad" is compared, with a number born in France.
        """
        if self.birth_department == BORN_ABROAD or (
            self.birth_country and self.birth_country.upper() != FRANCE
        ):
            return None if number[5:7] == BORN_ABROAD else BORN_ABROAD
        return self.birth_department or self.birth_place


@dataclass(frozen=True, slots=True)
class Checked:
    """An individual and its verdict.

    `error_code` is None for a valid NIR and for an NTT-only individual
    (`ntt` and no NIR: not an error, a number to come); "dsn_no_nir" when the
    block has neither. `mismatches` are the identity field codes that differ.
    """

    individual: Individual
    valid: bool
    error_code: str | None
    ntt: bool
    mismatches: tuple[str, ...]

    @property
    def line(self) -> int:
        """The line of the block's first rubric."""
        return self.individual.line

    @property
    def found(self) -> bool:
        """Whether there is something to report (an NTT-only individual is not an error)."""
        return self.error_code is not None or bool(self.mismatches)

    @property
    def number(self) -> str | None:
        """The 15-character number (key completed) of a valid NIR."""
        nir = self.individual.nir
        if not self.valid or nir is None:
            return None
        return nir if len(nir) == 15 else f"{nir}{key_of(nir):02d}"


def _text(value: bytes | None) -> str | None:
    """A declared value: UTF-8, else ISO-8859-1 (the DSN's prescribed encoding)."""
    if not value:
        return None
    try:
        return value.decode()
    except UnicodeDecodeError:
        return value.decode("latin-1")


def read(source: str | Path | BinaryIO) -> Iterator[Individual | Problem]:
    """The individuals of a DSN and its problem lines, in file order.

    `source`: a path (``.gz`` read as such, ``-`` is standard input) or a
    binary stream. Raises `DsnError` when the file is not a DSN.
    """
    for chunk in _chunks(source):
        yield from chunk[0]


def check(
    source: str | Path | BinaryIO, *, reference_date: date | None = None
) -> Iterator[Checked | Problem]:
    """The individuals of a DSN with their verdicts, and its problem lines, in file order."""
    today = reference_date or date.today()  # noqa: DTZ011  # a civil date
    for records, individuals in _chunks(source):
        verdicts = iter(_verdicts(individuals, today, reference_date))
        for record in records:
            yield next(verdicts) if isinstance(record, Individual) else record


def _verdicts(
    individuals: list[Individual], today: date, reference_date: date | None
) -> Iterator[Checked]:
    declared = [p for p in individuals if p.nir is not None]
    # The key completed first: 15 characters take check_many's fast path.
    numbers = [_completed(p.nir) for p in declared if p.nir is not None]
    errors = check_many(numbers, reference_date=reference_date).errors
    codes = {id(p): (errors.get(index), numbers[index]) for index, p in enumerate(declared)}
    for person in individuals:
        ntt = person.ntt is not None
        if person.nir is None:
            yield Checked(
                person,
                valid=False,
                error_code=None if ntt else "dsn_no_nir",
                ntt=ntt,
                mismatches=(),
            )
            continue
        code, full = codes[id(person)]
        if code is not None:
            yield Checked(person, valid=False, error_code=code, ntt=ntt, mismatches=())
            continue
        mismatches: tuple[str, ...] = ()
        if person.sex or person.birth_date or person.birth_place or person.birth_department:
            mismatches = identity_codes(
                full, person.sex, _dsn_date(person.birth_date), person.declared_place(full), today
            )
        yield Checked(person, valid=True, error_code=None, ntt=ntt, mismatches=mismatches)


_BODY = re.compile(r"[0-9]{6}[0-9AB][0-9]{6}")


def _completed(nir: str) -> str:
    """A 13-character body with its key (as a DSN declares it), else `nir` unchanged."""
    if len(nir) == 13 and _BODY.fullmatch(nir):
        return f"{nir}{key_of(nir):02d}"
    return nir


def _dsn_date(value: str | None) -> str | None:
    """``DDMMYYYY`` as ``DD/MM/YYYY`` (the identity check reads both; this one is explicit)."""
    if value is None or len(value) != 8 or not value.isdigit():
        return value
    return f"{value[:2]}/{value[2:4]}/{value[4:]}"


def _open(source: str | Path | BinaryIO) -> tuple[BinaryIO, str, BinaryIO | None]:
    """The stream to read, the file's name, and the file to close (None: the caller's)."""
    if isinstance(source, str | Path):
        if str(source) == "-":
            import sys  # noqa: PLC0415

            return open_input(sys.stdin.buffer)[0], "-", None
        raw = Path(source).open("rb")  # noqa: SIM115  # closed by _chunks
        try:
            return open_input(raw)[0], str(source), raw
        except BaseException:
            raw.close()
            raise
    return open_input(source)[0], str(getattr(source, "name", "<stream>")), None


class _Truncated:
    """What `_pieces` gives last for a declaration that stops before its S90 trailer."""


_TRUNCATED: Final = _Truncated()


def _pieces(source: str | Path | BinaryIO) -> Iterator[memoryview | _Truncated]:
    """The file in chunks of whole individuals, each ending with a line end.

    Then `_TRUNCATED` for a declaration cut short. The caller counts the lines
    (the C scan does it on the way). A chunk is valid until the next one.
    """
    stream, name, owned = _open(source)
    try:
        yield from _parse(stream, name)
    finally:
        if owned is not None:
            stream.close()
            owned.close()


def _chunks(
    source: str | Path | BinaryIO,
) -> Iterator[tuple[list[Individual | Problem], list[Individual]]]:
    """Each chunk's records in order, and its individuals alone."""
    name = _name(source)
    first_line = 1
    for piece in _pieces(source):
        if isinstance(piece, _Truncated):
            yield [Problem(name, first_line - 1, "dsn_truncated")], []
        else:
            chunk = bytes(piece)
            yield _records(chunk, name, first_line)
            first_line += chunk.count(b"\n")


def _name(source: str | Path | BinaryIO) -> str:
    if isinstance(source, str | Path):
        return str(source)
    return str(getattr(source, "name", "<stream>"))


def _parse(stream: BinaryIO, name: str) -> Iterator[memoryview | _Truncated]:
    """The chunks as views of one buffer, reused: a view is valid until the next one.

    One buffer, not a bytes object per read: copying 4 MB twice a chunk into fresh
    memory cost more than the C scan of it.
    """
    window = bytearray(2 * CHUNK + 1)  # a read, what the last one left, a final line end
    view = memoryview(window)
    kept = 0  # bytes at the start of the window: the end of the last read, not yet cut
    started = False
    declaration = False
    last_rubric = b""
    while True:
        if len(window) - kept <= CHUNK:  # one individual longer than the window
            window = window[:kept] + bytearray(2 * CHUNK + 1)
            view = memoryview(window)
        data = stream.read(CHUNK)
        filled = kept + len(data)
        view[kept:filled] = data
        if not filled:
            break
        if not started:
            if not _RUBRIC.match(view[:filled]):
                raise DsnError(name, 1, "dsn_not_a_dsn")
            started = True
            declaration = window.startswith(b"S10.G00.00.")
        if data:
            cut = _cut(window, filled)
            if cut == 0 and filled < _LONGEST:  # no end of an individual yet: read on
                kept = filled
                continue
            cut = cut or window.rfind(b"\n", 0, filled) + 1 or filled
        else:
            cut = filled
            if window[filled - 1] != ord("\n"):
                window[filled] = ord("\n")  # room: a read leaves a byte spare
                cut += 1
        yield view[:cut]
        last_rubric = _last_line(window, cut)[:3]
        rest = bytes(view[cut:filled])
        kept = len(rest)
        view[:kept] = rest
        if not data:
            break
    if not started:
        raise DsnError(name, 1, "dsn_not_a_dsn")
    if declaration and last_rubric != b"S90":
        yield _TRUNCATED


def _last_line(buffer: bytearray, end: int) -> bytes:
    """The last line of buffer[:end] that is not blank (no copy of the chunk)."""
    while end and buffer[end - 1] in b"\r\n":
        end -= 1
    return bytes(buffer[buffer.rfind(b"\n", 0, end) + 1 : end])


def _cut(buffer: bytearray, filled: int) -> int:
    """Where to split buffer[:filled]: after the last complete line ending an individual."""
    end = buffer.rfind(b"\n", 0, filled) + 1
    while end > 0:
        start = buffer.rfind(b"\n", 0, end - 1) + 1
        if not buffer.startswith(INDIVIDUAL, start):
            return start  # a line outside an individual: everything before is complete
        end = start
    return 0


def _records(
    chunk: bytes, name: str, first_line: int
) -> tuple[list[Individual | Problem], list[Individual]]:
    problems: list[Problem] = []
    numbers: list[int] | None = None  # original line numbers when bad lines are dropped
    if _BAD_LINE.search(chunk) or _UNKNOWN.search(b"\n" + chunk):
        chunk, numbers, problems = _drop_bad_lines(chunk, name, first_line)
    records: list[Individual | Problem] = []
    individuals: list[Individual] = []
    position = 0
    index = 0  # lines before `position`
    count = chunk.count
    for match in _BLOCK.finditer(chunk):
        start = match.start()
        if match.end() == start:  # a line the block cannot take (a lone CR in it)
            continue
        index += count(b"\n", position, start)
        position = start
        line = first_line + index if numbers is None else numbers[index]
        person = _individual(name, line, *match.groups())
        records.append(person)
        individuals.append(person)
    if problems:  # in file order with the individuals
        records = sorted([*records, *problems], key=lambda record: record.line)
    return records, individuals


def _individual(  # noqa: PLR0917  # the block's values, in rubric order
    name: str,
    line: int,
    nir: bytes | None,
    sex: bytes | None,
    born: bytes | None,
    place: bytes | None,
    department: bytes | None,
    country: bytes | None,
    registration: bytes | None,
    ntt: bytes | None,
) -> Individual:
    return Individual(
        name,
        line,
        None if nir is None else nir.decode("latin-1"),
        _text(sex),
        _text(born),
        _text(place),
        _text(department),
        _text(country),
        _text(registration),
        _text(ntt),
    )


def _scan(chunk: memoryview, first_line: int) -> DsnScan | None:
    """The settled individuals' count, the rows of the others, the chunk's lines.

    None when a line has a problem (`_records` then says which).
    """
    compiled = _accel.compiled
    if compiled is not None:
        return compiled.dsn_scan(chunk, first_line)
    return _scan_python(bytes(chunk), first_line)


def _scan_python(chunk: bytes, first_line: int) -> DsnScan | None:
    """The reference of the C core's dsn_scan: `_records`' blocks, the settled ones counted."""
    if _BAD_LINE.search(chunk) or _UNKNOWN.search(b"\n" + chunk):
        return None
    settled = 0
    rows: list[DsnRow] = []
    position = 0
    line = first_line
    count = chunk.count
    for match in _BLOCK.finditer(chunk):
        start = match.start()
        if match.end() == start:  # cannot happen without a problem line; as _records
            continue
        line += count(b"\n", position, start)
        position = start
        nir, sex, born, place, department, country, registration, ntt = match.groups()
        if _settled(nir, sex, born, place, department, country, registration, ntt):
            settled += 1
        else:
            rows.append((line, nir, sex, born, place, department, country, registration, ntt))
    return settled, rows, count(b"\n")


def _settled(  # noqa: PLR0917  # one test per declared field
    nir: bytes | None,
    sex: bytes | None,
    born: bytes | None,
    place: bytes | None,
    department: bytes | None,
    country: bytes | None,
    _registration: bytes | None,
    _ntt: bytes | None,
) -> bool:
    """Whether `check` would find nothing, seen without the full rules.

    True when the number is valid by the fast pattern (`nir._fast`, key completed
    when 13 characters), and each declared field equals the number's own digits
    (sex 01/02 and the first digit, DDMMYYYY's YY and MM, the department) or is not
    compared (born abroad both ways). Anything else is left to `check`'s full path, so a False costs
    time, never a verdict; tests/test_dsn.py checks a True against `check`.
    """
    if nir is None or len(nir) not in {13, 15} or not nir.isdigit():
        return False
    text = nir.decode("ascii")
    if len(text) == 13:
        if not plain_fields(text + "00"):
            return False
        text = f"{text}{key_of(text):02d}"
    elif not quick_valid(text):
        return False
    number = text.encode("ascii")
    if sex and sex != b"0" + number[:1]:
        return False
    if born and (len(born) != 8 or born[6:8] != number[1:3] or born[2:4] != number[3:5]):
        return False
    if department == BORN_ABROAD.encode() or (country and country.lower() != b"fr"):
        return number[5:7] == BORN_ABROAD.encode()
    if not department:
        return not place  # a commune name: the full path
    width = 3 if number[5:7] in {b"97", b"98"} else 2
    return department == number[5 : 5 + width]


def findings(
    source: str | Path | BinaryIO, *, reference_date: date | None = None
) -> Iterator[int | Checked | Problem]:
    """`check` for a report: a count stands for individuals with nothing to say.

    The other individuals and the problem lines come as `check` gives them, in file
    order; the counts come between them. Much faster than `check` on a clean file:
    most individuals never become Python objects.
    """
    today = reference_date or date.today()  # noqa: DTZ011  # a civil date
    name = _name(source)
    first_line = 1
    for piece in _pieces(source):
        if isinstance(piece, _Truncated):
            yield Problem(name, first_line - 1, "dsn_truncated")
            continue
        scanned = _scan(piece, first_line)
        if scanned is None:  # a problem line: the whole chunk the slow way
            chunk = bytes(piece)
            records, individuals = _records(chunk, name, first_line)
            verdicts = iter(_verdicts(individuals, today, reference_date))
            for record in records:
                yield next(verdicts) if isinstance(record, Individual) else record
            first_line += chunk.count(b"\n")
            continue
        settled, rows, lines = scanned
        if settled:
            yield settled
        people = [_individual(name, *row) for row in rows]
        yield from _verdicts(people, today, reference_date)
        first_line += lines


def _drop_bad_lines(
    chunk: bytes, name: str, first_line: int
) -> tuple[bytes, list[int], list[Problem]]:
    """The chunk without its bad lines, the line number of each kept line, and why."""
    kept: list[bytes] = []
    numbers: list[int] = []
    problems: list[Problem] = []
    for offset, line in enumerate(chunk.split(b"\n")[:-1]):  # the chunk ends with a newline
        number = first_line + offset
        code = _line_problem(line)
        if not line.strip():
            continue  # a blank line: nothing to say, and no end of a block
        if code is None:
            kept.append(line + b"\n")
            numbers.append(number)
        else:
            rubric = line[:14].decode("latin-1") if _RUBRIC.match(line) else ""
            problems.append(Problem(name, number, code, rubric))
    return b"".join(kept), numbers, problems


def _line_problem(line: bytes) -> str | None:
    body = line.removesuffix(b"\r")
    if not _RUBRIC.match(body) or body[14:15] != b"," or b"\r" in body:
        return "dsn_not_a_rubric"
    if body.startswith(INDIVIDUAL) and not 1 <= int(body[11:14]) <= LAST_FIELD:
        return "dsn_unknown_rubric"
    value = body[15:]
    if len(value) < 2 or not value.startswith(b"'") or not value.endswith(b"'"):
        return "dsn_no_quotes"
    return None


def summary(verdicts: Iterable[Checked | Problem]) -> dict[str, int]:
    """Counts for a report: individuals, valid, invalid, mismatched, NTT-only, problems."""
    counts = dict.fromkeys(("individuals", "valid", "invalid", "mismatched", "ntt", "problems"), 0)
    for record in verdicts:
        if isinstance(record, Problem):
            counts["problems"] += 1
            continue
        counts["individuals"] += 1
        counts["valid"] += record.valid
        counts["invalid"] += record.error_code is not None
        counts["mismatched"] += bool(record.mismatches)
        counts["ntt"] += record.ntt and record.individual.nir is None
    return counts
