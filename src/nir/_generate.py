"""Realistic fake numbers: one generator for `nir.generate`, Faker, hypothesis and benchmarks.

A number is built from a drawn person: a birth date from an age pyramid of working
people, a sex, and a birth place taken from the reference data (``nir._geo``) *valid
at that birth date* -- so Corsica is 20 before 1976 and 2A/2B after, Mayotte 985 before
2011 and 976 after, Seine (75) before 1968 -- then the month code (real, or one of the
fictitious codes), an order number and the key.

Every draw goes through one ``random()`` callable (a float in [0, 1)), so one seeded
`random.Random`, Faker's ``generator.random`` or hypothesis's ``st.randoms()``
reproduces the output. Draws near 0 give the commonest case (a plain NIR born in
mainland France, real month), where hypothesis shrinks to. The tables are built
lazily, once per birth year.

Shares (of all numbers, with no option set; measured figures in the tests):

* about 10 % born abroad (7 % NIR, 3 % NIA), ``99`` + a country valid at the birth date;
* about 4 % overseas, weighted by the territories' approximate populations;
* about 2 % temporary numbers (3/4 with the NIR layout, 7/8 with the NNP layout);
* North Africa before independence (91-96) for 1 % of the births it fits;
* the rest mainland, departments equally likely (the data has no population), communes
  equally likely within a department; Corsica as one department.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal, NamedTuple, overload

from nir._key import key_of

if TYPE_CHECKING:  # the data module is imported on the first draw: import nir stays cheap
    from nir import _geo

__all__ = [
    "CATEGORIES",
    "ERROR_CODES",
    "KINDS",
    "Drawer",
    "Person",
    "Request",
    "break_number",
    "generate",
]

Random = Callable[[], float]
KindName = Literal["nir", "nia", "temporary"]
KINDS: tuple[KindName, ...] = ("nir", "nia", "temporary")
CATEGORIES = ("mainland", "corsica", "overseas", "abroad", "north_africa")
# The error codes a generated string can fail with (in the order `nir.parse` checks
# them). "type" needs a non-string and "temporary" needs allow_temporary=False.
ERROR_CODES = (
    "empty",
    "excel_mangled",
    "characters",
    "length",
    "sex",
    "month",
    "department",
    "commune",
    "country",
    "order",
    "key_missing",
    "key",
    "temporary",
)
# invalid=rate draws its codes with these weights: the mistakes of real files first.
_INVALID_MIX = (
    ("key", 0.35),
    ("key_missing", 0.15),
    ("length", 0.10),
    ("excel_mangled", 0.10),
    ("empty", 0.10),
    ("characters", 0.08),
    ("month", 0.05),
    ("department", 0.03),
    ("sex", 0.02),
    ("commune", 0.01),
    ("order", 0.01),
)

# Age pyramid of working people: (first age, last age, relative weight per year of
# age). Rough activity rates by age (INSEE, Enquête Emploi, early 2020s): few before
# 20, most from 25 to 54, falling after 55, almost none after 64.
_PYRAMID: tuple[tuple[int, int, float], ...] = (
    (16, 19, 0.15),
    (20, 24, 0.6),
    (25, 54, 1.0),
    (55, 59, 0.75),
    (60, 64, 0.3),
    (65, 67, 0.05),
)

# Shares of the default mix (kind=None, place=None).
_TEMPORARY = 0.02
_NIA = 0.03
_ABROAD_NIR = 0.07  # of all numbers; with the NIA, about 10 % born abroad
_OVERSEAS_SHARE = 0.04
_NORTH_AFRICA_SHARE = 0.01  # of the births before independence
# Approximate populations (thousands, early 2020s; INSEE, ISEE, ISPF), used as weights.
# 984 (TAAF) and 989 (Clipperton) have no resident population: no births drawn there.
_OVERSEAS_WEIGHTS = {
    "971": 384, "972": 361, "973": 286, "974": 871, "975": 6, "976": 256, "985": 256,
    "977": 10, "978": 32, "986": 11, "987": 278, "988": 271,
}  # fmt: skip
# Countries of birth most frequent among immigrants in France (INSEE, "Immigrés et
# descendants d'immigrés", 2023): half the foreign births come from this list.
_FREQUENT_COUNTRIES = ("352", "350", "139", "351", "127", "208", "134")
# Months: (share of pseudo months 31-42, share of unknown months) by kind of birth.
_MONTH_SHARES = {"france": (0.002, 0.001), "abroad": (0.03, 0.07), "nia": (0.10, 0.30)}
# Unknown-month codes: 20 is the only one used since 1988; older files hold 30 and 50-99.
_UNKNOWN_MONTHS = ("20",) * 6 + ("30", "50", "99", "75")
# Births are coded by arrondissement in these three cities (nir-spec.md, section 3.4 A):
# the city's own code is never drawn (the data has their arrondissements from 1946).
_CITIES_WITH_ARRONDISSEMENTS = {"75": "75056", "69": "69123", "13": "13055"}
_COMMUNE_KINDS = frozenset({"commune", "arrondissement-municipal"})

_TWO = tuple(f"{n:02d}" for n in range(100))
_THREE = tuple(f"{n:03d}" for n in range(1000))
_NO_END = date.max.toordinal()


class Person(NamedTuple):
    """One draw: the number and the facts it was built from.

    A named tuple, not a frozen dataclass: it is made once per number, and a frozen
    dataclass's ``__init__`` costs a fifth of a draw.
    """

    number: str
    """The compact 15-character number, or the broken string when `error` is set."""
    sex: str
    """``"M"`` or ``"F"``."""
    birth: date
    """The real birth date (a fictitious month code hides its month)."""
    category: str
    """Where the person was born: one of `CATEGORIES`, or ``"nnp"`` (7/8 layout)."""
    kind: KindName
    month_kind: str
    """``"real"``, ``"pseudo"`` or ``"unknown"``: how the month code was written."""
    error: str | None = None
    """The error code the number fails with, None when it is valid."""


Spans = tuple[tuple[str, int, int], ...]
"""Place codes with the ordinals [from, to) of their validity."""


@dataclass(frozen=True, slots=True)
class _Year:
    """The places a birth in one year can carry (each still checked at the birth date).

    A commune's span is its own period cut to its department's, so one check at the
    birth date covers both.
    """

    mainland: tuple[Spans, ...]
    """One slot per department, equally likely; Corsica's slot holds 20, 2A and 2B."""
    corsica: Spans
    overseas: tuple[Spans, ...]
    overseas_weights: tuple[float, ...]
    """Cumulative, over `overseas`."""
    north_africa: Spans
    """Department codes 91-96 (no commune list in the data for those years)."""
    countries: Spans
    frequent: Spans


_lock = threading.Lock()
_years: dict[int, _Year] = {}
_Commune = tuple[str, int, int, str]
# Department -> (spans of the communes valid over the whole data, with the city codes
# of Paris, Lyon and Marseille left out; the other commune periods, filtered per year).
_communes_by_department: dict[str, tuple[Spans, list[_Commune]]] = {}


def _span(place: _geo.Place) -> tuple[int, int]:
    end = _NO_END if place.valid_to is None else place.valid_to.toordinal()
    return place.valid_from.toordinal(), end


def _all_communes() -> dict[str, tuple[Spans, list[_Commune]]]:
    """The commune periods by department, built once (see `_communes_by_department`)."""
    with _lock:
        if not _communes_by_department:
            from nir import _geo  # noqa: PLC0415  # first use only

            tables = _geo._load()  # noqa: SLF001  # the generator reads the same tables
            coverage = date.fromisoformat(tables.meta["coverage_start"]).toordinal()
            grouped: dict[str, tuple[list[_Commune], list[_Commune]]] = {}
            for periods in tables.communes.values():
                for period in periods:
                    if period.kind in _COMMUNE_KINDS and period.department is not None:
                        entry = (period.code, *_span(period), period.kind)
                        stable, changing = grouped.setdefault(period.department, ([], []))
                        whole = entry[1] <= coverage and entry[2] == _NO_END
                        (stable if whole else changing).append(entry)
            for department, (stable, changing) in grouped.items():
                city = _CITIES_WITH_ARRONDISSEMENTS.get(department)
                spans = tuple((c[0], c[1], c[2]) for c in stable if c[0] != city)
                _communes_by_department[department] = (spans, changing)
    return _communes_by_department


def _year(year: int) -> _Year:
    """The tables of one birth year, built on first use."""
    tables = _years.get(year)
    if tables is None:
        tables = _build_year(year)
        with _lock:
            tables = _years.setdefault(year, tables)
    return tables


def _build_year(year: int) -> _Year:
    lo, hi = date(year, 1, 1).toordinal(), date(year + 1, 1, 1).toordinal()
    from nir import _geo  # noqa: PLC0415  # first use only

    communes = _all_communes()
    geo = _geo._load()  # noqa: SLF001
    mainland: dict[str, list[tuple[str, int, int]]] = {}
    overseas: dict[str, list[tuple[str, int, int]]] = {}
    north_africa: list[tuple[str, int, int]] = []
    for code, periods in geo.departments.items():
        for period in periods:
            valid_from, valid_to = _span(period)
            if valid_to <= lo or valid_from >= hi:
                continue
            if period.kind == _geo.NORTH_AFRICA_KIND:
                north_africa.append((code, valid_from, valid_to))
                continue
            first, after = max(lo, valid_from), min(hi, valid_to)
            stable, changing = communes.get(code, ((), []))
            inside = [c for c in changing if c[1] < after and c[2] > first]
            city = _CITIES_WITH_ARRONDISSEMENTS.get(code)
            if city:  # births there are coded by arrondissement
                inside = [c for c in inside if c[0] != city]
            spans = [*stable, *((c[0], max(c[1], first), min(c[2], after)) for c in inside)]
            if first > lo or after < hi:  # the department changes in the year
                spans = [(c[0], max(c[1], first), min(c[2], after)) for c in spans]
            if len(code) == 3:
                if _OVERSEAS_WEIGHTS.get(code):
                    overseas.setdefault(code, []).extend(spans)
            else:
                slot = "2" if code in ("20", "2A", "2B") else code  # Corsica: one slot
                mainland.setdefault(slot, []).extend(spans)
    territories = sorted(code for code, spans in overseas.items() if spans)
    total, cumulative = 0.0, []
    for code in territories:
        total += _OVERSEAS_WEIGHTS[code]
        cumulative.append(total)
    countries = tuple(
        (code, *_span(period))
        for code, periods in geo.countries.items()
        if code != "100"  # France itself is never a country of birth abroad
        for period in periods
        if _span(period)[0] < hi and _span(period)[1] > lo
    )
    return _Year(
        mainland=tuple(tuple(spans) for _, spans in sorted(mainland.items()) if spans),
        corsica=tuple(mainland.get("2", ())),
        overseas=tuple(tuple(overseas[code]) for code in territories),
        overseas_weights=tuple(w / total for w in cumulative),
        north_africa=tuple(north_africa),
        countries=countries,
        frequent=tuple(c for c in countries if c[0] in _FREQUENT_COUNTRIES),
    )


_departments_of_year: dict[int, dict[str, Spans]] = {}


def _by_department(tables: _Year) -> dict[str, Spans]:
    """The year's commune spans by department code (for the ``place=`` option)."""
    key = id(tables)
    index = _departments_of_year.get(key)
    if index is None:
        grouped: dict[str, list[tuple[str, int, int]]] = {}
        for slot in (*tables.mainland, *tables.overseas):
            for span in slot:
                head = span[0][:3] if span[0][:2] in ("97", "98") else span[0][:2]
                grouped.setdefault(head, []).append(span)
        index = {code: tuple(spans) for code, spans in grouped.items()}
        _departments_of_year[key] = index
    return index


def _pyramid_table() -> tuple[tuple[int, ...], tuple[float, ...]]:
    ages = [age for lo, hi, _ in _PYRAMID for age in range(lo, hi + 1)]
    weights = [weight for lo, hi, weight in _PYRAMID for _ in range(lo, hi + 1)]
    total, cumulative = 0.0, []
    for weight in weights:
        total += weight
        cumulative.append(total / sum(weights))
    return tuple(ages), tuple(cumulative)


_AGES, _AGE_WEIGHTS = _pyramid_table()


def _pick_cumulative(cumulative: Sequence[float], draw: float) -> int:
    """Index of the first cumulative weight above `draw`."""
    return min(bisect_right(cumulative, draw), len(cumulative) - 1)


BornOption = int | date | tuple[date, date] | None


class Drawer:
    """Draws people and their numbers from one ``random()``; holds no other state."""

    def __init__(self, random: Random, *, today: date | None = None) -> None:
        self.random = random
        self.today = today if today is not None else date.today()  # noqa: DTZ011  # a civil date
        self._today_ordinal = self.today.toordinal()

    def _index(self, size: int) -> int:
        return int(self.random() * size)

    # ---------------------------------------------------------------- birth

    def _birth(self, born: BornOption) -> date:
        random = self.random
        if born is None:
            age = _AGES[_pick_cumulative(_AGE_WEIGHTS, random())]
            # A day in the 365 days before the birthday of that age.
            last = self._today_ordinal - int(age * 365.2425)
            return date.fromordinal(last - int(random() * 365))
        if isinstance(born, date):
            return born
        if isinstance(born, int):
            first, after = date(born, 1, 1).toordinal(), date(born + 1, 1, 1).toordinal()
        else:
            first, after = born[0].toordinal(), born[1].toordinal() + 1
            if after <= first:
                raise ValueError(f"born: the range {born[0]}..{born[1]} is empty")
        return date.fromordinal(first + int(random() * (after - first)))

    # ---------------------------------------------------------------- place

    def _draw(self, spans: Spans, day: int) -> str | None:
        """A code of `spans` valid on `day` (an ordinal), or None."""
        if not spans:
            return None
        random = self.random
        for _ in range(8):
            code, valid_from, valid_to = spans[int(random() * len(spans))]
            if valid_from <= day < valid_to:
                return code
        fitting = [c[0] for c in spans if c[1] <= day < c[2]]
        return fitting[int(random() * len(fitting))] if fitting else None

    def _mainland(self, tables: _Year, day: int) -> str | None:
        slots = tables.mainland
        random = self.random
        for _ in range(16):
            slot = slots[int(random() * len(slots))]
            code, valid_from, valid_to = slot[int(random() * len(slot))]
            if valid_from <= day < valid_to:
                return code
        return None

    def _overseas(self, tables: _Year, day: int) -> str | None:
        if not tables.overseas:
            return None
        for _ in range(8):
            territory = tables.overseas[_pick_cumulative(tables.overseas_weights, self.random())]
            code = self._draw(territory, day)
            if code is not None:
                return code
        return None

    def _abroad(self, tables: _Year, day: int, country: str | None = None) -> str | None:
        if country is not None:
            pool = tuple(c for c in tables.countries if c[0] == country)
        else:
            pool = tables.frequent if self.random() < 0.5 else tables.countries
        code = self._draw(pool, day) if pool else None
        return None if code is None else "99" + code

    def _north_africa(self, tables: _Year, day: int) -> str | None:
        code = self._draw(tables.north_africa, day) if tables.north_africa else None
        # No commune list for these years in the data: any of the first 400 codes.
        return None if code is None else code + _THREE[1 + self._index(400)]

    def _fixed(self, tables: _Year, day: int, place: str) -> str | None:
        """A place for the ``place=`` option that is not a category name."""
        if place.startswith("99"):
            return self._abroad(tables, day, place[2:] or None) if len(place) in (2, 5) else None
        by_department = _by_department(tables)
        if len(place) == 5:
            head = place[:3] if place[:2] in ("97", "98") else place[:2]
            fits = any(c[0] == place and c[1] <= day < c[2] for c in by_department.get(head, ()))
            return place if fits else None
        if place in {c[0] for c in tables.north_africa}:
            code = self._draw(tuple(c for c in tables.north_africa if c[0] == place), day)
            return None if code is None else code + _THREE[1 + self._index(400)]
        spans = by_department.get(place)
        return self._draw(spans, day) if spans else None

    def _place(self, birth: date, category: str, place: str | None) -> str | None:
        """A place code for `category`, or for the fixed `place` (not a category)."""
        tables = _years.get(birth.year) or _year(birth.year)
        day = birth.toordinal()
        if place is not None:
            return self._fixed(tables, day, place.upper())
        if category == "mainland":
            return self._mainland(tables, day)
        if category == "corsica":
            return self._draw(tables.corsica, day) if tables.corsica else None
        if category == "overseas":
            return self._overseas(tables, day)
        if category == "north_africa":
            return self._north_africa(tables, day)
        return self._abroad(tables, day)

    def _category(self, kind: KindName) -> str:
        if kind == "nia":
            return "abroad"
        draw = (1.0 - self.random()) * (1 - _TEMPORARY - _NIA)
        if draw < _ABROAD_NIR:
            return "abroad"
        if draw < _ABROAD_NIR + _OVERSEAS_SHARE:
            return "overseas"
        if draw < _ABROAD_NIR + _OVERSEAS_SHARE + _NORTH_AFRICA_SHARE:
            return "north_africa"
        return "mainland"

    # ---------------------------------------------------------------- person

    def person(
        self,
        *,
        sex: str | None = None,
        born: BornOption = None,
        kind: KindName | None = None,
        place: str | None = None,
        error: str | None = None,
        month_kind: str | None = None,
    ) -> Person:
        """One person and a number built for them; `error` breaks it with that code.

        `month_kind` (``"real"``, ``"pseudo"``, ``"unknown"``) forces how the month is
        written; None draws it (fictitious months are commoner for births abroad).
        """
        random = self.random
        if kind is None:
            draw = 1.0 - random()  # low draws (where hypothesis shrinks to): a plain NIR
            kind = (
                "temporary" if draw < _TEMPORARY else "nia" if draw < _TEMPORARY + _NIA else "nir"
            )
        male = random() < 0.5 if sex is None else sex.upper() == "M"
        fixed = place is not None and place not in CATEGORIES
        for _ in range(100):
            birth = self._birth(born)
            if place is None:
                if kind == "temporary" and random() >= 0.5:
                    return self._nnp(male, birth, error)
                category = self._category(kind)
            elif fixed:
                category = ""
            else:
                category = place
            code = self._place(birth, category, place if fixed else None)
            if code is None and place is None:  # e.g. no North Africa after 1962
                category = "mainland"
                code = self._place(birth, category, None)
            if code is not None:
                break
        else:
            raise ValueError(f"place={place!r}: no such place at the birth dates drawn")
        if fixed or (category == "mainland" and code[1] in "0AB" and code[0] == "2"):
            category = _category_of(code)
        month, month_kind = self._month(birth, category, kind, month_kind)
        first = ("3" if male else "4") if kind == "temporary" else ("1" if male else "2")
        body = first + _TWO[birth.year % 100] + month + code + _THREE[1 + int(random() * 999)]
        number = body + _TWO[97 - int(body) % 97 if body[6] not in "AB" else key_of(body)]
        if error is not None:
            number = break_number(number, error, random)
        return Person(number, "M" if male else "F", birth, category, kind, month_kind, error)

    def _nnp(self, male: bool, birth: date, error: str | None) -> Person:
        """A 7/8 temporary number (NNP layout: creation type 1, caisse, order) with its key."""
        caisse = _THREE[1 + self._index(999)]
        order = f"{1 + self._index(99_999_999):08d}"
        body = ("7" if male else "8") + "1" + caisse + order
        number = body + _TWO[key_of(body)]
        if error is not None:
            number = break_number(number, error, self.random)
        return Person(number, "M" if male else "F", birth, "nnp", "temporary", "unknown", error)

    def _month(
        self, birth: date, category: str, kind: KindName, forced: str | None
    ) -> tuple[str, str]:
        if forced == "real":
            return _TWO[birth.month], "real"
        if forced == "pseudo":
            return _TWO[birth.month + 30], "pseudo"
        if forced == "unknown":
            return _UNKNOWN_MONTHS[self._index(len(_UNKNOWN_MONTHS))], "unknown"
        if kind == "nia":
            pseudo, unknown = _MONTH_SHARES["nia"]
        elif category in ("abroad", "north_africa"):
            pseudo, unknown = _MONTH_SHARES["abroad"]
        else:
            pseudo, unknown = _MONTH_SHARES["france"]
        draw = 1.0 - self.random()
        if draw < pseudo:
            return _TWO[birth.month + 30], "pseudo"
        if draw < pseudo + unknown:
            return _UNKNOWN_MONTHS[self._index(len(_UNKNOWN_MONTHS))], "unknown"
        return _TWO[birth.month], "real"

    def invalid_code(self) -> str:
        """An error code drawn from the mix of real files' mistakes."""
        draw = self.random()
        for code, weight in _INVALID_MIX:
            if draw < weight:
                return code
            draw -= weight
        return _INVALID_MIX[0][0]


def _category_of(code: str) -> str:
    if code.startswith("99"):
        return "abroad"
    if code[:2] in ("97", "98"):
        return "overseas"
    if code[:2] in ("20", "2A", "2B"):
        return "corsica"
    return "mainland"


def break_number(number: str, code: str, random: Random) -> str:
    """`number` (valid, compact) changed so that `nir.parse` fails with `code`.

    The other fields keep their values and the key is recomputed where the broken
    field is before the key check, so exactly that check fails.
    """
    body = number[:13]

    def keyed(new_body: str) -> str:
        return new_body + _TWO[key_of(new_body)]

    nir_layout = body[0] in "1234"
    if code == "empty":
        return ("", " ", "  ", " . ")[int(random() * 4)]
    if code == "excel_mangled":
        digits = keyed(body[:5] + "75" + body[7:]) if not body.isdigit() else number
        mantissa = (digits[0] + "." + digits[1:]).rstrip("0").rstrip(".")
        return f"{mantissa}E+14" if random() < 0.6 else f"{mantissa}E+14".replace(".", ",")
    if code == "characters":
        position = (1, 2, 3, 4, 8, 9, 10, 11, 12, 13)[int(random() * 10)]
        return number[:position] + "OIlS"[int(random() * 4)] + number[position + 1 :]
    if code == "length":
        cut = 1 + int(random() * 13)
        return number[:cut] + number[cut + 1 :]  # one digit lost: 14 characters
    if code == "sex":
        return keyed("0569"[int(random() * 4)] + body[1:])
    if code == "key_missing":
        return body
    if code == "key":
        key = key_of(body)
        return body + _TWO[(key - 1 + 1 + int(random() * 96)) % 97 + 1]
    if code == "temporary":
        return keyed(("3" if body[0] in "137" else "4") + body[1:]) if nir_layout else number
    # Temporary numbers never fail on their fields: break a 1/2 NIR of the same sex.
    if body[0] in "78":
        body = ("1" if body[0] == "7" else "2") + "8001" + "75" + "101" + "001"
    elif body[0] in "34":
        body = ("1" if body[0] == "3" else "2") + body[1:]
    if code == "month":
        return keyed(body[:3] + ("00", "13", "14", "19")[int(random() * 4)] + body[5:])
    if code == "department":
        return keyed(body[:5] + ("00" + body[7:10] if random() < 0.5 else "97900") + body[10:])
    if code == "commune":
        overseas = body[5:7] in ("97", "98")
        if body[5:7] == "99":
            body = body[:5] + "75" + body[7:]
        return keyed(body[:8] + "00" + body[10:] if overseas else body[:7] + "000" + body[10:])
    if code == "country":
        return keyed(body[:5] + "99000" + body[10:])
    if code == "order":
        return keyed(body[:10] + "000")
    raise ValueError(f"cannot make a number failing with {code!r}: codes are {ERROR_CODES}")


@dataclass(frozen=True, slots=True)
class Request:
    """The options of one `generate` call, checked once (`Request.checked`)."""

    sex: str | None = None
    born: BornOption = None
    kind: KindName | None = None
    place: str | None = None
    invalid: float = 0.0
    """The share of numbers broken with a code drawn from real files' mistakes."""
    error: str | None = None
    """Every number fails with this code (then `invalid` is unused)."""

    @classmethod
    def checked(
        cls,
        *,
        sex: str | None = None,
        born: BornOption = None,
        kind: str | None = None,
        place: str | None = None,
        invalid: float | str = 0.0,
    ) -> Request:
        """Refuse options the generator cannot honour, with a message naming the option."""
        if sex is not None and str(sex).upper() not in ("M", "F"):
            raise ValueError(f"sex must be 'M', 'F' or None, not {sex!r}")
        if born is not None and not isinstance(born, int | date | tuple):
            raise ValueError(f"born must be a year, a date or a (first, last) pair, not {born!r}")
        if isinstance(born, int) and not 1850 <= born <= 9998:
            raise ValueError(f"born: year {born} is out of range")
        if place is not None and not isinstance(place, str):
            raise ValueError(f"place must be a string, not {place!r}")
        checked_kind: KindName | None = None
        for name in KINDS:
            if kind == name:
                checked_kind = name
        if kind is not None and checked_kind is None:
            raise ValueError(f"kind must be one of {KINDS} or None, not {kind!r}")
        if isinstance(invalid, str):
            if invalid not in ERROR_CODES:
                raise ValueError(f"invalid must be a rate or one of {ERROR_CODES}, not {invalid!r}")
            return cls(_sex(sex), born, checked_kind, place, 0.0, invalid)
        if not 0.0 <= invalid <= 1.0:
            raise ValueError(f"invalid must be a rate between 0 and 1, not {invalid!r}")
        return cls(_sex(sex), born, checked_kind, place, float(invalid), None)

    def person(self, drawer: Drawer) -> Person:
        """One person drawn with these options."""
        error = self.error
        if error is None and self.invalid and drawer.random() < self.invalid:
            error = drawer.invalid_code()
        return drawer.person(
            sex=self.sex, born=self.born, kind=self.kind, place=self.place, error=error
        )


def _sex(sex: str | None) -> str | None:
    return None if sex is None else str(sex).upper()


@overload
def generate(
    n: None = None,
    *,
    seed: int | str | None = None,
    sex: str | None = None,
    born: BornOption = None,
    kind: KindName | None = None,
    place: str | None = None,
    invalid: float | str = 0.0,
    reference_date: date | None = None,
) -> str: ...
@overload
def generate(
    n: int,
    *,
    seed: int | str | None = None,
    sex: str | None = None,
    born: BornOption = None,
    kind: KindName | None = None,
    place: str | None = None,
    invalid: float | str = 0.0,
    reference_date: date | None = None,
) -> list[str]: ...
def generate(
    n: int | None = None,
    *,
    seed: int | str | None = None,
    sex: str | None = None,
    born: BornOption = None,
    kind: KindName | None = None,
    place: str | None = None,
    invalid: float | str = 0.0,
    reference_date: date | None = None,
) -> str | list[str]:
    """Realistic fake numbers (compact form): one when `n` is None, else a list of `n`.

    Args:
        n: how many numbers; None for a single string.
        seed: makes the output reproducible (with the same `reference_date`).
        sex: ``"M"`` or ``"F"``; None draws either.
        born: a year, a `date`, or a ``(first, last)`` pair of dates; None draws from
            an age pyramid of working people (16-67) at `reference_date`.
        kind: ``"nir"``, ``"nia"`` (born abroad, often a fictitious month) or
            ``"temporary"``; None mixes them (about 95 %, 3 %, 2 %).
        place: ``"mainland"``, ``"corsica"``, ``"overseas"``, ``"abroad"``,
            ``"north_africa"``, a department code (``"75"``, ``"2A"``, ``"971"``), a
            5-character place (``"75056"``, ``"99351"``) or ``"99"`` (any country);
            the place must exist at the birth date, else `ValueError`.
        invalid: a rate in [0, 1] of numbers broken the way real files are, or an
            error code (``"key"``, ``"month"``...; `nir.NirError.code`): then every
            number fails with exactly that code (``"temporary"``: with
            ``allow_temporary=False``).
        reference_date: the "today" of the ages; None is the real today.

    >>> from datetime import date
    >>> generate(seed=1, reference_date=date(2026, 1, 1)) == generate(
    ...     seed=1, reference_date=date(2026, 1, 1))
    True
    >>> len(generate(3, seed=1))
    3
    >>> generate(seed=5, born=1970, place="corsica")[5:7]
    '20'
    >>> generate(seed=5, born=1990, place="corsica")[5:7] in ("2A", "2B")
    True
    """
    from random import Random  # noqa: PLC0415  # not at import nir

    request = Request.checked(sex=sex, born=born, kind=kind, place=place, invalid=invalid)
    drawer = Drawer(Random(seed).random, today=reference_date)  # noqa: S311  # not secrets
    if n is None:
        return request.person(drawer).number
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    person = request.person
    return [person(drawer).number for _ in range(n)]


def people(
    n: int,
    *,
    seed: int | str | None = None,
    invalid: float | str = 0.0,
    reference_date: date | None = None,
) -> list[Person]:
    """`n` drawn people with their numbers (what `nir fake --format csv` prints)."""
    from random import Random  # noqa: PLC0415  # not at import nir

    request = Request.checked(invalid=invalid)
    drawer = Drawer(Random(seed).random, today=reference_date)  # noqa: S311  # not secrets
    return [request.person(drawer) for _ in range(n)]
