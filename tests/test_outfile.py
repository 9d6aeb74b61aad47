"""nir._outfile: a new report file reserves its blocks ahead, and ends at what it holds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from nir import _accel, _outfile, cli

from .conftest import compiled_or_skip, using_core

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

KB = 1 << 10

# (reserve from, step, the writes' sizes, the reservations made, why)
CASES = [
    (64 * KB, 16 * KB, [4 * KB] * 8, 0, "a small file reserves nothing"),
    (8 * KB, 16 * KB, [4 * KB] * 8, 2 * 16 * KB, "past 8 KB, 16 KB at a time: 32 KB for 32"),
    (0, 16 * KB, [40 * KB, 1], 40 * KB + 16 * KB, "a write longer than a step reserves it all"),
    (0, 16 * KB, [16 * KB, 16 * KB], 2 * 16 * KB, "a write that ends a step reserves none more"),
    (0, 16 * KB, [], 0, "nothing written, nothing reserved"),
]


def _written(
    path: Path, sizes: list[int], *, reserve_from: int, step: int
) -> _outfile.ReservingFile:
    """`sizes` written to a new file at `path` (distinct bytes), checked as they go."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    raw = _outfile.ReservingFile(handle, reserve_from=reserve_from, step=step)
    with raw:
        for index, size in enumerate(sizes):
            assert raw.write(bytes([index % 251]) * size) == size
            # fallocate's mode 0 moved the size to the reservation's end
            assert os.fstat(handle).st_size == max(raw.written, raw.reserved or 0)
    return raw


@pytest.mark.parametrize(("reserve_from", "step", "sizes", "reserved", "why"), CASES)
def test_the_file_holds_its_writes_and_ends_there(
    tmp_path: Path, reserve_from: int, step: int, sizes: list[int], reserved: int, why: str
) -> None:
    compiled_or_skip()
    path = tmp_path / "report.csv"
    raw = _written(path, sizes, reserve_from=reserve_from, step=step)
    assert raw.reserved == reserved, why
    assert path.read_bytes() == b"".join(bytes([i % 251]) * size for i, size in enumerate(sizes))


def test_a_file_system_that_cannot_reserve_gets_plain_writes() -> None:
    # A pipe has no blocks: fallocate fails, and the writer stops asking.
    compiled_or_skip()
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "rb") as reader:
        raw = _outfile.ReservingFile(write_end, reserve_from=0, step=KB)
        with raw:
            raw.write(b"a" * 100)
            raw.write(b"b" * 100)
            assert raw.reserved is None
        assert reader.read() == b"a" * 100 + b"b" * 100


def test_without_the_c_core_nothing_is_reserved(tmp_path: Path) -> None:
    with using_core(None):
        raw = _written(tmp_path / "report.csv", [4 * KB] * 4, reserve_from=0, step=KB)
    assert raw.reserved is None
    assert (tmp_path / "report.csv").stat().st_size == 16 * KB


def test_nir_csv_reserves_its_report_s_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every row written, with a reservation from the first byte in 4 KB steps: the
    # report is the bytes of the same run written to standard output, and no longer.
    compiled = compiled_or_skip()
    source = tmp_path / "in.csv"
    source.write_text("id;nir\n" + "".join(f"{i};2550814168025{38 + i % 2}\n" for i in range(2000)))
    monkeypatch.setattr(_outfile, "RESERVE_FROM", 0)
    monkeypatch.setattr(_outfile, "RESERVE_STEP", 4 * KB)
    calls: list[tuple[int, int]] = []
    reserve: Callable[[int, int, int], bool] = compiled.reserve_space

    def counted(fd: int, offset: int, length: int) -> bool:
        calls.append((offset, length))
        return reserve(fd, offset, length)

    monkeypatch.setattr(compiled, "reserve_space", counted)
    out = tmp_path / "report.csv"
    args = ["csv", "--reference-date", "2026-01-01", str(source)]
    written = CliRunner().invoke(cli.main, [*args, "-o", str(out)])
    shown = CliRunner().invoke(cli.main, args)
    assert (written.exit_code, shown.exit_code) == (1, 1), written.output
    assert out.read_bytes() == shown.stdout_bytes
    assert calls[0][0] == 0  # reserved from the first byte, and for all of it
    assert sum(length for _, length in calls) >= out.stat().st_size
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "report.csv"]
    assert _accel.compiled is not None
