"""`nir dsn` on a generated DSN against `nir csv` on the same numbers, and its memory.

    python benchmarks/bench_dsn.py                      # 1,000,000 individuals, 5 rounds
    python benchmarks/bench_dsn.py --individuals 100000 --rounds 3
    make bench-dsn

Writes, deterministically (same arguments, same bytes), a DSN of `--individuals`
individuals spread over several establishments: each individual has its identity
block ``S21.G00.30`` (.001 on 13 characters, or 15 for one in ten; sex, birth
date, commune, department, country, registration number), then a contract, a
payment and pay items, as real declarations have; one in 200 has only an NTT,
one in 200 a wrong key, one in 200 a declared sex that differs from the NIR's.
The same numbers, keys completed, go to a one-column CSV. Then, interleaved
(dsn, csv, dsn, csv...), the median of `--rounds` runs of
``nir dsn FILE`` and ``nir csv CSV --only-invalid -o /dev/null``, and the peak
RSS of ``nir dsn`` on the full file and on its first tenth (streaming: the two
should be close). Files go to ``--dir`` (default /work/bench/ when it exists).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from random import Random

from nir._generate import Drawer

TODAY = date(2026, 1, 1)
PER_ESTABLISHMENT = 5_000
COMMUNES = ("PARIS", "LYON", "MARSEILLE", "LILLE", "NANTES", "Colombières", "Évreux")
COUNTRIES = ("DZ", "MA", "PT", "IT", "ES", "TN", "SN")


def _individual(drawer: Drawer, rng: Random, index: int) -> tuple[list[str], str | None]:
    """The lines of one individual and the 15-character number declared (None: NTT only)."""
    matricule = f"M{index:07d}"
    tail = [
        f"S21.G00.40.001,'0{1 + index % 9}012020'",
        "S21.G00.40.002,'01'",
        "S21.G00.40.003,'04'",
        "S21.G00.40.004,'623a'",
        "S21.G00.40.007,'01'",
        f"S21.G00.40.009,'C{index:07d}'",
        "S21.G00.50.001,'31122025'",
        f"S21.G00.50.002,'{2000 + index % 3000}.00'",
        "S21.G00.51.001,'01122025'",
        "S21.G00.51.002,'31122025'",
        "S21.G00.51.011,'001'",
        f"S21.G00.51.013,'{2000 + index % 3000}.00'",
        "S21.G00.78.001,'02'",
        f"S21.G00.78.004,'{2000 + index % 3000}.00'",
    ]
    if index % 200 == 7:  # no NIR yet: an NTT
        head = [
            "S21.G00.30.002,'DUPONT'",
            "S21.G00.30.004,'CAMILLE'",
            f"S21.G00.30.019,'{matricule}'",
            f"S21.G00.30.020,'1{index:011d}AB'",
        ]
        return head + tail, None
    person = drawer.person(kind="nir", month_kind="real")
    number = person.number
    if index % 200 == 11:  # a wrong key
        number = number[:13] + f"{(int(number[13:]) + 1) % 97:02d}"
    sex = "01" if person.sex == "M" else "02"
    if index % 200 == 13:  # an identity mismatch
        sex = "02" if sex == "01" else "01"
    declared = number if index % 10 == 3 or index % 200 == 11 else number[:13]
    department = number[5:8] if number[5:7] in {"97", "98"} else number[5:7]
    head = [
        f"S21.G00.30.001,'{declared}'",
        "S21.G00.30.002,'MARTIN'",
        "S21.G00.30.004,'DOMINIQUE'",
        f"S21.G00.30.005,'{sex}'",
        f"S21.G00.30.006,'{person.birth:%d%m%Y}'",
    ]
    if department == "99":
        head.append("S21.G00.30.014,'99'")
        head.append(f"S21.G00.30.015,'{COUNTRIES[rng.randrange(len(COUNTRIES))]}'")
    else:
        head.append(f"S21.G00.30.007,'{COMMUNES[rng.randrange(len(COMMUNES))]}'")
        head.append("S21.G00.30.008,'1 RUE DE LA PAIX'")
        head.append(f"S21.G00.30.014,'{department}'")
    head.append(f"S21.G00.30.019,'{matricule}'")
    return head + tail, number


def write(directory: Path, individuals: int, seed: int) -> tuple[Path, Path]:
    """The DSN (ISO-8859-1, LF) and the CSV of its numbers; kept when already there."""
    dsn = directory / f"bench_{individuals}_{seed}.dsn"
    csv = directory / f"bench_{individuals}_{seed}.csv"
    if dsn.exists() and csv.exists():
        return dsn, csv
    rng = Random(seed)  # noqa: S311  # not secrets
    drawer = Drawer(rng.random, today=TODAY)
    with dsn.open("wb") as out, csv.open("w", encoding="ascii", newline="\n") as numbers:
        out.write(b"S10.G00.00.001,'bench_dsn'\nS20.G00.05.001,'01'\n")
        numbers.write("nir\n")
        for index in range(individuals):
            if index % PER_ESTABLISHMENT == 0:
                siret = f"{index // PER_ESTABLISHMENT:05d}"
                out.write(f"S21.G00.11.001,'{siret}'\nS21.G00.11.002,'6201Z'\n".encode())
            lines, number = _individual(drawer, rng, index)
            out.write(("\n".join(lines) + "\n").encode("latin-1"))
            if number is not None:
                numbers.write(number + "\n")
        out.write(b"S90.G00.90.001,'1'\n")
    return dsn, csv


def _nir() -> str:
    return str(Path(sys.executable).with_name("nir"))


def timed(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, check=False, capture_output=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command}: exit {done.returncode}\n{done.stderr.decode()}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu


def peak_rss_mb(command: list[str]) -> float:
    """The peak RSS of `command` in MB (measured in a child of a fresh child)."""
    probe = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True
    )
    return int(done.stdout) / 1024


def head(dsn: Path, individuals: int) -> Path:
    """The first `individuals` of `dsn` as a DSN of its own (a prefix, trailer added)."""
    target = dsn.with_name(f"{dsn.stem}_head{individuals}.dsn")
    if target.exists():
        return target
    seen = 0
    with dsn.open("rb") as source, target.open("wb") as out:
        for line in source:
            if line.startswith(b"S21.G00.30.002"):
                seen += 1
                if seen > individuals:
                    break
            out.write(line)
        out.write(b"S90.G00.90.001,'1'\n")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--individuals", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=14)
    default_dir = Path("/work/bench") if Path("/work/bench").is_dir() else Path("benchmarks/data")
    parser.add_argument("--dir", type=Path, default=default_dir)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    dsn, csv = write(args.dir, args.individuals, args.seed)
    print(f"data: {dsn} ({dsn.stat().st_size / 1e6:.0f} MB), {csv}", end="")
    print(f" [{time.perf_counter() - start:.1f} s]")
    nir = _nir()
    dsn_command = [nir, "dsn", str(dsn)]
    csv_command = [nir, "csv", str(csv), "--only-invalid", "-o", os.devnull]
    runs: dict[str, list[tuple[float, float]]] = {"dsn": [], "csv": []}
    for _ in range(args.rounds):  # interleaved: the same load on both
        runs["dsn"].append(timed(dsn_command))
        runs["csv"].append(timed(csv_command))
    wall = {name: statistics.median(w for w, _ in times) for name, times in runs.items()}
    cpu = {name: statistics.median(c for _, c in times) for name, times in runs.items()}
    for name in ("dsn", "csv"):
        walls = " ".join(f"{w:.2f}" for w, _ in runs[name])
        print(
            f"nir {name}: {wall[name]:.2f} s wall, {cpu[name]:.2f} s CPU"
            f" (medians of {args.rounds}; wall runs {walls})"
        )
    print(
        f"ratio dsn / csv: {wall['dsn'] / wall['csv']:.2f} wall, {cpu['dsn'] / cpu['csv']:.2f} CPU"
    )
    small = head(dsn, args.individuals // 10)
    small_rss = peak_rss_mb([nir, "dsn", str(small)])
    full_rss = peak_rss_mb(dsn_command)
    print(
        f"peak RSS of nir dsn: {small_rss:.0f} MB for {args.individuals // 10:,} individuals,"
        f" {full_rss:.0f} MB for {args.individuals:,}"
    )


if __name__ == "__main__":
    main()
