"""Names valid at the birth date, and warnings when the data does not know a code."""

from __future__ import annotations

import pytest

import nir

from .helpers import REFERENCE_DATE, with_key

# (13-character body, department name, commune name, country name, warning codes, reason)
NAMES: list[tuple[str, str | None, str | None, str | None, tuple[str, ...], str]] = [
    (
        "1 60 05 75 044 001",
        "Seine",
        "Levallois-Perret",
        None,
        (),
        "Levallois-Perret before 1968: department 75, Seine",
    ),
    (
        "1 80 05 92 044 001",
        "Hauts-de-Seine",
        "Levallois-Perret",
        None,
        (),
        "Levallois-Perret after 1968: 92",
    ),
    (
        "1 55 05 93 002 001",
        "Constantine",
        None,
        "Algérie",
        (),
        "93 in 1955: Algeria, Constantine (no commune names for Algeria)",
    ),
    ("1 60 07 20 004 002", "Corse", "Ajaccio", None, (), "Ajaccio before 1976: 20004"),
    ("1 80 07 2A 004 002", "Corse-du-Sud", "Ajaccio", None, (), "Ajaccio after 1976: 2A004"),
    (
        "1 75 03 75 118 001",
        "Paris",
        "Paris 18e Arrondissement",
        None,
        (),
        "Paris births carry the arrondissement",
    ),
    (
        "1 80 03 13 201 001",
        "Bouches-du-Rhône",
        "Marseille 1er Arrondissement",
        None,
        (),
        "Marseille arrondissement",
    ),
    (
        "1 80 05 988 18 001",
        "Nouvelle-Calédonie",
        "Nouméa",
        None,
        (),
        "overseas collectivity: listed only from 2019, no warning for 1980",
    ),
    ("1 90 05 985 11 001", "Mayotte", "Mamoudzou", None, (), "Mayotte before 2011: 985"),
    ("1 15 05 976 11 001", "Mayotte", "Mamoudzou", None, (), "Mayotte after 2011: 976"),
    (
        "1 95 05 971 23 001",
        "Guadeloupe",
        "Saint-Barthélemy",
        None,
        (),
        "Saint-Barthélemy before 2007: a Guadeloupe commune",
    ),
    (
        "1 50 05 22 183 001",
        "Côtes-du-Nord",
        "Plémet",
        None,
        (),
        "a renamed department: Côtes-d'Armor was Côtes-du-Nord until 1990",
    ),
    ("1 70 05 01 003 001", "Ain", "Amareins", None, (), "a commune merged in 1974, born before"),
    (
        "1 95 05 01 003 001",
        "Ain",
        "Amareins",
        None,
        ("unknown_commune",),
        "born 1995 in a code that ended in 1983: warning, nearest name",
    ),
    (
        "1 80 05 14 999 001",
        "Calvados",
        None,
        None,
        ("unknown_commune",),
        "a code that never existed",
    ),
    ("2 95 10 99 126 111", None, None, "Grèce", (), "born abroad: Greece"),
    ("1 78 05 99 330 108", None, None, "Guinée", (), "french-ssn example: Guinea"),
    ("1 90 05 99 999 001", None, None, None, ("unknown_country",), "unknown country code"),
    ("1 70 05 99 143 001", None, None, "Chypre", (), "99143 in its period (1960-1994)"),
    (
        "1 00 05 99 143 001",
        None,
        None,
        "Chypre",
        ("unknown_country",),
        "99143 after its end in 1994: warning, nearest name",
    ),
    (
        "1 55 05 99 143 001",
        None,
        None,
        "Chypre",
        ("unknown_country",),
        "99143 before its start in 1960: warning, nearest name",
    ),
    ("2 64 02 99 362 001", None, None, "Zanzibar", (), "99362 in its short period (1963-1964)"),
    (
        "2 66 02 99 362 001",
        None,
        None,
        "Zanzibar",
        ("unknown_country",),
        "99362 two years after Zanzibar joined Tanzania",
    ),
    ("1 80 05 99 699 001", None, None, "Antarctique", (), "99699: a territory, not a state"),
    ("2 90 05 99 160 001", None, None, "Åland", (), "99160: named since the COG list's start"),
]


@pytest.mark.parametrize(("body", "department", "commune", "country", "codes", "reason"), NAMES)
def test_names(
    body: str,
    department: str | None,
    commune: str | None,
    country: str | None,
    codes: tuple[str, ...],
    reason: str,
) -> None:
    parsed = nir.parse(with_key(body), reference_date=REFERENCE_DATE)
    assert (parsed.department_name, parsed.commune_name, parsed.country_name) == (
        department,
        commune,
        country,
    ), reason
    assert tuple(w.code for w in parsed.warnings) == codes, reason


def test_period_warning_is_not_doubled_by_data_warning() -> None:
    # 2A in 1953 already has corsica_period; 2A004 unknown in 1953 adds nothing.
    parsed = nir.parse(with_key("1 53 07 2A 004 001"), reference_date=REFERENCE_DATE)
    assert [w.code for w in parsed.warnings] == ["corsica_period"]
    assert parsed.commune_name == "Ajaccio"


def test_data_warnings_as_errors() -> None:
    value = with_key("1 80 05 14 999 001")
    assert nir.validate(value, warnings_as_errors=True) == value  # structure only
    with pytest.raises(nir.NirError) as caught:
        nir.parse(value, warnings_as_errors=True)
    assert caught.value.code == "unknown_commune"


def test_names_can_be_skipped() -> None:
    parsed = nir.parse("255081416802538", names=False)
    assert parsed.commune_name is None
    assert parsed == nir.parse("255081416802538")  # names do not take part in equality
