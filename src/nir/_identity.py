"""Does a valid number belong to this person? The identity cross-checks (spec §6).

`check_identity` compares the sex, year, month and place a number encodes with
the identity HR data declares. A field that cannot be compared (junk in the cell,
a fictitious month, a temporary number, a place the data does not know) is
`unchecked`, with its reason: it is never a mismatch and never raises.

`identity_codes` is the per-row entry point for bulk callers (the CSV engine):
compact number and three cell texts in, mismatching field codes out. Speed: the
verdict is computed as codes only (`_verdict`); the `Finding`s of the mismatches are
made when first read (`IdentityCheck.details`), and a consistent identity returns
one shared result. The readers of the cells and the place comparisons
are cached: a column repeats the same few texts, dates and places.
"""

from __future__ import annotations

import functools
import time
from datetime import date, datetime, timedelta
from typing import NamedTuple

from nir import _accel, _rules, errors, messages
from nir._fast import quick_valid
from nir._identity_values import (
    UNREADABLE_DATE,
    UNREADABLE_PLACE,
    UNREADABLE_SEX,
    Centuryless,
    identity_text,
    is_missing,
    read_date,
    read_place,
    read_sex,
)
from nir._parse import Options, _candidate_years, _choose_year, birth_period, compact, parse_with

SEX = "sex"
BIRTH_YEAR = "birth_year"
BIRTH_MONTH = "birth_month"
BIRTH_PLACE = "birth_place"
FIELDS = (SEX, BIRTH_YEAR, BIRTH_MONTH, BIRTH_PLACE)

FUTURE_DATE = "future_date"
IMPLAUSIBLE_DATE = "implausible_date"
FICTITIOUS_MONTH = "fictitious_month"
DEFAULT_DATE = "default_date"
TEMPORARY = "temporary_number"
UNKNOWN_PLACE = "unknown_place"

_MALE_DIGITS = _rules.MALE_DIGITS
_NO_BIRTH_FIELDS = _rules.NO_BIRTH_FIELDS
_ONE_DAY = timedelta(days=1)
_DEFAULT_DAYS = _rules.DEFAULT_BIRTH_DAYS

Reasons = tuple[tuple[str, str], ...]
"""Unchecked fields as (field code, reason code) pairs, in the order of `FIELDS`."""

_MATCH = "match"  # the verdicts of nir._identity_place.compare
_MISMATCH = "mismatch"


class Finding(NamedTuple):
    """One field that mismatches or could not be compared, with its message.

    A named tuple rather than a frozen dataclass: check_identity makes one per
    field with something to say, and a tuple is made in a third of the time.
    """

    field: str
    """"sex", "birth_year", "birth_month" or "birth_place"."""
    code: str
    """The catalogue code of the message (`nir.messages.CODES`)."""
    params: dict[str, messages.ParamValue]
    """The message's parameters (never the whole number)."""

    @property
    def reason(self) -> str:
        """The reason code without the ``identity_`` prefix: "fictitious_month"..."""
        return self.code.removeprefix("identity_")

    def message(self, lang: str | None = None) -> str:
        """A sentence for people, in `lang` (None: `nir.messages.default_language()`)."""
        return messages.render(self.code, self.params, lang)

    def __hash__(self) -> int:  # the params are a dict: the field and code identify it
        return hash((self.field, self.code))

    def __str__(self) -> str:
        return f"{self.field}: {self.message()}"


class IdentityCheck:
    """The verdict of `check_identity`: frozen, comparable, picklable, and cheap to make.

    Not a named tuple: `details` are made on first use. Bulk callers read
    `mismatches` and `ok` only, and the `Finding`s of three mismatching fields
    were half the time of `check_identity`.
    """

    __slots__ = ("_details", "_facts", "mismatches", "unchecked")
    __match_args__ = ("mismatches", "unchecked", "details")

    mismatches: tuple[str, ...]
    """Field codes that do not match, in the order of `FIELDS`."""
    unchecked: tuple[Finding, ...]
    """Fields given but not comparable, each with its reason (`Finding.reason`)."""
    _details: tuple[Finding, ...] | None
    _facts: _Facts | None

    def __init__(
        self,
        mismatches: tuple[str, ...],
        unchecked: tuple[Finding, ...] = (),
        details: tuple[Finding, ...] = (),
    ) -> None:
        _fill(self, mismatches, unchecked, details, None)

    @property
    def details(self) -> tuple[Finding, ...]:
        """One `Finding` per mismatch, same order as `mismatches`, with its message."""
        details = self._details
        if details is None:
            assert self._facts is not None  # set with _details None (`_lazy`)
            details = _findings(self._facts, self.mismatches)
            _set_details(self, details)  # the same value for every reader
        return details

    @property
    def ok(self) -> bool:
        """True when nothing mismatches (unchecked fields do not count)."""
        return not self.mismatches

    def messages(self, lang: str | None = None) -> tuple[str, ...]:
        """The message of each mismatch, in `lang`."""
        return tuple(finding.message(lang) for finding in self.details)

    def _key(self) -> tuple[tuple[str, ...], tuple[Finding, ...], tuple[Finding, ...]]:
        return (self.mismatches, self.unchecked, self.details)

    def __eq__(self, other: object) -> bool:
        if type(other) is not IdentityCheck:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"IdentityCheck(mismatches={self.mismatches!r}, unchecked={self.unchecked!r}, "
            f"details={self.details!r})"
        )

    def __reduce__(self) -> tuple[type[IdentityCheck], tuple[object, ...]]:
        return (IdentityCheck, self._key())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"IdentityCheck is frozen: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"IdentityCheck is frozen: cannot delete {name!r}")


# The slots' own setters: the frozen class refuses setattr (and object.__setattr__
# on it costs twice as much).
_set_mismatches, _set_unchecked, _set_details, _set_facts = (
    IdentityCheck.__dict__[name].__set__
    for name in ("mismatches", "unchecked", "_details", "_facts")
)
_Facts = tuple[str, str | None, object, str | None]
"""What `_findings` needs besides the mismatches: number, sex, birth date, birth place."""


def _lazy(
    mismatches: tuple[str, ...], unchecked: tuple[Finding, ...], facts: _Facts
) -> IdentityCheck:
    """An `IdentityCheck` whose details are made from `facts` when first read."""
    result: IdentityCheck = _make(IdentityCheck)
    _set_mismatches(result, mismatches)  # `_fill`, inlined: once per row with a finding
    _set_unchecked(result, unchecked)
    _set_details(result, None if mismatches else ())
    _set_facts(result, facts)
    return result


def _fill(
    result: IdentityCheck,
    mismatches: tuple[str, ...],
    unchecked: tuple[Finding, ...],
    details: tuple[Finding, ...] | None,
    facts: _Facts | None,
) -> None:
    _set_mismatches(result, mismatches)
    _set_unchecked(result, unchecked)
    _set_details(result, details)
    _set_facts(result, facts)


_make = object.__new__


_CONSISTENT = IdentityCheck(())
"""The one result of every identity with nothing to say: shared, as it is frozen."""


def check_identity(
    number: str,
    *,
    sex: str | float | None = None,
    birth_date: date | str | float | None = None,
    birth_place: str | float | None = None,
    reference_date: date | None = None,
) -> IdentityCheck:
    """Compare a number with a declared identity; raises `NirError` only for an invalid number.

    >>> check_identity("2 55 08 14 168 025 38", sex="Mme", birth_date="12/08/1955").ok
    True
    >>> check_identity("255081416802538", sex="M", birth_date="1956-08-12").mismatches
    ('sex', 'birth_year')
    """
    compiled = _accel.compiled
    plain = compiled.quick_valid(number) if compiled is not None else quick_valid(number)
    if plain and len(number) == 15:  # already compact
        compact_number = number
    elif plain:
        compact_number = number.replace(" ", "")  # the display form: 4 times faster than compact
        if len(compact_number) != 15 or not compact_number.isdigit():
            compact_number = compact(number)
    else:
        compact_number = parse_with(number, Options(reference_date=reference_date)).number
    today = reference_date or _today()
    if (
        (sex is None or isinstance(sex, str))
        and (birth_place is None or isinstance(birth_place, str))
        and type(birth_date) in _PLAIN_DATES
    ):
        sex_text, place_text = sex, birth_place
    else:
        sex_text, birth_date, place_text = as_texts(sex, birth_date, birth_place)
    mismatches, unchecked = _verdict(compact_number, sex_text, birth_date, place_text, today)
    if not mismatches and not unchecked:
        return _CONSISTENT
    found = tuple([_unchecked(compact_number, *why) for why in unchecked]) if unchecked else ()
    return _lazy(mismatches, found, (compact_number, sex_text, birth_date, place_text))


def as_texts(
    sex: object, birth_date: date | str | float | None, birth_place: object
) -> tuple[str | None, date | str | float | None, str | None]:
    """The identity arguments as the readers take them.

    Numbers as text (`identity_text`), a missing value (NaN, as a DataFrame gives
    it) as None.
    """
    if is_missing(birth_date):
        birth_date = None
    return identity_text(sex), birth_date, identity_text(birth_place, place=True)


_PLAIN_DATES = (str, date, datetime, type(None))
"""The birth dates `check_identity` reads as they are (the others: `as_texts`)."""


def identity_codes(
    number: str, sex: str | None, birth_date: str | None, birth_place: str | None, today: date
) -> tuple[str, ...]:
    """The mismatching field codes of one row: the per-row function of bulk callers.

    `number` is the compact 15-character form of a number already found valid;
    the texts are the raw cells (None or "" when the row has no such column).
    Never raises for any cell text. Same verdicts as `check_identity`.

    >>> identity_codes("255081416802538", "M", "12/08/1955", None, date(2025, 1, 1))
    ('sex',)
    """
    return _verdict(number, sex or None, birth_date or None, birth_place or None, today)[0]


def identity_verdict(
    number: str, sex: str | None, birth_date: str | None, birth_place: str | None, today: date
) -> tuple[tuple[str, ...], Reasons]:
    """`identity_codes` and the unchecked fields with their reasons, same arguments.

    >>> identity_verdict("255081416802538", "N/A", "31/02/1980", "Caen", date(2025, 1, 1))
    (('birth_place',), (('sex', 'unreadable_sex'), ('birth_year', 'unreadable_date'),
    ('birth_month', 'unreadable_date')))
    """
    return _verdict(number, sex or None, birth_date or None, birth_place or None, today)


class _Today:
    """`date.today()` costs about a microsecond; the civil date changes once a day."""

    __slots__ = ("until", "value")

    def __init__(self) -> None:
        self.value = date.min
        self.until = float("-inf")


_TODAY = _Today()


def _today() -> date:
    """Today's civil date, read again only after local midnight."""
    if time.time() >= _TODAY.until:
        today = date.today()  # noqa: DTZ011  # a civil date, no zone
        midnight = datetime.combine(today + _ONE_DAY, datetime.min.time())
        _TODAY.value = today  # before `until`: a racing reader never sees a stale value
        _TODAY.until = midnight.timestamp()
    return _TODAY.value


# The unchecked pairs, made once.
_SEX_UNREADABLE: Reasons = ((SEX, UNREADABLE_SEX),)
_DATE_UNCHECKED: dict[str, Reasons] = {
    reason: ((BIRTH_YEAR, reason), (BIRTH_MONTH, reason))
    for reason in (UNREADABLE_DATE, FUTURE_DATE, IMPLAUSIBLE_DATE, TEMPORARY)
}
_MONTH_FICTITIOUS: Reasons = ((BIRTH_MONTH, FICTITIOUS_MONTH),)
_MONTH_DEFAULT: Reasons = ((BIRTH_MONTH, DEFAULT_DATE),)
_PLACE_UNCHECKED: dict[str, Reasons] = {
    reason: ((BIRTH_PLACE, reason),) for reason in (UNREADABLE_PLACE, TEMPORARY, UNKNOWN_PLACE)
}


def _verdict(
    number: str, sex: str | None, birth_date: object, birth_place: str | None, today: date
) -> tuple[tuple[str, ...], Reasons]:
    """Mismatching fields and unchecked (field, reason) pairs: codes only, no message."""
    mismatches: tuple[str, ...] = ()
    unchecked: Reasons = ()
    digit = number[0]

    if sex is not None:
        declared_sex = read_sex(sex)
        if declared_sex is None:
            unchecked = _SEX_UNREADABLE
        elif (declared_sex == "M") != (digit in _MALE_DIGITS):
            mismatches = (SEX,)

    temporary = digit in _NO_BIRTH_FIELDS
    born: date | None = None  # the declared birth date, when of the number's year
    centuryless = False  # that date written with two digits for its year
    if birth_date is not None:
        if type(birth_date) is str:
            declared, reason, digits, default_day = _date_text_reading(birth_date, today)
        else:
            declared, reason, digits, default_day = _read_date_reading(read_date(birth_date), today)
        if reason is None and temporary:
            reason = TEMPORARY
        if reason is None and declared is not None:
            if digits != number[1:3]:
                mismatches += (BIRTH_YEAR,)
            elif isinstance(declared, Centuryless):
                born = _in_century(declared, number, today)
                centuryless = True
            else:
                born = declared
            month = _MONTHS[number[3:5]]
            if month is None:
                unchecked += _MONTH_FICTITIOUS
            elif month != declared.month:
                if default_day:
                    unchecked += _MONTH_DEFAULT
                else:
                    mismatches += (BIRTH_MONTH,)
        else:
            unchecked += _DATE_UNCHECKED[reason or UNREADABLE_DATE]

    if birth_place is not None:
        if temporary:
            reason = UNREADABLE_PLACE if read_place(birth_place) is None else TEMPORARY
        else:
            start, end = (born, None) if born is not None else _window(number[:10], today)
            reason = _place_verdict(number[5:10], birth_place, start, end)
            older = centuryless and reason == _MISMATCH
            if older and not _older_mismatches(number, birth_place, born, today):
                reason = UNKNOWN_PLACE  # 12/08/20 may be of 1920: the cell does not say
        if reason == _MISMATCH:
            mismatches += (BIRTH_PLACE,)
        elif reason != _MATCH:
            unchecked += _PLACE_UNCHECKED[reason]
    return mismatches, unchecked


_DateReading = tuple[date | Centuryless | None, str | None, str, bool]
"""A birth date as `_verdict` compares it: the date (None: unreadable), the reason it is
not compared on that day (None: it is), its year's digits as a number writes them, and
whether it is a default day (1 January, 31 December)."""


def _date_reading(declared: date | Centuryless | None, today: date) -> _DateReading:
    """`_DateReading` of a date read (`read_date`), on `today`."""
    if declared is None:
        return None, UNREADABLE_DATE, "", False
    default_day = (declared.month, declared.day) in _DEFAULT_DAYS
    if type(declared) is Centuryless:  # its century is the number's: in none other
        return declared, None, _YEAR_DIGITS[declared.years], default_day
    assert isinstance(declared, date)
    if declared > today:
        reason: str | None = FUTURE_DATE
    elif today.year - declared.year > _rules.MAX_AGE:
        reason = IMPLAUSIBLE_DATE
    else:
        reason = None
    return declared, reason, _YEAR_DIGITS[declared.year % 100], default_day


_read_date_reading = functools.lru_cache(maxsize=65536)(_date_reading)
"""`_date_reading` of a date read from a `date`, `datetime` or serial: one lookup too."""


@functools.lru_cache(maxsize=65536)
def _date_text_reading(value: str, today: date) -> _DateReading:
    """`_date_reading` of a date cell: one lookup for the row's birth date, not ~10 tests."""
    return _date_reading(_read_date_text(value), today)


def _read_date(value: object) -> date | Centuryless | None:
    return _read_date_text(value) if type(value) is str else read_date(value)


@functools.lru_cache(maxsize=65536)
def _read_date_text(value: str) -> date | Centuryless | None:
    return read_date(value)


def _older_mismatches(number: str, birth_place: str, born: date | None, today: date) -> bool:
    """Whether a two-digit-year birth `born` mismatches the place a century before too.

    When the number's year has two plausible readings (20: 2020 and 1920), the cell
    says neither: the place is a mismatch only when it is at both (Algeria's 91 of
    1920 fits "Algérie", Essonne's of 2020 does not; a Lyon cell mismatches a 75 at
    both dates). True when there is no older reading.
    """
    if born is None or len(_candidate_years(int(number[1:3]), _MONTHS[number[3:5]], today)) < 2:
        return True
    try:
        older = born.replace(year=born.year - 100)
    except ValueError:  # 29 February of 2000, not of 1900
        return True
    return _place_verdict(number[5:10], birth_place, older, None) == _MISMATCH


def _century(number: str, today: date) -> int:
    """The first year of the century the number is read in (its `_window`): 1900, 2000."""
    return _window(number[:10], today)[0].year // 100 * 100


def _in_century(declared: Centuryless, number: str, today: date) -> date | None:
    """A two-digit-year date in the century the number is read in (its `_window`).

    None when that day does not exist then (29/02/00 of a number read in 1900): the
    number's own span of dates is used, as without a date.
    """
    try:
        return date(_century(number, today) + declared.years, declared.month, declared.day)
    except ValueError:
        return None


def _month_of(code: str) -> int | None:
    """The month a month field gives (real or pseudo), None when fictitious."""
    value = int(code)
    if value in _rules.REAL_MONTHS:
        return value
    if value in _rules.PSEUDO_MONTHS:
        return value - _rules.PSEUDO_MONTH_OFFSET
    return None


_MONTHS = {f"{code:02d}": _month_of(f"{code:02d}") for code in range(100)}
"""`_month_of` of every month field, looked up: `_verdict` runs once per row."""
_YEAR_DIGITS = tuple(f"{yy:02d}" for yy in range(100))
"""A year modulo 100 as a number's year field writes it."""


def _number_window(number: str, today: date) -> tuple[date, date]:
    """The span of birth dates the number itself tells (no usable declared date)."""
    return _window(number[:10], today)


@functools.lru_cache(maxsize=4096)
def _window(head: str, today: date) -> tuple[date, date]:
    """The span of birth dates a number's first 10 characters tell, read as `nir.parse` reads it.

    Its century is parse's: 1 20 05 96 can only be Tunisia's of 1920 (96 was never a
    department), not a birth of 2020.
    """
    month = _month_of(head[3:5])
    years = _candidate_years(int(head[1:3]), month, today)
    try:
        year = _choose_year(head, years, month)[0]
    except errors.NirError:  # no reading holds the place: the recent one, as before
        year = years[0]
    return birth_period(year, month)


@functools.lru_cache(maxsize=65536)
def _place_verdict(place: str, text: str, start: date, end: date | None) -> str:
    """MATCH, MISMATCH, or the reason the place was not compared; `end` None: one day."""
    declared = read_place(text)
    if declared is None:
        return UNREADABLE_PLACE
    from nir._identity_place import compare  # noqa: PLC0415  # data: import nir stays cheap

    return compare(place, declared, start, end or start + _ONE_DAY)


def _findings(facts: _Facts, mismatches: tuple[str, ...]) -> tuple[Finding, ...]:
    """A `Finding` (code and params) per mismatching field.

    Made with `tuple.__new__`, as the named tuple's own `__new__` would (same
    values, repr, equality, pickling) without a Python call per object.
    """
    number, sex, birth_date, birth_place = facts
    found: list[Finding] = []
    for name in mismatches:
        params: dict[str, messages.ParamValue]
        if name == SEX:
            params = {"declared": read_sex(sex or "") or "", "digit": number[0]}
        elif name == BIRTH_PLACE:
            params = {"declared": (birth_place or "").strip(), "place": number[5:10]}
        else:  # a mismatching date was readable
            born = _read_date(birth_date) or date.min
            if name == BIRTH_YEAR:  # a two-digit year as written: "56", no century said
                year = born.year if isinstance(born, date) else _YEAR_DIGITS[born.years]
                params = {"declared": year, "digits": number[1:3]}
            else:
                params = {"declared": _TWO_DIGITS[born.month], "month": number[3:5]}
        found.append(_new(Finding, (name, _MISMATCH_CODES[name], params)))
    return tuple(found)


_new = tuple.__new__
_MISMATCH_CODES = {name: "identity_" + name for name in FIELDS}
# the catalogue code of each reason, made on first sight (a reason added later needs
# no entry here; messages.CODES says whether it has a message)
_UNCHECKED_CODES: dict[str, str] = {}
_TWO_DIGITS = tuple(f"{month:02d}" for month in range(13))
"""A month as its two digits, the form of the number's month field."""


def _unchecked(number: str, name: str, why: str) -> Finding:
    params: dict[str, messages.ParamValue] = {}
    if why == IMPLAUSIBLE_DATE:
        params = {"years": _rules.MAX_AGE}
    elif why in {FICTITIOUS_MONTH, DEFAULT_DATE}:
        params = {"month": number[3:5]}
    elif why == TEMPORARY:
        params = {"digit": number[0]}
    code = _UNCHECKED_CODES.get(why)
    if code is None:
        code = _UNCHECKED_CODES[why] = "identity_" + why
    return _new(Finding, (name, code, params))


# --- The answers the compiled CSV scan asks for one cell (nir._csvio.RowChecker.cell_class).
# The scan keeps them in a memo and compares them with the number itself (the same
# steps as `_verdict`); the readers, formats and place data stay here, in Python.
CELL_EMPTY = 0
"""No text in the cell: the field is not checked, nor counted."""
CELL_UNCHECKED = 1
"""Text that cannot be compared (junk, a date not read, a place not known...)."""
CELL_MALE, CELL_FEMALE = 2, 3
"""A sex cell read as a man's, a woman's."""
CELL_MATCH, CELL_MISMATCH = 2, 3
"""A place cell that fits the number's place at the birth, or does not."""
PLACE_ANY_DATE = 4
"""A flag on a place answer: it holds for any birth date (the scan memoises it so)."""
DAY_CENTURYLESS = 1 << 30
"""A flag on a date answer: YYMMDD of a two-digit year, its century the number's."""
KIND_SEX, KIND_DATE, KIND_PLACE = 0, 1, 2
_PLACE_CELLS = {_MATCH: CELL_MATCH, _MISMATCH: CELL_MISMATCH}
"""The cell kinds the scan asks about, in the order of nir._csvio.IDENTITY_KINDS."""


def sex_class(text: str) -> int:
    """CELL_MALE, CELL_FEMALE or CELL_UNCHECKED for a non-empty sex cell."""
    declared = read_sex(text)
    return CELL_UNCHECKED if declared is None else CELL_MALE if declared == "M" else CELL_FEMALE


def date_class(text: str) -> int:
    """The date of a non-empty cell as YYYYMMDD (always > 1), or CELL_UNCHECKED.

    A two-digit-year date (`Centuryless`) as DAY_CENTURYLESS | YYMMDD.
    """
    born = _read_date(text)
    if born is None:
        return CELL_UNCHECKED
    if isinstance(born, Centuryless):
        return DAY_CENTURYLESS | born.years * 10000 + born.month * 100 + born.day
    return born.year * 10000 + born.month * 100 + born.day


def place_class(text: str, head: str, born_day: int, today: date) -> int:
    """CELL_MATCH, CELL_MISMATCH or CELL_UNCHECKED for a non-empty place cell.

    With the flag PLACE_ANY_DATE when the answer holds whatever the birth date.

    `head` is the number's first 10 characters (sex, year, month, place);
    `born_day` the declared birth date as YYYYMMDD when it is of the number's
    year, else 0 (the number's own span of dates is used, as `_verdict` does).
    """
    if head[0] in _NO_BIRTH_FIELDS:
        return CELL_UNCHECKED | PLACE_ANY_DATE  # no birth place in such a number
    declared = read_place(text)
    if declared is None:
        return CELL_UNCHECKED | PLACE_ANY_DATE
    from nir._identity_place import compare, compare_any_date  # noqa: PLC0415  # data: import nir stays cheap

    place = head[5:10]
    sure = compare_any_date(place, declared)
    if sure is not None:
        return _PLACE_CELLS.get(sure, CELL_UNCHECKED) | PLACE_ANY_DATE
    # compare, not the cached _place_verdict: the scan keeps this answer, and a dated
    # key seldom comes again (most are a row with someone else's number)
    if born_day:
        start = date(born_day // 10000, born_day // 100 % 100, born_day % 100)
        end = start + _ONE_DAY
    else:
        start, end = _number_window(head, today)
    return _PLACE_CELLS.get(compare(place, declared, start, end), CELL_UNCHECKED)


def place_matches(text: str) -> bytes:
    """What the scan needs to settle a place name against any number: b"" for another cell.

    `nir._accel.place_name_table` of the name: the scan then looks the number's
    place up instead of asking `place_class` once per (cell, number's place).
    """
    return _accel.name_text_table(text, _accel.place_name_tables())
