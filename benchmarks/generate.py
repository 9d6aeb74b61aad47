"""Deterministic generator of realistic HR/payroll CSV exports for the benchmarks.

Same arguments => same bytes: every chunk of rows has its own `random.Random`
seeded from (seed, chunk index), nothing depends on the clock, the locale or the
number of worker processes. The numbers (and the birth date and sex beside them)
come from `nir`'s own generator (`nir._generate`, behind `nir.generate`): one
generator, not two. This module adds the other columns, the formatting noise and
the mix of categories. Each row carries the generator's verdict (valid/invalid),
so tests can check it against `nir.is_valid`.

    python benchmarks/generate.py --rows 1000000 --out benchmarks/data/hr_1e6.csv
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from random import Random
from typing import TypeVar

from nir import _geo, _rules
from nir._generate import Drawer, KindName, Person, break_number

_T = TypeVar("_T")

# The header of the 10-column export (the 1-column export has just "nir").
COLUMNS_10 = (
    "matricule",
    "nom",
    "prenom",
    "date_naissance",
    "sexe",
    "nir",
    "date_embauche",
    "service",
    "salaire_brut",
    "ville",
)
# The 11-column export adds the birth place, as HR exports write it: the INSEE code
# for most rows, the name for some.
COLUMNS_11 = (*COLUMNS_10, "lieu_naissance")
NIR_INDEX = COLUMNS_10.index("nir")
LAYOUTS = {1: ("nir",), 10: COLUMNS_10, 11: COLUMNS_11}
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")
DELIMITERS = (";", ",", "\t", "|")
# Rows per chunk: the unit of seeding, so it fixes the output; never change it casually.
CHUNK_ROWS = 50_000
# The "today" of the data: hiring dates stop here; ages follow nir's pyramid of
# working people (16-67) at the end of that year.
DATA_YEAR = 2025
DATA_DAY = date(DATA_YEAR, 12, 31)
INVALID_SHARE = 0.05
SHIFTED_SHARE = 0.03
"""Valid rows whose identity (birth date, sex, birth place) is someone else's: the
number was copied from the row above, a classic of hand-kept HR files."""
NAMED_PLACE_SHARE = 0.06
"""Birth places written as a name rather than an INSEE code."""

# Valid categories (how the number is built) and invalid kinds (how it is broken).
VALID_CATEGORIES = (
    "mainland",
    "corsica",
    "overseas",
    "abroad",
    "pseudo_month",
    "unknown_month",
    "temporary",
)
INVALID_KINDS = (
    "wrong_key",
    "month_13",
    "department_00",
    "no_key",
    "empty",
    "excel",
    "letters",
    "length",
)
# Formatting noise applied to valid numbers (all accepted by `nir.compact`).
NOISES = ("none", "spaced", "dotted", "apostrophe", "lower", "quoted")

# Cumulative thresholds on one uniform draw (shares among valid rows).
# Mainland (80 %) is drawn first, then one of these by a second draw.
_VALID_WEIGHTS = (
    ("corsica", 0.10),
    ("overseas", 0.20),
    ("abroad", 0.45),
    ("pseudo_month", 0.075),
    ("unknown_month", 0.075),
    ("temporary", 0.10),
)
_INVALID_WEIGHTS = (
    ("wrong_key", 0.30),
    ("month_13", 0.10),
    ("department_00", 0.08),
    ("no_key", 0.15),
    ("empty", 0.10),
    ("excel", 0.10),
    ("letters", 0.10),
    ("length", 0.07),
)
# Among the 16 % of valid numbers that carry noise (half the Corsican ones: lower case).
_NOISE_WEIGHTS = (
    ("spaced", 0.55),
    ("dotted", 0.15),
    ("apostrophe", 0.10),
    ("quoted", 0.20),
)

_SURNAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
    "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
    "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
    "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure",
    "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin",
    "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier",
    "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire",
    "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas",
    "Meunier", "Jean", "Pérez", "Marchand", "Dufour", "Blanchard", "Barbier", "Brun",
    "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez", "Pierre", "Renard",
    "Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois",
    "Renaud", "Lemoine", "Picard", "Gaillard", "Philippe", "Leclercq", "Lacroix", "Fabre",
    "Dupuis", "Olivier", "Rodriguez", "Da Silva", "Hubert", "Louis", "Charles", "Guillot",
    "Rivière", "Le Gall", "Guillaume", "Adam", "Rey", "Moulin", "Gonzalez", "Berger",
    "Lecomte", "Ménard", "Fleury", "Deschamps", "Carpentier", "Julien", "Bénard", "Paris",
    "Maillard", "Marie", "Aubry", "Hamon", "Barré", "Besnard", "N'Diaye", "D'Almeida",
    "Lœuillet", "Cœurdacier", "Béranger", "Pâris", "Lévêque", "Hervé", "Thiébaut", "Bégué",
)  # fmt: skip
_MALE_NAMES = (
    "Jean", "Pierre", "Michel", "André", "Philippe", "Alain", "Jacques", "Bernard",
    "François", "Éric", "Stéphane", "Frédéric", "Laurent", "Olivier", "Nicolas", "Sébastien",
    "Thomas", "Julien", "Jérôme", "Christophe", "Cédric", "Benoît", "Loïc", "Joël",
    "Noël", "Clément", "Théo", "Raphaël", "Maël", "Léo", "Hugo", "Gaël", "Anthony",
    "Mathéo", "Noé", "Aurélien", "Rémi", "Grégoire", "Jean-Loïc", "Hervé",
)  # fmt: skip
_FEMALE_NAMES = (
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Valérie",
    "Christine", "Sandrine", "Céline", "Hélène", "Élodie", "Aurélie", "Émilie", "Julie",
    "Camille", "Léa", "Chloé", "Manon", "Inès", "Anaïs", "Zoé", "Maëlle", "Gaëlle",
    "Cécile", "Bérénice", "Noémie", "Mélanie", "Agnès", "Josée", "Héloïse", "Clémence",
    "Océane", "Lucie", "Solène", "Marie-Noëlle", "Renée", "Thérèse", "Mégane", "Éloïse",
)  # fmt: skip
_SERVICES = (
    "Comptabilité", "Ressources humaines", "Informatique", "Production", "Logistique",
    "Commercial", "Marketing", "Juridique", "Achats", "Qualité", "Direction générale",
    "Recherche & Développement", "Service après-vente", "Paie", "Contrôle de gestion",
    "Maintenance", "Sécurité", "Communication", "Trésorerie", "Expédition",
)  # fmt: skip
# A few cells hold the delimiter or a line break (quoted by the export).
_SERVICES_ODD = (
    "Achats; Logistique",
    "Ventes; Export",
    "Comptabilité\nFournisseurs",
    "Paie; Administration du personnel",
    "Atelier\nÉquipe de nuit",
)
_CITIES = (
    "Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Strasbourg", "Montpellier",
    "Bordeaux", "Lille", "Rennes", "Reims", "Saint-Étienne", "Le Havre", "Toulon",
    "Grenoble", "Dijon", "Angers", "Nîmes", "Villeurbanne", "Clermont-Ferrand",
    "Aix-en-Provence", "Besançon", "Orléans", "Metz", "Rouen", "Mulhouse", "Caen",
    "Nancy", "Saint-Denis", "Fort-de-France", "Pointe-à-Pitre", "Ajaccio", "Bastia",
    "Évry-Courcouronnes", "Créteil", "Châlons-en-Champagne", "Annecy", "Île-d'Yeu",
)  # fmt: skip
_SALARIES = tuple(
    f"{cents // 100},{cents % 100:02d}" for cents in range(180_000, 950_000, 97)
)  # gross monthly pay in euros, French decimal comma
# How each valid category asks nir's generator: (place, kind, month kind).
_REQUESTS: dict[str, tuple[str | None, KindName, str]] = {
    "mainland": ("mainland", "nir", "real"),
    "corsica": ("corsica", "nir", "real"),
    "overseas": ("overseas", "nir", "real"),
    "abroad": ("abroad", "nir", "real"),
    "pseudo_month": (None, "nir", "pseudo"),
    "unknown_month": (None, "nir", "unknown"),
    "temporary": (None, "temporary", "real"),
}
# The error code each invalid kind asks for (nir.NirError.code).
_ERRORS = {
    "wrong_key": "key",
    "month_13": "month",
    "department_00": "department",
    "no_key": "key_missing",
    "empty": "empty",
    "excel": "excel_mangled",
    "letters": "characters",
    "length": "length",
}


@dataclass(frozen=True, slots=True)
class Spec:
    """What to generate: it fixes the output bytes."""

    rows: int
    columns: int = 10
    seed: int = 0
    encoding: str = "utf-8"
    delimiter: str = ";"
    newline: str = "\r\n"
    chunk_rows: int = CHUNK_ROWS
    """Rows per independently seeded chunk (tests make it small to get many chunks)."""


@dataclass(frozen=True, slots=True)
class Row:
    """One generated record: its cells (not yet quoted) and the generator's verdict."""

    cells: tuple[str, ...]
    """The 11 cells of COLUMNS_11 (a layout keeps the first ones)."""
    valid: bool
    category: str
    shifted: bool = False
    """The identity cells are another person's than the number's."""


@dataclass(frozen=True, slots=True)
class Stats:
    """What `write` produced."""

    rows: int
    invalid: int
    bytes: int
    seconds: float

    @property
    def invalid_share(self) -> float:
        """Share of rows whose NIR the generator meant to be invalid."""
        return self.invalid / self.rows if self.rows else 0.0


def _pick(table: tuple[tuple[str, float], ...], draw: float) -> str:
    for name, weight in table:
        if draw < weight:
            return name
        draw -= weight
    return table[-1][0]


def key_of(body: str) -> int:
    """INSEE key of a 13-character body: 97 - N mod 97, with 2A read as 19 and 2B as 18.

    Re-implemented here (not imported from `nir`) so that the tests of the benchmark
    tools check the library's key against an independent one.

    >>> key_of("2550814168025"), key_of("253072B073004")
    (38, 70)
    """
    if body[6] in "AB":
        body = body[:5] + ("19" if body[6] == "A" else "18") + body[7:]
    return 97 - int(body) % 97


def _spaced(number: str) -> str:
    """The printed grouping: 2 55 08 14 168 025 38, overseas 1 82 08 974 01 154 75."""
    if number[5:7] in ("97", "98"):
        parts = (number[0], number[1:3], number[3:5], number[5:8], number[8:10], number[10:13])
    else:
        parts = (number[0], number[1:3], number[3:5], number[5:7], number[7:10], number[10:13])
    return " ".join((*parts, number[13:]))


# Pools formatted once, so a row is mostly list look-ups and one concatenation.
_DAY_MONTH = tuple(f"{day:02d}/{month:02d}/" for month in range(1, 13) for day in range(1, 29))
# One surname in ten is written in capitals, as many HR systems do.
_SURNAME_POOL = _SURNAMES * 9 + tuple(name.upper() for name in _SURNAMES)


class Generator:
    """Builds rows from one `Random`; the only source of randomness is that object."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.random = rng.random
        self.drawer = Drawer(rng.random, today=DATA_DAY)

    def _choice(self, items: Sequence[_T]) -> _T:
        return items[int(self.random() * len(items))]

    def row(
        self,
        index: int,
        category: str | None = None,
        noise: str | None = None,
        service: str | None = None,
        shifted: bool | None = None,
    ) -> Row:
        """Row number `index` (1-based); `category`/`noise`/`service`/`shifted` force a choice."""
        random = self.random
        if category is None:
            if random() < INVALID_SHARE:
                category = _pick(_INVALID_WEIGHTS, random())
            else:
                category = "mainland" if random() < 0.8 else _pick(_VALID_WEIGHTS, random())
        valid = category in VALID_CATEGORIES
        if valid:
            place, kind, month_kind = _REQUESTS[category]
            person = self.drawer.person(place=place, kind=kind, month_kind=month_kind)
            number = person.number
            if noise is None and random() >= 0.84:
                noise = _pick(_NOISE_WEIGHTS, random())
                if number[6] in "AB" and random() < 0.5:
                    noise = "lower"
            if noise is not None:
                number = self._noise(noise, number)
        else:
            person = self.drawer.person(place="mainland", kind="nir", month_kind="real")
            number = self._break(category, person.number)
        if shifted is None:
            shifted = valid and random() < SHIFTED_SHARE
        who = person
        if shifted:
            who = self.drawer.person(place="mainland", kind="nir", month_kind="real")
        male = who.sex == "M"
        birth, year = who.birth, who.birth.year
        if category == "unknown_month":
            birth_cell = f"01/01/{year}"
        else:
            birth_cell = f"{birth.day:02d}/{birth.month:02d}/{year}"

        hire_year = min(DATA_YEAR, year + 18) + int(random() * max(1, DATA_YEAR - year - 17))
        cells = (
            f"M{index:08d}",
            _SURNAME_POOL[int(random() * len(_SURNAME_POOL))],
            self._choice(_MALE_NAMES if male else _FEMALE_NAMES),
            birth_cell,
            who.sex,
            number,
            _DAY_MONTH[int(random() * 336)] + str(hire_year),
            service if service is not None else _choice_odd(self),
            _SALARIES[int(random() * len(_SALARIES))],
            _CITIES[int(random() * len(_CITIES))],
            self._place(who),
        )
        return Row(cells, valid, category, shifted)

    def _place(self, person: Person) -> str:
        """The birth place cell: the INSEE code, or for some rows the name (of then)."""
        code = person.number[5:10].upper()
        if person.number[:1] in _rules.NO_BIRTH_FIELDS or not code.isalnum():
            return _CITY_CODES[int(self.random() * len(_CITY_CODES))]
        north_africa = _rules.NORTH_AFRICA.get(code[:2])
        if north_africa is not None and person.birth < north_africa.independence:
            code = _rules.ABROAD + north_africa.country  # now written as the country
        if self.random() < NAMED_PLACE_SHARE:
            return _place_name(code, person.birth.year) or code
        return code

    def _break(self, kind: str, number: str) -> str:
        """A valid mainland `number` broken in the way `kind` says, by nir's generator."""
        broken = break_number(number, _ERRORS[kind], self.random)
        if kind == "wrong_key" and self.random() < 0.3:
            return _spaced(broken)
        return broken

    def _noise(self, noise: str, number: str) -> str:
        if noise == "spaced":
            return _spaced(number)
        if noise == "dotted":
            return _spaced(number).replace(" ", ".")
        if noise == "apostrophe":
            return "'" + number
        if noise == "lower":
            return number.lower()
        if noise == "quoted":
            return f" {_spaced(number)} "
        return number


# Birth places for numbers that code none (7/8): a few big cities' codes.
_CITY_CODES = ("75056", "69123", "13055", "31555", "06088", "44109", "67482", "33063")


@functools.lru_cache(maxsize=65536)
def _place_name(code: str, year: int) -> str | None:
    """The name of a commune (or country, 99 + code) in `year`, None when unknown."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    found = _geo.countries(code[2:], start, end) if code[:2] == "99" else ()
    found = found or _geo.communes(code, start, end)
    return found[0].name if found else None


def _choice_odd(gen: Generator) -> str:
    """A service name; about one in 300 holds the delimiter or a line break."""
    if gen.random() < 0.003:
        return gen._choice(_SERVICES_ODD)  # noqa: SLF001  # same module
    return gen._choice(_SERVICES)  # noqa: SLF001


def quote(cell: str, delimiter: str) -> str:
    """Quote a cell the way Excel/`csv.QUOTE_MINIMAL` does."""
    if delimiter in cell or '"' in cell or "\n" in cell or "\r" in cell or cell[:1] == " ":
        return '"' + cell.replace('"', '""') + '"'
    return cell


def render_rows(rows: Sequence[Row], spec: Spec) -> str:
    """The CSV text of `rows` (no header) in `spec`'s layout."""
    d, nl = spec.delimiter, spec.newline
    if spec.columns == 1:
        return "".join(
            (quote(r.cells[NIR_INDEX], d) if r.cells[NIR_INDEX] else '""') + nl for r in rows
        )
    width = spec.columns
    return "".join(d.join([quote(c, d) for c in r.cells[:width]]) + nl for r in rows)


def header(spec: Spec) -> str:
    """The header line."""
    return spec.delimiter.join(LAYOUTS[spec.columns]) + spec.newline


def chunk_rng(seed: int, chunk: int) -> Random:
    """The generator of one chunk: a string seed is hashed (SHA-512), stable everywhere."""
    return Random(f"nir-bench/{seed}/{chunk}")  # noqa: S311  # test data, not secrets


def chunk_rows(spec: Spec, chunk: int) -> list[Row]:
    """The rows of chunk number `chunk` (spec.chunk_rows rows, fewer for the last)."""
    start = chunk * spec.chunk_rows
    count = min(spec.chunk_rows, spec.rows - start)
    gen = Generator(chunk_rng(spec.seed, chunk))
    row = gen.row
    return [row(start + i + 1) for i in range(count)]


def _chunk_bytes(args: tuple[Spec, int]) -> tuple[bytes, int]:
    spec, chunk = args
    rows = chunk_rows(spec, chunk)
    encoding = "utf-8" if spec.encoding == "utf-8-sig" else spec.encoding
    invalid = sum(1 for r in rows if not r.valid)
    return render_rows(rows, spec).encode(encoding), invalid


def iter_rows(spec: Spec) -> Iterator[Row]:
    """All the rows of `spec`, in order (for tests and small samples)."""
    for chunk in range(_chunks(spec)):
        yield from chunk_rows(spec, chunk)


def _chunks(spec: Spec) -> int:
    return -(-spec.rows // spec.chunk_rows)


def write(spec: Spec, path: Path, jobs: int = 1) -> Stats:
    """Write the file for `spec` to `path`; `jobs` worker processes never change the bytes."""
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    invalid = 0
    size = 0
    tasks = [(spec, chunk) for chunk in range(_chunks(spec))]
    with path.open("wb") as out:
        head = header(spec).encode("utf-8" if spec.encoding == "utf-8-sig" else spec.encoding)
        if spec.encoding == "utf-8-sig":
            head = b"\xef\xbb\xbf" + head
        size += out.write(head)
        if jobs > 1 and len(tasks) > 1:
            with multiprocessing.Pool(jobs) as pool:
                for data, bad in pool.imap(_chunk_bytes, tasks):
                    size += out.write(data)
                    invalid += bad
        else:
            for task in tasks:
                data, bad = _chunk_bytes(task)
                size += out.write(data)
                invalid += bad
    return Stats(spec.rows, invalid, size, time.perf_counter() - started)


def _delimiter(value: str) -> str:
    value = "\t" if value in ("\\t", "tab") else value
    if value not in DELIMITERS:
        raise argparse.ArgumentTypeError(f"delimiter must be one of {DELIMITERS!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write one file and print its size, speed and invalid share."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--columns", type=int, choices=sorted(LAYOUTS), default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--encoding", choices=ENCODINGS, default="utf-8")
    parser.add_argument("--delimiter", type=_delimiter, default=";")
    parser.add_argument("--newline", choices=("crlf", "lf"), default="crlf")
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes (default: one per CPU); the output does not depend on it",
    )
    args = parser.parse_args(argv)
    spec = Spec(
        rows=args.rows,
        columns=args.columns,
        seed=args.seed,
        encoding=args.encoding,
        delimiter=args.delimiter,
        newline="\r\n" if args.newline == "crlf" else "\n",
    )
    stats = write(spec, args.out, jobs=max(1, args.jobs))
    rate = stats.rows / stats.seconds if stats.seconds else float("inf")
    print(
        f"{args.out}: {stats.rows} rows, {stats.bytes / 1e6:.1f} MB in {stats.seconds:.1f} s "
        f"({rate:,.0f} rows/s); invalid {stats.invalid} ({stats.invalid_share:.2%})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
