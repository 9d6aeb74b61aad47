"""Tests of the shipped INSEE reference data and of its loader, ``nir._geo``."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from nir import _data, _geo

if TYPE_CHECKING:
    from collections.abc import Iterator

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
BUILD = REPO / "scripts" / "build_data.py"

HEADERS = {
    "insee_communes.csv": ["code", "name", "department", "valid_from", "valid_to", "kind"],
    "insee_departments.csv": ["code", "name", "country", "valid_from", "valid_to", "kind"],
    "insee_countries.csv": ["code", "name", "valid_from", "valid_to", "kind"],
}
CODE_FORMATS = {
    "insee_communes.csv": re.compile(r"(?:\d{5}|2[AB]\d{3})"),
    "insee_departments.csv": re.compile(r"(?:\d{2}|2[AB]|9[78]\d)"),
    "insee_countries.csv": re.compile(r"\d{3}"),
}
KINDS = {
    "insee_communes.csv": {
        "commune",
        "commune-associee",
        "commune-deleguee",
        "arrondissement-municipal",
    },
    "insee_departments.csv": {"departement", "collectivite-outre-mer", "afrique-du-nord"},
    "insee_countries.csv": {"pays"},
}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def fresh_geo() -> Iterator[None]:
    """Start from an unloaded cache and leave one behind for the next test."""
    _geo.clear_cache()
    yield
    _geo.clear_cache()


# --------------------------------------------------------------------------- file format


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_file_is_utf8_lf_with_expected_header(name: str) -> None:
    raw = (DATA / name).read_bytes()
    text = raw.decode("utf-8")
    assert "\r" not in text
    assert text.endswith("\n")
    assert text.splitlines()[0].split(",") == HEADERS[name]


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_rows_are_well_formed(name: str) -> None:
    for row in read(name):
        assert CODE_FORMATS[name].fullmatch(row["code"]), row
        assert row["name"], row
        assert row["name"] == row["name"].strip(), row
        assert row["kind"] in KINDS[name], row
        assert ISO_DATE.fullmatch(row["valid_from"]), row
        assert not row["valid_to"] or ISO_DATE.fullmatch(row["valid_to"]), row
        assert not row["valid_to"] or row["valid_from"] < row["valid_to"], row
        assert row["valid_from"] >= "1943-01-01", row


def test_communes_department_matches_code() -> None:
    for row in read("insee_communes.csv"):
        width = 3 if row["code"][:2] in {"97", "98"} else 2
        assert row["department"] == row["code"][:width], row


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_rows_are_sorted_and_unique(name: str) -> None:
    keys = [(r["code"], r["valid_from"], r["kind"], r["valid_to"], r["name"]) for r in read(name)]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_no_overlapping_periods_for_one_code_and_kind(name: str) -> None:
    last_end: dict[tuple[str, str], str] = {}
    for row in read(name):
        key = (row["code"], row["kind"])
        if key in last_end:
            previous_end = last_end[key]
            assert previous_end, f"{key} still open when {row} starts"
            assert previous_end <= row["valid_from"], f"{key} overlaps at {row}"
        last_end[key] = row["valid_to"]


def test_every_fact_cites_a_source() -> None:
    facts = read("facts.csv")
    assert facts
    for fact in facts:
        assert len(fact["source"]) > 20, fact
        assert fact["table"] in {"commune", "department", "country"}, fact
        assert fact["action"] in {"add", "start", "end", "name"}, fact


def test_meta_names_vintage_and_pins() -> None:
    meta = {row["key"]: row["value"] for row in read("insee_meta.csv")}
    assert meta["vintage"] == "COG 2026"
    pins = [key for key in meta if key.startswith(("npm:", "pypi:"))]
    assert len(pins) == 9
    assert all(meta[key].startswith(("sha512-", "sha256-")) for key in pins)


# --------------------------------------------------------------------------- known places

COMMUNES_ACROSS_ERAS = [
    # code, name, kind, valid_from, valid_to ("" = still valid)
    ("75044", "Levallois-Perret", "commune", "1943-01-01", "1968-01-01"),  # pre-1968 Seine
    ("92044", "Levallois-Perret", "commune", "1968-01-01", ""),  # same town after the split
    ("78646", "Versailles", "commune", "1943-01-01", ""),  # Seine-et-Oise kept 78
    ("20004", "Ajaccio", "commune", "1943-01-01", "1976-01-01"),  # pre-1976 Corsica
    ("2A004", "Ajaccio", "commune", "1976-01-01", ""),  # Corse-du-Sud
    ("75118", "Paris 18e Arrondissement", "arrondissement-municipal", "1943-01-01", ""),  # Paris
    ("69389", "Lyon 9e Arrondissement", "arrondissement-municipal", "1964-08-12", ""),  # fact
    ("13216", "Marseille 16e Arrondissement", "arrondissement-municipal", "1946-10-18", ""),
    ("98501", "Acoua", "commune", "1943-01-01", "2011-03-31"),  # 985 Mayotte, from 3.1.1
    ("97601", "Acoua", "commune", "2011-03-31", ""),  # 976 Mayotte, fact corrects 1943
    ("97123", "Saint-Barthélemy", "commune", "1943-01-01", "2007-02-23"),  # facts table
    ("97209", "Fort-de-France", "commune", "1943-01-01", ""),  # overseas department
    ("06163", "Tende", "commune", "1947-09-17", ""),  # French only from 1947 (fact)
    ("22183", "Plémet", "commune", "1943-01-01", "2016-01-01"),  # upstream name slip fixed
    ("22183", "Les Moulins", "commune", "2016-01-01", "2017-12-25"),  # commune nouvelle
    ("60696", "Voisinlieu", "commune", "1943-01-01", "1943-02-19"),  # merged away in 1943
    ("49092", "Chemillé-en-Anjou", "commune", "2015-12-15", ""),  # 2015 commune nouvelle
    ("01015", "Arboys en Bugey", "commune", "2016-01-01", ""),  # merger into a new name
]


@pytest.mark.parametrize(("code", "name", "kind", "start", "end"), COMMUNES_ACROSS_ERAS)
def test_known_commune_period(code: str, name: str, kind: str, start: str, end: str) -> None:
    periods = {
        (r["name"], r["kind"], r["valid_from"], r["valid_to"])
        for r in read("insee_communes.csv")
        if r["code"] == code
    }
    assert (name, kind, start, end) in periods


DEPARTMENTS_ACROSS_ERAS = [
    # code, name, country, valid_from, valid_to
    ("75", "Seine", "", "1943-01-01", "1968-01-01"),  # before the 1968 split
    ("75", "Paris", "", "1968-01-01", ""),  # after it
    ("78", "Seine-et-Oise", "", "1943-01-01", "1968-01-01"),  # dissolved 1968
    ("92", "Hauts-de-Seine", "", "1968-01-01", ""),  # created 1968
    ("20", "Corse", "", "1943-01-01", "1976-01-01"),  # split 1976
    ("2B", "Haute-Corse", "", "1976-01-01", ""),  # one of the halves
    ("91", "Alger", "352", "1943-01-01", "1962-07-03"),  # Algeria before independence
    ("94", "Territoires du Sud", "352", "1943-01-01", "1962-07-03"),  # Algeria
    ("95", "Maroc", "350", "1943-01-01", "1956-03-02"),  # Morocco
    ("96", "Tunisie", "351", "1943-01-01", "1956-03-20"),  # Tunisia
    ("985", "Mayotte", "", "1943-01-01", "2011-03-31"),  # before the 976 department
    ("976", "Mayotte", "", "2011-03-31", ""),  # department since 2011
    ("76", "Seine-Inférieure", "", "1943-01-01", "1955-01-18"),  # renamed 1955
    ("988", "Nouvelle-Calédonie", "", "1943-01-01", ""),  # overseas collectivity
]


@pytest.mark.parametrize(("code", "name", "country", "start", "end"), DEPARTMENTS_ACROSS_ERAS)
def test_known_department_period(code: str, name: str, country: str, start: str, end: str) -> None:
    rows = {
        (r["name"], r["country"], r["valid_from"], r["valid_to"])
        for r in read("insee_departments.csv")
        if r["code"] == code
    }
    assert (name, country, start, end) in rows


def test_all_current_departments_and_collectivities_present() -> None:
    codes = {r["code"] for r in read("insee_departments.csv") if not r["valid_to"]}
    expected = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"}
    expected |= {"971", "972", "973", "974", "975", "976", "977", "978"}
    expected |= {"984", "986", "987", "988", "989"}
    assert codes == expected


def test_country_names() -> None:
    countries = {r["code"]: r for r in read("insee_countries.csv")}
    assert countries["109"]["name"] == "Allemagne"  # accented table (french-ssn) wins
    assert countries["352"]["name"] == "Algérie"
    assert countries["115"]["valid_to"] == "1993-01-01"  # Czechoslovakia, facts table
    assert countries["141"]["valid_to"] == "1990-10-03"  # RDA, facts table


# The 18 codes no registry package has, added in facts.csv from INSEE's COG list of foreign
# countries and territories (millésime 2025): name as INSEE writes it, its period.
COUNTRIES_FROM_COG = [
    # code, name, valid_from, valid_to ("" = still valid), reason
    ("143", "Chypre", "1960-10-01", "1994-01-01", "European code of Cyprus before 1994"),
    ("158", "Féroé", "1943-01-01", "", "Danish territory"),
    ("159", "Territoires norvégiens en Atlantique Nord", "1943-01-01", "", "Norwegian territory"),
    ("160", "Åland", "1943-01-01", "", "Finnish territory, a name starting with Å"),
    ("161", "Dépendances de la Couronne britannique", "1943-01-01", "", "Crown dependencies"),
    ("162", "Île des Faisans", "1943-01-01", "", "Spanish-French condominium"),
    (
        "263",
        "Protectorat d\u2019Arabie du Sud",
        "1962-04-04",
        "1967-11-30",
        "ended; INSEE writes U+2019 apostrophes",
    ),
    ("264", "Nouvelle-Guinée néerlandaise", "1962-01-01", "1963-05-01", "ended 1963 (to the UN)"),
    (
        "265",
        "Territoires australiens de l\u2019océan Indien",
        "1958-10-01",
        "",
        "starts after 1943",
    ),
    ("362", "Zanzibar", "1963-12-10", "1964-04-26", "independent for months before Tanzania"),
    ("363", "Terres australes norvégiennes", "1943-01-01", "", "Norwegian Antarctic lands"),
    ("446", "Territoire antarctique argentin", "1943-01-01", "", "Argentine claim"),
    ("447", "Territoire antarctique chilien", "1943-01-01", "", "Chilean claim"),
    ("519", "Territoires de la Nouvelle-Zélande", "1977-01-01", "", "New Zealand territories"),
    ("520", "Cook", "1965-08-04", "", "self-governing from 1965"),
    ("521", "Niue", "1974-10-19", "", "self-governing from 1974"),
    (
        "522",
        "Territoires de l\u2019Australie en Océanie",
        "1975-09-16",
        "",
        "Australian territories",
    ),
    ("699", "Antarctique", "1943-01-01", "", "the continent, outside any claim"),
]


@pytest.mark.parametrize(("code", "name", "start", "end", "reason"), COUNTRIES_FROM_COG)
def test_country_from_cog_list(code: str, name: str, start: str, end: str, reason: str) -> None:
    periods = [
        (r["name"], r["valid_from"], r["valid_to"])
        for r in read("insee_countries.csv")
        if r["code"] == code
    ]
    assert periods == [(name, start, end)], reason


def test_every_country_code_since_1943_is_named() -> None:
    # INSEE's COG list (millésime 2025) holds 255 distinct codes used since 1943.
    assert len({r["code"] for r in read("insee_countries.csv")}) == 255


# --------------------------------------------------------------------------- loader


def test_import_loads_nothing() -> None:
    code = "import nir._geo as g, sys; sys.exit(1 if g.is_loaded() else 0)"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_loads_once(fresh_geo: None) -> None:
    assert not _geo.is_loaded()
    assert _geo.data_vintage() == "COG 2026"
    first = _geo._load()
    assert _geo._load() is first


def test_department_periods_need_no_commune(fresh_geo: None) -> None:
    # the identity checks' department names and dates, without the 46,000 communes
    assert [p.name for p in _geo.department_periods("75")] == ["Seine", "Paris"]
    assert [p.name for p in _geo.department_periods("2a")] == ["Corse-du-Sud"]
    assert _geo.department_periods("00") == ()
    assert not _geo.is_loaded()
    alone = {code: _geo.department_periods(code) for code in ("20", "75", "78", "92", "976")}
    _geo._load()
    for code, periods in alone.items():  # the loaded tables' own, same periods
        assert _geo.department_periods(code) == periods
        assert set(periods) == set(_geo.departments(code, date.min, date.max)), code


LOOKUPS = [
    # function, code, start, end, expected names (most relevant first)
    (_geo.communes, "75044", date(1960, 5, 1), date(1960, 6, 1), ["Levallois-Perret"]),  # Seine
    (_geo.communes, "92044", date(1960, 5, 1), date(1960, 6, 1), []),  # 92 did not exist yet
    (_geo.communes, "20004", date(1975, 12, 1), date(1976, 1, 1), ["Ajaccio"]),  # last month
    (_geo.communes, "2a004", date(1975, 12, 1), date(1976, 1, 1), []),  # not yet 2A
    (_geo.communes, "2A004", date(1976, 1, 1), date(1977, 1, 1), ["Ajaccio"]),  # lower/upper
    (_geo.communes, "22183", date(2016, 3, 1), date(2016, 4, 1), ["Les Moulins", "Les Moulins"]),
    (_geo.communes, "75056", date(1980, 1, 1), date(1981, 1, 1), ["Paris"]),  # city code too
    (_geo.communes, "98501", date(2011, 3, 1), date(2011, 4, 1), ["Acoua"]),  # month of change
    (_geo.communes, "99999", date(2000, 1, 1), date(2001, 1, 1), []),  # never a commune
    (_geo.departments, "75", date(1967, 1, 1), date(1968, 1, 1), ["Seine"]),  # 1967 birth
    (_geo.departments, "75", date(1967, 6, 1), date(1968, 6, 1), ["Seine", "Paris"]),  # wider
    (_geo.departments, "95", date(1950, 1, 1), date(1951, 1, 1), ["Maroc"]),  # North Africa
    (_geo.departments, "96", date(1970, 1, 1), date(1971, 1, 1), []),  # never after 1956
    (_geo.countries, "330", date(1990, 1, 1), date(1991, 1, 1), ["Guinée"]),  # country
    (_geo.countries, "141", date(1995, 1, 1), date(1996, 1, 1), []),  # RDA ended 1990
]


@pytest.mark.parametrize(("lookup", "code", "start", "end", "names"), LOOKUPS)
def test_lookup(lookup: object, code: str, start: date, end: date, names: list[str]) -> None:
    assert callable(lookup)
    assert [place.name for place in lookup(code, start, end)] == names


def test_lookup_returns_typed_places() -> None:
    (place,) = _geo.departments("91", date(1950, 1, 1), date(1950, 2, 1))
    assert place == _geo.Place(
        "91", "Alger", "afrique-du-nord", date(1943, 1, 1), date(1962, 7, 3), None, "352"
    )
    (commune,) = _geo.communes("75118", date(1950, 1, 1), date(1950, 2, 1))
    assert commune.department == "75"
    assert commune.valid_to is None


def test_most_relevant_first() -> None:
    places = _geo.communes("22183", date(2017, 10, 1), date(2018, 10, 1))
    assert places[0].name == "Plémet"  # covers more of the window than Les Moulins
    assert places[0].kind == "commune"


def test_empty_window_means_one_day() -> None:
    day = date(1960, 1, 1)
    assert _geo.communes("75044", day, day)[0].name == "Levallois-Perret"


def test_known_helpers() -> None:
    assert _geo.known_commune("75044")
    assert not _geo.known_commune("75999")
    assert _geo.known_department("985")
    assert not _geo.known_department("99")
    assert _geo.known_country("142")
    assert not _geo.known_country("999")


def _packaged_copy(folder: Path) -> Path:
    """A copy of the data files in `folder`/data whose vintage says COG TEST."""
    packaged = folder / "data"
    packaged.mkdir()
    for name in (*HEADERS, "insee_meta.csv"):
        shutil.copyfile(DATA / name, packaged / name)
    (packaged / "insee_meta.csv").write_text("key,value\nvintage,COG TEST\n", encoding="utf-8")
    return packaged


def test_installed_package_data_wins(
    fresh_geo: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wheel ships nir/data/*.csv beside the code: that copy comes before the checkout's."""
    packaged = _packaged_copy(tmp_path)
    monkeypatch.setattr(_data, "DATA_FOLDERS", (str(packaged), *_data.DATA_FOLDERS))
    assert _geo.data_vintage() == "COG TEST"


def test_a_zipped_package_reads_its_data_through_importlib_resources(
    fresh_geo: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No plain file anywhere (a package run from a zip): importlib.resources finds them."""
    _packaged_copy(tmp_path)
    monkeypatch.setattr(_data, "DATA_FOLDERS", (str(tmp_path / "nowhere"),))
    monkeypatch.setattr("importlib.resources.files", lambda _package: tmp_path)
    assert _geo.data_vintage() == "COG TEST"


# --------------------------------------------------------------------------- rebuild


def _rebuild_skip_reason() -> str | None:
    """Why the rebuild check cannot run here, or None when it should run."""
    wanted = os.environ.get("NIR_TEST_REBUILD", "auto")
    if wanted == "0":
        return "rebuild check disabled by NIR_TEST_REBUILD=0"
    if wanted == "1":
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "npm not found: cannot fetch the pinned packages (set NIR_TEST_REBUILD=1 to force)"
    try:
        subprocess.run(
            [npm, "view", "french-ssn@4.1.0", "version"],
            check=True,
            capture_output=True,
            timeout=30,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        return f"npm registry unreachable ({type(error).__name__}): set NIR_TEST_REBUILD=1 to force"
    return None


def test_committed_data_matches_a_rebuild() -> None:
    """data/*.csv are exactly what scripts/build_data.py makes from the pinned packages."""
    reason = _rebuild_skip_reason()
    if reason is not None:
        pytest.skip(reason)
    result = subprocess.run(
        [sys.executable, str(BUILD), "--check"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
