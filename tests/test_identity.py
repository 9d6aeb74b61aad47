"""Identity cross-checks and suggestions: tables with a reason per row, properties, both cores."""

from __future__ import annotations

import decimal
import pickle
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nir
from nir.messages import ParamValue

from .helpers import REFERENCE_DATE, with_key

# Rows: number, identity given, expected mismatches, expected unchecked fields and reasons.
CASES = [
    (
        "255081416802538",
        {"sex": "Mme", "birth_date": "12/08/1955"},
        (),
        (),
        "civility and French date",
    ),
    ("255081416802538", {"sex": "M."}, ("sex",), (), "M. is a man; 2 is a woman"),
    ("255081416802538", {"sex": "Melle"}, (), (), "Mlle as it is often spelt"),
    (
        "255081416802538",
        {"sex": "Féminin", "birth_date": "1955-08-12T10:00:00"},
        (),
        (),
        "ISO with time",
    ),
    ("255081416802538", {"birth_date": "20313"}, (), (), "spreadsheet serial of 1955-08-12"),
    # places found wrong by a review (both cores agree with these: test_csv_engine)
    (
        "160073844700148",
        {"birth_place": "Rhône", "birth_date": "12/07/1960"},
        (),
        (),
        "Isère's Saint-Priest, the Rhône's 69290 since 1968",
    ),
    (
        "160073844700148",
        {"birth_place": "69", "birth_date": "12/07/1960"},
        (),
        (),
        "its department's code today",
    ),
    (
        "160073844700148",
        {"birth_place": "Ain", "birth_date": "12/07/1960"},
        ("birth_place",),
        (),
        "never in the Ain",
    ),
    (
        "160073818500151",
        {"birth_place": "Rhône", "birth_date": "12/07/1960"},
        ("birth_place",),
        (),
        "Grenoble never moved",
    ),
    (
        "112039712300184",
        {"birth_place": "977"},
        (),
        (),
        "Saint-Barthélemy's 97123 after the split: 977",
    ),
    ("112039712300184", {"birth_place": "978"}, ("birth_place",), (), "not Saint-Martin"),
    (
        "190077511500170",
        {"birth_place": "75015", "birth_date": "12/07/1990"},
        (),
        (("birth_place", "unknown_place"),),
        "75015: Paris 15e's postal code, Bry's code until 1968",
    ),
    (
        "160077501500178",
        {"birth_place": "75015", "birth_date": "12/07/1960"},
        (),
        (),
        "Bry-sur-Marne's own code then",
    ),
    (
        "164079135200110",
        {"birth_place": "Algérie", "birth_date": "12/07/1964"},
        (),
        (),
        "91 of 1964, the anomalous years: Algeria fits",
    ),
    (
        "164079135200110",
        {"birth_place": "99352", "birth_date": "12/07/1964"},
        (),
        (),
        "its country code too",
    ),
    (
        "164079135200110",
        {"birth_place": "Caen", "birth_date": "12/07/1964"},
        ("birth_place",),
        (),
        "neither Algeria nor Essonne",
    ),
    (
        "120059603500163",
        {"birth_place": "Tunisie"},
        (),
        (),
        "96 of 20, no date: Tunisia's of 1920, as parse reads it",
    ),
    ("120059603500163", {"birth_place": "Caen"}, ("birth_place",), (), "not Tunisia"),
    (
        "255081416802538",
        {"birth_date": "1955"},
        (),
        (("birth_month", "default_date"),),
        "a year alone",
    ),
    (
        "255081416802538",
        {"birth_date": "1956"},
        ("birth_year",),
        (("birth_month", "default_date"),),
        "another year",
    ),
    ("255081416802538", {"birth_date": "12.08.1956"}, ("birth_year",), (), "year differs"),
    ("255081416802538", {"birth_date": "12-09-1955"}, ("birth_month",), (), "month differs"),
    (
        "255081416802538",
        {"birth_date": "01/01/1955"},
        (),
        (("birth_month", "default_date"),),
        "01-01 default date",
    ),
    (
        "255081416802538",
        {"birth_date": "31/12/1955"},
        (),
        (("birth_month", "default_date"),),
        "12-31 default date",
    ),
    (
        "255081416802538",
        {"birth_date": "31/02/1980"},
        (),
        (("birth_year", "unreadable_date"), ("birth_month", "unreadable_date")),
        "impossible date",
    ),
    (
        "255081416802538",
        {"birth_date": "N/A", "sex": "", "birth_place": "N/A"},
        (),
        (
            ("sex", "unreadable_sex"),
            ("birth_year", "unreadable_date"),
            ("birth_month", "unreadable_date"),
            ("birth_place", "unreadable_place"),
        ),
        "junk never mismatches",
    ),
    (
        "255081416802538",
        {"birth_date": "2099-01-05"},
        (),
        (("birth_year", "future_date"), ("birth_month", "future_date")),
        "future date",
    ),
    ("255081416802538", {"birth_place": "14168"}, (), (), "same commune code"),
    (
        "255081416802538",
        {"birth_place": "Caen"},
        ("birth_place",),
        (),
        "another commune of the department",
    ),
    (
        "255081416802538",
        {"birth_place": "Xyzville"},
        (),
        (("birth_place", "unknown_place"),),
        "unknown name",
    ),
    (
        "160057504400149",
        {"birth_date": "04/05/1960", "birth_place": "92044"},
        (),
        (),
        "Seine before 1968: today's 92 code",
    ),
    ("160057504400149", {"birth_place": "levallois-perret"}, (), (), "name, case and hyphens"),
    ("160057504400149", {"birth_place": "92"}, (), (), "Seine's successor department"),
    (
        with_key("1700575044001"),
        {"birth_place": "92044"},
        ("birth_place",),
        (),
        "75 after 1968 is Paris only",
    ),
    (
        with_key("1600578228001"),
        {"birth_place": "91228"},
        (),
        (),
        "Seine-et-Oise before 1968: Evry in 91",
    ),
    (
        with_key("1600520004001"),
        {"birth_place": "2A004"},
        (),
        (),
        "Corsica 20 before 1976, 2A today",
    ),
    (with_key("180052A004001"), {"birth_place": "Ajaccio"}, (), (), "Corsica 2A from 1976"),
    # a department's name it took after the birth: the number's commune must be in it since
    (with_key("1600575101001"), {"birth_place": "Paris"}, (), (), "75 was Seine: Paris 1er is 75"),
    (with_key("1600575012001"), {"birth_place": "Seine"}, (), (), "Boulogne's department then"),
    (
        with_key("1600575012001"),
        {"birth_place": "Paris"},
        ("birth_place",),
        (),
        "Boulogne-Billancourt, Seine in 1960, never the department Paris: 92012 since 1968",
    ),
    (with_key("1600575012001"), {"birth_place": "Hauts-de-Seine"}, (), (), "Boulogne's today"),
    (
        with_key("1600575101001"),
        {"birth_place": "Hauts-de-Seine"},
        ("birth_place",),
        (),
        "Paris 1er was never in the Hauts-de-Seine",
    ),
    (with_key("1600578646001"), {"birth_place": "Yvelines"}, (), (), "Versailles: 78 then, 78 now"),
    (
        with_key("1600578646001"),
        {"birth_place": "Essonne"},
        ("birth_place",),
        (),
        "Seine-et-Oise's Versailles is not in the Essonne",
    ),
    (with_key("1600578228001"), {"birth_place": "Essonne"}, (), (), "Evry: 78228 then, 91228"),
    (
        with_key("1600520004001"),
        {"birth_place": "Haute-Corse"},
        ("birth_place",),
        (),
        "Ajaccio, Corsica's 20 in 1960, is in Corse-du-Sud",
    ),
    (with_key("1600520004001"), {"birth_place": "Corse-du-Sud"}, (), (), "Ajaccio's today"),
    (with_key("1700575012001"), {"birth_place": "Seine"}, (), (), "an old name: as before, 75"),
    # a department code made after the birth, the same way
    (
        with_key("1600575101001"),
        {"birth_place": "92"},
        ("birth_place",),
        (),
        "Paris 1er, Seine in 1960, was never in 92",
    ),
    (with_key("1600575012001"), {"birth_place": "92"}, (), (), "Boulogne: 75012 then, 92012"),
    (
        with_key("1600520004001"),
        {"birth_place": "2B"},
        ("birth_place",),
        (),
        "Ajaccio is in 2A",
    ),
    (
        with_key("1900597123001"),
        {"birth_place": "977"},
        (),
        (),
        "Saint-Barthélemy: 97701 since 2007",
    ),
    (
        with_key("1070297123001"),
        {"birth_date": "22/02/2007", "birth_place": "977"},
        (),
        (),
        "97123's last day: 977 from the next (INSEE's date of effect, 2007-02-23)",
    ),
    (
        with_key("1900597123001"),
        {"birth_place": "978"},
        ("birth_place",),
        (),
        "Saint-Barthélemy is not Saint-Martin",
    ),
    (
        with_key("1900598511001"),
        {"birth_place": "976"},
        (),
        (),
        "Mayotte: 985 then, 976 since 2011",
    ),
    # the commune part of a Seine code was not always kept: the names say which code it is
    (
        with_key("1600675001001"),
        {"birth_place": "93001"},
        ("birth_place",),
        (),
        "75001 was Alfortville, 94002 since; 93001 is Aubervilliers",
    ),
    (with_key("1600675001001"), {"birth_place": "94002"}, (), (), "Alfortville's code since 1968"),
    (with_key("1600675001001"), {"birth_place": "94"}, (), (), "Alfortville is in 94"),
    (with_key("1600675001001"), {"birth_place": "93"}, ("birth_place",), (), "not in 93"),
    (
        with_key("1600675056001"),
        {"birth_place": "94"},
        ("birth_place",),
        (),
        "Paris, not 94056 (Périgny)",
    ),
    (
        with_key("1900697101001"),
        {"birth_place": "978"},
        ("birth_place",),
        (),
        "Les Abymes stayed in Guadeloupe: 97801 is Saint-Martin",
    ),
    # two-digit years: compared in the number's century, never a mismatch it does not say
    ("255081416802538", {"birth_date": "12/08/55"}, (), (), "55 is the number's 55"),
    ("255081416802538", {"birth_date": "12/08/56"}, ("birth_year",), (), "another year"),
    (
        with_key("1200891352001"),
        {"birth_date": "12/08/20", "birth_place": "Algérie"},
        (),
        (("birth_place", "unknown_place"),),
        "20 read in 2020 is Essonne's 91, but 1920 is Algeria's too: the cell does not say",
    ),
    (
        with_key("1200875044001"),
        {"birth_date": "12/08/20", "birth_place": "92044"},
        (),
        (("birth_place", "unknown_place"),),
        "Levallois-Perret in 1920 (before the data) or not in 2020: not compared",
    ),
    (
        with_key("2200814118001"),
        {"birth_date": "12/08/20", "birth_place": "Lyon"},
        ("birth_place",),
        (),
        "Caen's 14 is not Lyon, in 2020 nor in 1920: a mismatch at both",
    ),
    (
        with_key("2200814118001"),
        {"birth_date": "12/08/20", "birth_place": "14047"},
        (),
        (("birth_place", "unknown_place"),),
        "Bayeux's code: another commune in 2020, but 1920 is before the data",
    ),
    (
        with_key("2200814118001"),
        {"birth_date": "12/08/2020", "birth_place": "Bayeux"},
        ("birth_place",),
        (),
        "the year in full: 2020 only",
    ),
    (
        with_key("2050814118001"),
        {"birth_date": "12/08/05", "birth_place": "Bayeux"},
        ("birth_place",),
        (),
        "05: 2005 only (1905 is too old), another commune",
    ),
    (
        with_key("1500875101001"),
        {"birth_date": "12/08/50", "birth_place": "75109"},
        ("birth_place",),
        (),
        "50: 1950 only (1850 is too old): Paris 1er is not the 9e",
    ),
    # an arrondissement made after the birth, from which part of the city the cell cannot say
    (
        with_key("1600569385001"),
        {"birth_date": "10/05/1960", "birth_place": "69389"},
        (),
        (("birth_place", "unknown_place"),),
        "Lyon 9e (1964) against a birth in the 5e in 1960: part of the 5e became the 9e",
    ),
    (
        with_key("1700569385001"),
        {"birth_date": "10/05/1970", "birth_place": "69389"},
        ("birth_place",),
        (),
        "both arrondissements at the birth: not the same",
    ),
    (with_key("1550591352001"), {"birth_place": "Algérie"}, (), (), "91 before 1962 is Algeria"),
    (with_key("1550591352001"), {"birth_place": "99352"}, (), (), "91 and 99352 both occur"),
    (with_key("1550599352001"), {"birth_place": "91"}, (), (), "99352 against 91 before 1962"),
    (with_key("1550599350001"), {"birth_place": "Maroc"}, (), (), "abroad by country name"),
    ("255081416802538", {"birth_place": "France"}, (), (), "France: every French place, as 99100"),
    (with_key("1700599352001"), {"birth_place": "France"}, ("birth_place",), (), "born abroad"),
    (with_key("1700599352001"), {"birth_place": "Alger"}, (), (), "in Algeria after 1962"),
    (with_key("1550591352001"), {"birth_place": "Alger"}, (), (), "Alger's own 91 before 1962"),
    (with_key("1550591352001"), {"birth_place": "Oran"}, ("birth_place",), (), "Oran was 92"),
    (
        with_key("1550591352001"),
        {"birth_place": "Essonne"},
        ("birth_place",),
        (),
        "91 in 1955 was Alger: Essonne dates from 1968",
    ),
    (with_key("1900591228001"), {"birth_place": "Alger"}, ("birth_place",), (), "not Essonne"),
    # names with a qualifier, as HR exports write them
    (with_key("1800575115001"), {"birth_place": "PARIS 15"}, (), (), "an arrondissement's rank"),
    (with_key("1800575115001"), {"birth_place": "Paris 14e"}, ("birth_place",), (), "another one"),
    (
        with_key("1800575115001"),
        {"birth_place": "Paris 25e"},
        (),
        (("birth_place", "unknown_place"),),
        "Paris has 20 arrondissements",
    ),
    (with_key("1800575115001"), {"birth_place": "Paris (75)"}, (), (), "the city's department"),
    (with_key("1800575115001"), {"birth_place": "Paris, France"}, (), (), "and its country"),
    (
        with_key("1800513201001"),
        {"birth_place": "Marseille (13)"},
        (),
        (),
        "13 is Marseille's department, not an arrondissement",
    ),
    (with_key("1800597411001"), {"birth_place": "Saint-Denis (Réunion)"}, (), (), "La Réunion"),
    (
        with_key("1800597411001"),
        {"birth_place": "Saint-Denis (93)"},
        ("birth_place",),
        (),
        "the homonym of 93, not Réunion's",
    ),
    (with_key("1800593066001"), {"birth_place": "St Denis 93200"}, (), (), "a postal code"),
    (with_key("1800514118001"), {"birth_place": "14000 Caen"}, (), (), "a postal code first"),
    (with_key("1800514118001"), {"birth_place": "Caen, Calvados"}, (), (), "a department name"),
    (
        with_key("1800514118001"),
        {"birth_place": "Caen (75)"},
        (),
        (("birth_place", "unknown_place"),),
        "a name and a department that disagree: not compared",
    ),
    (
        with_key("1800514118001"),
        {"birth_place": "Caen (Normandie)"},
        (),
        (("birth_place", "unknown_place"),),
        "a qualifier the data does not know: not compared",
    ),
    (
        with_key("1800199401001"),
        {"birth_place": "Laval (Québec)"},
        (),
        (("birth_place", "unknown_place"),),
        "nor taken for the Mayenne's Laval",
    ),
    (
        with_key("1800514118001"),
        {"birth_place": "Trifouillis (14)"},
        (),
        (("birth_place", "unknown_place"),),
        "an unknown name with a code: no place said",
    ),
    (
        with_key("1800575115001"),
        {"birth_place": "12 rue de Vaugirard Paris"},
        (),
        (("birth_place", "unknown_place"),),
        "an address: its number is no department",
    ),
    (
        with_key("1650138233001"),
        {"birth_place": "Meyzieu (69)"},
        (),
        (),
        "Isère's 38233 until 1967",
    ),
    (with_key("1650138233001"), {"birth_place": "69330 Meyzieu"}, (), (), "and its postal code"),
    (
        with_key("1800175116001"),
        {"birth_place": "Paris 15e (75)"},
        ("birth_place",),
        (),
        "a rank and a department: the 15th, not the 16th",
    ),
    (with_key("1800575115001"), {"birth_place": "75 PARIS 15"}, (), (), "code, name, rank"),
    (
        with_key("18001" + "2A004001"),
        {"birth_place": "Ajaccio (2B)"},
        (),
        (("birth_place", "unknown_place"),),
        "Ajaccio is not in 2B",
    ),
    (with_key("1600195123001"), {"birth_place": "Tanger (Maroc)"}, (), (), "95, Morocco's code"),
    (with_key("1800569383001"), {"birth_place": "Lyon 3"}, (), (), "a rank of one digit"),
    (with_key("1800514118001"), {"birth_place": "Caen \N{EN DASH} Calvados"}, (), (), "a dash"),
    (with_key("1800599350001"), {"birth_place": "Casablanca (Maroc)"}, (), (), "the country"),
    (
        with_key("1800599350001"),
        {"birth_place": "Casablanca (Algérie)"},
        ("birth_place",),
        (),
        "another country",
    ),
    (with_key("1800599134001"), {"birth_place": "Valence (Espagne)"}, (), (), "Valencia, Spain"),
    (
        with_key("1800526362001"),
        {"birth_place": "Valence (Espagne)"},
        ("birth_place",),
        (),
        "the country said is not France: not the Drôme's Valence",
    ),
    (
        with_key("1550591352001"),
        {"birth_place": "Mostaganem (92)"},
        (),
        (("birth_place", "unknown_place"),),
        "a city the data does not know, and a code: no place said",
    ),
    (with_key("1550591352001"), {"birth_place": "Oran (92)"}, ("birth_place",), (), "92, not 91"),
    (
        with_key("1790750595001"),
        {"birth_place": "Le Theil (61)"},
        ("birth_place",),
        (),
        "the Manche's Le Theil, not the Orne's (both changed kind on one day)",
    ),
    (
        with_key("1800575115001"),
        {"birth_place": "75015 Paris"},
        (),
        (),
        "an arrondissement's postal code",
    ),
    (with_key("1800575115001"), {"birth_place": "75016 Paris"}, ("birth_place",), (), "the 16th's"),
    (with_key("1800575116001"), {"birth_place": "75116 Paris"}, (), (), "the 16th's other one"),
    (with_key("1800513208001"), {"birth_place": "13000 Marseille"}, (), (), "no arrondissement's"),
    (
        with_key("1700675115001"),
        {"birth_place": "Caen, Calvados, France"},
        ("birth_place",),
        (),
        "a qualified name qualified again: Caen, not all of France",
    ),
    (
        with_key("1800114118001"),
        {"birth_place": "Paris, Île-de-France, France"},
        (),
        (("birth_place", "unknown_place"),),
        "a part the data does not know, inside: not compared",
    ),
    (
        with_key("1500191352001"),
        {"birth_place": "Oran (Algérie)"},
        ("birth_place",),
        (),
        "Oran's 92",
    ),
    (with_key("1500199352001"), {"birth_place": "Oran (Algérie)"}, (), (), "in Algeria"),
    (
        with_key("1500195001001"),
        {"birth_place": "Oran (Maroc)"},
        (),
        (("birth_place", "unknown_place"),),
        "Oran is not in Morocco: parts that disagree",
    ),
    (with_key("1650138233001"), {"birth_place": "69282"}, (), (), "Meyzieu's code since 1967"),
    (
        with_key("1650138185001"),
        {"birth_place": "69282"},
        ("birth_place",),
        (),
        "not Isère's other communes",
    ),
    # numbers, as a spreadsheet or a DataFrame gives them
    ("255081416802538", {"sex": 2, "birth_place": 14168}, (), (), "ints"),
    ("255081416802538", {"sex": 1.0}, ("sex",), (), "a float: 1.0 is 1"),
    (with_key("1800501053001"), {"birth_place": 1053}, (), (), "01053 without its leading zero"),
    (with_key("1800501053001"), {"birth_place": 1}, (), (), "the department 01 likewise"),
    (
        "255081416802538",
        {"sex": float("nan"), "birth_date": float("nan"), "birth_place": float("nan")},
        (),
        (),
        "NaN, a DataFrame's missing value: not given",
    ),
    (
        "255081416802538",
        {"sex": 10**5000, "birth_place": -14168},
        (),
        (("sex", "unreadable_sex"), ("birth_place", "unreadable_place")),
        "a huge int (str() would raise), a negative one",
    ),
    (
        "255081416802538",
        {"sex": True, "birth_place": 14168.5},
        (),
        (("sex", "unreadable_sex"), ("birth_place", "unreadable_place")),
        "a bool, a fraction: unreadable, never an error",
    ),
    (
        with_key("1640591352001"),
        {"birth_place": "Alger", "birth_date": "10/05/1964"},
        (),
        (),
        "91 from 1962 to 1968 named no department yet: the territory's name still fits",
    ),
    (
        with_key("1550599350001"),
        {"birth_place": "Tunisie"},
        ("birth_place",),
        (),
        "another country",
    ),
    (
        with_key("1552075118001"),
        {"birth_place": "Paris", "birth_date": "1955-08-01"},
        (),
        (("birth_month", "fictitious_month"),),
        "arrondissement vs Paris; month 20",
    ),
    (with_key("1554175118001"), {"birth_date": "1955-11-03"}, (), (), "pseudo month 41 = November"),
    (
        with_key("7185501234567"),
        {"sex": "H", "birth_date": "1990-01-02", "birth_place": "75056"},
        (),
        (
            ("birth_year", "temporary_number"),
            ("birth_month", "temporary_number"),
            ("birth_place", "temporary_number"),
        ),
        "NNP: only the sex",
    ),
    (with_key("8185501234567"), {"sex": "1"}, ("sex",), (), "NNP 8 is a woman"),
]


@pytest.mark.usefixtures("core")
@pytest.mark.parametrize(("number", "identity", "mismatches", "unchecked", "reason"), CASES)
def test_check_identity(
    number: str,
    identity: dict[str, str],
    mismatches: tuple[str, ...],
    unchecked: tuple[tuple[str, str], ...],
    reason: str,
) -> None:
    result = nir.check_identity(number, reference_date=REFERENCE_DATE, **identity)
    assert result.mismatches == mismatches, reason
    assert tuple((f.field, f.reason) for f in result.unchecked) == unchecked, reason
    assert result.ok == (not mismatches)
    for lang in ("fr", "en"):
        assert len(result.messages(lang)) == len(mismatches)
        assert all(number not in text for text in result.messages(lang))


def test_invalid_number_raises() -> None:
    with pytest.raises(nir.NirError):
        nir.check_identity("255081416802512", sex="F")


@st.composite
def identities(draw: st.DrawFn) -> tuple[str, str, date]:
    born = draw(st.dates(date(1960, 1, 1), date(2025, 12, 31)))
    sex = draw(st.sampled_from("12"))
    place = draw(st.sampled_from(["14168", "99352", "97411", "69381", "33063"]))
    order = f"{draw(st.integers(1, 999)):03d}"
    return with_key(f"{sex}{born.year % 100:02d}{born.month:02d}{place}{order}"), sex, born


@pytest.mark.usefixtures("core")
@given(identities())
def test_generated_number_matches_its_identity(case: tuple[str, str, date]) -> None:
    number, sex, born = case
    result = nir.check_identity(
        number, sex="MF"[int(sex) - 1], birth_date=born, reference_date=REFERENCE_DATE
    )
    assert result.mismatches == ()


@pytest.mark.usefixtures("core")
@given(identities(), st.integers(1, 50))  # the shifted date stays within 120 years
def test_other_sex_or_year_mismatches(case: tuple[str, str, date], shift: int) -> None:
    number, sex, born = case
    other = born.replace(year=born.year - shift, day=min(born.day, 28))
    result = nir.check_identity(
        number, sex="FM"[int(sex) - 1], birth_date=other, reference_date=REFERENCE_DATE
    )
    assert result.mismatches[:2] == ("sex", "birth_year")


SUGGESTIONS = [
    ("255081416802583", "255081416802538", "transposition", "key digits swapped"),
    ("255081426802538", "255081416802538", "substitution", "one body digit wrong"),
    ("25508141680253", "255081416802538", "insertion", "last digit missing"),
    ("2550814168025380", "255081416802538", "deletion", "one digit too many"),
    ("255O81416802538", "255081416802538", "substitution", "letter O for zero"),
]


@pytest.mark.parametrize(("value", "expected", "edit", "reason"), SUGGESTIONS)
def test_suggest(value: str, expected: str, edit: str, reason: str) -> None:
    found = {(s.number, s.edit) for s in nir.suggest(value)}
    assert (expected, edit) in found, reason
    assert all(nir.is_valid(number) for number, _ in found)


def test_suggest_identity_first() -> None:
    found = nir.suggest("255081416802548", sex="F", birth_date="1955-08-12")
    flags = [bool(s.consistent) for s in found]
    assert flags == sorted(flags, reverse=True)
    assert found[-1].consistent is False


def test_suggest_empty_for_valid_or_far() -> None:
    assert nir.suggest("255081416802538") == ()
    assert nir.suggest("12") == ()


def _one_edit_away(value: str) -> set[str]:
    """Every valid number one edit from `value`, by brute force: the oracle of `suggest`."""
    chars = "0123456789AB"
    near = {value[:i] + c + value[i + 1 :] for i in range(len(value)) for c in chars}
    near |= {value[:i] + value[i + 1] + value[i] + value[i + 2 :] for i in range(len(value) - 1)}
    near |= {value[:i] + c + value[i:] for i in range(len(value) + 1) for c in chars}
    near |= {value[:i] + value[i + 1 :] for i in range(len(value))}
    return {number for number in near if len(number) == 15 and nir.is_valid(number)} - {value}


@pytest.mark.usefixtures("core")
@given(
    identities(),
    st.sampled_from(["", "2A", "2B", "20"]),
    st.sampled_from(["substitute", "swap", "drop", "add"]),
    st.integers(0, 14),
    st.sampled_from("0123456789AB"),
)
def test_suggest_finds_every_valid_neighbour(
    case: tuple[str, str, date], corsica: str, edit: str, index: int, char: str
) -> None:
    """The arithmetic shortcuts of suggest miss nothing a brute-force search finds."""
    number = case[0]
    if corsica:  # a Corsican birth place (2A/2B after 1976, 20 before: any is valid)
        number = with_key(number[:5] + corsica + number[7:13])
    head, tail = number[:index], number[index + 2 :]
    damaged = {
        "substitute": head + char + number[index + 1 :],
        "swap": head + number[index + 1 : index + 2] + number[index] + tail,
        "drop": head + number[index + 1 :],
        "add": head + char + number[index:],
    }[edit]
    if nir.is_valid(damaged):
        assert nir.suggest(damaged) == ()
        return
    found = {s.number for s in nir.suggest(damaged)}
    assert found == _one_edit_away(damaged) if len(damaged) in (14, 15, 16) else not found


# Rows: identity, the exact details and unchecked findings (field, code, params), why.
# _findings builds the named tuples with tuple.__new__: these pin that they are the
# same values the named tuples' constructors make.
_Rows = tuple[tuple[str, str, dict[str, ParamValue]], ...]
FINDINGS: list[tuple[dict[str, str], _Rows, _Rows, str]] = [
    (
        {"sex": "Monsieur", "birth_date": "12/09/1956", "birth_place": " 75056 "},
        (
            ("sex", "identity_sex", {"declared": "M", "digit": "2"}),
            ("birth_year", "identity_birth_year", {"declared": 1956, "digits": "55"}),
            ("birth_month", "identity_birth_month", {"declared": "09", "month": "08"}),
            ("birth_place", "identity_birth_place", {"declared": "75056", "place": "14168"}),
        ),
        (),
        "every field mismatches: sex read, date read once, place stripped",
    ),
    (
        {"sex": "N/A", "birth_date": "12/03/1955"},
        (("birth_month", "identity_birth_month", {"declared": "03", "month": "08"}),),
        (("sex", "identity_unreadable_sex", {}),),
        "the month alone mismatches (year matched: the date is read for the month)",
    ),
]


@pytest.mark.usefixtures("core")
@pytest.mark.parametrize(("identity", "details", "unchecked", "reason"), FINDINGS)
def test_findings_are_the_named_tuples_values(
    identity: dict[str, str],
    details: _Rows,
    unchecked: _Rows,
    reason: str,
) -> None:
    result = nir.check_identity("255081416802538", reference_date=REFERENCE_DATE, **identity)
    made = nir.IdentityCheck(
        result.mismatches,
        tuple(nir.Finding(*finding) for finding in unchecked),
        tuple(nir.Finding(*finding) for finding in details),
    )
    assert result == made, reason
    assert repr(result) == repr(made), reason
    assert type(result) is nir.IdentityCheck, reason
    assert all(type(finding) is nir.Finding for finding in result.details + result.unchecked)
    copy = pickle.loads(pickle.dumps(result))  # noqa: S301  # our own bytes
    assert copy == result, reason
    for lang in ("fr", "en"):
        assert copy.messages(lang) == result.messages(lang) == made.messages(lang), reason
        assert [f.message(lang) for f in copy.unchecked] == [
            f.message(lang) for f in made.unchecked
        ], reason


# The result makes its details on first read: it must still behave as a frozen value.
FROZEN = [
    (lambda r: setattr(r, "mismatches", ()), "a field cannot be set"),
    (lambda r: setattr(r, "details", ()), "the lazy details cannot be set either"),
    (lambda r: setattr(r, "extra", 1), "no new attribute"),
    (lambda r: delattr(r, "unchecked"), "nor deleted"),
]


@pytest.mark.parametrize(("change", "reason"), FROZEN)
def test_identity_check_is_frozen(change: Callable[[nir.IdentityCheck], None], reason: str) -> None:
    result = nir.check_identity("255081416802538", sex="M", birth_date="1956-08-12")
    before = (result.mismatches, result.unchecked, result.details)
    with pytest.raises(AttributeError):
        change(result)
    assert (result.mismatches, result.unchecked, result.details) == before, reason


def test_lazy_details_equal_and_hash_as_made_ones() -> None:
    lazy = nir.check_identity("255081416802538", sex="M", birth_place="75056")
    made = nir.IdentityCheck(lazy.mismatches, lazy.unchecked, lazy.details)
    fresh = nir.check_identity("255081416802538", sex="M", birth_place="75056")
    assert fresh == made  # details not read yet on `fresh`: made when compared
    assert hash(fresh) == hash(made)
    assert fresh.details is fresh.details  # made once, then kept
    assert fresh != (fresh.mismatches, fresh.unchecked, fresh.details)  # not a tuple


class _Unequal:
    """A value whose comparisons raise what no reader expects."""

    def __ne__(self, other: object) -> bool:
        raise RuntimeError("no comparison")

    __hash__ = None  # type: ignore[assignment]


def test_a_dataframe_s_values_are_read_or_unchecked_never_raised() -> None:
    # what DataFrame.apply and itertuples give: numpy scalars, NaN, NaT, pandas' NA, arrays
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    woman = "255081416802538"
    read = [
        ({"sex": np.int64(2), "birth_place": np.float32(14168.0)}, (), "numpy's numbers"),
        ({"birth_date": pd.Timestamp("1955-08-12")}, (), "a Timestamp is a datetime"),
        ({"birth_date": pd.NaT, "birth_place": np.float64("nan")}, (), "NaT and NaN: not given"),
        ({"sex": pd.NA, "birth_date": pd.NA, "birth_place": pd.NA}, (), "pandas' NA: not given"),
    ]
    for identity, unchecked, reason in read:
        result = nir.check_identity(woman, reference_date=REFERENCE_DATE, **identity)
        assert (result.mismatches, result.unchecked) == ((), unchecked), reason
        assert nir.suggest("255081416802583", **identity), reason
    odd: tuple[Any, ...] = (np.array([1, 2]), np.array([14168]))
    odd += (np.datetime64("1955-08-12"),)
    odd += (np.timedelta64(2, "D"), decimal.Decimal("sNaN"), _Unequal())
    for value in odd:
        for field in ("sex", "birth_date", "birth_place"):
            result = nir.check_identity(woman, reference_date=REFERENCE_DATE, **{field: value})
            assert result.mismatches == (), (field, value)
            assert result.unchecked, (field, value)  # unreadable, said so
            nir.suggest("255081416802583", **{field: value})
