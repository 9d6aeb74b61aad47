"""The value types of `nir`: what a parsed number is. No parsing, no I/O here."""

from __future__ import annotations

from enum import StrEnum

from nir import messages
from nir._frozen import dataclass_shadow


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


@dataclass_shadow(factories={"params": dict}, unhashed=("params",))
class NirWarning:
    """Something doubtful about a number that is nevertheless accepted.

    Frozen, and a dataclass to `dataclasses` (see `nir._frozen`).
    """

    __slots__ = ("code", "params")
    __match_args__ = ("code", "params")

    code: str
    """Stable snake_case identifier, e.g. ``corsica_period``."""
    params: dict[str, messages.ParamValue]
    """The values its message needs (`nir.messages.CODES[code]`)."""

    def __init__(self, code: str, params: dict[str, messages.ParamValue] | None = None) -> None:
        _set_warning_code(self, code)
        _set_warning_params(self, {} if params is None else params)

    def message(self, lang: str | None = None) -> str:
        """A sentence for people, in `lang` (None: `nir.messages.default_language()`)."""
        return messages.render(self.code, self.params, lang)

    def __str__(self) -> str:
        return f"{self.code}: {self.message()}"


@dataclass_shadow(uncompared=("department_name", "commune_name", "country_name"))
class Nir:
    """A parsed NIR, NIA or temporary number. Built by `nir.parse`, never raises.

    Fields a temporary number does not carry meaningfully are None. Frozen, and a
    dataclass to `dataclasses` (see `nir._frozen`); the names do not take part in
    `==` and `hash`.
    """

    __match_args__ = (
        "number",
        "kind",
        "sex",
        "birth_year",
        "birth_month",
        "month_kind",
        "department",
        "commune",
        "country",
        "order",
        "key",
        "warnings",
        "century_ambiguous",
        "department_name",
        "commune_name",
        "country_name",
    )
    __slots__ = __match_args__

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
    warnings: tuple[NirWarning, ...]
    century_ambiguous: bool
    """True when the person could also have been born a century earlier (aged
    over 100): `birth_year` is then the more recent reading unless the place only
    makes sense with the older one."""
    department_name: str | None
    commune_name: str | None
    country_name: str | None

    def __init__(  # noqa: PLR0917  # one parameter per field, as a dataclass's
        self,
        number: str,
        kind: Kind,
        sex: Sex | None,
        birth_year: int | None,
        birth_month: int | None,
        month_kind: MonthKind | None,
        department: str | None,
        commune: str | None,
        country: str | None,
        order: str,
        key: str,
        warnings: tuple[NirWarning, ...] = (),
        century_ambiguous: bool = False,
        department_name: str | None = None,
        commune_name: str | None = None,
        country_name: str | None = None,
    ) -> None:
        values = (number, kind, sex, birth_year, birth_month, month_kind, department, commune,
                  country, order, key, warnings, century_ambiguous, department_name,
                  commune_name, country_name)  # fmt: skip
        for setter, value in zip(_NIR_SETTERS, values, strict=True):
            setter(self, value)

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


# The slots' own setters: the classes refuse setattr.
_set_warning_code, _set_warning_params = (
    NirWarning.__dict__[name].__set__ for name in NirWarning.__match_args__
)
_NIR_SETTERS = tuple(Nir.__dict__[name].__set__ for name in Nir.__match_args__)


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
