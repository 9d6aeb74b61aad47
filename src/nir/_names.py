"""Names for the places of a parsed number, as they were at the birth date.

This is the one module of the core that reads the reference data (through
`nir._geo`, loaded on first use). A code the data does not know near the birth
date is a warning, never an error: the data can lag reality.
"""

from __future__ import annotations

from datetime import date, timedelta

from nir import _geo
from nir._frozen import replaced
from nir._model import Nir, NirWarning
from nir._parse import birth_period
from nir.messages import ParamValue

# The data starts here: an older birth may carry a code the data never saw.
_COVERAGE_START = date(1943, 1, 1)
# The registry packages list the communes of these collectivities only from 2019;
# they existed before, under the same codes.
_LATE_COVERAGE = {"975", "984", "986", "987", "988", "989"}
_LATE_COVERAGE_START = date(2019, 1, 1)
# Changes after 2019 are dated to the year: a code is "around" a birth within a year.
_SLACK = timedelta(days=366)
# Period warnings already say the place does not fit the date: no second warning.
_PLACE_WARNINGS = frozenset({"corsica_period", "place_period", "century"})


def birth_window(parsed: Nir) -> tuple[date, date]:
    """The span [start, end) the birth falls in, as closely as the number tells."""
    year, month = parsed.birth_year, parsed.birth_month
    if year is None:
        return _COVERAGE_START, date.today() + timedelta(days=1)  # noqa: DTZ011
    return birth_period(year, month)


def _nearest(places: tuple[_geo.Place, ...], start: date) -> _geo.Place:
    """The period closest in time to `start`."""

    def distance(place: _geo.Place) -> int:
        if place.valid_from > start:
            return (place.valid_from - start).days
        if place.valid_to is not None and place.valid_to <= start:
            return (start - place.valid_to).days
        return 0

    return min(places, key=distance)


def _validity(
    what: str, code: str, nearest: _geo.Place | None, start: date
) -> dict[str, ParamValue]:
    """The params of an unknown_commune/unknown_country warning (`nir.messages.CODES`).

    `since` and `until` are the first and last years of the nearest validity,
    `until` None while it is still valid; all three None when the code is unknown.
    """
    return {
        what: code,
        "name": nearest.name if nearest else None,
        "year": start.year,
        "since": nearest.valid_from.year if nearest else None,
        "until": nearest.valid_to.year - 1 if nearest and nearest.valid_to else None,
        "vintage": _geo.data_vintage(),
    }


def add_names(parsed: Nir) -> Nir:
    """`parsed` with department, commune and country names, and data warnings."""
    start, end = birth_window(parsed)
    names = place_names(parsed.department, parsed.commune, parsed.country, start, end)
    department_name, commune_name, country_name, found = names
    warnings = parsed.warnings
    if found and not any(w.code in _PLACE_WARNINGS for w in warnings):
        warnings += found
    return replaced(
        parsed,
        department_name=department_name,
        commune_name=commune_name,
        country_name=country_name,
        warnings=warnings,
    )


def place_names(
    department: str | None, commune: str | None, country: str | None, start: date, end: date
) -> tuple[str | None, str | None, str | None, tuple[NirWarning, ...]]:
    """The department, commune and country names for a birth in [start, end).

    Also the data's warnings on them (unknown_commune, unknown_country), which
    the caller drops when a rule already said the place does not fit the date.
    """
    department_name = commune_name = country_name = None
    warnings: list[NirWarning] = []

    if department is not None:
        found = _geo.departments(department, start, end)
        if not found:
            found = _geo.departments(department, date.min, date.max)
            found = (_nearest(found, start),) if found else ()
        department_name = found[0].name if found else None

    if commune is not None and country is None:
        commune_name, warning = _commune(commune, department, start, end)
        if warning is not None:
            warnings.append(warning)

    if country is not None:
        country_name, warning = _country(country, start, end)
        if warning is not None:
            warnings.append(warning)

    return department_name, commune_name, country_name, tuple(warnings)


def _commune(
    code: str, department: str | None, start: date, end: date
) -> tuple[str | None, NirWarning | None]:
    found = _geo.communes(code, start, end)
    if found:
        return found[0].name, None
    every = _geo.communes(code, date.min, date.max)
    if not every:
        if end <= _COVERAGE_START:
            return None, None
        return None, NirWarning("unknown_commune", _validity("commune", code, None, start))
    nearest = _nearest(every, start)
    first = min(place.valid_from for place in every)
    coverage = _LATE_COVERAGE_START if department in _LATE_COVERAGE else _COVERAGE_START
    if end <= first <= coverage:
        return nearest.name, None  # born before the data starts: nothing to say
    if _geo.communes(code, start - _SLACK, end + _SLACK):
        return nearest.name, None  # a change dated to the year: close enough
    return nearest.name, NirWarning("unknown_commune", _validity("commune", code, nearest, start))


def _country(code: str, start: date, end: date) -> tuple[str | None, NirWarning | None]:
    found = _geo.countries(code, start, end)
    if found:
        return found[0].name, None
    every = _geo.countries(code, date.min, date.max)
    if not every:
        return None, NirWarning("unknown_country", _validity("country", code, None, start))
    nearest = _nearest(every, start)
    if end <= _COVERAGE_START or _geo.countries(code, start - _SLACK, end + _SLACK):
        return nearest.name, None
    return nearest.name, NirWarning("unknown_country", _validity("country", code, nearest, start))
