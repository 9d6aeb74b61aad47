"""Write `examples/hr_export.csv`: a small HR export as French Excel saves it.

`;` delimiter, cp1252, CRLF, about 60 rows of which about 10 are wrong in the ways
real files are (wrong key, month 13, Excel's scientific notation, 13 characters,
empty cell, a short row, a quoted cell with a line break), with the identity
columns nir csv checks (birth date, sex, birth place): one row carries someone
else's number, and a mistyped one has a suggestion. Built with the benchmark
generator so the sample and the benchmark data look alike.

    python scripts/make_sample.py           # rewrite the sample
    python scripts/make_sample.py --check   # exit 1 if the committed file differs
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate  # benchmarks/ is not a package: it must be on the path first

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "hr_export.csv"
SPEC = generate.Spec(rows=0, columns=11, seed=2026, encoding="cp1252", delimiter=";")

# Row number (1-based, header excluded) -> (category, noise, service) forced there;
# every other row is drawn at random among the valid categories.
_PLAN: dict[int, tuple[str, str | None, str | None]] = {
    3: ("mainland", "spaced", None),
    5: ("wrong_key", None, None),
    7: ("corsica", "lower", None),
    8: ("shifted", None, None),
    9: ("overseas", "spaced", None),
    11: ("month_13", None, None),
    13: ("abroad", None, "Achats; Logistique"),
    15: ("excel", None, None),
    17: ("temporary", None, None),
    19: ("mainland", "apostrophe", None),
    21: ("no_key", None, None),
    23: ("pseudo_month", None, None),
    25: ("empty", None, None),
    27: ("mainland", None, "Comptabilité\nFournisseurs"),
    29: ("ragged", None, None),
    31: ("unknown_month", None, None),
    33: ("wrong_key", None, "Atelier\nÉquipe de nuit"),
    35: ("corsica", None, None),
    37: ("department_00", None, None),
    39: ("mainland", "dotted", None),
    41: ("letters", None, None),
    43: ("abroad", "spaced", None),
    45: ("overseas", None, None),
    47: ("length", None, None),
    49: ("temporary", None, None),
    51: ("mainland", "quoted", None),
}
ROWS = 60


def sample_rows() -> list[generate.Row]:
    """The sample's rows, with the generator's verdict on each."""
    gen = generate.Generator(Random(f"nir-sample/{SPEC.seed}"))  # noqa: S311  # not secrets
    rows = []
    for index in range(1, ROWS + 1):
        category, noise, service = _PLAN.get(index, (None, None, None))
        if category == "ragged":  # an export cut short: the NIR column is missing
            row = gen.row(index, category="mainland")
            rows.append(replace(row, cells=row.cells[:4], valid=False, category="ragged"))
            continue
        shifted = category == "shifted"  # someone else's number: an identity mismatch
        if category is None or shifted:  # a valid row of a random category, plain
            category = generate.VALID_CATEGORIES[int(gen.random() * 4)]
            noise = "none"
        row = gen.row(index, category=category, noise=noise, service=service, shifted=shifted)
        while noise == "lower" and row.cells[generate.NIR_INDEX].isdigit():  # born before 1976
            row = gen.row(index, category=category, noise=noise, service=service)
        rows.append(row)
    return rows


def render() -> bytes:
    """The bytes of the sample file."""
    text = generate.header(SPEC) + generate.render_rows(sample_rows(), SPEC)
    return text.encode(SPEC.encoding)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the sample, or with --check compare it with the committed file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--out", type=Path, default=SAMPLE)
    args = parser.parse_args(argv)
    data = render()
    if args.check:
        if not args.out.exists() or args.out.read_bytes() != data:
            print(f"{args.out} is not what {Path(__file__).name} generates: re-run it")
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.write_bytes(data)
    invalid = sum(1 for row in sample_rows() if not row.valid)
    print(f"wrote {args.out}: {ROWS} rows, {invalid} invalid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
