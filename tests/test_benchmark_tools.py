"""The baselines the benchmarks compare against: they must find what they claim to.

Run on the committed sample (cp1252, CRLF, a quoted line break, a short row), so the
line numbers and the quote handling are checked too.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import baseline_stdnum
import compare
import generate
import make_sample
import pytest
from stdnum.fr import nir as stdnum_nir

SAMPLE = make_sample.SAMPLE


def _rows_with_lines() -> list[tuple[int, list[str]]]:
    """(line where the record starts, record) for each data row of the sample."""
    with SAMPLE.open(encoding="cp1252", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)
        line, rows = reader.line_num, []
        for row in reader:
            rows.append((line + 1, row))
            line = reader.line_num
    return rows


def _reported_lines(path: Path) -> list[int]:
    with path.open(encoding="cp1252", newline="") as handle:
        return [int(row[0]) for row in list(csv.reader(handle, delimiter=";"))[1:]]


def _scan_rule(cell: str) -> bool:
    """What scan.c checks: compaction, length 15, characters, mod-97 key with 2A/2B."""
    number = re.sub(r"[ \t\r.\-]", "", cell).removeprefix("'").replace("a", "A")
    number = number.replace("b", "B")
    if not re.fullmatch(r"[0-9]{6}(?:[0-9]|(?<=2)[AB])[0-9]{8}", number):
        return False
    return generate.key_of(number[:13]) == int(number[13:])


def test_stdnum_baseline_reports_the_rows_stdnum_rejects(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    code = baseline_stdnum.main([str(SAMPLE), str(out), "--encoding", "cp1252"])
    expected = [
        line
        for line, row in _rows_with_lines()
        if len(row) <= generate.NIR_INDEX or not stdnum_nir.is_valid(row[generate.NIR_INDEX])
    ]
    assert code == 1
    assert _reported_lines(out) == expected


GCC = shutil.which("gcc")


@pytest.mark.skipif(GCC is None, reason="needs gcc")
def test_c_scanner_reports_the_rows_its_rule_rejects(tmp_path: Path) -> None:
    assert GCC is not None
    binary = tmp_path / "scan"
    subprocess.run([GCC, "-O2", "-o", str(binary), str(compare.SCAN_SOURCE)], check=True)
    out = tmp_path / "out.csv"
    result = subprocess.run([str(binary), str(SAMPLE), str(out)], check=False)
    expected = [
        line
        for line, row in _rows_with_lines()
        if len(row) <= generate.NIR_INDEX or not _scan_rule(row[generate.NIR_INDEX])
    ]
    assert result.returncode == 1
    assert _reported_lines(out) == expected
    # The invalid records are copied byte for byte (CRLF and the quoted line break).
    copied = out.read_bytes().split(b"\r\n", 1)[1]
    assert b'"Atelier\n\xc9quipe de nuit"' in copied


@pytest.mark.skipif(GCC is None, reason="needs gcc")
def test_peak_rss_is_the_tools_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A child spawned by this (large) process reports this process's resident set as
    # its peak; forked from peak.c, a small tool reports its own, and its exit code.
    assert GCC is not None
    monkeypatch.setattr(compare, "DATA", tmp_path)
    peak = tmp_path / "peak"
    subprocess.run([GCC, "-O2", "-o", str(peak), str(compare.PEAK_SOURCE)], check=True)
    ballast = bytearray(200 << 20)
    ballast[:: 1 << 12] = b"x" * len(range(0, 200 << 20, 1 << 12))  # resident: a byte a page
    floored = compare.run(["true"])
    measured = compare.run(["true"], peak=peak)
    failed = compare.run(["sh", "-c", "echo why >&2; exit 3"], peak=peak)
    missing = compare.run([str(tmp_path / "absent")], peak=peak)
    del ballast
    assert floored.peak_kb > 200 << 10, "posix_spawn's child: our high-water mark"
    assert 0 < measured.peak_kb < 20 << 10, "peak's child: its own"
    assert measured.exit_code == 0
    assert (failed.exit_code, failed.stderr) == (3, "why"), "the tool's code and stderr"
    assert missing.exit_code == 127, "a program that cannot start"


def test_report_skips_missing_tools_and_computes_ratios(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_bytes(b"nir\r\n" * 10)
    tools = [
        compare.Tool("C, 1 thread (scan.c)", ["scan"], seconds=[2.0, 1.0, 3.0]),
        compare.Tool("nir csv (fast path)", ["nir"], skipped="`nir csv` is not available"),
        compare.Tool("csv + python-stdnum", ["py"], seconds=[20.0, 20.0, 20.0]),
    ]
    for tool in tools:
        tool.cpu_seconds, tool.peak_kb = list(tool.seconds), [1024] * len(tool.seconds)
    table = compare.markdown(compare.report(tools, data, rows=9, rounds=3))
    assert "| C, 1 thread (scan.c) | 2.000 | 2.00 |" in table
    assert "| 10.0x | 1.00x | 1 |" in table
    assert "* nir csv (fast path): skipped (`nir csv` is not available)" in table
