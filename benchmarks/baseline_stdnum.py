"""The script users write today: csv.reader + `stdnum.fr.nir.is_valid`, invalid rows out.

It is the baseline `compare.py` measures `nir csv` against. The output is CSV: the
input's line number where the row starts, then the row; the header is copied first.

    python benchmarks/baseline_stdnum.py INPUT OUTPUT --column nir --encoding cp1252
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence

from stdnum.fr import nir


def main(argv: Sequence[str] | None = None) -> int:
    """Exit 0 when all rows are valid, 1 when some are not, 2 on a usage error."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--column", default="nir", help="column name or 0-based index")
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument("--delimiter", default=";")
    args = parser.parse_args(argv)

    rows = invalid = 0
    with (
        open(args.input, encoding=args.encoding, newline="") as source,  # noqa: PTH123  # as users write it
        open(args.output, "w", encoding=args.encoding, newline="") as target,  # noqa: PTH123
    ):
        reader = csv.reader(source, delimiter=args.delimiter)
        writer = csv.writer(target, delimiter=args.delimiter)
        header = next(reader, [])
        if args.column.isdigit():
            column = int(args.column)
        elif args.column in header:
            column = header.index(args.column)
        else:
            print(f"no column {args.column!r} in {header!r}", file=sys.stderr)
            return 2
        writer.writerow(["line", *header])
        line = reader.line_num
        for row in reader:
            rows += 1
            if len(row) <= column or not nir.is_valid(row[column]):
                invalid += 1
                writer.writerow([line + 1, *row])
            line = reader.line_num
    print(f"{rows} rows, {invalid} invalid", file=sys.stderr)
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
