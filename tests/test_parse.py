"""The rules, as tables: one row per rule, each with the reason it is there."""

from __future__ import annotations

import re
import sys
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nir
from nir import _bulk, _parse, errors

from .helpers import REFERENCE_DATE, with_key

# Every test here runs on the C extension and on the pure-Python core.
pytestmark = pytest.mark.usefixtures("core")


def parse(value: object, **options: Any) -> nir.Nir:
    """The structural rules alone (names and data warnings: test_names.py)."""
    options.setdefault("reference_date", REFERENCE_DATE)
    options.setdefault("names", False)
    return nir.parse(value, **options)  # type: ignore[arg-type]


# (input, expected attributes, reason)
VALID: list[tuple[str, dict[str, Any], str]] = [
    # --- the spec's test vectors (section 10)
    (
        "2 95 10 99 126 111 93",
        {"country": "126", "department": None, "birth_year": 1995},
        "python-stdnum doc: born abroad, Greece",
    ),
    (
        "2 55 08 14 168 025 38",
        {
            "sex": "F",
            "birth_year": 1955,
            "birth_month": 8,
            "department": "14",
            "commune": "14168",
            "order": "025",
            "key": "38",
        },
        "french-ssn README: Calvados",
    ),
    (
        "178059933010817",
        {"sex": "M", "country": "330", "order": "108"},
        "french-ssn make(): abroad, country 330",
    ),
    (
        "255082A16802597",
        {"department": "2A", "key": "97"},
        "betagouv: key 97 (body divisible by 97)",
    ),
    ("2 84 05 88 321 025 32", {"department": "88", "commune": "88321"}, "CNAM test"),
    ("2 84 05 2A 321 025 52", {"department": "2A", "commune": "2A321"}, "CNAM: 2A uses 19"),
    ("2 84 05 2B 321 025 79", {"department": "2B"}, "CNAM: 2B uses 18"),
    ("2 84 20 2B 321 025 28", {"month_kind": "unknown", "birth_month": None}, "CNAM: month 20"),
    ("2 84 99 2B 321 025 31", {"month_kind": "unknown"}, "CNAM: month 99"),
    ("177022A00100229", {"department": "2A", "birth_year": 1977}, "IsoCodes: 2A after 1976"),
    (
        "260072000100289",
        {"department": "20", "birth_year": 1960, "warnings": ()},
        "IsoCodes: Corsica 20 before 1976, no warning",
    ),
    (
        "141330109002285",
        {"birth_month": 3, "month_kind": "pseudo"},
        "django-localflavor: pseudo month 33 = March",
    ),
    (
        "142580109002248",
        {"birth_month": None, "month_kind": "unknown"},
        "django-localflavor: month 58 unknown",
    ),
    (
        "182089740115475",
        {"department": "974", "commune": "97401", "order": "154"},
        "socrates: Réunion, 3+2 place layout",
    ),
    (
        "204109871806161",
        {"department": "987", "commune": "98718", "birth_year": 2004},
        "socrates: French Polynesia, born 2004",
    ),
    ("269054958815780", {"department": "49"}, "ameli sample card: key-valid"),
    # --- months
    (with_key("1 80 01 75 056 001"), {"birth_month": 1, "month_kind": "real"}, "month 01"),
    (with_key("1 80 12 75 056 001"), {"birth_month": 12, "month_kind": "real"}, "month 12"),
    (
        with_key("1 80 30 75 056 001"),
        {"birth_month": None, "month_kind": "unknown"},
        "month 30: unknown (older practice)",
    ),
    (
        with_key("1 80 31 75 056 001"),
        {"birth_month": 1, "month_kind": "pseudo"},
        "month 31: pseudo January",
    ),
    (
        with_key("1 80 42 75 056 001"),
        {"birth_month": 12, "month_kind": "pseudo"},
        "month 42: pseudo December",
    ),
    (
        with_key("1 80 50 75 056 001"),
        {"birth_month": None, "month_kind": "unknown"},
        "month 50: unknown",
    ),
    # --- places
    (
        with_key("1 60 05 75 118 001"),
        {"department": "75", "commune": "75118"},
        "Paris arrondissement before 1968 (Seine)",
    ),
    (
        with_key("1 55 05 91 352 001"),
        {"department": "91", "country": "352"},
        "91 before Algerian independence: Algeria",
    ),
    (
        with_key("1 62 05 94 001 001"),
        {"department": "94", "country": "352"},
        "1962 straddles independence (July): benefit of the doubt, Algeria",
    ),
    (
        with_key("1 50 05 95 001 001"),
        {"department": "95", "country": "350"},
        "95 before 1956: Morocco",
    ),
    (
        with_key("1 50 05 96 001 001"),
        {"department": "96", "country": "351"},
        "96 before 1956: Tunisia",
    ),
    (
        with_key("1 80 05 91 228 001"),
        {"department": "91", "country": None},
        "91 after 1968: Essonne",
    ),
    (
        with_key("1 80 05 95 001 001"),
        {"department": "95", "country": None},
        "95 after 1968: Val-d'Oise",
    ),
    (
        with_key("1 80 05 975 01 001"),
        {"department": "975", "commune": "97501"},
        "Saint-Pierre-et-Miquelon",
    ),
    (with_key("1 10 05 976 11 001"), {"department": "976"}, "Mayotte 976 after 2011"),
    (
        with_key("1 90 05 985 11 001"),
        {"department": "985", "warnings": ()},
        "Mayotte's old code 985 before 2011",
    ),
    (with_key("1 10 05 977 01 001"), {"department": "977"}, "Saint-Barthélemy after 2007"),
    (with_key("1 10 05 978 01 001"), {"department": "978"}, "Saint-Martin after 2007"),
    (with_key("1 80 05 984 01 001"), {"department": "984"}, "TAAF"),
    (with_key("1 80 05 989 01 001"), {"department": "989"}, "Clipperton (django rejects it)"),
    (with_key("1 80 05 99 999 001"), {"country": "999"}, "any non-zero country code"),
    # --- order, key edges
    (with_key("1 80 05 75 056 999"), {"order": "999"}, "order 999"),
    ("2 55 08 14 168 025 38".replace(" ", "."), {"key": "38"}, "dots as separators"),
    ("2-55-08-14-168-025-38", {"key": "38"}, "hyphens as separators"),
    ("2\u00a055\u00a008 14 168 025 38", {"key": "38"}, "no-break spaces"),
    ("'255081416802538", {"key": "38"}, "spreadsheet text marker (leading apostrophe)"),
    ("''255081416802538", {"key": "38"}, "two markers: every leading apostrophe goes"),
    ("253072b07300470", {"department": "2B"}, "lower-case b"),
    # --- temporary numbers
    ("870062009002285", {"kind": "temporary", "sex": "F"}, "django: first digit 8"),
    ("869069713002256", {"kind": "temporary", "department": "971"}, "django: 8 overseas"),
    (
        "718610018826448",
        {"kind": "temporary", "sex": "M", "department": None},
        "IsoCodes NNP layout: fields not NIR-shaped are None",
    ),
    (
        "8 84 05 88 321 025 23",
        {"kind": "temporary", "sex": "F", "birth_month": 5},
        "CNAM: mod-97 valid, class 8",
    ),
    (with_key("3 80 05 75 056 001"), {"kind": "temporary", "sex": "M"}, "class 3"),
    (with_key("4 80 05 75 056 001"), {"kind": "temporary", "sex": "F"}, "class 4"),
    (
        with_key("7 80 00 00 000 000"),
        {"kind": "temporary", "birth_month": None, "department": None},
        "temporary: nonsense fields decode to None, no error",
    ),
]


@pytest.mark.parametrize(("value", "expected", "reason"), VALID)
def test_valid(value: str, expected: dict[str, Any], reason: str) -> None:
    parsed = parse(value)
    assert nir.is_valid(value, reference_date=REFERENCE_DATE), reason
    for name, wanted in expected.items():
        assert getattr(parsed, name) == wanted, f"{reason}: {name}"


# (input, error code, text the message contains, options, reason)
INVALID: list[tuple[object, str, str, dict[str, Any], str]] = [
    (None, "type", "not NoneType", {}, "None"),
    (b"255081416802538", "type", "not bytes", {}, "bytes"),
    (255081416802538, "type", "not int", {}, "an int, even a right one"),
    ("", "empty", "empty", {}, "empty string"),
    (" . - ", "empty", "empty", {}, "only separators"),
    (
        "2.55081416802538E+14",
        "excel_mangled",
        "into scientific notation: re-export",
        {},
        "Excel scientific notation with all 15 digits",
    ),
    (
        "2,55082E+14",
        "excel_mangled",
        "6 significant digits",
        {},
        "French Excel, rounded: digits lost",
    ),
    ("253072C07300443", "characters", "'C' at position 7", {}, "stdnum doc: letter C"),
    ("25307A207300443", "characters", "letter A at position 6", {}, "A outside position 7"),
    ("253073A07300443", "characters", "letter A at position 7", {}, "3A is not Corsica"),
    (
        "2550814168025\u0033\u0038\u0661",
        "characters",
        "position 16",
        {},
        "Arabic-Indic digit is not a digit here",
    ),
    ("⑱", "characters", "'⑱'", {}, "stdnum robustness"),
    ("6546546546546703", "length", "16 characters", {}, "stdnum doc: 16 chars"),
    ("25508141680253", "length", "14 characters", {}, "one digit short"),
    (
        "2 55 08 14 168 025",
        "key_missing",
        "missing: it is 38",
        {},
        "13 chars: says the key it would be",
    ),
    (with_key("0 80 05 75 056 001"), "sex", "first digit is 0", {}, "sex 0"),
    (with_key("5 80 05 75 056 001"), "sex", "first digit is 5", {}, "5: CNAM MIG, no key"),
    (with_key("6 80 05 75 056 001"), "sex", "first digit is 6", {}, "6: CNAM MIG, no key"),
    (with_key("9 80 05 75 056 001"), "sex", "first digit is 9", {}, "sex 9"),
    (with_key("1 80 00 75 056 001"), "month", "month 00 does not exist", {}, "month 00"),
    (with_key("1 80 13 75 056 001"), "month", "month 13 does not exist", {}, "month 13"),
    (with_key("1 80 19 75 056 001"), "month", "month 19", {}, "month 19"),
    (with_key("1 80 05 00 056 001"), "department", "department 00", {}, "department 00"),
    (with_key("1 80 05 979 01 001"), "department", "979", {}, "979 is no territory"),
    (with_key("1 80 05 980 01 001"), "department", "980", {}, "980 is no territory"),
    (with_key("1 80 05 75 000 001"), "commune", "commune 000", {}, "commune 000"),
    (with_key("1 80 05 2A 000 001"), "commune", "commune 000", {}, "Corsican commune 000"),
    (with_key("1 80 05 971 00 001"), "commune", "commune 00", {}, "overseas commune 00"),
    (with_key("1 80 05 99 000 001"), "country", "country 000", {}, "country 000"),
    (with_key("1 80 05 75 056 000"), "order", "order number 000", {}, "order 000"),
    ("2 55 08 14 168 025 12", "key", "key is 12, expected 38", {}, "french-ssn: wrong key"),
    ("2 84 05 88 321 025 30", "key", "key is 30, expected 32", {}, "CNAM README typo"),
    ("295109912611199", "key", "key 99 never occurs", {}, "stdnum doc: key 99"),
    ("2 55 08 14 168 025 00", "key", "key 00 never occurs", {}, "CNAM: key 00"),
    ("2 55 08 14 168 025 98", "key", "expected 38", {}, "french-ssn's 98 is not accepted"),
    ("882062A09002279", "key", "key is 79, expected 09", {}, "django's wrong Corsica key"),
    ("1-68-04-10-115-045-97", "key", "expected 95", {}, "real-world sloppy example"),
    (
        with_key("3 80 05 75 056 001"),
        "temporary",
        "temporary",
        {"allow_temporary": False},
        "option rejects temporary numbers",
    ),
    (
        with_key("7 80 05 75 056 001")[:13] + "01",
        "key",
        "expected",
        {"allow_temporary": False},
        "a temporary number with a wrong key reports the key first",
    ),
    (
        with_key("1 53 07 2B 073 004"),
        "corsica_period",
        "2B exists only from 1976",
        {"warnings_as_errors": True},
        "warnings as errors keep the warning's code",
    ),
]


@pytest.mark.parametrize(("value", "code", "text", "options", "reason"), INVALID)
def test_invalid(value: object, code: str, text: str, options: dict[str, Any], reason: str) -> None:
    with pytest.raises(nir.NirError) as caught:
        parse(value, **options)
    assert caught.value.code == code, reason
    assert text in caught.value.message("en"), reason
    options.pop("names", None)
    assert not nir.is_valid(value, reference_date=REFERENCE_DATE, **options), reason


# (input, warning codes, reason)
WARNINGS: list[tuple[str, tuple[str, ...], str]] = [
    ("253072B07300470", ("corsica_period",), "stdnum doc: 2B in 1953"),
    ("253072A07300443", ("corsica_period",), "stdnum doc: 2A in 1953"),
    (with_key("1 80 05 20 004 001"), ("corsica_period",), "20 after 1976"),
    (with_key("1 80 21 75 056 001"), ("undocumented_month",), "month 21"),
    (with_key("1 80 29 75 056 001"), ("undocumented_month",), "month 29"),
    (with_key("1 80 43 75 056 001"), ("undocumented_month",), "month 43"),
    (with_key("1 80 49 75 056 001"), ("undocumented_month",), "month 49"),
    (with_key("1 65 05 92 001 001"), ("place_period",), "92 between 1962 and 1968"),
    (with_key("1 60 05 95 001 001"), ("place_period",), "95 between 1956 and 1968"),
    (with_key("1 60 05 96 001 001"), ("place_period",), "96 between 1956 and 1968"),
    (
        with_key("1 15 05 985 01 001"),
        ("century",),
        "985 in 2015 only fits 1915 (985 was replaced in 2011): read so, with a warning",
    ),
    (with_key("1 90 05 976 01 001"), ("place_period",), "976 before 2011"),
    (with_key("1 90 05 977 01 001"), ("place_period",), "977 before 2007"),
    (with_key("1 80 05 971 95 001"), ("commune_range",), "overseas commune above 90"),
    (with_key("1 80 05 99 100 001"), ("country_france",), "country 100 is France"),
    (with_key("1 10 05 96 001 001"), ("century",), "96 with YY=10 only fits 1910 (Tunisia)"),
    (with_key("1 10 05 20 004 001"), ("century",), "20 with YY=10 only fits 1910"),
]


@pytest.mark.parametrize(("value", "codes", "reason"), WARNINGS)
def test_warnings(value: str, codes: tuple[str, ...], reason: str) -> None:
    parsed = parse(value)
    assert tuple(w.code for w in parsed.warnings) == codes, reason
    assert all(w.message("en") for w in parsed.warnings)
    with pytest.raises(errors.WarningAsError) as caught:
        parse(value, warnings_as_errors=True)
    assert caught.value.code == codes[0]


# (YY, month code, reference date, expected year, ambiguous, reason)
CENTURY = [
    ("55", "08", REFERENCE_DATE, 1955, False, "1955: 1855 is implausible"),
    ("10", "05", REFERENCE_DATE, 2010, True, "2010 or 1910 (a centenarian)"),
    ("26", "11", REFERENCE_DATE, 2026, True, "this month: born this year"),
    ("26", "12", REFERENCE_DATE, 1926, False, "next month is the future: 1926"),
    ("27", "01", REFERENCE_DATE, 1927, False, "next year is the future"),
    ("00", "01", REFERENCE_DATE, 2000, False, "2000: 1900 is implausible"),
    ("05", "01", REFERENCE_DATE, 2005, False, "1905 is 121 years before 2026: implausible"),
    ("06", "01", REFERENCE_DATE, 2006, True, "1906 is 120 years before 2026: possible"),
]


@pytest.mark.parametrize(("yy", "month", "today", "year", "ambiguous", "reason"), CENTURY)
def test_century(yy: str, month: str, today: Any, year: int, ambiguous: bool, reason: str) -> None:
    parsed = nir.parse(with_key(f"1{yy}{month}75056001"), reference_date=today)
    assert (parsed.birth_year, parsed.century_ambiguous) == (year, ambiguous), reason


# Validity never expires: a number valid under some reading of its century stays
# valid; plausibility (120 years) only chooses the reading that decodes it.
# (body, reference date, year read, warning codes, reason)
CENTURY_VALIDITY: list[tuple[str, date | None, int, tuple[str, ...], str]] = [
    ("1 04 10 96 373 086", date(2000, 1, 1), 1904, (), "issue 8: 1904 is the recent reading"),
    (
        "1 04 10 96 373 086",
        REFERENCE_DATE,
        1904,
        ("century",),
        "issue 8: no 96 in 2004, and 1904 (122 years) is still read, with a warning",
    ),
    ("1 04 10 96 373 086", None, 1904, ("century",), "issue 8: the same at the real today"),
    ("1 04 10 96 373 086", date(2150, 12, 31), 1904, ("century",), "2104 and 2004 impossible"),
    ("1 80 05 96 001 001", date(1950, 6, 1), 1880, (), "1950: 1880 is the recent reading"),
    ("1 80 05 96 001 001", REFERENCE_DATE, 1880, ("century",), "valid in 1950: stays valid"),
    (
        "1 60 05 96 001 001",
        date(2070, 1, 1),
        1960,
        ("century", "place_period"),
        "2060 impossible, 1960 (plausible) only doubtful: valid, both warnings",
    ),
    (
        "1 60 05 96 001 001",
        date(2090, 1, 1),
        1960,
        ("century", "place_period"),
        "the same when 1960 is 130 years old",
    ),
    ("1 50 05 91 352 001", date(2000, 1, 1), 1950, (), "91 before 1962: Algeria"),
    ("1 50 05 91 352 001", date(2080, 1, 1), 2050, (), "1950 implausible: Essonne 2050, valid"),
    ("1 61 05 94 001 001", date(2100, 1, 1), 2061, (), "94 (Algeria 1961) is Val-de-Marne 2061"),
    ("1 55 05 95 001 001", date(2000, 1, 1), 1955, (), "95 before 1956: Morocco"),
    ("1 55 05 95 001 001", date(2100, 1, 1), 2055, (), "95 in 2055: Val-d'Oise"),
    ("1 60 05 75 118 001", date(2000, 1, 1), 1960, (), "75 before 1968 (Seine)"),
    ("1 60 05 75 118 001", date(2100, 1, 1), 2060, (), "75 is Paris in 2060: valid at any date"),
    ("1 70 05 20 004 001", date(2000, 1, 1), 1970, (), "20 before 1976: Corsica"),
    ("1 70 05 20 004 001", date(2080, 1, 1), 1970, ("century",), "2070 doubtful, 1970 clean"),
    (
        "1 70 05 20 004 001",
        date(2100, 1, 1),
        2070,
        ("corsica_period",),
        "1970 implausible, 2070 only doubtful: plausibility chooses it, with its warning",
    ),
    (
        "1 15 05 985 01 001",
        date(2150, 1, 1),
        2115,
        ("place_period",),
        "985 in 2115 only doubtful: kept, though 1915 would be clean",
    ),
]


@pytest.mark.parametrize(("body", "today", "year", "codes", "reason"), CENTURY_VALIDITY)
def test_validity_never_expires(
    body: str, today: date | None, year: int, codes: tuple[str, ...], reason: str
) -> None:
    parsed = parse(with_key(body), reference_date=today)
    assert (parsed.birth_year, tuple(w.code for w in parsed.warnings)) == (year, codes), reason
    if "century" in codes:
        assert f"read as born in {year}" in parsed.warnings[0].message("en"), reason
    # the bulk verdict (in C on the C core) says the same
    result = _bulk.verdict(with_key(body), nir.Options(reference_date=today))
    assert (result.code, result.warnings) == ("", codes), reason


def test_missing_key_accepted_by_option() -> None:
    # DSN carries 13 characters: the option completes the key.
    parsed = parse("2840588321025", allow_missing_key=True)
    assert parsed.number == "284058832102532"
    assert parsed.key == "32"
    assert nir.validate("278112B050002", allow_missing_key=True) == "278112B05000286"


def test_missing_key_still_checks_fields() -> None:
    # A 13-character body with a bad month says so, rather than "key missing".
    with pytest.raises(errors.InvalidMonth):
        parse("2841388321025")


def test_format() -> None:
    assert nir.format("255081416802538") == "2 55 08 14 168 025 38"
    assert nir.format("182089740115475") == "1 82 08 974 01 154 75"
    assert nir.format("2550814168025", separator="") == "2550814168025"
    assert nir.format("253072b07300470", separator="-") == "2-53-07-2B-073-004-70"
    with pytest.raises(errors.InvalidLength):
        nir.format("12345")


def test_calc_check_digits() -> None:
    assert nir.calc_check_digits("2 94 03 75 120 005") == "91"
    assert nir.calc_check_digits("1 53 12 45 007 231") == "60"
    assert nir.calc_check_digits("278112B050002") == "86"
    with pytest.raises(errors.InvalidLength):
        nir.calc_check_digits("123")
    with pytest.raises(errors.InvalidCharacters):
        nir.calc_check_digits("27811X2B05000")


def test_result_is_frozen_and_formats() -> None:
    parsed = parse("255081416802538")
    assert str(parsed) == "255081416802538"
    assert parsed.formatted == "2 55 08 14 168 025 38"
    assert not parsed.is_temporary
    with pytest.raises(AttributeError):
        parsed.key = "00"  # type: ignore[misc]
    assert parse("2 55 08 14 168 025 38") == parsed
    assert hash(parse("2 55 08 14 168 025 38")) == hash(parsed)


def test_enums_compare_equal_to_strings() -> None:
    parsed = parse("255081416802538")
    assert parsed.kind == "nir"
    assert parsed.sex == "F"
    assert parsed.month_kind == "real"


def test_long_input_message_stays_short() -> None:
    with pytest.raises(errors.InvalidLength) as caught:
        nir.validate("1" * 10_000_000)
    assert len(caught.value.message("en")) < 200


# compact's separators are written out (no regex at import, see nir._parse): the
# regex they replace is the oracle, for every whitespace and on any text.
SEPARATORS_REGEX = r"[\s.\-]+"


def test_the_separators_are_what_str_isspace_says_and_dots_and_hyphens() -> None:
    spaces = {chr(point) for point in range(sys.maxunicode + 1) if chr(point).isspace()}
    assert {chr(point) for point in _parse._SEPARATORS} == spaces | {".", "-"}


@given(
    st.text(
        st.sampled_from("0123456789AaBbXé .-'\N{RIGHT SINGLE QUOTATION MARK}\t\u00a0\u202f\u3000ß")
        | st.characters(),
        max_size=30,
    )
)
def test_compact_and_the_bad_character_are_the_regex_s(value: str) -> None:
    apostrophes = "'\N{RIGHT SINGLE QUOTATION MARK}"
    expected = re.sub(SEPARATORS_REGEX, "", value).upper().lstrip(apostrophes)
    assert nir.compact(value) == expected
    bad = re.search("[^0-9AB]", expected)
    assert _parse._first_not_allowed(expected) == (bad.start() if bad else -1)
    if bad:
        typed = re.sub(SEPARATORS_REGEX, "", value).lstrip(apostrophes)[bad.start()]
        assert _parse._as_typed(value, bad.start()) == typed


@pytest.mark.parametrize("value", [None, 123, 2.5e14, ["2", "55"]])
def test_compact_of_a_non_str_is_a_type_error(value: object) -> None:
    # as when it was a re.sub; validate and friends say InvalidInputType first
    with pytest.raises(TypeError, match="needs a str"):
        nir.compact(value)  # type: ignore[arg-type]
