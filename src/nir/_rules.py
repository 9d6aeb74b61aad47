"""Every rule fact of the NIR, stated once, as data (sources: nir-spec.md).

The Python rules (`nir._parse`, `nir._key`), the shortcut (`nir._fast`) and the
C core (fed by `c_tables` through `nir._accel`) all read these names: changing
a cut-off date here is one edit, and both cores follow it. Only plain data and
their derivations live here; what is said about a broken rule is elsewhere.
"""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see nir._tuples)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import NamedTuple
else:
    from nir._tuples import NamedTuple

# ---------------------------------------------------------------------------
# The first digit (nir-spec.md 3.1, 4.4)

MEN = frozenset("1")
WOMEN = frozenset("2")
"""Definitive numbers (NIR, NIA): 1 a man, 2 a woman."""
TEMPORARY_MEN = frozenset("37")
TEMPORARY_WOMEN = frozenset("48")
"""Temporary numbers: their fields are not checked, only their key."""
DEFINITIVE = MEN | WOMEN
TEMPORARY = TEMPORARY_MEN | TEMPORARY_WOMEN
MALE_DIGITS = MEN | TEMPORARY_MEN
"""The first digits of a man's number, for the identity check of the sex (spec §6)."""
NO_BIRTH_FIELDS = frozenset("78")
"""NNP (temporary 7/8): positions 2-13 are a caisse and an order, not a birth."""
DEFAULT_BIRTH_DAYS = ((1, 1), (12, 31))
"""(month, day) given to people whose civil status states only the year (spec §6)."""

# ---------------------------------------------------------------------------
# Month codes (nir-spec.md 3.3)

REAL_MONTHS = range(1, 13)
"""01-12: the month of birth itself."""
PSEUDO_MONTH_OFFSET = 30
"""31-42: a real month plus 30 (a known month under a fictitious code)."""
PSEUDO_MONTHS = range(31, 43)
UNKNOWN_MONTHS = frozenset({20, 30, *range(50, 100)})
"""The documented fictitious codes: month unknown."""
UNDOCUMENTED_MONTHS = frozenset({*range(21, 30), *range(43, 50)})
"""Fictitious in practice but not documented by INSEE: read as unknown, with a warning."""

# ---------------------------------------------------------------------------
# Places (nir-spec.md 3.4)

NO_DEPARTMENT = "00"
ABROAD = "99"
"""99 + a country code."""
NO_COUNTRY = "000"
NO_COMMUNE = "000"
"""A commune code no department has."""
NO_ORDER = "000"
"""The order number no birth gets."""
FRANCE_COUNTRY = "100"
"""France itself: a warning when given as the country of a birth abroad."""
OVERSEAS_HEADS = frozenset({"97", "98"})
"""The first two digits of a 3-digit overseas department."""
OVERSEAS = frozenset({"971", "972", "973", "974", "975", "976", "977", "978"}) | frozenset(
    {"984", "985", "986", "987", "988", "989"}
)
OVERSEAS_COMMUNE_MAX = 90
"""No overseas commune code above 90 is known (a warning, not an error)."""


# Named tuples rather than frozen dataclasses: cheaper to define, and `import nir` runs this.
class Period(NamedTuple):
    """A code that is right only for births in a span: from `since`, before `until`."""

    since: date | None = None
    until: date | None = None
    note: str = ""
    """Which rule this is, for whoever words its warning."""


MAYOTTE_DEPARTMENT = date(2011, 3, 31)
"""985 became 976 (nir-spec.md 3.4 B)."""
SAINT_BARTH_MARTIN = date(2007, 2, 23)
"""977/978 split from Guadeloupe (nir-spec.md 3.4 B): INSEE's date of effect, the day
the data's 97123 and 97127 end and 97701 and 97801 start."""
OVERSEAS_PERIODS: Mapping[str, Period] = MappingProxyType(
    {
        "985": Period(until=MAYOTTE_DEPARTMENT, note="mayotte_985"),
        "976": Period(since=MAYOTTE_DEPARTMENT, note="mayotte_976"),
        "977": Period(since=SAINT_BARTH_MARTIN, note="saint_barth_martin"),
        "978": Period(since=SAINT_BARTH_MARTIN, note="saint_barth_martin"),
    }
)
OVERSEAS_NOTES = ("mayotte_985", "mayotte_976", "saint_barth_martin")
"""The notes of OVERSEAS_PERIODS, in the order the C core numbers them."""

CORSICA = "20"
"""Corsica's department before the split (nir-spec.md 3.4 A)."""
CORSICA_SPLIT = date(1976, 1, 1)
"""20 split into 2A and 2B."""
CORSICA_LETTERS: Mapping[str, int] = MappingProxyType({"A": 19, "B": 18})
"""2A and 2B: the letters that follow Corsica's 2, and the two digits they count as
in the key (nir-spec.md 3.6: 2A counts as 19, 2B as 18)."""

SEINE_SPLIT = date(1968, 1, 1)
"""75/78 split into 75, 78, 91-95 (law of 10 July 1964): 91-95 are departments from then."""


class NorthAfrica(NamedTuple):
    """A code 91-96 that meant a country before its independence (nir-spec.md 3.4 D)."""

    country: str
    name: str
    independence: date
    department_after: bool
    """Whether the code is a department from SEINE_SPLIT (91-95) or nothing (96)."""


_ALGERIA = NorthAfrica("352", "Algeria", date(1962, 7, 3), department_after=True)
NORTH_AFRICA: Mapping[str, NorthAfrica] = MappingProxyType(
    {
        "91": _ALGERIA,
        "92": _ALGERIA,
        "93": _ALGERIA,
        "94": _ALGERIA,
        "95": NorthAfrica("350", "Morocco", date(1956, 3, 2), department_after=True),
        "96": NorthAfrica("351", "Tunisia", date(1956, 3, 20), department_after=False),
    }
)

# ---------------------------------------------------------------------------
# Century (nir-spec.md 3.2)

MAX_AGE = 120
"""People older than this are taken as implausible when inferring the century."""
REGISTER_START = 1946
OLDEST_READING = REGISTER_START - MAX_AGE
"""The oldest reading of the year that can still make a number valid. A number stays
valid once issued, and issuing began with the register in 1946, when a reading up
to MAX_AGE years old was plausible: so readings go back to 1946 - 120. Fixed, not
relative to the reference date, so that a later reference date only adds readings.
Every place rule changes in 1956 or later, so all readings before 1956 give the
same verdict: any bound up to 1868 gives the same results (96 with YY=80 was
valid in 1950, read as 1880), a later one would reject numbers once valid."""

# ---------------------------------------------------------------------------
# Derived: what the shortcut may accept without the reference date


def transition_years(country: NorthAfrica) -> frozenset[int]:
    """The YY of the years where a birth may fall between independence and SEINE_SPLIT.

    There 91-95 mean neither a country nor a department: a warning.
    """
    years = range(country.independence.year, SEINE_SPLIT.year + 1)
    return frozenset(
        year % 100
        for year in years
        for month in range(1, 13)
        if country.independence <= date(year, month, 1) < SEINE_SPLIT
    )


_EVERY_YY = frozenset(range(100))


def plain_department_years(head: str) -> frozenset[int]:
    """The YY for which the 2-digit mainland `head` is right whatever the birth date.

    Codes with a period (Corsica's 20, 2A/2B, and 96) depend on the century for
    every YY, since readings span centuries both sides of any cut-off.
    """
    if head in {NO_DEPARTMENT, ABROAD, CORSICA, *OVERSEAS_HEADS} or not head.isdigit():
        return frozenset()
    country = NORTH_AFRICA.get(head)
    if country is None:
        return _EVERY_YY
    if not country.department_after:
        return frozenset()
    return _EVERY_YY - transition_years(country)


PLAIN_OVERSEAS = frozenset(OVERSEAS - OVERSEAS_PERIODS.keys())
"""The overseas departments right whatever the birth date."""
DOCUMENTED_MONTHS = frozenset({*REAL_MONTHS, *PSEUDO_MONTHS, *UNKNOWN_MONTHS})
