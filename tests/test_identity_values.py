"""`fold` and `name_key` fold in one `str.translate` each: the same as their definitions.

The tables behind them are filled character by character; the properties below
hold them to the definitions they replace (NFKD of the whole text without
combining marks; then words of [0-9a-z]), on any text.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nir._identity_values import (
    Centuryless,
    Declared,
    fold,
    name_key,
    read_date,
    read_place,
    sure_name_key,
)

_WORDS = re.compile(r"[^0-9a-z]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def _fold_by_definition(text: str) -> str:
    """NFKD of the whole text, combining marks dropped, stripped, case folded."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text.strip().strip(".").strip().casefold()


def _by_definition(name: str) -> str:
    """The words of `fold(name)`, St and Ste spelt out: what name_key means."""
    words = _WORDS.split(_fold_by_definition(name))
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words if word)


@pytest.mark.parametrize(
    ("name", "key", "reason"),
    [
        ("St-Étienne", "saint etienne", "abbreviation, accent, hyphen"),
        ("SAINTE-MÈRE-ÉGLISE", "sainte mere eglise", "upper case accents"),
        ("L'Haÿ-les-Roses", "l hay les roses", "apostrophe, diaeresis"),
        ("  Œuilly. ", "uilly", "Œ has no decomposition: outside [0-9a-z], a separator"),
        ("Straße", "strasse", "case folding makes two letters of ß"),
        ("ﬁgari", "figari", "NFKD splits the ligature"),
        ("Stes-Maries", "stes maries", "only whole words are abbreviations"),
        ("..", "", "no word at all"),
        ("Paris 1er", "paris 1er", "digits are word characters"),
    ],
)
def test_name_key(name: str, key: str, reason: str) -> None:
    assert name_key(name) == key == _by_definition(name), reason


@given(st.text())
def test_name_key_is_fold_and_split(name: str) -> None:
    assert name_key(name) == _by_definition(name)


@given(st.text())
def test_fold_is_nfkd_without_marks(text: str) -> None:
    assert fold(text) == _fold_by_definition(text)


@pytest.mark.parametrize(
    ("text", "folded", "reason"),
    [
        ("Féminin.", "feminin", "accent, trailing dot"),
        ("Fe\u0301minin", "feminin", "an accent already decomposed"),
        ("\uff2d\uff21\uff33\uff23", "masc", "full-width letters: NFKD makes them ASCII"),
        (" N/A ", "n/a", "inner punctuation kept"),
    ],
)
def test_fold(text: str, folded: str, reason: str) -> None:
    assert fold(text) == folded, reason


@given(st.text(max_size=30) | st.text("StE -.'0123456789aAnN/éÉßİ(),", max_size=12))
def test_a_sure_name_key_is_read_places(text: str) -> None:
    # the scan's shortcut for a new place cell (nir._identity.place_matches)
    key = sure_name_key(text)
    assert key is None or read_place.__wrapped__(text) == Declared("name", key), text


@pytest.mark.parametrize(
    ("cell", "key", "reason"),
    [
        ("St-Étienne", "saint etienne", "a name, abbreviation and accent folded"),
        ("  PARIS ", "paris", "outer spaces"),
        ("N/A", None, "junk: its key is a junk word's"),
        ("Néant.", None, "junk with an accent and a dot"),
        ("2A", None, "a department code: a digit"),
        ("Paris 15", None, "a digit: read_place decides"),
        ("Casablanca (Maroc)", None, "a qualifier in parentheses: read_place decides"),
        ("Paris, France", None, "a qualifier after a comma"),
        ("Saint-Denis", "saint denis", "a hyphen is no separator"),
        ("--", None, "no word"),
    ],
)
def test_sure_name_keys(cell: str, key: str | None, reason: str) -> None:
    assert sure_name_key(cell) == key, reason


@pytest.mark.parametrize(
    ("cell", "value", "reason"),
    [
        ("Saint-Denis (93)", "saint denis|93", "a department code in parentheses"),
        ("Caen (Calvados)", "caen|calvados", "a department's name"),
        ("Casablanca, Maroc", "casablanca|maroc", "a country after a comma"),
        ("Caen - 14000", "caen|14000", "a postal code after a dash"),
        ("CAEN 14", "caen|14", "a department code after a space"),
        ("14000 Caen", "caen|14000", "a postal code first"),
        ("75 - Paris", "paris|75", "a department code first, then a dash"),
        ("14 (Caen)", "caen|14", "the code outside the parentheses"),
        ("Paris 15ème", "paris|15eme", "an arrondissement's rank"),
        ("PARIS 1ER", "paris|1er", "the first arrondissement"),
        ("Lyon 3e arrondissement", "lyon|3e", "the word arrondissement dropped"),
        ("Lyon 3", "lyon|3", "a rank of one digit"),
        ("Caen \N{EN DASH} Calvados", "caen|calvados", "an en dash"),
        ("Caen, Calvados, France", "caen|calvados|france", "qualified twice"),
        ("Caen (Calvados), France", "caen|calvados|france", "with parentheses inside"),
        ("Bors (Canton de Montmoreau)", "bors|canton de montmoreau", "the data's own form"),
        ("Saint-Denis", "saint denis", "a plain name: no qualifier"),
        ("Vitry Seine", "vitry seine", "two names without a mark: a name as written"),
        ("(14)", None, "no name: nothing to compare"),
        ("Paris 123456", "paris 123456", "six digits: no code, a name as written"),
    ],
)
def test_read_place_of_qualified_names(cell: str, value: str | None, reason: str) -> None:
    declared = read_place(cell)
    assert (declared.value if declared else None) == value, reason
    assert declared is None or declared.kind == "name", reason


AUGUST_12 = date(1955, 8, 12)


@pytest.mark.parametrize(
    ("text", "expected", "reason"),
    [
        ("12/08/1955", AUGUST_12, "French, slashes"),
        ("12.08.1955", AUGUST_12, "French, dots"),
        ("12/8/1955", AUGUST_12, "one-digit month"),
        ("1955-08-12", AUGUST_12, "ISO"),
        ("1955/08/12", AUGUST_12, "year first with slashes: unambiguous"),
        ("1955-08/12", None, "two separators"),
        ("12081955", AUGUST_12, "DSN's DDMMYYYY"),
        ("20313", AUGUST_12, "a spreadsheet serial"),
        ("1955", date(1955, 1, 1), "a year alone: its 1 January, not the serial of 1905"),
        ("1955.0", date(1955, 1, 1), "a year as a spreadsheet writes a number"),
        ("2101", date(1905, 10, 1), "past the years: a serial again"),
        ("1849", date(1905, 1, 22), "before them: a serial"),
        ("12 août 1955", AUGUST_12, "French Excel's long date"),
        ("12 AOUT 1955", AUGUST_12, "without the accent, upper case"),
        ("12-août-1955", AUGUST_12, "Excel's j-mmm-aaaa"),
        ("12 déc. 1955", date(1955, 12, 12), "an abbreviation with its dot"),
        ("1er mars 1955", date(1955, 3, 1), "1er, as French writes the first"),
        ("12-Aug-1955", AUGUST_12, "English abbreviation"),
        ("vendredi 12 août 1955", AUGUST_12, "Excel's date longue, its weekday right"),
        ("Fri, 12 Aug 1955", AUGUST_12, "an English weekday"),
        ("lundi 12 août 1955", None, "a weekday the date is not: which is wrong?"),
        ("31 févr. 1955", None, "no such day"),
        ("12 foo 1955", None, "not a month"),
        ("12/08/55", Centuryless(55, 8, 12), "a two-digit year: its century is the number's"),
        ("12-août-55", Centuryless(55, 8, 12), "Excel's j-mmm-aa"),
        ("29/02/00", Centuryless(0, 2, 29), "a day of 2000, not of 1900: of some century"),
        ("29/02/55", None, "a day of no century"),
        ("vendredi 12 août 55", None, "a weekday, and no century to check it in"),
        ("12/08/19 55", None, "not 2019 at 55 o'clock: a time has its colon"),
        ("12/08/55 19:55", Centuryless(55, 8, 12), "a time, with its colon"),
        ("12/08/1955 8h30", AUGUST_12, "a French time"),
        ("Aug 12, 1955", None, "month first: US order, not read"),
    ],
)
def test_read_date(text: str, expected: date | Centuryless | None, reason: str) -> None:
    assert read_date(text) == expected, reason
