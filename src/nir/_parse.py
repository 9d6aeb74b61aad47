"""The NIR rules: the one place they are applied, in a fixed order.

Check order (the first failure wins, so one input always gets one error code):
type -> empty -> spreadsheet notation -> characters -> length -> letters ->
sex -> month -> place (department, commune, country) -> order -> key -> temporary.

Temporary numbers (first digit 3, 4, 7, 8) skip the field checks: their fields
are decoded where they make sense and never raise; only their key is checked.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date

from nir import _accel, _rules, errors
from nir._fast import quick_valid
from nir._frozen import dataclass_shadow
from nir._key import key_of
from nir._model import Kind, MonthKind, Nir, NirWarning, Sex, format_compact

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see nir._tuples)
if TYPE_CHECKING:
    import re
    from typing import NamedTuple
else:
    from nir._tuples import NamedTuple

# ---------------------------------------------------------------------------
# Normalisation

# What compact deletes: whitespace of any kind (the characters str.isspace is true of:
# NBSP, narrow NBSP...; a test checks the list against every code point), dots and
# hyphens. A str.translate table, not a regex: `import nir` then does not import re.
_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(
    map(chr, range(0x2000, 0x200B))
)
_WHITESPACE += "\u2028\u2029\u202f\u205f\u3000"
_SEPARATORS = dict.fromkeys(map(ord, _WHITESPACE + ".-"))
_ALLOWED = dict.fromkeys(map(ord, "0123456789" + "".join(_rules.CORSICA_LETTERS)))
"""What a compact number may hold, as a table that deletes it (see _first_not_allowed)."""
_APOSTROPHES = "'\N{RIGHT SINGLE QUOTATION MARK}"
_DIGITS = frozenset("0123456789")


def compact(value: str) -> str:
    """Strip separators (whitespace, dots, hyphens) and upper-case. No validation.

    Leading apostrophes, the spreadsheet "text" marker, are dropped too.

    >>> compact("2 55 08 14 168 025 38")
    '255081416802538'
    >>> compact("'1-53-07-2b-073-004-70")
    '153072B07300470'
    """
    try:
        return value.translate(_SEPARATORS).upper().lstrip(_APOSTROPHES)
    except AttributeError:  # not a str: the TypeError re.sub raised when it did this
        raise TypeError(f"compact() needs a str, not {type(value).__name__}") from None


@functools.cache
def _scientific() -> Callable[[str], re.Match[str] | None]:
    """What a spreadsheet makes of a long number: 2.55081416802538E+14, 2,55E+14."""
    import re  # noqa: PLC0415  # only for a value with an E: `import nir` stays without re

    return re.compile(r"\s*'?([0-9])(?:[.,]([0-9]*))?[eE]\+?([0-9]{1,3})\s*").fullmatch


def _first_not_allowed(number: str) -> int:
    """The index of the first character of `number` that is no digit nor 2A/2B's letter."""
    if number.isascii() and number.isdigit():
        return -1
    rest = number.translate(_ALLOWED)  # what is left once the allowed are deleted
    return number.index(rest[0]) if rest else -1


# ---------------------------------------------------------------------------
# Options


@dataclass_shadow()
class Options:
    """The policies a caller may choose; the defaults are the product's.

    Frozen, and a dataclass to `dataclasses` (see `nir._frozen`).
    """

    __match_args__ = (
        "allow_temporary",
        "allow_missing_key",
        "warnings_as_errors",
        "reference_date",
    )
    __slots__ = __match_args__

    allow_temporary: bool
    """Accept temporary numbers (first digit 3, 4, 7, 8) when their key is right."""
    allow_missing_key: bool
    """Accept 13 characters (the DSN form) and complete the key."""
    warnings_as_errors: bool
    """Raise the first warning as an error (`WarningAsError`, code = warning code)."""
    reference_date: date | None
    """The "today" against which the century is inferred; None = the real today."""

    def __init__(
        self,
        allow_temporary: bool = True,
        allow_missing_key: bool = False,
        warnings_as_errors: bool = False,
        reference_date: date | None = None,
    ) -> None:
        values = (allow_temporary, allow_missing_key, warnings_as_errors, reference_date)
        for setter, value in zip(_OPTIONS_SETTERS, values, strict=True):
            setter(self, value)


_OPTIONS_SETTERS = tuple(Options.__dict__[name].__set__ for name in Options.__match_args__)


DEFAULT_OPTIONS = Options()

# The facts (dates, codes, ranges) are in nir._rules, read at call time (so a test
# may change one and see both cores follow it).


# ---------------------------------------------------------------------------
# Field decoding


class _Month(NamedTuple):  # internal: cheaper to define and to build than a dataclass
    number: int | None
    kind: MonthKind
    warning: NirWarning | None


def _month(code: str) -> _Month:
    value = int(code)
    if value in _rules.REAL_MONTHS:
        return _Month(value, MonthKind.REAL, None)
    if value in _rules.PSEUDO_MONTHS:
        return _Month(value - _rules.PSEUDO_MONTH_OFFSET, MonthKind.PSEUDO, None)
    if value in _rules.UNKNOWN_MONTHS:
        return _Month(None, MonthKind.UNKNOWN, None)
    if value in _rules.UNDOCUMENTED_MONTHS:
        return _Month(
            None,
            MonthKind.UNKNOWN,
            NirWarning("undocumented_month", {"month": code}),
        )
    raise errors.InvalidMonth({"month": code})


class _Place(NamedTuple):  # internal: cheaper to define and to build than a dataclass
    department: str | None
    commune: str | None
    country: str | None
    warnings: tuple[NirWarning, ...]


def birth_period(year: int, month: int | None) -> tuple[date, date]:
    """The span [start, end) a birth falls in, as closely as the number tells."""
    if month is None:
        return date(year, 1, 1), date(year + 1, 1, 1)
    if month == 12:
        return date(year, 12, 1), date(year + 1, 1, 1)
    return date(year, month, 1), date(year, month + 1, 1)


def _place(number: str, year: int, month: int | None) -> _Place:
    """Decode positions 6-10 for a birth in (year, month). Raises on impossible codes."""
    start, end = birth_period(year, month)
    born = {"year": year, "month": month}
    head = number[5:7]
    warnings: list[NirWarning] = []

    if head == _rules.ABROAD:
        abroad = number[7:10]
        if abroad == _rules.NO_COUNTRY:
            raise errors.InvalidCountry({"country": abroad})
        if abroad == _rules.FRANCE_COUNTRY:
            warnings.append(NirWarning("country_france", {"country": abroad}))
        return _Place(None, None, abroad, tuple(warnings))

    if head in _rules.OVERSEAS_HEADS:
        department = number[5:8]
        commune = number[8:10]
        if department not in _rules.OVERSEAS:
            raise errors.InvalidDepartment({"department": department, **born})
        if commune == "00":
            raise errors.InvalidCommune({"commune": commune, "department": department})
        if int(commune) > _rules.OVERSEAS_COMMUNE_MAX:
            warnings.append(
                NirWarning("commune_range", {"commune": commune, "department": department})
            )
        period = _rules.OVERSEAS_PERIODS.get(department)
        if period is not None and (
            (period.until is not None and start >= period.until)
            or (period.since is not None and end <= period.since)
        ):
            warnings.append(NirWarning("place_period", {"department": department, **born}))
        return _Place(department, department + commune, None, tuple(warnings))

    commune_digits = number[7:10]
    if head == _rules.NO_DEPARTMENT:
        raise errors.InvalidDepartment({"department": head, **born})
    country: str | None = None
    if head[0] == _rules.CORSICA[0] and head[1] in _rules.CORSICA_LETTERS:
        if end <= _rules.CORSICA_SPLIT:
            warnings.append(NirWarning("corsica_period", {"department": head, **born}))
    elif head == _rules.CORSICA:
        if start >= _rules.CORSICA_SPLIT:
            warnings.append(NirWarning("corsica_period", {"department": head, **born}))
    elif head in _rules.NORTH_AFRICA:
        north_africa = _rules.NORTH_AFRICA[head]
        if start < north_africa.independence:
            country = north_africa.country
        elif not north_africa.department_after and start >= _rules.SEINE_SPLIT:
            raise errors.InvalidDepartment({"department": head, **born})
        elif start < _rules.SEINE_SPLIT:
            warnings.append(NirWarning("place_period", {"department": head, **born}))
    if commune_digits == _rules.NO_COMMUNE:
        raise errors.InvalidCommune({"commune": commune_digits, "department": head})
    return _Place(head, head + commune_digits, country, tuple(warnings))


def _place_or_none(number: str, year: int, month: int | None) -> _Place | None:
    try:
        return _place(number, year, month)
    except errors.NirError:
        return None


# ---------------------------------------------------------------------------
# Century


def _candidate_years(yy: int, month: int | None, today: date) -> tuple[int, ...]:
    """The plausible four-digit readings of YY, most recent first.

    Never in the future, never older than `_rules.MAX_AGE`; `_choose_year` goes further
    back only when none of these is possible.
    """
    year = today.year - (today.year - yy) % 100
    if year == today.year and month is not None and month > today.month:
        year -= 100
    if today.year - (year - 100) <= _rules.MAX_AGE:
        return (year, year - 100)
    return (year,)


def _choose_year(
    number: str, years: tuple[int, ...], month: int | None
) -> tuple[int, _Place, NirWarning | None]:
    """The reading of the century used to decode the number.

    Plausibility chooses, never rejects: the recent reading wins unless only the
    older plausible one is clean; when the recent reading is impossible, the most
    recent possible older one is used, beyond `_rules.MAX_AGE` if need be (down to
    `_rules.OLDEST_READING`), with a `century` warning. Raises the recent reading's
    error when no reading is possible.
    """
    recent = years[0]
    place = _place_or_none(number, recent, month)
    if place is not None and not place.warnings:
        return recent, place, None
    older = _place_or_none(number, years[1], month) if len(years) > 1 else None
    if older is not None and (place is None or not older.warnings):
        return years[1], older, _century_warning(number, years[1], recent, beyond=False)
    if place is not None:
        return recent, place, None
    for year in range(years[-1] - 100, _rules.OLDEST_READING - 1, -100):
        oldest = _place_or_none(number, year, month)
        if oldest is not None:
            return year, oldest, _century_warning(number, year, recent, beyond=True)
    return recent, _place(number, recent, month), None  # raises: no reading is possible


def _century_warning(number: str, year: int, recent: int, *, beyond: bool) -> NirWarning:
    """The `century` warning: the number is read as born in `year`, not `recent`.

    `beyond`: `year` is over `_rules.MAX_AGE` years before the reference date (no
    plausible reading fits), which the message then says (its `age_limit`).
    """
    params: dict[str, str | int | None] = {"year": year, "rejected": recent}
    params |= {"place": number[5:10], "age_limit": _rules.MAX_AGE if beyond else None}
    return NirWarning("century", params)


# ---------------------------------------------------------------------------
# The checks in order


def _check_characters(value: object) -> str:
    """Type, emptiness, spreadsheet notation and characters; returns the compact form."""
    if not isinstance(value, str):
        raise errors.InvalidInputType({"type": type(value).__name__})
    scientific = _scientific()(value) if ("E" in value or "e" in value) else None
    if scientific:
        digits = scientific.group(1) + (scientific.group(2) or "")
        raise errors.ExcelMangled(
            {"significant": len(digits), "exponent": int(scientific.group(3))}
        )
    number = compact(value)
    if not number:
        raise errors.EmptyValue({})
    bad = _first_not_allowed(number)
    if bad >= 0:
        shown = _as_typed(value, bad)
        raise errors.InvalidCharacters({"character": shown, "position": bad + 1})
    return number


def _as_typed(value: str, index: int) -> str:
    """The character of `value` that became `compact(value)[index]`, as it was typed."""
    return value.translate(_SEPARATORS).lstrip(_APOSTROPHES)[index]


def _check_length(number: str) -> None:
    size = len(number)
    if size in (13, 15):
        return
    raise errors.InvalidLength({"length": size, "expected": 15})


def _check_letters(number: str) -> None:
    # Only [0-9AB] remain here: the usual case is all digits, or 2A/2B in place.
    if number.isdigit() or (number[5] == "2" and (number[:6] + number[7:]).isdigit()):
        return
    for index, char in enumerate(number):
        if char not in _DIGITS and not (index == 6 and number[5] == "2"):
            raise errors.InvalidCharacters({"character": char, "position": index + 1})


def _sex_kind(digit: str) -> tuple[Sex, Kind]:
    if digit in _rules.DEFINITIVE:
        return (Sex.MALE if digit in _rules.MEN else Sex.FEMALE), Kind.NIR
    if digit in _rules.TEMPORARY:
        return (Sex.MALE if digit in _rules.TEMPORARY_MEN else Sex.FEMALE), Kind.TEMPORARY
    raise errors.InvalidSex({"digit": digit})


def _check_key(number: str, options: Options) -> str:
    expected = f"{key_of(number):02d}"
    if len(number) == 13:
        if options.allow_missing_key:
            return expected
        raise errors.MissingKey({"expected": expected})
    key = number[13:15]
    if key == expected:
        return key
    raise errors.InvalidKey({"key": key, "expected": expected})


# ---------------------------------------------------------------------------
# Public functions


def parse(
    value: str,
    *,
    allow_temporary: bool = True,
    allow_missing_key: bool = False,
    warnings_as_errors: bool = False,
    reference_date: date | None = None,
    names: bool = True,
) -> Nir:
    """Validate a number and return its parts, or raise a `nir.NirError`.

    With `names` (the default) the result carries the department, commune and
    country names valid at the birth date, read from the reference data (loaded
    on first use), and warns when a code was not valid around the birth date.

    >>> n = parse("2 55 08 14 168 025 38")
    >>> n.sex, n.birth_year, n.birth_month, n.department, n.commune, n.order, n.key
    (<Sex.FEMALE: 'F'>, 1955, 8, '14', '14168', '025', '38')
    >>> n.department_name, n.commune_name
    ('Calvados', 'Colombières')
    """
    quick = _quick_parse(value, reference_date, names=names, strict=warnings_as_errors)
    if quick is not None:
        return quick
    options = Options(allow_temporary, allow_missing_key, warnings_as_errors, reference_date)
    if not names:
        return parse_with(value, options)
    return parse_with_names(value, options)


# nir._names.place_names once loaded (it brings the reference data): see _quick_parse.
_place_names: (
    Callable[
        [str | None, str | None, str | None, date, date],
        tuple[str | None, str | None, str | None, tuple[NirWarning, ...]],
    ]
    | None
) = None


def _quick_parse(
    value: object, reference_date: date | None, *, names: bool, strict: bool
) -> Nir | None:
    """`parse` of a quick-valid value (most values), None for any other.

    Such a value is valid under every option set and no rule warns on it, whatever
    the birth date (see `nir._fast`): `_choose_year` would take the recent reading,
    so only the fields are decoded here, and the result is built once, names
    included. None too when a name warns under `strict` (the full path raises).
    """
    compiled = _accel.compiled
    number = compiled.quick_number(value) if compiled is not None else quick_number_value(value)
    if number is None:
        return None
    global _place_names  # noqa: PLW0603  # the one lazily filled reference
    today = reference_date or date.today()  # noqa: DTZ011  # a civil date, no zone
    month = _month(number[3:5])
    years = _candidate_years(int(number[1:3]), month.number, today)
    year = years[0]
    place = _place(number, year, month.number)
    department_name = commune_name = country_name = None
    warnings: tuple[NirWarning, ...] = ()
    if names:
        if _place_names is None:
            from nir._names import place_names  # noqa: PLC0415  # data only when asked

            _place_names = place_names
        start, end = birth_period(year, month.number)
        found = _place_names(place.department, place.commune, place.country, start, end)
        department_name, commune_name, country_name, warnings = found
        if warnings and strict:
            return None
    sex, kind = _sex_kind(number[0])
    return Nir(
        number,
        kind,
        sex,
        year,
        month.number,
        month.kind,
        place.department,
        place.commune,
        place.country,
        number[10:13],
        number[13:15],
        warnings,
        len(years) > 1,
        department_name,
        commune_name,
        country_name,
    )


def parse_with_names(value: object, options: Options) -> Nir:
    """`parse_with`, then the place names and the warnings of the reference data."""
    from nir._names import add_names  # noqa: PLC0415  # data only when asked: import nir stays cheap

    named = add_names(parse_with(value, options))
    if options.warnings_as_errors and named.warnings:
        first = named.warnings[0]
        raise errors.WarningAsError(first.code, first.params)
    return named


def parse_with(value: object, options: Options) -> Nir:
    """`parse` with the options already gathered (the bulk paths reuse them)."""
    number = _check_characters(value)
    _check_length(number)
    _check_letters(number)
    sex, kind = _sex_kind(number[0])
    today = options.reference_date or date.today()  # noqa: DTZ011  # a civil date, no zone
    if kind is Kind.NIR:
        result = _decode_nir(number, today)
        key = _check_key(number, options)
    else:
        key = _check_key(number, options)
        if not options.allow_temporary:
            raise errors.TemporaryNotAllowed({"digit": number[0]})
        result = _decode_temporary(number, today)
    if options.warnings_as_errors and result.warnings:
        first = result.warnings[0]
        raise errors.WarningAsError(first.code, first.params)
    return Nir(
        number=number[:13] + key,
        kind=kind,
        sex=sex,
        birth_year=result.birth_year,
        birth_month=result.birth_month,
        month_kind=result.month_kind,
        department=result.department,
        commune=result.commune,
        country=result.country,
        order=number[10:13],
        key=key,
        warnings=result.warnings,
        century_ambiguous=result.century_ambiguous,
    )


class _Decoded(NamedTuple):  # internal: cheaper to define and to build than a dataclass
    birth_year: int | None
    birth_month: int | None
    month_kind: MonthKind | None
    department: str | None
    commune: str | None
    country: str | None
    warnings: tuple[NirWarning, ...]
    century_ambiguous: bool


def _decode_nir(number: str, today: date) -> _Decoded:
    """Decode and check the fields of a definitive NIR (or NIA); raises on errors."""
    month = _month(number[3:5])
    years = _candidate_years(int(number[1:3]), month.number, today)
    year, place, century_warning = _choose_year(number, years, month.number)
    if number[10:13] == _rules.NO_ORDER:
        raise errors.InvalidOrder({"order": number[10:13]})
    warnings = [w for w in (month.warning, century_warning) if w is not None]
    warnings.extend(place.warnings)
    return _Decoded(
        birth_year=year,
        birth_month=month.number,
        month_kind=month.kind,
        department=place.department,
        commune=place.commune,
        country=place.country,
        warnings=tuple(warnings),
        century_ambiguous=len(years) > 1,
    )


def _decode_temporary(number: str, today: date) -> _Decoded:
    """Decode what makes sense in a temporary number; never raises, no warnings."""
    try:
        month: _Month | None = _month(number[3:5])
    except errors.NirError:
        month = None
    month_number = month.number if month else None
    years = _candidate_years(int(number[1:3]), month_number, today)
    place = _place_or_none(number, years[0], month_number)
    return _Decoded(
        birth_year=years[0] if month else None,
        birth_month=month_number,
        month_kind=month.kind if month else None,
        department=place.department if place else None,
        commune=place.commune if place else None,
        country=place.country if place else None,
        warnings=(),
        century_ambiguous=len(years) > 1 and month is not None,
    )


def validate(
    value: str,
    *,
    allow_temporary: bool = True,
    allow_missing_key: bool = False,
    warnings_as_errors: bool = False,
    reference_date: date | None = None,
) -> str:
    """Return the compact 15-character form of a valid number, or raise a `NirError`.

    >>> validate("2 55 08 14 168 025 38")
    '255081416802538'
    >>> validate("2 55 08 14 168 025 12")
    Traceback (most recent call last):
        ...
    nir.errors.InvalidKey: key is 12, expected 38
    """
    # The fast path first: a quick-valid value is valid under every option set.
    compiled = _accel.compiled
    number = compiled.quick_number(value) if compiled is not None else quick_number_value(value)
    if number is not None:
        return number
    options = Options(allow_temporary, allow_missing_key, warnings_as_errors, reference_date)
    return parse_with(value, options).number


def is_valid(
    value: object,
    *,
    allow_temporary: bool = True,
    allow_missing_key: bool = False,
    warnings_as_errors: bool = False,
    reference_date: date | None = None,
) -> bool:
    """True when `validate` would accept the value; never raises, whatever the input.

    >>> is_valid("255081416802538"), is_valid(None), is_valid("2 55 08 14 168 025 12")
    (True, False, False)
    """
    # The fast path first, before anything is built: most values in bulk are valid.
    compiled = _accel.compiled
    if compiled is not None:
        if compiled.quick_valid(value):
            return True
    elif quick_valid_value(value):
        return True
    options = Options(allow_temporary, allow_missing_key, warnings_as_errors, reference_date)
    try:
        parse_with(value, options)
    except errors.NirError:
        return False
    return True


def quick_valid_value(value: object) -> bool:
    """`nir._fast.quick_valid` of any value, compacted when needed.

    The pure-Python reference of `nir._speedups.quick_valid`: True only for a
    valid number with no warnings; False means "run the full rules".
    """
    return type(value) is str and (quick_valid(value) or quick_valid(compact(value)))


def quick_number_value(value: object) -> str | None:
    """The compact form of `value` when `quick_valid_value(value)`, else None.

    The pure-Python reference of `nir._speedups.quick_number`: what `validate`
    returns for such a value, with no rule run.
    """
    if type(value) is not str:
        return None
    if quick_valid(value):
        return value
    number = compact(value)
    return number if quick_valid(number) else None


def format(value: str, separator: str = " ") -> str:
    """The display form: ``2 55 08 14 168 025 38``; overseas as ``1 82 08 974 01 154 75``.

    Only the length is checked (13 or 15 characters after `compact`).

    >>> format("255081416802538")
    '2 55 08 14 168 025 38'
    >>> format("182089740115475")
    '1 82 08 974 01 154 75'
    """
    number = compact(value)
    _check_length(number)
    return format_compact(number, separator)


def calc_check_digits(body: str) -> str:
    """The 2-digit key of a 13-character body (python-stdnum's name for it).

    >>> calc_check_digits("2 55 08 14 168 025")
    '38'
    >>> calc_check_digits("2840588321025")
    '32'
    """
    number = _check_characters(body)
    if len(number) not in (13, 15):
        raise errors.InvalidLength({"length": len(number), "expected": 13})
    _check_letters(number)
    return f"{key_of(number):02d}"
