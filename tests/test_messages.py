"""The message catalogue: complete in both languages, natural French, no leaked number."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest
import stdnum

from nir import messages
from nir.messages import CODES, ParamValue, render

Params = Mapping[str, ParamValue]
ROOT = Path(__file__).resolve().parent.parent

# One row per variant at least (test_samples_cover_every_message checks it):
# (code, params, the variant it shows).
SAMPLES: list[tuple[str, Params, str]] = [
    ("invalid", {}, "the base class's message"),
    ("type", {"type": "int"}, "a non-string input"),
    ("empty", {}, "only separators"),
    ("excel_mangled", {"significant": 3, "exponent": 14}, "rounded: digits lost"),
    ("excel_mangled", {"significant": 15, "exponent": 14}, "all 15 digits still there"),
    ("characters", {"character": "x", "position": 4}, "a character never allowed"),
    ("characters", {"character": '"', "position": 1}, "a quote: says to remove it"),
    ("characters", {"character": "A", "position": 3}, "an A outside 2A"),
    ("length", {"length": 12, "expected": 15}, "too short"),
    ("length", {"length": 1, "expected": 15}, "singular"),
    ("length", {"length": 14, "expected": 13}, "calc_check_digits's body"),
    ("key_missing", {"expected": "38"}, "13 characters"),
    ("sex", {"digit": "5"}, "a first digit no rule allows"),
    ("month", {"month": "13"}, "month 13"),
    ("department", {"department": "00", "year": 1955, "month": 8}, "department 00"),
    ("department", {"department": "979", "year": 1955, "month": 8}, "an overseas code"),
    ("department", {"department": "96", "year": 2004, "month": None}, "96 after 1968"),
    ("commune", {"commune": "000", "department": "14"}, "mainland commune 000"),
    ("commune", {"commune": "00", "department": "971"}, "overseas commune 00"),
    ("country", {"country": "000"}, "country 000"),
    ("order", {"order": "000"}, "order 000"),
    ("key", {"key": "12", "expected": "38"}, "a wrong key"),
    ("key", {"key": "99", "expected": "38"}, "a key that never occurs"),
    ("temporary", {"digit": "7"}, "temporary numbers refused"),
    ("undocumented_month", {"month": "25"}, "month 21-29"),
    (
        "century",
        {"year": 1905, "rejected": 2005, "place": "99352", "age_limit": None},
        "the older reading",
    ),
    (
        "century",
        {"year": 1880, "rejected": 1980, "place": "96001", "age_limit": 120},
        "beyond the plausible age",
    ),
    ("country_france", {"country": "100"}, "France as a foreign country"),
    ("commune_range", {"commune": "95", "department": "971"}, "overseas commune > 90"),
    ("place_period", {"department": "985", "year": 2015, "month": 3}, "985 after 2011"),
    ("place_period", {"department": "976", "year": 2001, "month": None}, "976 before 2011"),
    ("place_period", {"department": "977", "year": 1990, "month": 1}, "977 before 2007"),
    ("place_period", {"department": "91", "year": 1964, "month": 2}, "Algeria 1962-1968"),
    ("place_period", {"department": "96", "year": 1960, "month": None}, "Tunisia 1956-1968"),
    ("corsica_period", {"department": "2A", "year": 1953, "month": 7}, "2A before 1976"),
    ("corsica_period", {"department": "20", "year": 1980, "month": 7}, "20 from 1976"),
    (
        "unknown_commune",
        {
            "commune": "14999",
            "name": None,
            "year": 1980,
            "since": None,
            "until": None,
            "vintage": "2024",
        },
        "a code never seen",
    ),
    (
        "unknown_commune",
        {
            "commune": "14168",
            "name": "Colombières",
            "year": 1950,
            "since": 1990,
            "until": None,
            "vintage": "2024",
        },
        "valid only later",
    ),
    (
        "unknown_commune",
        {
            "commune": "14168",
            "name": "Colombières",
            "year": 1990,
            "since": 1943,
            "until": 1970,
            "vintage": "2024",
        },
        "valid only earlier",
    ),
    (
        "unknown_country",
        {
            "country": "999",
            "name": None,
            "year": 1980,
            "since": None,
            "until": None,
            "vintage": "2024",
        },
        "a code never seen",
    ),
    (
        "unknown_country",
        {
            "country": "352",
            "name": "Algérie",
            "year": 1950,
            "since": 1962,
            "until": None,
            "vintage": "2024",
        },
        "valid only later",
    ),
    (
        "unknown_country",
        {
            "country": "123",
            "name": "Ruritanie",
            "year": 1990,
            "since": 1943,
            "until": 1970,
            "vintage": "2024",
        },
        "valid only earlier",
    ),
    ("missing", {"fields": 2, "column": 5}, "a short row"),
    ("csv_summary", {"rows": 12345, "valid": 12000, "invalid": 345}, "the summary line"),
    ("csv_rows", {"count": 1}, "one row"),
    ("csv_valid", {"count": 2}, "valid rows"),
    ("csv_invalid", {"count": 0}, "no invalid row"),
    ("csv_with_warnings", {"count": 3}, "rows with warnings"),
    ("csv_short_rows", {"count": 1}, "short rows"),
    ("csv_replaced_lines", {"count": 4}, "replaced bytes"),
    ("csv_separator", {}, "between summary parts"),
    ("csv_utf16", {}, "a UTF-16 file"),
    ("csv_empty", {}, "an empty file"),
    ("csv_nul", {}, "a binary file"),
    ("csv_column_from_one", {"column": "0"}, "--column 0"),
    ("csv_column_name_no_header", {"column": "NIR"}, "a name without a header"),
    ("csv_no_header_several_columns", {}, "which column, no header"),
    ("csv_column_not_in_header", {"column": "nss", "columns": "1='nom', 2='nir'"}, "no such"),
    ("csv_which_column", {"matches": 0, "columns": "1='a', 2='b'"}, "no candidate"),
    ("csv_which_column", {"matches": 2, "columns": "1='nir', 2='nss'"}, "two candidates"),
    ("csv_delimiter", {"delimiter": '"'}, "a quote as delimiter"),
    ("csv_column_beyond_row", {"column": 9, "count": 3}, "a column past the row"),
    ("csv_unclosed_quote", {"line": 12}, "an unpaired quote"),
    ("csv_unknown_encoding", {"encoding": "latin-42"}, "unknown"),
    ("csv_unsupported_encoding", {"encoding": "utf-16"}, "multi-byte delimiters"),
    ("csv_unwritable", {"character": "\N{EURO SIGN}", "encoding": "latin-1"}, "output"),
    (
        "csv_undecodable",
        {"line": 3, "size": 2, "bytes": "c3 28", "encoding": "utf-8", "other": "cp1252"},
        "two bytes",
    ),
    ("csv_same_file", {}, "-o is the input"),
    ("csv_key_not_set", {}, "--pseudonymise without NIR_PSEUDONYMISE_KEY"),
    ("key_too_short", {"length": 5, "minimum": 16}, "a key of 5 bytes"),
    ("sheet_needs_excel", {}, "a workbook without the excel extra"),
    ("sheet_missing", {"sheet": "Staff", "sheets": "'Sheet1'"}, "--sheet names no sheet"),
    ("sheet_password", {}, "an encrypted workbook"),
    ("sheet_corrupt", {"kind": "ZipError"}, "a damaged workbook"),
    ("sheet_not_workbook", {}, "--sheet with a CSV input"),
    ("report_xlsx_only", {}, "-o report.ods"),
    ("report_too_many_rows", {"rows": 1_048_576}, "beyond an .xlsx sheet"),
    *[
        (f"report_{name}", {}, "a label of the .xlsx report")
        for name in ("sheet_rows", "sheet_summary", "rows", "valid", "invalid")
    ],
    *[(f"report_{name}", {}, "a label of the .xlsx report") for name in ("error_code", "count")],
    ("report_chart_title", {}, "the summary chart's title"),
    *[(f"label_{name}", {}, "an explain label") for name in ("number", "kind", "sex", "born")],
    *[(f"label_{name}", {}, "an explain label") for name in ("place", "order", "key", "warning")],
    ("explain_valid", {"formatted": "2 55 08 14 168 025 38"}, "the number line"),
    ("explain_invalid", {"code": "key", "message": "..."}, "an invalid number"),
    ("kind_nir", {}, "definitive"),
    ("kind_temporary", {}, "temporary"),
    ("sex_male", {}, "1"),
    ("sex_female", {}, "2"),
    ("sex_unknown", {}, "temporary without sex"),
    *[("month_name", {"month": month}, "a month name") for month in range(1, 13)],
    *[("country_article", {"country": code}, "a country") for code in ("350", "351", "352")],
    ("clause_separator", {}, "French puts a no-break space before a semicolon"),
    ("born_not_encoded", {}, "temporary"),
    ("born_date", {"year": 1955, "month": 8}, "a month and a year"),
    ("born_month_unknown", {"year": 1955, "month_code": "20"}, "unknown month"),
    ("born_pseudo_month", {"month_code": "38", "month": 8}, "pseudo month"),
    ("born_century", {"year": 1855}, "the other century"),
    ("place_not_encoded", {}, "temporary"),
    ("place_department", {"code": "14", "name": "Calvados"}, "named"),
    ("place_department", {"code": "14", "name": None}, "not in the data"),
    ("place_commune", {"code": "14168", "name": "Colombières"}, "named"),
    ("place_commune", {"code": "14168", "name": None}, "not in the data"),
    ("place_country", {"code": "352", "name": "Algérie"}, "named"),
    ("place_country", {"code": "352", "name": None}, "not in the data"),
    ("place_abroad", {"country": "pays 352 (Algérie)"}, "born abroad"),
    ("place_before_independence", {"department": "91", "country": "352", "place": "91352"}, ""),
    ("check_ok", {}, "nir check"),
    ("check_reading_stdin", {}, "nir check -"),
    ("csv_reading_stdin", {}, "nir csv -"),
    ("csv_progress", {}, "the progress bar"),
    ("identity_sex", {"declared": "F", "digit": "1"}, "a woman with a man's number"),
    ("identity_birth_year", {"declared": 1956, "digits": "55"}, "another year"),
    ("identity_birth_month", {"declared": "09", "month": "08"}, "another month"),
    ("identity_birth_place", {"declared": "Lyon", "place": "14168"}, "another place"),
    ("identity_unreadable_sex", {}, "N/A in the sex column"),
    ("identity_unreadable_date", {}, "31/02/1980"),
    ("identity_future_date", {}, "born tomorrow"),
    ("identity_implausible_date", {"years": 120}, "born in 1850"),
    ("identity_fictitious_month", {"month": "20"}, "civil status without a month"),
    ("identity_default_date", {"month": "08"}, "01-01 given for a year-only status"),
    ("identity_temporary_number", {"digit": "7"}, "a temporary number codes no birth"),
    ("identity_unreadable_place", {}, "an empty place"),
    ("identity_unknown_place", {}, "a name the data does not know"),
    ("suggest_substitution", {"position": 3, "was": "6", "now": "5"}, "one digit wrong"),
    ("suggest_transposition", {"position": 14, "was": "83", "now": "38"}, "two swapped"),
    ("suggest_insertion", {"position": 4, "now": "0"}, "a missing digit"),
    ("suggest_deletion", {"position": 4, "was": "0"}, "an extra digit"),
    ("label_identity", {}, "an explain label"),
    ("explain_identity_ok", {}, "the identity fits"),
    ("explain_did_you_mean", {"formatted": "2 55 08 14 168 025 38", "edit": "..."}, "a fix"),
    # --- nir dsn (issue 14)
    ("dsn_not_a_dsn", {}, "nir dsn on a CSV file"),
    ("dsn_not_a_rubric", {}, "a line that is no rubric"),
    ("dsn_no_quotes", {"rubric": "S21.G00.30.001"}, "value without quotes"),
    ("dsn_unknown_rubric", {"rubric": "S21.G00.30.099"}, "rubric not in the block"),
    ("dsn_truncated", {}, "no S90 block at the end"),
    ("dsn_no_nir", {}, "an individual without .001 or .020"),
    ("dsn_ntt", {}, "NTT only"),
    ("dsn_invalid", {"message": "x"}, "the NIR's error"),
    ("dsn_mismatch", {"message": "x"}, "an identity finding"),
    ("dsn_registration", {"registration": "A123"}, "the employee's .019"),
    ("dsn_individuals", {"count": 2}, "summary part"),
    ("dsn_invalid_count", {"count": 2}, "summary part"),
    ("dsn_mismatched", {"count": 2}, "summary part"),
    ("dsn_ntt_count", {"count": 2}, "summary part"),
    ("dsn_problems", {"count": 2}, "summary part"),
    # --- nir csv identity columns (issue 10)
    ("csv_identity_mismatches", {"count": 1, "fields": "sex 1"}, "one mismatch"),
    ("csv_identity_mismatches", {"count": 3, "fields": "sex 2, birth_year 1"}, "several"),
    ("csv_shifted_sex", {"percent": 3, "column": "genre"}, "a shifted sex column"),
    ("csv_shifted_birth_date", {"percent": 3, "column": "hire_date"}, "a shifted date column"),
    ("csv_shifted_birth_place", {"percent": 0, "column": "ville"}, "a shifted place column"),
    ("cli_interrupted", {"command": "nir csv"}, "Ctrl-C"),
    ("cli_terminated", {"command": "nir csv"}, "SIGTERM"),
]


def _msgid(code: str, params: Params) -> str:
    entry = CODES[code]
    variant = entry.select(params) if entry.select else ""
    return f"{code}.{variant}" if variant else code


def test_catalogues_are_complete_and_translated() -> None:
    """Every msgid in both languages, French never equal to English, only declared fields."""
    assert messages.catalogue_problems() == []


def test_samples_cover_every_message() -> None:
    """The table below exercises each variant of each code (else add a row)."""
    assert {_msgid(code, params) for code, params, _ in SAMPLES} == set(messages.message_ids())


@pytest.mark.parametrize(("code", "params", "reason"), SAMPLES)
def test_sample_renders_in_both_languages(code: str, params: Params, reason: str) -> None:
    """Renders, differs between languages, leaks no 13/15-digit run, fits cp1252 CSV output."""
    french, english = render(code, params, "fr"), render(code, params, "en")
    assert french != english, reason
    for text in (french, english):
        assert not re.search(r"\d{13}", text), text
        assert "{" not in text, text
    french.encode("cp1252")  # nir csv writes nir_error cells in the input's encoding
    assert not re.search(r" [:;?!]", french), f"French wants a no-break space: {french!r}"
    assert "\N{NO-BREAK SPACE}" not in english, english


NATURAL_FRENCH = [
    ("key", {"key": "12", "expected": "38"}, "la clé est 12, elle devrait être 38"),
    ("month", {"month": "13"}, "le mois 13 n'existe pas"),
    (
        "department",
        {"department": "96", "year": 2004, "month": None},
        (
            "le département 96 n'existe pas pour une naissance en 2004 "
            "(il désignait la Tunisie avant 1956)"
        ),
    ),
    (
        "key_missing",
        {"expected": "38"},
        "il manque la clé à 2 chiffres\N{NO-BREAK SPACE}: elle vaut 38",
    ),
    ("order", {"order": "000"}, "le numéro d'ordre 000 n'existe pas"),
    ("place_period", {"department": "91", "year": 1964, "month": 2}, "en février 1964"),
    ("csv_summary", {"rows": 1, "valid": 1, "invalid": 0}, "1 ligne\N{NO-BREAK SPACE}: 1 valide"),
    ("csv_summary", {"rows": 1234, "valid": 2, "invalid": 1232}, "1\N{NO-BREAK SPACE}234 lignes"),
    ("length", {"length": 0, "expected": 15}, "a 0 caractère"),
]


@pytest.mark.parametrize(("code", "params", "wanted"), NATURAL_FRENCH)
def test_french_wording(code: str, params: Params, wanted: str) -> None:
    """The issue's examples, word for word; French plurals (0 and 1 are singular)."""
    assert wanted in render(code, params, "fr")


def test_english_plural_and_grouping() -> None:
    """English: 0 is plural, 1 singular, thousands with a comma."""
    assert render("csv_rows", {"count": 0}, "en") == "0 rows"
    assert render("csv_rows", {"count": 1}, "en") == "1 row"
    assert render("csv_rows", {"count": 12345}, "en") == "12,345 rows"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LC_MESSAGES": "fr_CA", "LC_ALL": "en_GB"}, "en"),
        ({"LC_ALL": "fr_BE.UTF-8", "LANG": "en_US"}, "fr"),
        ({"LC_ALL": "", "LANG": "fr_FR"}, "fr"),
        ({"NIR_LANG": "fr", "LC_ALL": "en_US"}, "fr"),
        ({"NIR_LANG": "en", "LC_ALL": "fr_FR"}, "en"),
        ({"NIR_LANG": "fr-FR", "LANG": "C"}, "fr"),
        ({"NIR_LANG": "klingon", "LANG": "fr_FR"}, "fr"),
    ],
)
def test_default_language_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], expected: str
) -> None:
    """NIR_LANG, then LC_ALL, LC_MESSAGES, LANG (first set wins); an unknown NIR_LANG is ignored."""
    for name in ("NIR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert messages.default_language() == expected
    assert render("check_ok") == render("check_ok", lang=expected)


def test_per_call_language_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Integrations pass their own active language, whatever the process's is."""
    monkeypatch.setenv("NIR_LANG", "en")
    assert render("key_missing", {"expected": "38"}, "fr").startswith("il manque")
    monkeypatch.setenv("NIR_LANG", "fr")
    assert render("key_missing", {"expected": "38"}, "en").startswith("the 2-digit")
    assert render("key_missing", {"expected": "38"}).startswith("il manque")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        *[("fr", "fr"), ("FR", "fr"), ("fr_FR", "fr"), ("fr-FR", "fr"), ("fr_FR.UTF-8", "fr")],
        *[("en", "en"), ("en_US", "en"), ("en-GB", "en"), (" en ", "en")],
    ],
)
def test_language_names_are_normalised(given: str, expected: str) -> None:
    """A locale name or a BCP 47 tag picks its language."""
    assert messages.language(given) == expected


@pytest.mark.parametrize("given", ["de", "", "C", "french", "f"])
def test_unknown_language_is_a_clear_error(given: str) -> None:
    """Anything but French or English says which languages exist."""
    with pytest.raises(ValueError, match="nir speaks fr and en"):
        messages.language(given)
    with pytest.raises(ValueError, match="nir speaks fr and en"):
        render("empty", {}, given)


@pytest.mark.parametrize(
    ("code", "params", "error"),
    [
        ("nope", {}, KeyError),
        ("key", {"key": "12"}, TypeError),
        ("key", {"key": "12", "expected": "38", "number": "x"}, TypeError),
        ("key", {"key": 12, "expected": "38"}, TypeError),
        ("characters", {"character": "x", "position": True}, TypeError),
        ("length", {"length": None, "expected": 15}, TypeError),
    ],
)
def test_params_must_match_the_table(code: str, params: Params, error: type[Exception]) -> None:
    """Unknown codes, missing, extra or mistyped params fail loudly, not in the output."""
    with pytest.raises(error):
        render(code, params, "en")


def test_params_from_values_follows_the_table_order() -> None:
    """The C core may return a tuple of values: they map to names in CODES order."""
    params = messages.params_from_values("key", ("12", "38"))
    assert params == {"key": "12", "expected": "38"}
    assert render("key", params, "en") == "key is 12, expected 38"
    with pytest.raises(ValueError, match="expected 2 values"):
        messages.params_from_values("key", ("12",))


def test_each_distinct_message_is_rendered_once() -> None:
    """The second render of the same (code, params, language) is a cache hit."""
    render("order", {"order": "000"}, "fr")
    hits = messages._render.cache_info().hits
    assert render("order", {"order": "000"}, "fr") is render("order", {"order": "000"}, "fr")
    assert messages._render.cache_info().hits == hits + 2


def test_import_nir_loads_no_catalogue() -> None:
    """`import nir` (and nir.messages) stays cheap: gettext and the .po load on first render."""
    script = (
        "import sys, nir, nir.messages as m\n"
        "assert 'gettext' not in sys.modules, 'gettext imported'\n"
        "assert m._translations.cache_info().currsize == 0\n"
        "m.render('empty', {}, 'fr')\n"
        "assert m._translations.cache_info().currsize == 1\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


@pytest.mark.parametrize(
    ("mo_age", "expected", "why"),
    [
        (+10, "the .mo's words", "a .mo compiled after its .po is read (an editable install)"),
        (-10, "il manque la clé", "a .po edited after its .mo was compiled wins"),
        (None, "il manque la clé", "no .mo: the .po is compiled in memory (a checkout)"),
    ],
)
def test_a_compiled_catalogue_is_read_while_it_is_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mo_age: int | None, expected: str, why: str
) -> None:
    from nir import _catalog

    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "nir.po"
    shutil.copyfile(ROOT / "src/nir/locale/fr/LC_MESSAGES/nir.po", po)
    if mo_age is not None:
        entries = _catalog.read_po(po.read_text(encoding="utf-8"))
        entries["key_missing"] = "the .mo's words"
        (folder / "nir.mo").write_bytes(_catalog.mo_bytes(entries))
        stamp = po.stat().st_mtime_ns + mo_age * 10**9
        os.utime(folder / "nir.mo", ns=(stamp, stamp))
    monkeypatch.setattr(messages, "_LOCALE", str(tmp_path))
    monkeypatch.setattr(messages, "_TEMPLATES", {})
    messages._translations.cache_clear()
    messages._render.cache_clear()
    try:
        assert render("key_missing", {"expected": "38"}, "fr").startswith(expected), why
    finally:
        messages._translations.cache_clear()
        messages._render.cache_clear()


def test_installed_wheel_ships_and_reads_compiled_catalogues(tmp_path: Path) -> None:
    """`pip wheel` compiles the .po files into the wheel; an installed wheel renders from them.

    Builds from a copy of the sources (the checkout gets no build/ folder), installs
    into a throwaway venv without dependencies and borrows them from this one. A few
    seconds: the only test of the build step.
    """
    tree = tmp_path / "tree"
    skip = shutil.ignore_patterns("__pycache__", "*.so", "*.mo", "*.egg-info")
    for name in ("src", "data"):
        shutil.copytree(ROOT / name, tree / name, ignore=skip)
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, tree / name)
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", str(tree), "--no-deps", "-w", str(wheels)], check=True)
    (wheel,) = wheels.glob("nir-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if "/locale/" in name}
    assert shipped == {f"nir/locale/{lang}/LC_MESSAGES/nir.mo" for lang in ("en", "fr")}

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([*pip, "--python", str(python), "install", "--no-deps", str(wheel)], check=True)
    script = (
        "import nir, nir.messages as m\n"
        "assert nir.__file__.startswith(sys.argv[1]), nir.__file__\n"
        "print(m.render('key_missing', {'expected': '38'}, 'fr'))\n"
    )
    dependencies = Path(stdnum.__file__).resolve().parent.parent  # click lives there too
    result = subprocess.run(
        [str(python), "-c", "import sys\n" + script, str(venv)],
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(dependencies), "PATH": os.environ.get("PATH", "")},
        cwd=tmp_path,
    )
    assert result.stdout == "il manque la clé à 2 chiffres\N{NO-BREAK SPACE}: elle vaut 38\n"
