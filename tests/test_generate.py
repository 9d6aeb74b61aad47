"""The benchmark data generator: deterministic, the right size, and honest labels.

Its labels are cross-checked with `nir.is_valid`: the generator computes keys on its
own, so a disagreement means a bug in one of the two.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import generate
import make_sample
import pytest

import nir

from .helpers import REFERENCE_DATE

ROWS = 20_000


def _records(path: Path, spec: generate.Spec) -> list[list[str]]:
    with path.open(encoding=spec.encoding, newline="") as handle:
        return list(csv.reader(handle, delimiter=spec.delimiter))


def _verdicts(cells: list[list[str]], column: int) -> list[bool]:
    return [
        len(row) > column and nir.is_valid(row[column], reference_date=REFERENCE_DATE)
        for row in cells
    ]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, generate.Stats]:
    spec = generate.Spec(rows=ROWS, seed=7)
    path = tmp_path_factory.mktemp("gen") / "hr.csv"
    return path, generate.write(spec, path)


def test_same_seed_same_bytes_whatever_the_jobs(tmp_path: Path) -> None:
    spec = generate.Spec(rows=3500, seed=3, encoding="cp1252", chunk_rows=1000)  # 4 chunks
    one, two, other = tmp_path / "1.csv", tmp_path / "2.csv", tmp_path / "3.csv"
    generate.write(spec, one, jobs=1)
    generate.write(spec, two, jobs=2)
    generate.write(generate.Spec(rows=3500, seed=4, encoding="cp1252", chunk_rows=1000), other)
    assert one.read_bytes() == two.read_bytes()
    assert one.read_bytes() != other.read_bytes()


@pytest.mark.parametrize("encoding", generate.ENCODINGS)
@pytest.mark.parametrize("columns", [1, 10, 11])
def test_row_count_and_layout(tmp_path: Path, encoding: str, columns: int) -> None:
    spec = generate.Spec(rows=1234, columns=columns, seed=1, encoding=encoding)
    path = tmp_path / "out.csv"
    stats = generate.write(spec, path)
    records = _records(path, spec)
    assert stats.rows == len(records) - 1 == 1234
    assert stats.bytes == path.stat().st_size
    assert records[0] == list(generate.LAYOUTS[columns])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    assert {len(row) for row in records} == {columns}


def test_invalid_share_is_about_five_percent(big: tuple[Path, generate.Stats]) -> None:
    _, stats = big
    assert 0.04 < stats.invalid_share < 0.06


def test_labels_agree_with_nir_is_valid(big: tuple[Path, generate.Stats]) -> None:
    path, stats = big
    spec = generate.Spec(rows=ROWS, seed=7)
    rows = list(generate.iter_rows(spec))
    records = _records(path, spec)[1:]
    verdicts = _verdicts(records, generate.NIR_INDEX)
    disagree = [
        (row.category, record[generate.NIR_INDEX])
        for row, record, verdict in zip(rows, records, verdicts, strict=True)
        if row.valid != verdict
    ]
    assert disagree == []
    assert sum(not v for v in verdicts) == stats.invalid
    # Every category and kind occurs, and the noisy forms too.
    assert {row.category for row in rows} == {
        *generate.VALID_CATEGORIES,
        *generate.INVALID_KINDS,
    }
    text = path.read_text(encoding="utf-8")
    for form in ("'1", " 2A", "2a", ".", "E+14", ';"'):
        assert form in text, form
    assert any("\n" in record[7] for record in records)  # a line break inside a quoted cell


def test_sex_and_birth_agree_with_the_number() -> None:
    for row in generate.iter_rows(generate.Spec(rows=2000, seed=11)):
        if row.category not in ("mainland", "abroad", "overseas", "corsica") or row.shifted:
            continue  # (a shifted row has someone else's identity: on purpose)
        parsed = nir.parse(row.cells[generate.NIR_INDEX], reference_date=REFERENCE_DATE)
        day_month_year = row.cells[3].split("/")
        assert parsed.sex == row.cells[4]
        assert parsed.birth_year == int(day_month_year[2])
        assert parsed.birth_month == int(day_month_year[1])


def test_identity_cells_are_the_numbers_but_for_the_shifted_rows() -> None:
    rows = list(generate.iter_rows(generate.Spec(rows=4000, columns=11, seed=5)))
    shifted = [row for row in rows if row.shifted]
    assert 0.015 < len(shifted) / len(rows) < 0.045, "about 3 % of rows"
    named = [row for row in rows if not row.cells[10][:1].isdigit()]
    assert 0.02 < len(named) / len(rows) < 0.1, "some places written as names"
    found = {True: 0, False: 0}
    for row in rows:
        number = row.cells[generate.NIR_INDEX]
        if not row.valid or row.category == "temporary":
            continue
        check = nir.check_identity(
            number,
            sex=row.cells[4],
            birth_date=row.cells[3],
            birth_place=row.cells[10],
            reference_date=REFERENCE_DATE,
        )
        assert check.ok or row.shifted, (row.category, check.mismatches)
        found[row.shifted] += not check.ok
    assert found[True] > 0.9 * len(shifted), "someone else's number mismatches"


def test_sample_file_is_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert make_sample.main(["--check"]) == 0, capsys.readouterr().out


def test_sample_is_a_french_excel_export() -> None:
    data = make_sample.SAMPLE.read_bytes()
    text = data.decode("cp1252")
    assert text.count("\r\n") >= make_sample.ROWS + 1  # CRLF records, LF inside cells
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))[1:]
    labels = [row.valid for row in make_sample.sample_rows()]
    assert len(records) == make_sample.ROWS
    assert _verdicts(records, generate.NIR_INDEX) == labels
    assert 8 <= labels.count(False) <= 12
    assert any(len(row) < len(generate.COLUMNS_10) for row in records)  # a short row
