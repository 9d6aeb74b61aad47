"""nir.dsn and `nir dsn`: DSN files made here, read and checked on both cores."""

from __future__ import annotations

import gzip
import io
import json
import re
import tracemalloc
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from nir import dsn
from nir._generate import people as people_of
from nir._key import key_of
from nir.cli import main

from .conftest import compiled_or_skip

TODAY = date(2026, 1, 1)
HEADER = ["S10.G00.00.001,'nir tests'", "S20.G00.05.001,'01'", "S21.G00.06.001,'123456789'"]
TRAILER = ["S90.G00.90.001,'1'"]


def full(body: str) -> str:
    """A 13-character body with its key."""
    return f"{body}{key_of(body):02d}"


def individual(
    nir: str | None,
    sex: str | None = None,
    born: str | None = None,
    *,
    place: str | None = None,
    department: str | None = None,
    country: str | None = None,
    registration: str | None = None,
    ntt: str | None = None,
) -> list[str]:
    """The lines of one S21.G00.30 block (absent rubrics left out), then a contract."""
    fields = [
        ("001", nir),
        ("002", "NOM"),
        ("005", sex),
        ("006", born),
        ("007", place),
        ("014", department),
        ("015", country),
        ("019", registration),
        ("020", ntt),
    ]
    lines = [f"S21.G00.30.{code},'{value}'" for code, value in fields if value is not None]
    return [*lines, "S21.G00.40.001,'01012020'"]


def establishment(siret: str, *people: list[str]) -> list[str]:
    return [f"S21.G00.11.001,'{siret}'", *(line for person in people for line in person)]


def declaration(*establishments: list[str]) -> str:
    lines = [*HEADER, *(line for block in establishments for line in block), *TRAILER]
    return "\n".join(lines) + "\n"


# Each individual: its lines, and the verdict wanted (valid, error_code, ntt, mismatches).
PEOPLE: list[tuple[list[str], tuple[bool, str | None, bool, tuple[str, ...]], str]] = [
    (
        individual("2550814168025", "02", "12081955", department="14", registration="A1"),
        (True, None, False, ()),
        "13 characters as a DSN declares it, identity agrees",
    ),
    (
        individual(full("2550814168025"), "02", "12081955", place="Colombières"),
        (True, None, False, ()),
        "15 characters accepted, the commune name compared",
    ),
    (
        individual("1800120004123", "01", "15011980", department="2A"),
        (True, None, False, ()),
        "Corsica: 2A in the NIR and in .014",
    ),
    (
        individual("180012A004123", "01", "15011980", department="2A"),
        (True, None, False, ()),
        "Corsica after 1976: 2A in a 13-character body, its key completed",
    ),
    (
        individual("1800199352123", "01", "15011980", department="99", country="DZ"),
        (True, None, False, ()),
        "born abroad (Algeria): 99 in .014, DZ in .015",
    ),
    (
        individual("2550814168025"[:11] + "12", "02", "12081955"),
        (True, None, False, ()),
        "another order number, same identity",
    ),
    (
        individual("255081416802512", "02", "12081955", registration="A2"),
        (False, "key", False, ()),
        "wrong key on a 15-character NIR",
    ),
    (
        individual("2551314168025", "02", "12081955"),
        (False, "month", False, ()),
        "month 13 does not exist",
    ),
    (
        individual("2550814168025", "01", "12091956", department="75"),
        (True, None, False, ("sex", "birth_year", "birth_month", "birth_place")),
        "shifted identity: every declared field differs",
    ),
    (
        individual(None, registration="A3", ntt="1123456789AB12"),
        (False, None, True, ()),
        "NTT only: reported, not an error",
    ),
    (
        individual("2550814168025", "02", "12081955", ntt="2123456789AB13"),
        (True, None, True, ()),
        "NIR and NTT together: the DSN that chains them",
    ),
    (
        individual(None, "02", registration="A4"),
        (False, "dsn_no_nir", False, ()),
        "neither .001 nor .020",
    ),
]


def sample() -> str:
    people = [person for person, _, _ in PEOPLE]
    return declaration(establishment("00011", *people[:5]), establishment("00012", *people[5:]))


@pytest.mark.usefixtures("core")
def test_verdicts_of_a_declaration() -> None:
    """Several establishments, one verdict per individual as the table says, lines right."""
    text = sample()
    got = list(dsn.check(io.BytesIO(text.encode("latin-1")), reference_date=TODAY))
    assert all(isinstance(record, dsn.Checked) for record in got)
    checked = [r for r in got if isinstance(r, dsn.Checked)]
    wanted = [(verdict, reason) for _, verdict, reason in PEOPLE]
    assert len(checked) == len(wanted)
    lines = text.splitlines()
    for record, (verdict, reason) in zip(checked, wanted, strict=True):
        assert (record.valid, record.error_code, record.ntt, record.mismatches) == verdict, reason
        assert lines[record.line - 1].startswith("S21.G00.30."), reason


def test_read_gives_declared_fields() -> None:
    """Typed frozen records: the values as declared, None for an absent rubric."""
    first = next(iter(dsn.read(io.BytesIO(sample().encode("latin-1")))))
    assert isinstance(first, dsn.Individual)
    assert (first.line, first.nir, first.sex, first.birth_date) == (
        5,
        "2550814168025",
        "02",
        "12081955",
    )
    assert (first.birth_department, first.registration, first.ntt) == ("14", "A1", None)
    with pytest.raises(AttributeError):
        first.nir = "x"  # type: ignore[misc]


@pytest.mark.parametrize("encoding", ["latin-1", "utf-8"])
def test_encodings_and_gzip(tmp_path: Path, encoding: str) -> None:
    """ISO-8859-1 (the DSN's encoding) and UTF-8 read the same accents, gzipped too."""
    path = tmp_path / "d.dsn.gz"
    path.write_bytes(gzip.compress(sample().encode(encoding)))
    places = [r.birth_place for r in dsn.read(path) if isinstance(r, dsn.Individual)]
    assert "Colombières" in places


BAD = [
    ("S21.G00.30.001,2550814168025", "dsn_no_quotes", "a rubric without its quotes"),
    ("S21.G00.30.055,'x'", "dsn_unknown_rubric", "an individual rubric nir.dsn does not know"),
    ("S21.G00.30.000,'x'", "dsn_unknown_rubric", "no rubric .000 in the individual block"),
    ("S21G00.30.001,'x'", "dsn_not_a_rubric", "not a rubric identifier"),
    ("just text", "dsn_not_a_rubric", "prose in the middle"),
]


@pytest.mark.parametrize(("line", "code", "reason"), BAD)
def test_bad_lines_are_findings_with_their_line(line: str, code: str, reason: str) -> None:
    """A bad line is a Problem on its line; the individuals around it still read."""
    lines = sample().splitlines()
    lines.insert(6, line)
    got = list(dsn.check(io.BytesIO("\n".join(lines).encode()), reference_date=TODAY))
    problems = [r for r in got if isinstance(r, dsn.Problem)]
    assert [(p.line, p.code) for p in problems] == [(7, code)], reason
    assert sum(isinstance(r, dsn.Checked) for r in got) == len(PEOPLE), reason
    assert not re.search(r"\d{13}", problems[0].message("fr")), reason


def test_truncated_declaration() -> None:
    """A declaration that stops before S90, its last line cut: both said."""
    text = sample().rsplit("S90", 1)[0] + "S21.G00.30.001,'25508"
    got = [r for r in dsn.read(io.BytesIO(text.encode())) if isinstance(r, dsn.Problem)]
    last = text.count("\n") + 1
    assert [(p.code, p.line) for p in got] == [("dsn_no_quotes", last), ("dsn_truncated", last)]


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"nir;name\n1;x\n", "a CSV file"), (b"\x00\x01binary", "binary")],
)
def test_not_a_dsn(data: bytes, reason: str) -> None:
    with pytest.raises(dsn.DsnError) as raised:
        list(dsn.read(io.BytesIO(data)))
    assert (raised.value.code, raised.value.line) == ("dsn_not_a_dsn", 1), reason


def test_cli_text_report(tmp_path: Path) -> None:
    """One line per finding, registration numbers, no whole NIR; exit 1."""
    path = tmp_path / "d.dsn"
    path.write_bytes(sample().encode("latin-1"))
    result = CliRunner().invoke(
        main, ["dsn", str(path), "--lang", "en", "--reference-date", "2026-01-01"]
    )
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert len(out.splitlines()) == 5  # key, month, shifted identity, NTT only, no NIR
    assert "registration number A2" in out
    assert "NTT only" in out
    assert not re.search(r"\d{13}", out)
    assert f"{len(PEOPLE)} individuals" in result.stderr
    shown = CliRunner().invoke(main, ["dsn", str(path), "--show-numbers"])
    assert "255081416802512" in shown.stdout


def test_cli_json_and_exit_codes(tmp_path: Path) -> None:
    """--json has the contract's keys; 0 when clean, 2 when a file is no DSN."""
    path = tmp_path / "d.dsn"
    path.write_bytes(sample().encode("latin-1"))
    result = CliRunner().invoke(main, ["dsn", str(path), "--json"])
    payload = json.loads(result.stdout)
    assert payload["files"] == [str(path)]
    first = payload["individuals"][0]
    assert set(first) >= {"file", "line", "nir", "valid", "error_code", "ntt", "mismatches"}
    assert payload["summary"]["individuals"] == len(PEOPLE)
    clean = tmp_path / "clean.dsn"
    clean.write_text(declaration(establishment("1", PEOPLE[0][0])), encoding="latin-1")
    assert CliRunner().invoke(main, ["dsn", str(clean)]).exit_code == 0
    other = tmp_path / "x.csv"
    other.write_text("a;b\n")
    assert CliRunner().invoke(main, ["dsn", str(clean), str(other)]).exit_code == 2
    assert CliRunner().invoke(main, ["dsn", str(tmp_path / "none.dsn")]).exit_code == 2
    broken = tmp_path / "b.dsn.gz"
    broken.write_bytes(gzip.compress(b"S10.G00.00.001,'x'\n" * 1000)[:60])
    assert CliRunner().invoke(main, ["dsn", str(broken)]).exit_code == 2


def _big(path: Path, count: int) -> None:
    person: Sequence[str] = individual("2550814168025", registration="M")
    with path.open("w", encoding="latin-1") as out:
        out.write("\n".join(HEADER) + "\n")
        block = "\n".join(person) + "\n"
        for _ in range(count):
            out.write(block)
        out.write("\n".join(TRAILER) + "\n")


def test_memory_does_not_grow_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Streaming: the peak for 5x the individuals stays about the same (small chunks)."""
    monkeypatch.setattr(dsn, "CHUNK", 1 << 15)
    peaks = []
    for count in (4_000, 20_000):
        path = tmp_path / f"{count}.dsn"
        _big(path, count)
        tracemalloc.start()
        seen = sum(1 for _ in dsn.check(path, reference_date=TODAY))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert seen == count
    assert peaks[1] < 1.3 * peaks[0], peaks


# --- the fast path: dsn.findings, the C scan and its twin -------------------------

LINE_POOL = [
    *(f"S21.G00.30.001,'{n}'" for n in ("2550814168025", "255081416802538", "180012A004123")),
    "S21.G00.30.001,'2550814168025'\r",
    "S21.G00.30.001,''",
    "S21.G00.30.002,'NOM'",
    *(f"S21.G00.30.005,'{v}'" for v in ("01", "02", "1", "")),
    *(f"S21.G00.30.006,'{v}'" for v in ("12081955", "12091955", "1208195", "12/08/1955")),
    "S21.G00.30.007,'Colombières'",
    "S21.G00.30.008,'1 RUE'",
    *(f"S21.G00.30.014,'{v}'" for v in ("14", "99", "75", "971", "")),
    *(f"S21.G00.30.015,'{v}'" for v in ("FR", "fr", "DZ", "")),
    "S21.G00.30.019,'M1'",
    "S21.G00.30.020,'1123456789AB12'",
    "S21.G00.30.025,'x'",
    "S21.G00.40.001,'01012020'",
    "S21.G00.11.001,'00011'",
    "S21.G00.30.031,'x'",
    "S21.G00.30.001,'x",
    "S21.G00.30.001,'x'y",
    "S21.G00.30.001,'",
    "S21.G00.30.001,'a\rb'",
    "not a rubric",
    "",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINE_POOL), max_size=30), st.integers(1, 10**6))
def test_c_scan_is_the_python_scan(lines: list[str], first_line: int) -> None:
    """The C core's dsn_scan gives what its twin gives, problem lines included (None)."""
    compiled = compiled_or_skip()
    chunk = "".join(line + "\n" for line in lines).encode("utf-8")
    assert compiled.dsn_scan(chunk, first_line) == dsn._scan_python(chunk, first_line)


def _generated(count: int) -> str:
    """Generated people (every kind of number), their identity declared right or shifted."""
    people = []
    for index, person in enumerate(people_of(count, seed=3, reference_date=TODAY)):
        number = person.number
        born = f"{person.birth:%d%m%Y}"
        sex = "01" if person.sex == "M" else "02"
        department = number[5:8] if number[5:7] in {"97", "98"} else number[5:7]
        variant = index % 6
        if variant == 1:
            sex = "02" if sex == "01" else "01"
        elif variant == 2:  # the table of variants
            born = born[:2] + f"{(person.birth.month % 12) + 1:02d}" + born[4:]
        elif variant == 3:
            department = "14" if department != "14" else "75"
        declared = number[:13] if index % 2 else number
        country = "MA" if number[5:7] == "99" and variant == 4 else None
        people.append(individual(declared, sex, born, department=department, country=country))
    return declaration(establishment("00011", *people))


@pytest.mark.usefixtures("core")
def test_findings_are_what_check_reports() -> None:
    """The fast path settles only individuals `check` finds nothing on, and reports the rest."""
    data = _generated(3_000).encode("latin-1")
    checked = list(dsn.check(io.BytesIO(data), reference_date=TODAY))
    fast = list(dsn.findings(io.BytesIO(data), reference_date=TODAY))
    settled = sum(r for r in fast if isinstance(r, int))
    others = [r for r in fast if not isinstance(r, int)]
    assert settled + len(others) == len(checked)
    assert settled > len(checked) // 3  # the fast path does settle most plain individuals
    assert others == [r for r in checked if r.line in {o.line for o in others}]
    found = [
        r for r in checked if isinstance(r, dsn.Problem) or r.found or r.individual.nir is None
    ]
    assert [
        r for r in others if isinstance(r, dsn.Problem) or r.found or r.individual.nir is None
    ] == found


@pytest.mark.parametrize("chunk", [16, 64, 1 << 22])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_chunk_size_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, chunk: int, newline: str
) -> None:
    """Individuals longer than a chunk, CRLF, no final line end: the same records."""
    text = newline.join(sample().splitlines())  # no line end after the trailer
    data = text.encode("latin-1")
    wanted = list(dsn.check(io.BytesIO(data), reference_date=TODAY))
    fast = _settled_and_others(data)
    monkeypatch.setattr(dsn, "CHUNK", chunk)
    assert list(dsn.check(io.BytesIO(data), reference_date=TODAY)) == wanted
    assert _settled_and_others(data) == fast
    assert len(wanted) == len(PEOPLE)


def _settled_and_others(data: bytes) -> tuple[int, list[dsn.Checked | dsn.Problem]]:
    """`dsn.findings` with its counts summed (they come a chunk at a time)."""
    records = list(dsn.findings(io.BytesIO(data), reference_date=TODAY))
    others = [r for r in records if not isinstance(r, int)]
    return sum(r for r in records if isinstance(r, int)), others
