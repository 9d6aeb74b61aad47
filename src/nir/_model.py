"""The value types of `nir`: what a parsed number is. No parsing, no I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from nir import messages


class Kind(StrEnum):
    """What sort of number this is, as far as its digits tell.

    A definitive NIR and a NIA (waiting number) are built alike and cannot be told
    apart by their digits: both are `NIR`.
    """

    NIR = "nir"
    TEMPORARY = "temporary"


class Sex(StrEnum):
    """The sex digit as civil status records it today (it can change after birth)."""

    MALE = "M"
    FEMALE = "F"


class MonthKind(StrEnum):
    """How the month field is to be read."""

    REAL = "real"
    """01-12: the month of birth."""
    PSEUDO = "pseudo"
    """31-42: incomplete civil status that does state the month (month = code - 30)."""
    UNKNOWN = "unknown"
    """20, 30, 50-99 (and undocumented 21-29, 43-49): the month is not known."""


@dataclass(frozen=True, slots=True)
class NirWarning:
    """Something doubtful about a number that is nevertheless accepted."""

    code: str
    """Stable snake_case identifier, e.g. ``corsica_period``."""
    params: dict[str, messages.ParamValue] = field(default_factory=dict, hash=False)
    """The values its message needs (`nir.messages.CODES[code]`)."""

    def message(self, lang: str | None = None) -> str:
        """A sentence for people, in `lang` (None: `nir.messages.default_language()`)."""
        return messages.render(self.code, self.params, lang)

    def __str__(self) -> str:
        return f"{self.code}: {self.message()}"


@dataclass(frozen=True, slots=True)
class Nir:
    """A parsed NIR, NIA or temporary number. Built by `nir.parse`, never raises.

    Fields a temporary number does not carry meaningfully are None.
    """

    number: str
    """The compact 15-character form (with the key)."""
    kind: Kind
    sex: Sex | None
    birth_year: int | None
    """Four digits; the century is inferred (see `century_ambiguous`)."""
    birth_month: int | None
    """1-12 when known (real or pseudo month), else None."""
    month_kind: MonthKind | None
    department: str | None
    """Department or territory code at the birth date: "75", "2A", "20", "971"...
    None when born abroad."""
    commune: str | None
    """5-character INSEE commune code at the birth date, None when born abroad."""
    country: str | None
    """3-digit INSEE country code when born abroad (or in North Africa before
    independence, coded 91-96), else None."""
    order: str
    key: str
    warnings: tuple[NirWarning, ...] = ()
    century_ambiguous: bool = False
    """True when the person could also have been born a century earlier (aged
    over 100): `birth_year` is then the more recent reading unless the place only
    makes sense with the older one."""
    department_name: str | None = field(default=None, compare=False)
    commune_name: str | None = field(default=None, compare=False)
    country_name: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.number

    @property
    def is_temporary(self) -> bool:
        """True for the temporary classes (first digit 3, 4, 7 or 8)."""
        return self.kind is Kind.TEMPORARY

    @property
    def formatted(self) -> str:
        """The display form, e.g. ``2 55 08 14 168 025 38``."""
        return format_compact(self.number)


def format_compact(number: str, separator: str = " ") -> str:
    """Group a compact 13- or 15-character number for display.

    Overseas births (97x/98x) group the place as 3+2, the others as 2+3.
    """
    if number[5:7] in ("97", "98"):
        parts = [number[0], number[1:3], number[3:5], number[5:8], number[8:10], number[10:13]]
    else:
        parts = [number[0], number[1:3], number[3:5], number[5:7], number[7:10], number[10:13]]
    if len(number) == 15:
        parts.append(number[13:15])
    return separator.join(parts)
