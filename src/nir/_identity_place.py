"""Does a declared birth place fit the place code of a number, at the birth date?

The number carries the INSEE code valid *at the birth*; HR data usually carries
today's code or a name. This module bridges the two: departments split since the
birth (Seine and Seine-et-Oise in 1968, Corsica in 1976, Mayotte's 985, Saint-
Barthélemy and Saint-Martin), North Africa before independence (91-96 or 99 +
country), Paris/Lyon/Marseille arrondissements, and names as they were then.
The reference data (`nir._place_keys`) is read only when a commune or a name must be
compared; department and country codes are compared without it, but for a department
made after the birth (92 for a Seine birth of 1960), which holds only some communes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import date, timedelta

from nir import _geo, _rules
from nir._identity_values import (
    DEPARTMENT_CODE,
    QUALIFIER,
    RANK,
    Declared,
    name_key,
    qualified_name,
)
from nir._place_keys import OPEN, NameCodes, Span, place_keys

MATCH = "match"
MISMATCH = "mismatch"
UNKNOWN_PLACE = "unknown_place"

# Department of the number at birth -> (departments that hold its communes today,
# until when the old code was given). Law of 10 July 1964: Seine became Paris,
# 92, 93, 94; Seine-et-Oise became 78, 91, 95 and parts of 92, 93, 94. INSEE often
# kept the 3-digit commune part (75044, Levallois-Perret, is today's 92044), not always
# (75001, Alfortville, is 94002): a commune's names say which code continues it.
_SUCCESSORS: dict[str, tuple[frozenset[str], date | None]] = {
    "75": (frozenset({"92", "93", "94"}), _rules.SEINE_SPLIT),
    "78": (frozenset({"91", "92", "93", "94", "95"}), _rules.SEINE_SPLIT),
    "20": (frozenset({"2A", "2B"}), None),  # kept by people born before 1976, whatever the date
    "985": (frozenset({"976"}), None),
    "971": (frozenset({"977", "978"}), _rules.SAINT_BARTH_MARTIN),
}
# The other direction, for numbers given 2A/2B for births before 1976 (spec §3.4)
# and 976 for a Mayotte birth before 2011.
_PREDECESSORS = {"2A": "20", "2B": "20", "976": "985"}
_ONE_DAY = timedelta(days=1)
# City codes and the arrondissement codes births are registered under.
_CITIES = {"75056": ("75101", "75120"), "69123": ("69381", "69389"), "13055": ("13201", "13216")}


def department_of(code: str) -> str:
    """The department part of a 5-character commune code (3 characters overseas)."""
    return code[:3] if code[:2] in ("97", "98") else code[:2]


def north_africa_country(department: str, start: date) -> str | None:
    """The country a 91-96 code names for a birth at `start`, None after independence."""
    entry = _rules.NORTH_AFRICA.get(department)
    if entry is None or start >= entry.independence:
        return None
    return entry.country


def departments_match(at_birth: str, today: str, start: date) -> bool:
    """Whether department `today` can hold a birth coded `at_birth` at `start`."""
    if at_birth == today or _PREDECESSORS.get(at_birth) == today:
        return True
    successors = _SUCCESSORS.get(at_birth)
    if successors is None:
        return False
    names, until = successors
    return today in names and (until is None or start < until)


def compare(place: str, declared: Declared, start: date, end: date) -> str:
    """MATCH, MISMATCH or UNKNOWN_PLACE for the number's positions 6-10 at [start, end)."""
    head = place[:2]
    if head == "99":
        return _compare_abroad(place[2:], None, declared, start)
    country = north_africa_country(head, start)
    if country is not None:
        return _compare_abroad(country, head, declared, start)
    return _compare_france(place, declared, start, end)


def compare_any_date(place: str, declared: Declared) -> str | None:
    """What `compare` says for every birth date, when that is sure without one; else None.

    A shortcut for callers that cache verdicts: the usual name (one the number's
    code has had) and a commune of an unrelated department need no date.
    """
    head = place[:2]
    if head in _rules.NORTH_AFRICA:
        return None  # a country before independence, a department after: see compare
    if declared.kind == "name":
        codes = name_codes(declared.value)
        if codes is None:
            return UNKNOWN_PLACE
        if head == _rules.ABROAD:
            return MATCH if place[2:] in countries_named(codes) else MISMATCH
        if place in codes.communes or _rules.FRANCE_COUNTRY in codes.countries:
            return MATCH
        # none of the name's places can be in the number's department at any date, nor
        # be where its commune moved (Rillieux, Ain's 01326, is the Rhône's 69286)
        department = department_of(place)
        moved = moved_departments()
        if any(
            departments_match(department, department_of(code), date.min)
            or (department, department_of(code)) in moved
            for code in codes.communes
        ) or any(
            departments_match(department, code, date.min) or (department, code) in moved
            for code in codes.departments
        ):
            return None
        return MISMATCH
    if head == _rules.ABROAD:
        if declared.kind == "country":
            return MATCH if declared.value == place[2:] else MISMATCH
        return MISMATCH if declared.kind == "commune" else None
    if declared.kind == "country":
        return MATCH if declared.value == _rules.FRANCE_COUNTRY else MISMATCH
    if declared.kind != "commune":
        return None
    code = declared.value
    if place == code or _same_city(place, code) or _same_city(code, place):
        return MATCH
    department, other = department_of(place), department_of(code)
    related = other == department or _PREDECESSORS.get(department) == other
    if related or department in _SUCCESSORS or (department, other) in moved_departments():
        return None
    return MISMATCH


def _compare_abroad(country: str, department: str | None, declared: Declared, start: date) -> str:
    """Born abroad (99 + country), or in North Africa before independence (91-96)."""
    if declared.kind == "country":
        return MATCH if declared.value == country else MISMATCH
    if declared.kind == "department":
        # 91-94/95/96 and 99 + country are both given for the same births (spec §3.4 D).
        if declared.value == department or north_africa_country(declared.value, start) == country:
            return MATCH
        return MISMATCH
    if declared.kind == "commune":
        return MISMATCH
    codes = name_codes(declared.value)
    if codes is None:
        return UNKNOWN_PLACE
    if department is None:  # 99 + country: "Alger" is in Algeria, then and now
        return MATCH if country in countries_named(codes) else MISMATCH
    # 91-96 then: the country's name, or that very territory's ("Oran" is not 91)
    return MATCH if country in codes.countries or department in codes.north_africa else MISMATCH


def _anomalous_country(department: str, start: date) -> str | None:
    """The country of a 91-96 code given for a birth from independence to 1968, else None.

    The anomalous years (spec §3.4 D: no source fixes when these codes stopped naming
    Algeria, Morocco or Tunisia): "Algérie" and 99352 fit a 91 of 1964 as "Alger" does.
    """
    entry = _rules.NORTH_AFRICA.get(department)
    if entry is None or not entry.independence <= start < _rules.SEINE_SPLIT:
        return None
    return entry.country


def _compare_france(place: str, declared: Declared, start: date, end: date) -> str:
    department = department_of(place)
    if declared.kind == "country":
        if declared.value == _anomalous_country(department, start):
            return MATCH
        return MATCH if declared.value == _rules.FRANCE_COUNTRY else MISMATCH
    if declared.kind == "department":
        code = declared.value
        if not departments_match(department, code, start):
            return MATCH if _moved_to(place, code) else MISMATCH
        if code == department or _PREDECESSORS.get(department) == code:
            return MATCH
        # a department made after the birth (92 for a Seine birth of 1960): its communes'
        periods = _geo.department_periods(code)
        since = min(p.valid_from for p in periods if p.kind != _geo.NORTH_AFRICA_KIND)
        return MATCH if since < end or _holds_since(place, code, since) else MISMATCH
    if declared.kind == "commune":
        return _compare_communes(place, declared.value, start, end)
    codes = name_codes(declared.value)
    if codes is None:
        return UNKNOWN_PLACE
    # The usual case first, without the data: the name is one the number's code has had.
    if place in codes.communes or any(
        _compare_communes(place, code, start, end) == MATCH for code in codes.communes
    ):
        return MATCH
    if _rules.FRANCE_COUNTRY in codes.countries:  # "France", as its code 99100 is
        return MATCH
    name = declared.value.split(QUALIFIER, 1)[0]
    if any(_department_named(place, code, name, start, end) for code in codes.departments):
        return MATCH
    # 91-95 from independence to 1968 named no department yet: the territory's
    # name then, or its country's (spec §3.4 D, the anomalous years); "Alger" is not
    # Essonne's
    if department in codes.north_africa and start < _rules.SEINE_SPLIT:
        return MATCH
    country = _anomalous_country(department, start)
    return MATCH if country is not None and country in countries_named(codes) else MISMATCH


def _department_named(place: str, code: str, name: str, start: date, end: date) -> bool:
    """Whether department `code`, under its folded `name`, holds the number's place.

    Its name at the birth ("Seine" for 75 before 1968) or before it; a name it took
    after the birth only when the number's commune is in it since: "Paris" for a
    75101 of 1960, "Yvelines" for Versailles's 78646, not "Paris" for 75012, Boulogne-
    Billancourt until 1968, in the Hauts-de-Seine since (its commune part kept, 92012).
    """
    if not departments_match(department_of(place), code, start):
        return _moved_to(place, code)
    periods = _geo.department_periods(code)
    since = [period.valid_from for period in periods if name_key(period.name) == name]
    return not since or min(since) < end or _holds_since(place, code, min(since))


def _moved_to(place: str, code: str) -> bool:
    """Whether the number's commune moved to department `code`, under a code that continues it.

    Isère's Saint-Priest (38447) is the Rhône's 69290 since 1968: "Rhône" and "69"
    name its department today, as "92" names Boulogne's (75012 in 1960); Saint-
    Barthélemy's 97123 is 97701 since 2007 ("977", not "978").
    """
    if (department_of(place), code) not in moved_departments():
        return False
    keys = place_keys()
    ours = keys.communes.get(place, ())
    names = {key for key, _, _ in ours}
    return any(
        department_of(other) == code and _one_commune(names, ours, keys.communes[other])
        for other in {other for key in names for other in keys.names[key].communes}
    )


def _holds_since(place: str, code: str, since: date) -> bool:
    """Whether department `code` holds the number's commune `place` from `since` on.

    Under its own code or its commune part kept, by a name it had (75012, Boulogne-
    Billancourt, is 92012 since 1968; 75001, Alfortville, is 94002, not Aubervilliers'
    93001), or under a code that continues it (`_one_commune`: 97123, Saint-
    Barthélemy, is 97701 since 2007). Also when `place` ended before `since`: where
    a commune merged before the split went, the codes do not say.
    """
    keys = place_keys()
    spans = keys.communes
    first = since.toordinal()
    ours = spans.get(place, ())
    names = {key for key, _, _ in ours}
    kept = code + place[len(department_of(place)) :]
    if any(until > first and key in names for key, _, until in spans.get(kept, ())):
        return True
    if not ours or max(until for _, _, until in ours) < first:
        return True
    return any(
        department_of(other) == code and _one_commune(names, ours, spans[other])
        for other in {other for key in names for other in keys.names[key].communes}
    )


def countries_named(codes: NameCodes) -> frozenset[str]:
    """The countries a name denotes: its own, and those of its 91-96 territories."""
    return frozenset(codes.countries).union(
        _rules.NORTH_AFRICA[code].country for code in codes.north_africa
    )


def _compare_communes(place: str, code: str, start: date, end: date) -> str:
    """The number's commune code `place` at [start, end) against a commune `code`.

    Not cached: a few dictionary look-ups, and its dates seldom come again.
    """
    if place == code or _same_city(place, code) or _same_city(code, place):
        return MATCH
    spans = place_keys().communes
    first, after = start.toordinal(), end.toordinal()
    if after <= first:
        after = first + 1
    if (
        _one_city(place, code)
        and min((since for _, since, _ in spans.get(code, ())), default=0) >= after
    ):
        return UNKNOWN_PLACE  # an arrondissement made after the birth: Lyon 9e (1964) of the 5e
    # the number's commune's names at the birth
    then = {key for key, since, until in spans.get(place, ()) if since < after and first < until}
    if _one_commune(then, spans.get(place, ()), spans.get(code, ())):
        return MATCH  # one commune under two codes: Meyzieu, 38233 then 69282
    if not departments_match(department_of(place), department_of(code), start):
        return MISMATCH
    # a split department, the commune part kept: 75044 is 92044 (not always kept:
    # 75001, Alfortville, is 94002, not 93001, Aubervilliers)
    split = department_of(place) != department_of(code) and place[-3:] == code[-3:]
    if split and then and _shares_name(spans[place], spans.get(code, ())):
        return MATCH
    if code not in spans:
        return UNKNOWN_PLACE
    if not then:
        return UNKNOWN_PLACE
    theirs = spans[code]
    if not any((since < after and first < until) or until == OPEN for _, since, until in theirs):
        # a code of neither the birth's time nor today's: most often a postal code
        # (75015, Bry-sur-Marne's until 1968, is Paris 15e's postal code)
        return UNKNOWN_PLACE
    return MATCH if any(key in then for key, _, _ in theirs) else MISMATCH


def _shares_name(ours: tuple[Span, ...], theirs: tuple[Span, ...]) -> bool:
    """Whether two codes' spans have a name in common, at any date.

    Évry-Petit-Bourg, 78228, was Évry from 1965, and is Évry's 91228 since 1968.
    """
    return not {span[0] for span in ours}.isdisjoint(span[0] for span in theirs)


def _one_commune(names: set[str], ours: tuple[Span, ...], theirs: tuple[Span, ...]) -> bool:
    """Whether two codes' spans are one commune's, under one of `names`.

    Under the name, one code's last day is the other's first: its code changed, with
    its department mostly. (The number's names at the birth: a code given after it
    ended, 75044 for a birth of 1970, is not Levallois-Perret's 92044.)
    """
    for name in names & {span[0] for span in theirs}:
        first = min(since for key, since, _ in ours if key == name)
        last = max(until for key, _, until in ours if key == name)
        their_first = min(since for key, since, _ in theirs if key == name)
        their_last = max(until for key, _, until in theirs if key == name)
        if last == their_first or their_last == first:
            return True
    return False


@functools.cache
def moved_departments() -> frozenset[tuple[str, str]]:
    """The department pairs a commune moved between, its code changing with it.

    Isère's and Ain's communes to the Rhône (1967-1971), Aisne's Gernicourt to the
    Marne...: a code of one against a code of the other is compared commune by
    commune, never mismatched by their departments alone. From the build's cache
    (`nir._accel.moved_department_pairs`), else `moved_from_data`.
    """
    from nir import _accel  # noqa: PLC0415  # it imports this module's functions lazily too

    kept = _accel.moved_department_pairs()
    return kept if kept is not None else moved_from_data()


def moved_from_data() -> frozenset[tuple[str, str]]:
    """`moved_departments` made from every commune's spans (~0.2 s: the build keeps it)."""
    spans = place_keys().communes
    by_name: dict[str, list[str]] = {}
    for code, periods in spans.items():
        for name in {span[0] for span in periods}:
            by_name.setdefault(name, []).append(code)
    pairs: set[tuple[str, str]] = set()
    for codes in by_name.values():
        for one in codes:
            for other in codes:
                if department_of(one) != department_of(other) and _one_commune(
                    {span[0] for span in spans[one]}, spans[one], spans[other]
                ):
                    pairs.add((department_of(one), department_of(other)))
    return frozenset(pairs)


def city_parts() -> tuple[list[str], list[str]]:
    """The codes of the cities of arrondissements (Paris, Lyon, Marseille), and theirs.

    For the C scan, which tells `_same_city` by these two sets and the department:
    the image of `_same_city` on every code of each city's department, one city a
    department, its arrondissements in it (else a ValueError, not a wrong table).
    """
    departments = [department_of(city) for city in _CITIES]
    if len(set(departments)) != len(departments) or any(
        department_of(bound) != department_of(city)
        for city, bounds in _CITIES.items()
        for bound in bounds
    ):
        msg = "the C scan's city sets need one city a department, its arrondissements in it"
        raise ValueError(msg)
    arrondissements = [
        code
        for city, department in zip(_CITIES, departments, strict=True)
        for code in (f"{department}{number:03d}" for number in range(1000))
        if _same_city(city, code)
    ]
    return list(_CITIES), arrondissements


def _one_city(one: str, other: str) -> bool:
    """Whether two codes are arrondissements of one city (Paris, Lyon, Marseille)."""
    return any(low <= one <= high and low <= other <= high for low, high in _CITIES.values())


def _same_city(city: str, arrondissement: str) -> bool:
    bounds = _CITIES.get(city)
    return bounds is not None and bounds[0] <= arrondissement <= bounds[1]


def names_index() -> Mapping[str, NameCodes]:
    """Folded name -> codes, over every period of the data (read on first use)."""
    return place_keys().names


def name_codes(value: str) -> NameCodes | None:
    """The codes of a declared name (`Declared.value`), a qualified one's included.

    None when the data does not know it: an unknown name, or a qualified name whose
    parts disagree ("Caen (75)").
    """
    name, qualified, qualifier = value.rpartition(QUALIFIER)
    names = names_index()
    if not qualified:
        return names.get(value)
    # a name of the data written so: "Bors (Canton de Tude-et-Lavalette)"
    whole = names.get(value.replace(QUALIFIER, " "))
    return whole if whole is not None else _qualified_codes(name, qualifier)


_POSTAL_CODE = re.compile(r"[0-9]{5}")
_ARTICLES = ("", "la ", "le ", "les ", "l ")


@functools.lru_cache(maxsize=4096)
def _qualified_codes(name: str, qualifier: str) -> NameCodes | None:
    """`name_codes` of a name and its qualifier (`nir._identity_values.qualified_name`).

    The qualifier narrows the name to its places in a department ("Saint-Denis
    (93)", a postal code, a department's name), or to an arrondissement of Paris,
    Lyon or Marseille ("Paris 15e"); a country other than France is taken over a
    French homonym ("Valence (Espagne)"). A name the data does not know is the
    place a named qualifier says ("Casablanca (Maroc)"), or qualified again
    ("Paris 15e (75)"). None, so unknown_place, when the data does not know the
    qualifier ("Laval (Québec)": not the Mayenne's Laval), or when the name holds
    no place there ("Caen (75)"): never a mismatch the cell does not say.
    """
    if QUALIFIER in name:  # "Caen, Calvados, France": "Caen, Calvados" first
        base = name_codes(name)
        if base is None:
            return None
    else:
        base = names_index().get(name)
        if base is None and any(character.isdigit() for character in name):
            parts = qualified_name(name)  # "Paris 15e (75)": "Paris 15e" first
            base = _qualified_codes(*parts) if parts is not None else None
            if base is None:
                return None
    arrondissement = _arrondissement(base, qualifier)
    if arrondissement is not None:
        return NameCodes((arrondissement,), (), (), ()) if arrondissement else None
    within = _qualifier_codes(qualifier)
    if within is None:
        return None
    if base is None:  # a code alone is no place ("12 rue de Vaugirard Paris")
        return within if any(character.isalpha() for character in qualifier) else None
    foreign = frozenset(within.countries) - {_rules.FRANCE_COUNTRY}
    if foreign:  # the declared country over a French homonym
        territories = tuple(
            c for c in base.north_africa if _rules.NORTH_AFRICA[c].country in foreign
        )
        if territories:  # "Oran (Algérie)": Oran's 92, not Alger's 91
            return NameCodes((), (), (), territories)
        if base.north_africa:
            return None  # a territory of another country ("Oran (Maroc)"): they disagree
        kept = (c for c in within.north_africa if _rules.NORTH_AFRICA[c].country in foreign)
        return NameCodes((), (), tuple(sorted(foreign)), tuple(kept))
    departments = {*within.departments, *within.north_africa}
    if not departments:  # "Paris, France": the name's places in France
        narrowed = NameCodes(base.communes, base.departments, (), base.north_africa)
    else:
        narrowed = NameCodes(
            _continued(
                name, base.communes, {c for c in base.communes if department_of(c) in departments}
            ),
            tuple(d for d in base.departments if _related(d, departments)),
            (),
            tuple(c for c in base.north_africa if c in departments),
        )
    return narrowed if narrowed.communes or narrowed.departments or narrowed.north_africa else None


def _continued(name: str, codes: tuple[str, ...], kept: set[str]) -> tuple[str, ...]:
    """The codes of `codes` in `kept`, and those of the same commune before or after one.

    A commune whose code changed with its department: the span of its name under one
    code ends on the day it begins under the other (Meyzieu, 38233 until 1967-12-31
    and 69282 since; Levallois-Perret, 75044 then 92044).
    """
    spans = place_keys().communes
    named = {code: [s for s in spans.get(code, ()) if s[0] == name] for code in codes}
    # each code's first day and day after under the name (no span: never joined)
    bounds = {
        code: (min(s[1] for s in ss), max(s[2] for s in ss)) for code, ss in named.items() if ss
    }
    grown = True
    while grown:
        grown = False
        for code in bounds:
            if code not in kept and any(
                other in bounds
                and (bounds[code][1] == bounds[other][0] or bounds[other][1] == bounds[code][0])
                for other in kept
            ):
                kept.add(code)
                grown = True
    return tuple(code for code in codes if code in kept)


def _arrondissement(base: NameCodes | None, qualifier: str) -> str | None:
    """The arrondissement a rank or a postal code names in a city ("" when none such).

    "Paris 15e", "75015 Paris" (the 16th's 75116 too). None when the name is no city
    with arrondissements, or the qualifier neither (the city's own department is not
    a rank: "Marseille (13)"; nor "13000", no arrondissement's code).
    """
    city = next((code for code in base.communes if code in _CITIES), None) if base else None
    if city is None or qualifier == department_of(city):
        return None
    rank = RANK.fullmatch(qualifier)
    if rank is not None:
        number = int(rank[1])
    elif _POSTAL_CODE.fullmatch(qualifier) and qualifier[:2] == city[:2] and qualifier[3:] != "00":
        number = int(qualifier[3:])
    else:
        return None
    first, last = _CITIES[city]
    code = f"{first[:3]}{int(first[3:]) + number - 1:02d}"
    return code if first <= code <= last else ""


def _qualifier_codes(qualifier: str) -> NameCodes | None:
    """The places a qualifier names: departments or countries; None when unknown.

    Departments by a code, a postal code or a name (with or without its article).
    """
    code = qualifier.upper()
    if DEPARTMENT_CODE.fullmatch(code):
        return NameCodes((), (code,), (), (code,) if code in _rules.NORTH_AFRICA else ())
    if _POSTAL_CODE.fullmatch(code):  # its first digits are the department's
        return NameCodes((), (department_of(code),), (), ())
    for article in _ARTICLES:  # "(Réunion)": the data says "La Réunion"
        codes = names_index().get(article + qualifier)
        if codes is not None and (codes.departments or codes.countries or codes.north_africa):
            return NameCodes((), codes.departments, codes.countries, codes.north_africa)
    return None


def _related(department: str, others: set[str]) -> bool:
    """Whether `department` is one of `others`, or held some of their places at a date."""
    return any(
        department == other
        or departments_match(department, other, date.min)
        or departments_match(other, department, date.min)
        for other in others
    )
