"""Identity values as HR exports write them: sex, birth date, birth place.

Each reader turns one cell into a value the cross-checks can compare, or into a
reason code when the cell cannot be read (junk is never an error). The readers
are cached: a CSV column repeats the same few texts.
"""

from __future__ import annotations

import functools
import numbers
import operator
import re
import sys
import unicodedata
from datetime import date, datetime, timedelta
from typing import NamedTuple

# Readings of the sex, after `fold` (accents dropped, lower case, no dots or
# spaces at the ends): letters, digits (also DSN's 01/02), words, civilities.
_MALE = frozenset({"m", "h", "1", "01", "homme", "masculin", "masc", "male", "man"})
_MALE |= {"mr", "monsieur", "mister", "garcon"}
_FEMALE = frozenset({"f", "2", "02", "femme", "feminin", "fem", "female", "woman"})
_FEMALE |= {"mme", "madame", "mlle", "melle", "mademoiselle", "mrs", "ms", "miss", "fille"}
# Cells that say "nothing here".
_JUNK = frozenset({"", "n/a", "na", "nan", "none", "null", "nc", "n.c", "-", "--", "?", "x"})
_JUNK |= {"inconnu", "inconnue", "unknown", "non renseigne", "sans", "neant"}

_TIME = r"(?: [0-9]{1,2}[:h][0-9:.,]*)?"
"""A time after a date, with its colon ("12/08/55 19:55"; "12/08/19 55" is no date)."""
_ISO = re.compile(r"([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})(?:[T ][0-9:.,]+(?:Z|[+-][0-9:]+)?)?")


def _numbered(rows: tuple[str, ...], *, first: int) -> dict[str, int]:
    """Each word of each row (folded spellings of one name) -> the row's number."""
    return {word: number for number, row in enumerate(rows, first) for word in row.split()}


# "12 août 1955", "1er janvier 1955", "12-août-55", "12 Aug 1955": a spreadsheet's
# long date as a CSV export writes it
_NAMED = re.compile(
    r"(?:([^\W\d_]+)\.?,? +)?([0-9]{1,2})(?:er)?[ ./-]*([^\W\d_]+)\.?[ ./-]*([0-9]{4}|[0-9]{2})"
    + _TIME
)
_WEEKDAYS = _numbered(
    (
        "lundi lun monday mon",
        "mardi mar tuesday tue",
        "mercredi mer wednesday wed",
        "jeudi jeu thursday thu",
        "vendredi ven friday fri",
        "samedi sam saturday sat",
        "dimanche dim sunday sun",
    ),
    first=0,  # date.weekday()'s Monday
)
"""Folded weekday names: Excel's French long date is "vendredi 12 août 1955"."""
_MONTH_NAMES = _numbered(
    (
        "janvier janv jan january",
        "fevrier fevr fev feb february",
        "mars mar march",
        "avril avr apr april",
        "mai may",
        "juin jun june",
        "juillet juil jul july",
        "aout aou aug august",
        "septembre sept sep september",
        "octobre oct october",
        "novembre nov november",
        "decembre dec december",
    ),
    first=1,
)
"""Folded month names, French and English, full and abbreviated (Excel's "mmm")."""
_FRENCH = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})" + _TIME)
_EIGHT_DIGITS = re.compile(r"[0-9]{8}")
_SERIAL = re.compile(r"([0-9]{1,5})(?:[.,][0-9]*)?")
# Spreadsheets count days from 1899-12-30 (the 1900 leap-year bug folded in).
_SERIAL_EPOCH = date(1899, 12, 30)
_YEARS = range(1850, 2101)
"""A bare number in it is a year (``1955``): as a serial, a day of 1905, too old to be
a birth date; people whose civil status gives only the year are born on 1 January
for the records (`nir._rules.DEFAULT_BIRTH_DAYS`), their month left unchecked."""

UNREADABLE_SEX = "unreadable_sex"
UNREADABLE_DATE = "unreadable_date"
UNREADABLE_PLACE = "unreadable_place"


class _Decomposition(dict[int, str]):
    """`str.translate`'s table for `fold`: a character's NFKD without combining marks.

    NFKD decomposes each character alone and reorders only the combining marks,
    which are dropped: one translate gives what normalising the whole text gives,
    5 times faster on a name with accents. Filled on the first sight of each one.
    """

    def __missing__(self, point: int) -> str:
        character = chr(point)
        kept = "".join(
            c for c in unicodedata.normalize("NFKD", character) if not unicodedata.combining(c)
        )
        self[point] = kept
        return kept


_DECOMPOSITION = _Decomposition()


def fold(text: str) -> str:
    """Lower case, accents dropped, outer spaces and dots stripped: "Féminin." -> "feminin"."""
    if not text.isascii():
        text = text.translate(_DECOMPOSITION)
    return text.strip().strip(".").strip().casefold()


_LARGEST = 10**9  # larger than any code or sex a number could stand for


def is_missing(value: object) -> bool:
    """Whether a value is a DataFrame's missing one: NaN, NaT (unequal to themselves), pd.NA."""
    if value is None or type(value) is str:
        return False
    try:
        return bool(value != value)  # noqa: PLR0124
    except Exception:  # noqa: BLE001  # an array, sNaN, any odd object: no (never raises); NA: asked
        pandas = sys.modules.get("pandas")  # NA exists only once pandas is imported
        return pandas is not None and value is getattr(pandas, "NA", None)


def identity_text(value: object, *, place: bool = False) -> str | None:
    """A sex or birth-place argument as text, as `read_sex` and `read_place` read it.

    Spreadsheets and DataFrames give numbers: 2, 2.0, numpy's int64; a place code
    that lost its leading zero gets it back (1053 is 01053, 1 the department 01).
    None for a missing value (None, NaN, pd.NA); "" (unreadable) for anything else.
    """
    if value is None or isinstance(value, str):
        return value
    if is_missing(value):
        return None
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        real = float(value)  # float, numpy's float32 too (NaN: is_missing, above)
        if not real.is_integer() or abs(real) >= _LARGEST:
            return ""
        value = int(real)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        return ""  # (Integral: int and numpy's integers, not an array)
    try:
        number = operator.index(value)
    except TypeError:  # numpy's timedelta64 says it is Integral
        return ""
    if not 0 < number < _LARGEST:  # (str() of a huge int raises)
        return ""
    if place and 0 < number < 100:
        return f"{number:02d}"
    if place and 1000 <= number < 100_000:
        return f"{number:05d}"
    return str(number)


@functools.lru_cache(maxsize=256)
def read_sex(value: str) -> str | None:
    """The sex, "M" or "F", for a sex or civility as HR writes it, None when unreadable.

    >>> read_sex("Mme"), read_sex("Masculin"), read_sex("2"), read_sex("N/A")
    ('F', 'M', 'F', None)
    """
    folded = fold(value)
    if folded in _MALE:
        return "M"
    if folded in _FEMALE:
        return "F"
    return None


class Centuryless(NamedTuple):
    """A date written with a two-digit year (``12/08/55``): its century is the number's.

    The year's digits are compared with the number's, and a birth place at this day
    of the century the number is read in (`nir._identity._window`); such a date is
    never in the future nor too old, as nothing says which century it is in.
    """

    years: int
    """The year's two digits, 0-99."""
    month: int
    day: int


def read_date(value: object) -> date | Centuryless | None:
    """The date a cell means, None when unreadable (also 31/02/1980).

    `date`, `datetime`, a spreadsheet serial number (int or float), or text:
    ISO (``1955-08-12``, a time part allowed, ``1955/08/12``), French (``12/08/1955``,
    ``12-08-1955``, ``12.08.1955``), with the month's name (``12 août 1955``,
    ``12-Aug-1955``), DSN's ``12081955``, a serial (``20313``). A two-digit year
    (``12/08/55``, ``12-août-55``) gives a `Centuryless` date; a year alone, 1850-2100
    (``1955``, also as a number), its 1 January (see `_YEARS`).

    >>> read_date("12/08/1955"), read_date("1955-08-12T00:00:00"), read_date("20313")
    (datetime.date(1955, 8, 12), datetime.date(1955, 8, 12), datetime.date(1955, 8, 12))
    >>> read_date("1er août 1955"), read_date("vendredi 12 août 1955"), read_date("12/08/55")
    (datetime.date(1955, 8, 1), datetime.date(1955, 8, 12), Centuryless(years=55, month=8, day=12))
    """
    if isinstance(value, str):
        return _read_date_text(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_serial(value)
    return None


@functools.lru_cache(maxsize=65536)
def _read_date_text(value: str) -> date | Centuryless | None:
    text = value.strip()
    if match := _ISO.fullmatch(text):
        return _make(int(match[1]), int(match[3]), int(match[4]))
    if match := _FRENCH.fullmatch(text):
        return _day(match[4], int(match[3]), int(match[1]))
    if (match := _NAMED.fullmatch(text)) and (month := _MONTH_NAMES.get(fold(match[3]))):
        day = _day(match[4], month, int(match[2]))
        if day is None or match[1] is None:
            return day
        if not isinstance(day, date):
            return None  # a weekday with no century to check it in
        weekday = _WEEKDAYS.get(fold(match[1]))  # said, it must be the date's
        return day if weekday == day.weekday() else None
    if _EIGHT_DIGITS.fullmatch(text):
        iso = _make(int(text[:4]), int(text[4:6]), int(text[6:]))
        return iso or _make(int(text[4:]), int(text[2:4]), int(text[:2]))
    if match := _SERIAL.fullmatch(text):
        return _from_serial(int(match[1]))
    return None


def _from_serial(serial: float) -> date | None:
    """A spreadsheet's day number, or a year alone (`_YEARS`)."""
    if serial == int(serial) and int(serial) in _YEARS:
        return date(int(serial), 1, 1)
    if not 1 <= serial < 100_000:  # 100 000 days: year 2173
        return None
    return _SERIAL_EPOCH + timedelta(days=int(serial))


def _day(year: str, month: int, day: int) -> date | Centuryless | None:
    """A day of a year written in full, or of its two digits (a day of some century)."""
    if len(year) == 4:
        return _make(int(year), month, day)
    years = int(year)
    leap = 2000 + years  # 00: 2000 is a leap year, so 29/02/00 is a day of some century
    return Centuryless(years, month, day) if _make(leap, month, day) else None


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


class Declared(NamedTuple):
    """A birth place as given: its kind ("commune", "department", "country", "name")."""

    kind: str
    value: str


_COMMUNE = re.compile(r"(?:[0-9]{2}|2[AB])[0-9]{3}")
DEPARTMENT_CODE = re.compile(r"[0-9]{2}|2[AB]|9[78][0-9]")
"""A department's code as a cell writes it (upper case)."""
_COUNTRY = re.compile(r"(?:99)?([0-9]{3})")
_WORD_CHARACTERS = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


class _NameFolding(dict[int, str]):
    """`str.translate`'s table for `name_key`: each character as `fold` makes it.

    With a space for each character outside [0-9a-z] (the separators of words).
    `fold` works character by character (`_Decomposition`, and case folding maps
    each character alone), so one translate gives what fold and a split on
    [^0-9a-z]+ give, 4 times faster.
    Filled on the first sight of each character.
    """

    def __missing__(self, point: int) -> str:
        character = _DECOMPOSITION[point]
        folded = "".join(c if c in _WORD_CHARACTERS else " " for c in character.casefold())
        self[point] = folded
        return folded


_NAME_FOLDING = _NameFolding()


def name_key(name: str) -> str:
    """A place name folded for comparison: case, accents, hyphens, St/Saint ignored.

    >>> name_key("St-Étienne") == name_key("SAINT ETIENNE")
    True
    """
    words = name.translate(_NAME_FOLDING).split()
    if "st" in words or "ste" in words:
        words = [_ABBREVIATIONS.get(word, word) for word in words]
    return " ".join(words)


_JUNK_KEYS = frozenset(name_key(junk) for junk in _JUNK)
_ANY_DIGIT = re.compile("[0-9]").search


def sure_name_key(value: str) -> str | None:
    """`read_place(value).value` when that is surely a name's; None when not sure.

    A shortcut for a scan reading each distinct cell once: one `name_key`, not
    every reading tried. A cell whose key holds no digit matches no code
    pattern (a digit stays one in the key), and one whose key is not a junk
    word's is no junk (`fold` equal means `name_key` equal).
    """
    text = value.strip().upper()
    key = name_key(text)
    if not key or key in _JUNK_KEYS or _ANY_DIGIT(key) or _qualifier_marked(text):
        return None
    return key


QUALIFIER = "|"
"""Between a name and what qualifies it in a `Declared` name's value: "caen|14" for
"Caen (14)" (never in a folded name: `name_key` makes it a space)."""

_SEPARATORS = (",", " / ", " - ", " \N{EN DASH} ", " \N{EM DASH} ")
_CODE_WORD = re.compile(r"[0-9]{2,3}|2[ab]|[0-9]{5}")  # a department or a postal code
RANK = re.compile(r"([0-9]{1,2})(?:er|ere|e|eme|em|ieme)?")
"""An arrondissement's rank, folded: "15e", "1er", "3" (its number, group 1)."""
_ARRONDISSEMENT_WORDS = frozenset({"arrondissement", "arr", "arrt", "arrdt"})


def _qualifier_marked(text: str) -> bool:
    return text.endswith(")") or any(separator in text for separator in _SEPARATORS)


def qualified_name(text: str) -> tuple[str, str] | None:
    """A place cell's name and what qualifies it, folded; None when it is not so written.

    The forms of HR exports: "Caen (14)", "Caen (Calvados)", "Casablanca, Maroc",
    "Caen - 14000", "Caen 14", "14000 Caen", "75 - Paris", "Paris 15e", "Lyon 3e
    arrondissement".
    The name must hold a letter; what the qualifier means is for the data to say
    (`nir._identity_place.name_codes`).

    >>> qualified_name("Saint-Denis (93)"), qualified_name("PARIS 15E"), qualified_name("Caen")
    (('saint denis', '93'), ('paris', '15e'), None)
    >>> qualified_name("Caen, Calvados, France")
    ('caen|calvados', 'france')
    """
    name = qualifier = ""
    marked = True
    if text.endswith(")"):
        name, opened, qualifier = text[:-1].rpartition("(")
        if not opened:
            return None
    elif (separator := next((s for s in _SEPARATORS if s in text), None)) is not None:
        name, _, qualifier = text.rpartition(separator)
    else:
        marked = False
        words = name_key(text).split()
        if len(words) >= 3 and words[-1] in _ARRONDISSEMENT_WORDS:  # "paris 15e arrondissement"
            words = words[:-1]
        if len(words) >= 2 and (_CODE_WORD.fullmatch(words[-1]) or RANK.fullmatch(words[-1])):
            name, qualifier = " ".join(words[:-1]), words[-1]
        elif len(words) >= 2 and _CODE_WORD.fullmatch(words[0]):
            name, qualifier = " ".join(words[1:]), words[0]
    inner = qualified_name(name.strip()) if marked and _qualifier_marked(name.strip()) else None
    # "Caen, Calvados, France": the name qualified in turn ("caen|calvados")
    name, qualifier = QUALIFIER.join(inner) if inner else name_key(name), name_key(qualifier)
    if _CODE_WORD.fullmatch(name):  # "75 - Paris", "14 (Caen)": the code first
        name, qualifier = qualifier, name
    if not qualifier or not any(character.isalpha() for character in name):
        return None
    return name, qualifier


@functools.lru_cache(maxsize=65536)
def read_place(value: str) -> Declared | None:
    """What a birth-place cell names: an INSEE code or a name; None when empty or junk.

    A name written with a qualifier (`qualified_name`) keeps both, joined by QUALIFIER.

    >>> read_place("92044"), read_place("99352"), read_place("2a"), read_place("St-Denis")
    (Declared(kind='commune', value='92044'), Declared(kind='country', value='352'), \
Declared(kind='department', value='2A'), Declared(kind='name', value='saint denis'))
    """
    text = value.strip().upper()
    if fold(text) in _JUNK:
        return None
    if len(text) == 5 and text.startswith("99") and text.isdigit():
        return Declared("country", text[2:])
    if _COMMUNE.fullmatch(text):
        return Declared("commune", text)
    if DEPARTMENT_CODE.fullmatch(text):
        return Declared("department", text)
    if match := _COUNTRY.fullmatch(text):
        return Declared("country", match[1])
    parts = qualified_name(text)
    if parts is not None:
        return Declared("name", QUALIFIER.join(parts))
    key = name_key(text)
    return Declared("name", key) if key and not key.isdigit() else None
