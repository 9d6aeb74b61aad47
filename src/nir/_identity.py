"""Does a valid number belong to this person? The identity cross-checks (spec §6).

`check_identity` compares the sex, year, month and place a number encodes with
the identity HR data declares. A field that cannot be compared (junk in the cell,
a fictitious month, a temporary number, a place the data does not know) is
`unchecked`, with its reason: it is never a mismatch and never raises.

`identity_codes` is the per-row entry point for bulk callers (the CSV engine):
compact number and three cell texts in, mismatching field codes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta

from nir import _accel, messages
from nir._fast import quick_valid
from nir._identity_values import (
    UNREADABLE_DATE,
    UNREADABLE_PLACE,
    UNREADABLE_SEX,
    read_date,
    read_place,
    read_sex,
)
from nir._parse import Options, _candidate_years, birth_period, compact, parse_with
from nir._rules import MAX_AGE as _MAX_AGE

SEX = "sex"
BIRTH_YEAR = "birth_year"
BIRTH_MONTH = "birth_month"
BIRTH_PLACE = "birth_place"
FIELDS = (SEX, BIRTH_YEAR, BIRTH_MONTH, BIRTH_PLACE)
_DATE_FIELDS = (BIRTH_YEAR, BIRTH_MONTH)

FUTURE_DATE = "future_date"
IMPLAUSIBLE_DATE = "implausible_date"
FICTITIOUS_MONTH = "fictitious_month"
DEFAULT_DATE = "default_date"
TEMPORARY = "temporary_number"
UNKNOWN_PLACE = "unknown_place"

_MALE_DIGITS = "137"
_NO_BIRTH_FIELDS = "78"  # NNP: positions 2-13 are a caisse and an order, not a birth
_ONE_DAY = timedelta(days=1)
# Default dates given to people whose civil status states only the year (spec §6).
_DEFAULT_DAYS = ((1, 1), (12, 31))


@dataclass(frozen=True, slots=True)
class Finding:
    """One field that mismatches or could not be compared, with its message."""

    field: str
    """"sex", "birth_year", "birth_month" or "birth_place"."""
    code: str
    """The catalogue code of the message (`nir.messages.CODES`)."""
    params: dict[str, messages.ParamValue] = dataclass_field(default_factory=dict, hash=False)

    @property
    def reason(self) -> str:
        """The reason code without the ``identity_`` prefix: "fictitious_month"..."""
        return self.code.removeprefix("identity_")

    def message(self, lang: str | None = None) -> str:
        """A sentence for people, in `lang` (None: `nir.messages.default_language()`)."""
        return messages.render(self.code, self.params, lang)

    def __str__(self) -> str:
        return f"{self.field}: {self.message()}"


@dataclass(frozen=True, slots=True)
class IdentityCheck:
    """The verdict of `check_identity`: frozen, comparable."""

    mismatches: tuple[str, ...]
    """Field codes that do not match, in the order of `FIELDS`."""
    unchecked: tuple[Finding, ...] = ()
    """Fields given but not comparable, each with its reason (`Finding.reason`)."""
    details: tuple[Finding, ...] = ()
    """One `Finding` per mismatch, same order as `mismatches`, with its message."""

    @property
    def ok(self) -> bool:
        """True when nothing mismatches (unchecked fields do not count)."""
        return not self.mismatches

    def messages(self, lang: str | None = None) -> tuple[str, ...]:
        """The message of each mismatch, in `lang`."""
        return tuple(finding.message(lang) for finding in self.details)


def check_identity(
    number: str,
    *,
    sex: str | None = None,
    birth_date: date | str | float | None = None,
    birth_place: str | None = None,
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
    if plain and len(number) == 15:
        compact_number = number
    elif plain:
        compact_number = compact(number)
    else:
        compact_number = parse_with(number, Options(reference_date=reference_date)).number
    today = reference_date or date.today()  # noqa: DTZ011  # a civil date, no zone
    return _check(compact_number, sex, birth_date, birth_place, today)


def identity_codes(
    number: str, sex: str | None, birth_date: str | None, birth_place: str | None, today: date
) -> tuple[str, ...]:
    """The mismatching field codes of one row: the per-row function of bulk callers.

    `number` is the compact 15-character form of a number already found valid;
    the texts are the raw cells (None or "" when the row has no such column).
    Never raises for any cell text. Same verdicts as `check_identity`.
    """
    return _check(number, sex or None, birth_date or None, birth_place or None, today).mismatches


def _check(
    number: str,
    sex: str | None,
    birth_date: object,
    birth_place: str | None,
    today: date,
) -> IdentityCheck:
    mismatches: list[str] = []
    details: list[Finding] = []
    unchecked: list[Finding] = []
    digit = number[0]

    if sex is not None:
        declared_sex = read_sex(sex)
        if declared_sex is None:
            unchecked.append(Finding(SEX, "identity_" + UNREADABLE_SEX))
        elif (declared_sex == "M") != (digit in _MALE_DIGITS):
            mismatches.append(SEX)
            details.append(Finding(SEX, "identity_sex", {"declared": declared_sex, "digit": digit}))

    temporary = digit in _NO_BIRTH_FIELDS
    born: date | None = None
    year_matches = False
    if birth_date is not None:
        born = read_date(birth_date)
        reason = _date_reason(born, today)
        if reason is not None:
            born = None
            params = _date_params(reason)
            unchecked.extend(Finding(name, "identity_" + reason, params) for name in _DATE_FIELDS)
        elif temporary:
            unchecked.extend(
                Finding(name, "identity_" + TEMPORARY, {"digit": digit}) for name in _DATE_FIELDS
            )
        else:
            assert born is not None
            year_matches = _compare_dates(number, born, mismatches, details, unchecked)

    if birth_place is not None:
        declared_place = read_place(birth_place)
        if declared_place is None:
            unchecked.append(Finding(BIRTH_PLACE, "identity_" + UNREADABLE_PLACE))
        elif temporary:
            unchecked.append(Finding(BIRTH_PLACE, "identity_" + TEMPORARY, {"digit": digit}))
        else:
            from nir._identity_place import MATCH, MISMATCH, compare  # noqa: PLC0415  # data: import nir stays cheap

            start, end = _birth_window(number, born if year_matches else None, today)
            verdict = compare(number[5:10], declared_place, start, end)
            if verdict == MISMATCH:
                mismatches.append(BIRTH_PLACE)
                details.append(
                    Finding(
                        BIRTH_PLACE,
                        "identity_birth_place",
                        {"declared": birth_place.strip(), "place": number[5:10]},
                    )
                )
            elif verdict != MATCH:
                unchecked.append(Finding(BIRTH_PLACE, "identity_" + UNKNOWN_PLACE))
    return IdentityCheck(tuple(mismatches), tuple(unchecked), tuple(details))


def _date_reason(born: date | None, today: date) -> str | None:
    if born is None:
        return UNREADABLE_DATE
    if born > today:
        return FUTURE_DATE
    if today.year - born.year > _MAX_AGE:
        return IMPLAUSIBLE_DATE
    return None


def _date_params(reason: str) -> dict[str, messages.ParamValue]:
    return {"years": _MAX_AGE} if reason == IMPLAUSIBLE_DATE else {}


def _month_of(code: str) -> int | None:
    """The month a month field gives (real or pseudo), None when fictitious."""
    value = int(code)
    if 1 <= value <= 12:
        return value
    if 31 <= value <= 42:
        return value - 30
    return None


def _compare_dates(
    number: str,
    born: date,
    mismatches: list[str],
    details: list[Finding],
    unchecked: list[Finding],
) -> bool:
    """Year and month against a readable birth date; True when the year matches."""
    digits = number[1:3]
    year_matches = born.year % 100 == int(digits)
    if not year_matches:
        mismatches.append(BIRTH_YEAR)
        details.append(
            Finding(BIRTH_YEAR, "identity_birth_year", {"declared": born.year, "digits": digits})
        )
    code = number[3:5]
    month = _month_of(code)
    if month is None:
        unchecked.append(Finding(BIRTH_MONTH, "identity_" + FICTITIOUS_MONTH, {"month": code}))
    elif month != born.month:
        if (born.month, born.day) in _DEFAULT_DAYS:
            unchecked.append(Finding(BIRTH_MONTH, "identity_" + DEFAULT_DATE, {"month": code}))
        else:
            mismatches.append(BIRTH_MONTH)
            details.append(
                Finding(
                    BIRTH_MONTH,
                    "identity_birth_month",
                    {"declared": f"{born.month:02d}", "month": code},
                )
            )
    return year_matches


def _birth_window(number: str, born: date | None, today: date) -> tuple[date, date]:
    """The birth date when known and consistent, else the span the number tells."""
    if born is not None:
        return born, born + _ONE_DAY
    month = _month_of(number[3:5])
    year = _candidate_years(int(number[1:3]), month, today)[0]
    return birth_period(year, month)
