"""Choosing the language: per call, by --lang, by NIR_LANG or the locale; no number leaks.

The subprocess tests run `nir` as users do, with the environment as the only input:
the language must come from NIR_LANG or LANG there, not from a test fixture.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import nir
from nir import _accel, _bulk, cli, messages

from .helpers import REFERENCE_DATE
from .strategies import numbers

pytestmark = pytest.mark.usefixtures("core")

REF = ["--reference-date", "2026-11-23"]
WRONG_KEY = "2 55 08 14 168 025 12"
LANG_VARIABLES = ("NIR_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


def nir_process(core: str, args: list[str], **env: str) -> tuple[int, bytes, str]:
    """`python -m nir ARGS` with only the given language variables set.

    Returns the exit status, standard output (bytes: `nir csv` keeps the input's
    encoding) and standard error (UTF-8).
    """
    clean = {k: v for k, v in os.environ.items() if k not in (*LANG_VARIABLES, "NIR_PURE_PYTHON")}
    if core == _accel.PURE_PYTHON:
        clean["NIR_PURE_PYTHON"] = "1"
    done = subprocess.run(  # our own interpreter
        [sys.executable, "-m", "nir", *args], capture_output=True, env={**clean, **env}, check=False
    )
    return done.returncode, done.stdout, done.stderr.decode("utf-8")


@pytest.mark.parametrize(
    ("env", "args", "wanted", "reason"),
    [
        ({"NIR_LANG": "fr"}, [], "key\tla clé est 12, elle devrait être 38", "NIR_LANG"),
        ({"LANG": "fr_FR.UTF-8"}, [], "la clé est 12", "the locale"),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US"}, [], "la clé est 12", "LC_ALL first"),
        ({"NIR_LANG": "fr"}, ["--lang", "en"], "key\tkey is 12, expected 38", "--lang wins"),
        ({}, [], "key\tkey is 12, expected 38", "English without a choice"),
        ({"LANG": "de_DE.UTF-8"}, [], "key is 12", "a language nir does not speak"),
    ],
)
def test_check_speaks_the_chosen_language(
    core: str, env: dict[str, str], args: list[str], wanted: str, reason: str
) -> None:
    status, out, _ = nir_process(core, ["check", *args, WRONG_KEY], **env)
    assert status == cli.EXIT_INVALID, reason
    assert out.decode().startswith(f"{WRONG_KEY}\t"), reason
    assert wanted in out.decode(), reason


def test_check_keeps_ok_in_every_language(core: str) -> None:
    """Scripts grep for "ok": it is a token, not a word to translate."""
    status, out, _ = nir_process(core, ["check", "--lang", "fr", "255081416802538"])
    assert (status, out) == (0, b"255081416802538\tok\n")


def hr_file(tmp_path: Path) -> Path:
    """A French Excel export: cp1252, ';', CRLF, accents in the cells."""
    rows = [
        "matricule;nom;nir;service",
        "1;Lefèvre;255081416802538;Comptabilité",
        "2;Zoé;255081416802512;Contrôle",  # a wrong key: settled by the scan's fast path
        "3;Hélène;2550814168025;Paie",  # no key: judged by the rules (C or Python)
        "4;Noël;2 55 08 14 168 025 12;Paie",  # separators: judged too
        "5;Cécile;255081416802é12;Paie",  # not ASCII: the slow row path
        "6;André",  # too short: "missing", on the slow path
    ]
    path = tmp_path / "export.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    return path


def test_csv_writes_french_cells_in_the_input_encoding(tmp_path: Path) -> None:
    """A cp1252 file gets cp1252 cells, whichever path (fast, judged, slow) wrote them."""
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        cli.main, ["csv", str(hr_file(tmp_path)), "-o", str(out), "--lang", "fr", *REF]
    )
    assert result.exit_code == cli.EXIT_INVALID
    written = out.read_bytes()
    text = written.decode("cp1252")  # a UTF-8 é would show as "Ã©" here
    assert "Ã" not in text
    lines = {row.split(";")[0]: row.split(";") for row in text.split("\r\n") if row}
    assert lines["2"][6:8] == ["key", "la clé est 12, elle devrait être 38"]
    assert lines["3"][6:8] == [
        "key_missing",
        "il manque la clé à 2 chiffres\N{NO-BREAK SPACE}: elle vaut 38",
    ]
    assert lines["4"][6:8] == ["key", "la clé est 12, elle devrait être 38"]
    assert lines["6"][7] == "la ligne n'a que 2 champs alors que le NIR est en colonne 3"
    assert lines["5"][6] == "characters", "the é in the number, on the slow path"
    assert lines["5"][7].startswith("le caractère 'é' en position 13 n'est pas autorisé")


def test_csv_follows_the_locale_then_lang(core: str, tmp_path: Path) -> None:
    source = hr_file(tmp_path)
    status, out, err = nir_process(core, ["csv", str(source), *REF], LANG="fr_FR.UTF-8")
    assert status == cli.EXIT_INVALID
    assert "la clé est 12".encode("cp1252") in out  # the output keeps the input's cp1252
    assert err.startswith("nir csv: 6 lignes\N{NO-BREAK SPACE}: 1 valide, 5 invalides")
    args = ["csv", str(source), "--lang", "en", *REF]
    status, out, err = nir_process(core, args, LANG="fr_FR.UTF-8")
    assert b"key is 12, expected 38" in out
    assert err.startswith("nir csv: 6 rows: 1 valid, 5 invalid")


def test_explain_labels_and_values_in_french() -> None:
    result = CliRunner().invoke(cli.main, ["explain", "--lang", "fr", "1 82 08 974 01 154 75"])
    assert result.exit_code == 0
    labels = [line.split("  ")[0] for line in result.output.splitlines()]
    assert labels == ["Numéro", "Type", "Sexe", "Né(e)", "Lieu", "N° d'ordre", "Clé"]
    assert "en août 1982" in result.output
    assert "M (homme)" in result.output


def test_one_error_speaks_each_language_per_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """An integration passes its own active language; str() follows the environment."""
    with pytest.raises(nir.NirError) as caught:
        nir.validate(WRONG_KEY)
    error = caught.value
    assert error.params == {"key": "12", "expected": "38"}
    assert error.message("fr") == "la clé est 12, elle devrait être 38"
    assert error.message("en") == "key is 12, expected 38"
    monkeypatch.setenv("NIR_LANG", "fr")
    assert str(error) == "la clé est 12, elle devrait être 38"
    monkeypatch.setenv("NIR_LANG", "en")
    assert str(error) == "key is 12, expected 38"


# ---------------------------------------------------------------------------
# No message names the whole number

DIGIT_RUN = re.compile(r"[0-9]{13}")


def damaged(number: str) -> st.SearchStrategy[str]:
    """Invalid variants of a valid number: the kinds of damage each rule reports."""
    return st.sampled_from(
        [
            number[:13],  # no key
            number[:13] + f"{(int(number[13:]) % 97) + 1:02d}",  # wrong key
            number + "0",  # too long
            number[:12],  # too short
            f"{number[0]}.{number[1:14]}E+14",  # spreadsheet notation
            "9" + number[1:],  # sex
            number[:3] + "13" + number[5:],  # month
            number[:10] + "000" + number[13:],  # order
            number[:5] + "00" + number[7:],  # department
            number[:14] + "x",  # a character
            " ".join([number[:1], number[1:7], number[7:]]) + "'",  # a quote
        ]
    )


OPTIONS = nir.Options(reference_date=REFERENCE_DATE)


def error_of(value: str) -> nir.NirError | None:
    """The error `nir.validate` raises for `value`, None when it is valid."""
    try:
        nir.validate(value, reference_date=REFERENCE_DATE)
    except nir.NirError as error:
        return error
    return None


@given(numbers().flatmap(damaged))
def test_no_message_holds_a_whole_number(value: str) -> None:
    """Messages end up in logs: the number is personal data; only its faulty part shows.

    Also: each error's params are those `messages.CODES` lists for its code.
    """
    error = error_of(value)
    if error is not None:
        assert set(error.params) == set(messages.CODES[error.code].params)
        for text in (error.message("fr"), error.message("en"), str(error)):
            assert DIGIT_RUN.search(re.sub(r"[ .'-]", "", text)) is None, text
    verdict = _bulk.verdict(value, OPTIONS)
    for lang in messages.LANGUAGES:
        assert DIGIT_RUN.search(re.sub(r"[ .'-]", "", verdict.message(lang))) is None


@pytest.mark.parametrize(
    ("body", "age_limit", "wanted", "reason"),
    [
        ("1 10 05 96 001 001", None, "only 1910 fits place code 96001", "1910 is plausible"),
        ("1 04 10 96 373 086", 120, "over 120 years before", "1904: beyond the plausible age"),
    ],
)
def test_century_warning_says_which_reading(
    body: str, age_limit: int | None, wanted: str, reason: str
) -> None:
    """The older plausible reading and a reading beyond 120 years are told apart."""
    number = body + nir.calc_check_digits(body.replace(" ", ""))
    (warning,) = nir.parse(number, reference_date=REFERENCE_DATE).warnings
    assert warning.params["age_limit"] == age_limit, reason
    assert wanted in warning.message("en"), reason
    assert warning.message("fr") != warning.message("en"), reason
