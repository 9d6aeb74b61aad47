"""`nir csv` identity columns end to end, on both cores: header detection, explicit
columns, --no-identity, --only-invalid, summary counts, the shifted-column hint,
junk cells and the suggestion of a correction."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nir import _csvio, cli

REF = ("--reference-date", "2026-01-01")
WOMAN_1955 = "255081416802538"  # born August 1955 in Colombières (14168)
WRONG_KEY = "255081416802583"  # the same, key digits swapped: one consistent correction

pytestmark = pytest.mark.usefixtures("core")


def run(tmp_path: Path, text: str, *args: str) -> Result:
    source = tmp_path / "in.csv"
    source.write_text(text, encoding="utf-8")
    return CliRunner().invoke(cli.main, ["csv", *REF, str(source), *args])


def appended(result: Result) -> list[tuple[str, str]]:
    """(nir_identity_mismatch, nir_suggestion) of each data row of the output."""
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter=";"))
    assert rows[0][-2:] == ["nir_identity_mismatch", "nir_suggestion"]
    return [(row[-2], row[-1]) for row in rows[1:]]


# (header, one row's identity cells, expected mismatch, reason)
ROWS = [
    ("sexe;date_naissance;lieu_naissance", "F;12/08/1955;14168", "", "all consistent"),
    ("sexe;date_naissance;lieu_naissance", "M;12/08/1955;14168", "sex", "a man's sex"),
    ("sexe;date_naissance;lieu_naissance", "F;12/08/1956;14168", "birth_year", "another year"),
    ("sexe;date_naissance;lieu_naissance", "F;12/09/1955;14168", "birth_month", "another month"),
    ("sexe;date_naissance;lieu_naissance", "F;12/08/1955;75056", "birth_place", "Paris"),
    ("sexe;date_naissance;lieu_naissance", "M;1956-08-12;14168", "sex|birth_year", "two fields"),
    ("Civilité;Date de naissance;Commune_Naissance", "M.;12/08/1955;14168", "sex", "French"),
    ("sex;dob;code_insee_naissance", "Mrs;1955-08-12;14168", "", "English and INSEE headers"),
    ("sexe;date_naissance;lieu_naissance", "zz;??;!!", "", "junk: not checked"),
    ("sexe;date_naissance;lieu_naissance", "=1+1;99/99/9999;@x", "", "formula-like junk"),
    ("sexe;date_naissance;lieu_naissance", ";;", "", "empty cells: not checked"),
    ("genre_x;hire_date;ville", "M;01/01/2020;Paris", "", "no identity header: no check"),
    ("Civ.;Date naiss.;Lieu naiss.", "M.;12/08/1956;75056", "sex|birth_year|birth_place", "abbr."),
    ("Sexe;DT_NAISSANCE;Ville de naissance", "F;12/08/1955;Caen", "birth_place", "more words"),
    ("Né(e) le;Né(e) à", "12/08/1956;Colombières", "birth_year", "a sentence's start"),
    (
        "Pays de naissance;Commune de naissance",
        "France;Caen",
        "birth_place",
        "the commune over the country, whatever the order",
    ),
    ("Pays de naissance", "Maroc", "birth_place", "a country column alone"),
    ("Département de naissance", "75", "birth_place", "a department column"),
    ("Date de naissance du conjoint;sexe", "01/01/1950;F", "", "someone else's birth"),
    ("Naissance;Date et lieu de naissance", "12/08/1950;Caen", "", "which, not said: no check"),
    ("Année de naissance", "1950", "", "a year is no date"),
]


@pytest.mark.parametrize(
    ("header", "kind", "reason"),
    [
        ("date_naissance", ("birth_date", 0), "the usual header"),
        ("Date de naissance (JJ/MM/AAAA)", ("birth_date", 0), "with its format"),
        ("BIRTH_DATE", ("birth_date", 0), "English"),
        ("DDN", ("birth_date", 0), "an abbreviation"),
        ("Lieu de naissance", ("birth_place", 0), "a place"),
        ("Code INSEE commune de naissance", ("birth_place", 0), "a code"),
        ("Département de naissance", ("birth_place", 1), "a department, after a commune"),
        ("Country of birth", ("birth_place", 2), "a country, after a department"),
        ("Civilité", ("sex", 0), "a civility"),
        ("Date d'embauche", None, "another date"),
        ("Nationalité", None, "not a birth"),
        ("Date de naissance enfant 1", None, "a child's birth"),
    ],
)
def test_identity_kind(header: str, kind: tuple[str, int] | None, reason: str) -> None:
    assert _csvio.identity_kind(header) == kind, reason


def test_a_birth_place_code_header_does_not_look_like_the_nir(tmp_path: Path) -> None:
    # "INSEE" in both headers: the NIR column is the one that is not a birth place
    text = f"Numéro INSEE;Code INSEE de la commune de naissance\n{WOMAN_1955};75056\n"
    result = run(tmp_path, text)
    assert result.exit_code == 1, result.output
    assert appended(result) == [("birth_place", "")]


@pytest.mark.parametrize(("header", "cells", "expected", "reason"), ROWS)
def test_mismatch_cell(tmp_path: Path, header: str, cells: str, expected: str, reason: str) -> None:
    result = run(tmp_path, f"nir;{header}\n{WOMAN_1955};{cells}\n")
    assert appended(result) == [(expected, "")], reason
    assert result.exit_code == (1 if expected else 0), reason
    assert result.exception is None or isinstance(result.exception, SystemExit), reason


# (extra options, expected mismatch, reason)
OPTIONS = [
    ((), "", "hire_date and genre_x are not identity headers"),
    (("--sex-column", "genre_x"), "sex", "the sex column by name"),
    (("--sex-column", "2"), "sex", "the sex column by number"),
    (("--birth-date-column", "hire_date"), "birth_year", "a date column by name"),
    (("--sex-column", "genre_x", "--no-identity"), "", "--no-identity wins"),
]


@pytest.mark.parametrize("delimiter", ["|", ";", ",", "\t"])
@pytest.mark.parametrize("only_invalid", [False, True])
def test_a_mismatch_cell_is_quoted_when_the_delimiter_is_its_bar(
    tmp_path: Path, delimiter: str, only_invalid: bool
) -> None:
    # "|" joins the field codes: in a "|"-separated file the cell is quoted, or every
    # appended cell after it would shift (found by the fuzz campaign).
    header = delimiter.join(("nir", "sexe", "date_naissance", "ville"))
    rows = [
        delimiter.join((WOMAN_1955, "M", "1956-08-12", "Caen")),  # settled by C
        delimiter.join((f'"{WOMAN_1955}"', '"M"', "1956-08-12", '"Caen"')),  # quoted cells
        delimiter.join((WOMAN_1955, "F", "12/08/1955", "Caen")),  # consistent
    ]
    args = ["--only-invalid"] if only_invalid else []
    result = run(tmp_path, "\n".join((header, *rows)) + "\n", *args)
    table = list(csv.reader(io.StringIO(result.stdout), delimiter=delimiter))
    assert table[0][-2:] == ["nir_identity_mismatch", "nir_suggestion"]
    assert all(len(row) == len(table[0]) for row in table), table
    cells = [row[-2] for row in table[1:]]
    assert cells == ["sex|birth_year"] * 2 + ([] if only_invalid else [""])


@pytest.mark.parametrize(("options", "expected", "reason"), OPTIONS)
def test_explicit_columns(
    tmp_path: Path, options: tuple[str, ...], expected: str, reason: str
) -> None:
    result = run(tmp_path, f"nir;genre_x;hire_date\n{WOMAN_1955};M;02/08/2020\n", *options)
    assert appended(result) == [(expected, "")], reason


def test_no_identity_keeps_the_columns_empty(tmp_path: Path) -> None:
    text = f"nir;sexe\n{WOMAN_1955};M\n{WRONG_KEY};F\n"
    result = run(tmp_path, text, "--no-identity")
    assert appended(result) == [("", ""), ("", "")], "no mismatch, no suggestion"
    assert "identity" not in result.stderr


def test_suggestion_only_when_one_candidate_fits(tmp_path: Path) -> None:
    text = (
        "nir;sexe;date_naissance;lieu_naissance\n"
        f"{WRONG_KEY};F;12/08/1955;14168\n"  # one candidate consistent: suggested
        f"{WRONG_KEY};;;\n"  # no identity in the row: nothing to choose with
        "255081416802539;F;12/08/1955;14168\n"  # two consistent candidates: none
    )
    result = run(tmp_path, text)
    assert appended(result) == [("", WOMAN_1955), ("", ""), ("", "")]
    assert result.exit_code == 1


def test_only_invalid_lists_mismatches(tmp_path: Path) -> None:
    text = f"id;nir;sexe\n1;{WOMAN_1955};F\n2;{WOMAN_1955};M\n3;{WRONG_KEY};F\n"
    result = run(tmp_path, text, "--only-invalid")
    ids = [row.split(";")[0] for row in result.stdout.splitlines()[1:]]
    assert ids == ["2", "3"], "the mismatch and the invalid row, not the consistent one"
    assert result.exit_code == 1


def test_summary_counts_mismatches_per_field(tmp_path: Path) -> None:
    rows = ["F;12/08/1955", "M;12/08/1955", "M;12/08/1956", "F;12/09/1955", "F;12/08/1955"]
    text = "nir;sexe;date_naissance\n" + "".join(f"{WOMAN_1955};{r}\n" for r in rows)
    result = run(tmp_path, text, "--summary-json", "-", "--lang", "en")
    assert "3 identity mismatches (sex 2, birth_year 1, birth_month 1)" in result.stderr
    payload = json.loads(result.stderr[result.stderr.index("{") :])
    assert payload["identity_mismatched_rows"] == 3
    assert payload["identity_mismatches"] == {"sex": 2, "birth_year": 1, "birth_month": 1}
    assert payload["identity_checked"] == {"sex": 5, "birth_date": 5}
    assert payload["identity_columns"] == {"sex": "sexe", "birth_date": "date_naissance"}
    assert payload["identity_shifted"] == []


# (language, expected hint, reason)
SHIFTED = [
    ("en", "the birth date matches only 25 % of rows: is `hire_date` the right column?", "en"),
    ("fr", "la date de naissance ne concorde que sur 25\u00a0% des lignes", "fr"),
]


@pytest.mark.parametrize(("lang", "expected", "reason"), SHIFTED)
def test_shifted_column_is_named_not_flooded(
    tmp_path: Path, lang: str, expected: str, reason: str
) -> None:
    dates = ["12/08/1955", "03/02/2019", "04/05/2020", "10/10/2021"]
    text = "nir;sexe;hire_date\n" + "".join(f"{WOMAN_1955};F;{d}\n" for d in dates)
    result = run(tmp_path, text, "--birth-date-column", "hire_date", "--lang", lang)
    assert expected in result.stderr, reason
    assert "birth_year" not in result.stderr, "the hint replaces the per-field count"
    assert result.exit_code == 1


def test_summary_json_orders_identity_counts_whatever_the_counting_order() -> None:
    # the C scan counts by kind, the Python one row by row: the JSON must not show it
    one, other = _csvio.Summary(), _csvio.Summary()
    one.identity_checked.update({"sex": 1, "birth_date": 1})
    other.identity_checked.update({"birth_date": 1, "sex": 1})
    one.identity_mismatches.update({"birth_month": 1, "birth_year": 1})
    other.identity_mismatches.update({"birth_year": 1, "birth_month": 1})
    assert json.dumps(one.as_json()) == json.dumps(other.as_json())
    assert list(one.as_json()["identity_mismatches"]) == ["birth_year", "birth_month"]  # type: ignore[call-overload]
