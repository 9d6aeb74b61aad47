"""`nir csv` on several threads writes what one thread writes (nir._csvsplit)."""

from __future__ import annotations

import functools
import gzip
import io
import mmap
import os
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import nir
from nir import _accel, _csvio, _csvscan, _csvsplit, cli

from .conftest import compiled_or_skip, using_core
from .helpers import REFERENCE_DATE

OPTIONS = nir.Options(reference_date=REFERENCE_DATE)
HEADER = b"id;nom;nir\r\n"

# Pieces of CSV that matter at a split point: quotes that open fields holding line
# breaks, lone CRs and CRLF pairs (which a split must not cut), multi-byte characters,
# numbers the C scan settles and some it defers to Python.
FRAGMENT = st.sampled_from(
    [
        b";",
        b'"',
        b'""',
        b"\n",
        b"\r",
        b"\r\n",
        b"x",
        "é".encode(),
        "€".encode(),
        b"255081416802538",
        b"255081416802512",
        b"2 55 08 14 168 025 38",
        b'"2 55 08 14 168 025 38"',
        b"2.55081416802538E+14",
        b"\n1;a;255081416802538\n",
        b"\r\n2;b;183127511600413\r\n",
    ]
)
EXPORT = st.lists(FRAGMENT, max_size=60).map(lambda parts: HEADER + b"".join(parts))


def run(data: bytes, jobs: int, **config: object) -> tuple[bytes, _csvio.Summary] | str:
    """Output and summary, or the input error's text."""
    sink = io.BytesIO()
    try:
        summary = _csvio.process(
            io.BytesIO(data),
            sink,
            _csvio.CsvConfig(options=OPTIONS, jobs=jobs, **config),  # type: ignore[arg-type]
        )
    except _csvio.CsvInputError as error:
        return str(error)
    return sink.getvalue(), summary


@pytest.fixture
def tiny_windows() -> Iterator[None]:
    """Windows of a few bytes, pieces of one byte or more: splits land everywhere."""
    saved = _csvio.CHUNK_SIZE, _csvio.THREAD_WINDOW, _csvio.MIN_PIECE
    _csvio.CHUNK_SIZE, _csvio.THREAD_WINDOW, _csvio.MIN_PIECE = 16, 16, 1
    try:
        yield
    finally:
        _csvio.CHUNK_SIZE, _csvio.THREAD_WINDOW, _csvio.MIN_PIECE = saved


@pytest.mark.usefixtures("tiny_windows")
@given(EXPORT, st.integers(2, 5), st.integers(8, 96), st.booleans(), st.booleans())
def test_threads_write_the_bytes_of_one(
    data: bytes, jobs: int, window: int, only_invalid: bool, replace: bool
) -> None:
    compiled_or_skip()
    _csvio.THREAD_WINDOW = window
    config = {"only_invalid": only_invalid, "replace_bad_bytes": replace}
    assert run(data, jobs, **config) == run(data, 1, **config)


@pytest.mark.usefixtures("tiny_windows")
@given(st.binary(max_size=200), st.integers(2, 4))
def test_threads_agree_on_arbitrary_bytes(body: bytes, jobs: int) -> None:
    compiled_or_skip()
    data = HEADER + body
    assert run(data, jobs, replace_bad_bytes=True) == run(data, 1, replace_bad_bytes=True)


@pytest.mark.usefixtures("tiny_windows")
@given(st.lists(st.sampled_from([b"a;255081416802538\n", b'"x\n";1\n', b"\xff;2\n", b"\xc3"])))
def test_threads_fail_on_a_bad_byte_as_one_thread(rows: list[bytes]) -> None:
    # each piece is probed, then scanned: a bad byte in any piece is the error
    # reported, with its line, as one thread reports it
    compiled_or_skip()
    data = HEADER + b"".join(rows)
    assert run(data, 3) == run(data, 1)


IDENTITY_HEADER = b"nir;sexe;date_naissance;lieu_naissance\r\n"
# Identity rows: consistent, mismatching, junk, names, an invalid number (suggestion),
# so that C asks Python about new cells in every piece (the cells' memo is per thread,
# the names' one shared).
IDENTITY_ROW = st.sampled_from(
    [
        b"255081416802538;F;14/08/1955;81416\r\n",
        b"255081416802538;M;14/08/1955;81416\r\n",
        b"255081416802538;Mme;1955-08-14;Lyon\r\n",
        b"255081416802538;N/A;31/02/1955;\r\n",
        b"183127511600413;H;01/12/1983;75116\r\n",
        b"183127511600413;F;01/12/1984;Paris\r\n",
        b"255081416802583;F;14/08/1955;81416\r\n",
        b'"255081416802538";"F";"14/08/1955";"814\n16"\r\n',
        b"\r\n",
    ]
)


@pytest.mark.usefixtures("tiny_windows")
@given(st.lists(IDENTITY_ROW, max_size=40), st.integers(2, 5), st.integers(8, 96), st.booleans())
def test_threads_agree_with_identity_columns(
    rows: list[bytes], jobs: int, window: int, only_invalid: bool
) -> None:
    compiled_or_skip()
    _csvio.THREAD_WINDOW = window
    data = IDENTITY_HEADER + b"".join(rows)
    # output and summary, identity counts included: each piece's counted once
    assert run(data, jobs, only_invalid=only_invalid) == run(data, 1, only_invalid=only_invalid)


def test_a_quoted_line_break_at_the_split_is_scanned_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compiled_or_skip()
    monkeypatch.setattr(_csvio, "MIN_PIECE", 1)
    monkeypatch.setattr(_csvio, "THREAD_WINDOW", 1 << 20)
    monkeypatch.setattr(_csvio, "PIECES_PER_THREAD", 1)
    # the middle of the data is inside the quoted field: the guess is wrong there
    data = HEADER + b'1;"' + b"a\n" * 40 + b'";255081416802538\n2;b;255081416802512\n'
    calls: list[int] = []
    real = _csvsplit.scan_pieces

    def counting(
        held: memoryview, parts: list[_csvsplit.Piece], *rest: object
    ) -> tuple[list[tuple[int, _csvscan.ScanResult]], bool]:
        calls.append(len(parts))
        return real(held, parts, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(_csvio, "scan_pieces", counting)
    redone: list[int] = []
    real_scan = _csvio.scanner

    def scanner(checker: _csvio.RowChecker, only_invalid: bool) -> _csvio.Scanner:
        scan = real_scan(checker, only_invalid)

        def counted(data: memoryview, width: int, line: int, final: bool) -> _csvscan.ScanResult:
            redone.append(line)
            return scan(data, width, line, final)

        return counted

    monkeypatch.setattr(_csvio, "scanner", scanner)
    assert run(data, 2) == run(data, 1)
    assert calls == [2]  # two pieces with two threads (one thread scans its one piece)
    # the second piece, guessed at line 31, is dropped and scanned again from the
    # record the first left unfinished (line 2); then the one-thread run
    assert redone == [2, 31, 2, 2]


@pytest.mark.parametrize(
    ("data", "parts", "expected", "reason"),
    [
        (b"a\nb\nc\nd\n", 2, [(0, 4), (4, 8)], "after the LF at or after the middle"),
        (b"a\r\nb\r\n", 2, [(0, 3), (3, 6)], "a CRLF stays whole: the split is after its LF"),
        (b"abcdef\n", 2, [(0, 7)], "no LF after the middle but the last: one piece"),
        (b"a\rb\rc\r", 3, [(0, 6)], "no LF at all: one piece"),
        (b"a\nb\nc\nd\ne\nf\n", 3, [(0, 4), (4, 8), (8, 12)], "three pieces"),
        (b"ab\ncd\n", 2, [(0, 3), (3, 6)], "the middle begins a line: split there"),
    ],
)
def test_pieces_start_after_a_line_feed(
    data: bytes, parts: int, expected: list[tuple[int, int]], reason: str
) -> None:
    found = _csvsplit.pieces(bytearray(data), len(data), len(data), parts, 1)
    assert [(piece.start, piece.stop) for piece in found] == expected, reason


def test_pieces_are_not_smaller_than_asked() -> None:
    data = bytearray(b"a\n" * 100)
    assert len(_csvsplit.pieces(data, 200, 200, 8, 100)) == 2


@given(st.lists(st.sampled_from([b"\r", b"\n", b"\r\n", b"x", "é".encode()]), max_size=80))
def test_line_breaks_in_c_and_python(parts: list[bytes]) -> None:
    data = b"".join(parts)
    assert compiled_or_skip().line_breaks(data) == _csvscan.line_breaks(data)


@pytest.mark.parametrize(
    ("jobs", "exit_code", "reason"),
    [
        ("1", 1, "one thread"),
        ("3", 1, "more threads than cores is allowed"),
        ("0", 2, "at least one"),
    ],
)
def test_jobs_option(jobs: str, exit_code: int, reason: str) -> None:
    data = HEADER + b"1;a;255081416802512\n"
    result = CliRunner().invoke(cli.main, ["csv", "-", "--jobs", jobs], input=data)
    assert result.exit_code == exit_code, reason


def test_usable_cores() -> None:
    assert _accel.usable_cores() >= 1


def test_long_scans_put_deferred_rows_in_place() -> None:
    """A C scan longer than its stretches (256 KiB) walks in turns: rows keep their order."""
    compiled = compiled_or_skip()
    rows = [
        b"1;a;255081416802538\r\n",  # settled in C
        b"2;b;255081416802512\r\n",  # a wrong key: C, its message known after the first
        b'3;"c\nd";2 55 08 14 168 025 12\r\n',  # quoted line break
        b"4;\xc3\xa9;25508141680\r\n",  # a C verdict, deferred
        b"5;short\r\n",  # slow(), deferred
    ]
    data = HEADER + b"".join(rows[i * 7 % 5] for i in range(40_000))
    with using_core(None):
        expected = run(data, 1)
    with using_core(compiled):
        assert run(data, 1) == expected
        assert run(data, 2) == expected


def test_a_scan_goes_on_while_another_runs_its_deferred_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A thread whose stretch ends while the other holds the GIL for its deferred rows
    # scans its next stretch instead of waiting (the first place name of a run loads
    # the place data there): its rows stay deferred over several stretches, then run
    # and go in place. Each slow row here takes a millisecond (the GIL released, as a
    # load would not, so that both threads are in their deferred turns at once too).
    compiled = compiled_or_skip()
    monkeypatch.setattr(_csvio, "PIECES_PER_THREAD", 1)  # 2 pieces of 5 stretches
    real = _csvio.RowChecker.slow_row

    def slow(self: _csvio.RowChecker, body: bytes, end: bytes, line: int) -> bytes:
        time.sleep(0.001)
        return real(self, body, end, line)

    monkeypatch.setattr(_csvio.RowChecker, "slow_row", slow)
    rows = [b"%d;a;255081416802538\r\n" % i for i in range(400)]  # 10 KB settled in C
    rows[7] = b"7;short\r\n"  # slow(), deferred: one per 10 KB
    rows[123] = b"123;b;255081416802512\r\n"  # a wrong key: C, its message asked once
    data = HEADER + b"".join(rows) * 260  # 2.6 MB
    with using_core(None):
        expected = run(data, 1)
    with using_core(compiled):
        carried = compiled.deferred_stats()[1]
        assert run(data, 2) == expected
        assert compiled.deferred_stats()[1] > carried, "no stretch went on: the path is untested"
    assert compiled.deferred_stats()[0] == 0, "every turn ended"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_a_child_forked_during_a_deferred_turn_does_not_count_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A thread's deferred turn counts in the process: one that is not in a forked child
    # would keep that child's scans going on, their rows deferred, to each piece's end.
    compiled = compiled_or_skip()
    entered, release = threading.Event(), threading.Event()
    real = _csvio.RowChecker.slow_row

    def held(self: _csvio.RowChecker, body: bytes, end: bytes, line: int) -> bytes:
        entered.set()
        release.wait(10)
        return real(self, body, end, line)

    monkeypatch.setattr(_csvio.RowChecker, "slow_row", held)
    data = HEADER + b"1;a;255081416802538\r\n2;short\r\n"
    results: list[object] = []
    with using_core(compiled):
        scan = threading.Thread(target=lambda: results.append(run(data, 1)))
        scan.start()
        try:
            assert entered.wait(10), "the slow row never ran"
            in_turn = compiled.deferred_stats()[0]
            with warnings.catch_warnings():  # Python >= 3.12: fork of a threaded process
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
            if pid == 0:  # the child: its only thread is this one, in no turn
                os._exit(0 if compiled.deferred_stats()[0] == 0 else 1)
            _, status = os.waitpid(pid, 0)
        finally:
            release.set()
            scan.join()
    assert in_turn == 1, "the scan thread was in its turn at the fork"
    assert os.waitstatus_to_exitcode(status) == 0, "the child counted the other thread's turn"
    assert compiled.deferred_stats()[0] == 0
    assert isinstance(results[0], tuple), "the scan went on after the fork"


@pytest.mark.parametrize(
    ("rest", "reason"),
    [
        (
            "é;1\n".encode() + b"c;d\n" * 20 + b"\xff;2\n",
            "UTF-8 first, a byte UTF-8 cannot read further on: exit 2 both ways",
        ),
        (b"\xe9;1\n" + b"c;d\n" * 20 + "é;2\n".encode(), "cp1252 first: read as cp1252 both ways"),
    ],
)
def test_the_encoding_does_not_depend_on_the_window(
    monkeypatch: pytest.MonkeyPatch, rest: bytes, reason: str
) -> None:
    # One thread reads CHUNK_SIZE at a time, several a THREAD_WINDOW: the line of the
    # first non-ASCII byte decides the encoding, whatever either holds.
    compiled_or_skip()
    monkeypatch.setattr(_csvio, "CHUNK_SIZE", 16)
    monkeypatch.setattr(_csvio, "SAMPLE_SIZE", 16)
    data = b"id;nir\n" + b"a;b\n" * 4 + rest
    one, two = run(data, 1), run(data, 2)
    assert type(one) is type(two), reason
    if isinstance(one, str):
        assert one == two, reason
    else:
        assert not isinstance(two, str)
        assert one[1].encoding == two[1].encoding, reason


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (HEADER + b"1;a;255081416802538\r\n2;b;255081416802512\r\n", "CRLF rows"),
        (b"id;nom;nir\n1;a;255081416802538\n2;b;2 55 08 14 168 025 38\n", "LF rows"),
        (HEADER + b'"1";"a\r\nb";"255081416802538"\r\n3;c;255081416802538\r\n', "quoted rows"),
        (HEADER + b"1;a\r\n2\r\n3;c;255081416802538\r\n", "rows without the number's column"),
        (HEADER + b"1;a;255081416802538\r\n2;b;255081416802538", "no line break at the end"),
        (b"\xef\xbb\xbf" + HEADER + b"1;\xc3\xa9;255081416802538\r\n", "a BOM, UTF-8"),
    ],
)
def test_every_row_written_the_same_by_both_cores_and_threads(data: bytes, reason: str) -> None:
    compiled = compiled_or_skip()
    # the rows after the header again and again: past a C stretch (256 KiB)
    rows = data + data.split(b"\n", 1)[1] * 12_000
    with using_core(None):
        expected = run(rows, 1)
    with using_core(compiled):
        assert run(rows, 1) == expected, reason
        assert run(rows, 2) == expected, reason


def run_file(data: bytes, jobs: int, **config: object) -> tuple[bytes, _csvio.Summary] | str:
    """`run` on a regular file (rather than a stream)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_bytes(data)
        sink = io.BytesIO()
        try:
            with path.open("rb") as source:
                summary = _csvio.process(
                    source,
                    sink,
                    _csvio.CsvConfig(options=OPTIONS, jobs=jobs, **config),  # type: ignore[arg-type]
                )
        except _csvio.CsvInputError as error:
            return str(error)
        return sink.getvalue(), summary


@pytest.mark.parametrize(
    ("rest", "reason"),
    [
        (b"\xe9;1\n" + b"c;d\n" * 20 + "é;2\n".encode(), "cp1252 decided in the first window"),
        (b"c;d\n" * 20 + b"\xe9;1\n" + "é;2\n".encode(), "cp1252 decided in a later window"),
        (b"c;d\n" * 20 + "é;1\n".encode() + b"\xff;2\n", "UTF-8 decided, then a bad byte"),
        (b'1;"' + b"a\n" * 30 + b'";x\n' + b"c;d\n" * 9, "a quoted line break at a split"),
        (b"c;d\r" * 40, "no LF after the header"),
    ],
)
@pytest.mark.parametrize("jobs", [2, 3])
def test_a_file_on_threads_decides_and_fails_as_one_thread(
    monkeypatch: pytest.MonkeyPatch, rest: bytes, reason: str, jobs: int
) -> None:
    compiled_or_skip()
    monkeypatch.setattr(_csvio, "CHUNK_SIZE", 16)
    data = b"id;nir\n" + b"a;b\n" * 4 + rest
    assert run_file(data, jobs, only_invalid=True) == run(data, 1, only_invalid=True), reason


@pytest.mark.usefixtures("tiny_windows", "core")
@given(EXPORT, st.integers(1, 4), st.integers(8, 96), st.integers(1, 64), st.booleans())
def test_a_mapped_file_writes_the_bytes_of_a_stream(
    data: bytes, jobs: int, window: int, sample: int, only_invalid: bool
) -> None:
    # a regular file is mapped (past the sample the header was read from): windows
    # are views of it, dropped pages are let go; the bytes out are a stream's
    saved = _csvio.THREAD_WINDOW, _csvio.SAMPLE_SIZE
    _csvio.THREAD_WINDOW, _csvio.SAMPLE_SIZE = window, sample
    try:
        config = {"only_invalid": only_invalid, "replace_bad_bytes": True}
        assert run_file(data, jobs, **config) == run(data, jobs, **config)
    finally:
        _csvio.THREAD_WINDOW, _csvio.SAMPLE_SIZE = saved


@pytest.mark.parametrize(
    ("make", "mapped", "reason"),
    [
        (lambda path: path.open("rb"), True, "a regular file"),
        (lambda path: path.open("rb", buffering=0), True, "unbuffered, still a regular file"),
        (lambda path: io.BytesIO(path.read_bytes()), False, "in memory: nothing to map"),
        (
            lambda path: _csvio.open_input(path.open("rb"))[0],
            True,
            "open_input on an uncompressed file gives the file back",
        ),
    ],
)
def test_what_is_mapped(
    tmp_path: Path, make: Callable[[Path], BinaryIO], mapped: bool, reason: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(HEADER + b"1;a;255081416802538\r\n" * 10_000)
    with make(path) as source:
        reader = _csvio._Reader(source, None)  # what _stream is given
        data = reader.read(100)
        held = _csvio._hold(reader, data, 1 << 16)
        try:
            assert isinstance(held, _csvio._Mapped) is mapped, reason
            assert bytes(held.held()) == data, reason
        finally:
            held.close()


def test_a_gzip_file_is_read_not_mapped(tmp_path: Path) -> None:
    path = tmp_path / "export.csv.gz"
    with gzip.open(path, "wb") as packed:
        packed.write(HEADER + b"1;a;255081416802538\r\n" * 10_000)
    with path.open("rb") as raw:
        source, position = _csvio.open_input(raw)
        reader = _csvio._Reader(source, None, position)
        held = _csvio._hold(reader, reader.read(100), 1 << 16)
        assert isinstance(held, _csvio._Buffer)  # the bytes are unpacked ones


MIB = 1 << 20


@pytest.mark.parametrize(
    ("window", "consumed", "written", "expected", "reason"),
    [
        (4 * MIB, 4 * MIB, 400_000, 8 * MIB, "a tenth out (--only-invalid): doubles"),
        (8 * MIB, 8 * MIB, 800_000, 16 * MIB, "doubles up to the largest window"),
        (16 * MIB, 16 * MIB, 0, 16 * MIB, "nothing out: the largest window"),
        (4 * MIB, 4 * MIB, 20 * MIB, 1_677_721, "five times out (all invalid): 8 MiB out"),
        (4 * MIB, 4 * MIB, 400 * MIB, MIB, "never below a sixteenth of the largest"),
        (4 * MIB, 4 * MIB, 6 * MIB, 5_592_405, "every row of an HR export: 1.5 times out"),
    ],
)
def test_a_window_is_sized_by_its_output(
    window: int, consumed: int, written: int, expected: int, reason: str
) -> None:
    # 16 MiB windows and 8 MiB of output a window: what bounds nir csv's memory
    assert (_csvio.THREAD_WINDOW, _csvio.OUTPUT_WINDOW) == (16 * MIB, 8 * MIB)
    assert _csvio._next_window(window, consumed, written) == expected, reason


SHRINKING = """
import io, os, sys
from nir import _csvio
path, jobs = sys.argv[1], int(sys.argv[2])
_csvio.SAMPLE_SIZE, _csvio.CHUNK_SIZE, _csvio.THREAD_WINDOW = 4096, 4096, 8192
_csvio.MIN_PIECE = 1024
calls = []
def progress(count):
    calls.append(count)
    if len(calls) == 3:
        os.truncate(path, 20_000)  # another program rewrites the export meanwhile
with open(path, "rb") as source:
    summary = _csvio.process(source, io.BytesIO(), _csvio.CsvConfig(jobs=jobs), progress)
print(summary.rows < 10_000)
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_that_shrinks_while_read_ends_early(tmp_path: Path, jobs: int) -> None:
    # pages of a mapping past the file's end kill the process when touched (SIGBUS):
    # each window stops at the file's size of the moment, as a read would
    path = tmp_path / "export.csv"
    path.write_bytes(HEADER + b"1;a;255081416802538\r\n" * 10_000)
    out = subprocess.run(
        [sys.executable, "-c", SHRINKING, str(path), str(jobs)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (out.returncode, out.stdout.strip()) == (0, "True"), out.stderr


def test_a_mapped_file_of_several_windows_lets_pages_go(tmp_path: Path) -> None:
    # past 1 MiB scanned, _Mapped.drop hands pages back (madvise): same bytes out
    data = HEADER + b"1;a;255081416802538\r\n2;b;255081416802512\r\n" * 120_000
    assert len(data) > 4 << 20
    assert run_file(data, 2) == run(data, 2)
    assert run_file(data, 1) == run(data, 1)


def test_on_threads_raises_the_first_error_once_every_job_ended() -> None:
    ended: list[int] = []

    def job(k: int) -> Callable[[], int]:
        def work() -> int:
            time.sleep(0.01 * (3 - k))
            ended.append(k)
            if k in {1, 2}:
                raise ValueError(k)
            return k

        return work

    with ThreadPoolExecutor(2) as executor, pytest.raises(ValueError, match="1"):
        _csvsplit.on_threads(executor, [job(k) for k in range(4)])
    assert sorted(ended) == [0, 1, 2, 3]
    squares: list[Callable[[], int]] = [functools.partial(pow, k, 2) for k in range(5)]
    with ThreadPoolExecutor(2) as executor:
        assert _csvsplit.on_threads(executor, squares) == [0, 1, 4, 9, 16]


@pytest.mark.parametrize(
    ("rows", "as_file", "threaded", "reason"),
    [
        (10, False, False, "the whole input in the first sample: one piece"),
        (10, True, False, "a file smaller than two pieces"),
        (60_000, True, True, "a file of several pieces"),
        (60_000, False, True, "an in-memory stream: its size is not asked"),
    ],
)
def test_threads_start_only_for_inputs_of_several_pieces(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    rows: int,
    as_file: bool,
    threaded: bool,
    reason: str,
) -> None:
    # A small input is one piece (see `pieces`): threads would only wait, at a cost
    # (a few ms, most of a short run). The output does not depend on it.
    monkeypatch.setattr(_accel, "compiled", compiled_or_skip())  # threads need the C core
    from nir import _threads

    started: list[int] = []
    real = _threads.Workers

    def counting(count: int, name: str) -> _threads.Workers:
        started.append(count)
        return real(count, name)

    monkeypatch.setattr(_threads, "Workers", counting)
    data = HEADER + b"".join(b"%d;n;255081416802538\r\n" % k for k in range(rows))  # 1.5 MB
    sink = io.BytesIO()
    config = _csvio.CsvConfig(options=OPTIONS, jobs=2)
    if as_file:
        path = tmp_path / "in.csv"
        path.write_bytes(data)
        with path.open("rb") as source:
            _csvio.process(source, sink, config)
    else:
        _csvio.process(io.BytesIO(data), sink, config)
    assert bool(started) == threaded, reason
    assert sink.getvalue() == run(data, 1)[0]


@pytest.mark.parametrize(
    ("threads", "expected", "reason"),
    [
        (1, _csvio.IDENTITY_MEMO_BYTES, "one thread: a whole memo"),
        (2, _csvio.IDENTITY_MEMO_BYTES, "the default on two cores: a whole memo each"),
        (4, _csvio.IDENTITY_MEMO_TOTAL // 4, "more threads share the total"),
        (8, _csvio.IDENTITY_MEMO_TOTAL // 8, "eight threads: an eighth each"),
    ],
)
def test_memos_of_all_threads_are_bounded(threads: int, expected: int, reason: str) -> None:
    assert _csvio.memo_bytes(threads) == expected, reason
    assert threads * _csvio.memo_bytes(threads) <= max(
        _csvio.IDENTITY_MEMO_TOTAL, _csvio.IDENTITY_MEMO_BYTES
    ), reason


# Birth places written as names, each valid number's own commune (asked of Python once
# per name by the C scan: nir._csvio.RowChecker.place_codes), none spelt as the data
# spells it (those are kept in the memo beforehand: test_the_datas_spellings_...).
NAMED_PLACES = [
    (b"255081416802538", "COLOMBIERES"),
    (b"183127511600472", "PARIS"),
    (b"280089205012352", "NANTERRE"),
    (b"169085319635985", "St Aignan de Couptrain"),  # as a name key reads it
]


def _asked_places(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The cells the C scan will ask Python about (RowChecker.place_codes), in order."""
    asked: list[bytes] = []
    real = _csvio.RowChecker.place_codes

    def counting(self: _csvio.RowChecker, cell: bytes) -> bytes:
        asked.append(cell)
        return real(self, cell)

    monkeypatch.setattr(_csvio.RowChecker, "place_codes", counting)
    return asked


@pytest.mark.parametrize("jobs", [1, 2, 4])
def test_each_name_is_asked_once_whatever_the_threads(
    monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    # The names memo is the run's, not a thread's: a name one thread asked Python about
    # is answered for all (before, each thread asked about every name it met). The
    # names come first in the first piece of the first window (one thread asks), then
    # after rows of codes, in every piece of later windows, on every thread.
    monkeypatch.setattr(_accel, "compiled", compiled_or_skip())  # threads need the C core
    monkeypatch.setattr(_csvio, "THREAD_WINDOW", 64 << 10)
    monkeypatch.setattr(_csvio, "MIN_PIECE", 4 << 10)
    asked = _asked_places(monkeypatch)
    scanning: set[int] = set()  # the threads that made a memo: they scanned
    thread_memo = _csvio._thread_memo  # observed, not replaced

    def observed(memos: dict[int, mmap.mmap], size: int) -> mmap.mmap:
        scanning.add(threading.get_ident())
        return thread_memo(memos, size)

    monkeypatch.setattr(_csvio, "_thread_memo", observed)
    named = [b"%s;;;%s\r\n" % (number, name.encode()) for number, name in NAMED_PLACES]
    coded = [b"%s;;;%s\r\n" % (number, number[5:10]) for number, _ in NAMED_PLACES]
    rows = named + coded * 5_000 + named * 5_000  # 0.5 MB of codes, then 0.7 MB of names
    data = b"nir;sexe;date_naissance;lieu_naissance\r\n" + b"".join(rows)
    config = _csvio.CsvConfig(options=OPTIONS, jobs=jobs)
    summary = _csvio.process(io.BytesIO(data), io.BytesIO(), config)
    assert summary.identity_checked["birth_place"] == len(rows)
    assert not summary.identity_mismatched
    assert sorted(asked) == sorted(name.encode() for _, name in NAMED_PLACES)
    assert (len(scanning) > 1) == (jobs > 1)  # several threads met the names


ASCII_ONLY, EVERY_NAME = True, False  # keep_names' last argument

# The same births, the names spelt as the data spells them (cp1252 can write each).
SPELT_PLACES = [
    (b"255081416802538", "Colombi\u00e8res"),
    (b"183127511600472", "Paris"),
    (b"280089205012352", "Nanterre"),
    (b"169085319635985", "Saint-Aignan-de-Couptrain"),
]


def _places_file(rows: list[tuple[bytes, str]], encoding: str, repeat: int) -> bytes:
    body = b"".join(b"%s;;;%s\r\n" % (number, name.encode(encoding)) for number, name in rows)
    return b"nir;sexe;date_naissance;lieu_naissance\r\n" + body * repeat


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_the_datas_spellings_are_asked_of_no_one(
    monkeypatch: pytest.MonkeyPatch, jobs: int, encoding: str
) -> None:
    # The first name asked keeps every spelling of the data, in the run's encoding, in
    # the names memo: the others are then answered by C (~40,000 calls with the GIL
    # saved on a national export), with the answers Python gives.
    monkeypatch.setattr(_accel, "compiled", compiled_or_skip())
    monkeypatch.setattr(_csvio, "THREAD_WINDOW", 64 << 10)
    monkeypatch.setattr(_csvio, "MIN_PIECE", 4 << 10)
    asked = _asked_places(monkeypatch)
    data = _places_file(SPELT_PLACES, encoding, 3_000)
    config = _csvio.CsvConfig(options=OPTIONS, jobs=jobs, encoding=encoding)
    out = io.BytesIO()
    summary = _csvio.process(io.BytesIO(data), out, config)
    cells = [name.encode(encoding) for _, name in SPELT_PLACES]
    if _accel.name_spellings(encoding):
        # kept ahead of the first name (keep_names_ahead), or by the first asked: a
        # thread that met a name before it was kept asks once (any: threads race)
        assert len(asked) <= jobs
        assert set(asked) <= set(cells)
    else:  # a source checkout, unbuilt (make sanitize's copy): each name once, as before
        assert sorted(asked) == sorted(cells)
    assert summary.identity_checked["birth_place"] == 4 * 3_000
    assert not summary.identity_mismatched
    with using_core(None):
        expected = io.BytesIO()
        assert _csvio.process(io.BytesIO(data), expected, config) == summary
    assert out.getvalue() == expected.getvalue()


def _spelling_cells(records: bytes) -> list[bytes]:
    """The cells of `nir._accel.spelling_records`' records (a length byte before each part)."""
    cells, at = [], 0
    while at < len(records):
        cell_end = at + 1 + records[at]
        cells.append(records[at + 1 : cell_end])
        at = cell_end + 1 + records[cell_end]
    return cells


def test_every_spelling_of_the_data_stays_in_the_names_memo(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # All 38,000 spellings in one run: each stays where keep_names put it. In groups of
    # one choice, ~970 found theirs full (1 in 30 gets 5 or more of 4 ways): evicted,
    # asked of Python when met, evicting another, through the whole run.
    monkeypatch.setattr(_accel, "compiled", compiled_or_skip())
    cells = _spelling_cells(_accel.name_spellings("utf-8"))
    if not cells:
        pytest.skip("a source checkout, unbuilt: no spellings kept")
    assert len(cells) > 30_000
    asked = _asked_places(monkeypatch)
    rows = b"".join(b"255081416802538;;;" + cell + b"\r\n" for cell in cells)
    data = b"nir;sexe;date_naissance;lieu_naissance\r\n" + rows * 2
    config = _csvio.CsvConfig(options=OPTIONS, jobs=1, encoding="utf-8", only_invalid=True)
    summary = _csvio.process(io.BytesIO(data), io.BytesIO(), config)
    assert summary.identity_checked["birth_place"] == 2 * len(cells)
    assert len(asked) <= 1, "none (kept ahead), or the first met before they were"
    assert set(asked) <= set(cells)


@pytest.mark.parametrize(
    ("cells", "expected", "reason"),
    [
        ([b"14168", b"2A004", b"2B099", b"99352"], False, "codes, Corsica's too"),
        ([b"", b"N/A", b"Eu"], False, "nothing of three letters"),
        ([b"14168", b"Caen"], True, "a name among codes"),
        (["Lô-Saint".encode("cp1252")], True, "cp1252"),
        (["Île".encode()], True, "UTF-8: a letter of two bytes"),
    ],
)
def test_has_names_looks_at_the_place_column(
    cells: list[bytes], expected: bool, reason: str
) -> None:
    rows = b"".join(b"255081416802538;Caen;;%s\r\n" % cell for cell in cells)
    assert _csvio._has_names(memoryview(rows), b";", 3) is expected, reason
    assert not _csvio._has_names(memoryview(rows), b";", 7), "a column no row reaches"


def _started_prefills(
    monkeypatch: pytest.MonkeyPatch, data: bytes, jobs: int
) -> tuple[list[_csvio._Prefill], _csvio.Summary]:
    started: list[_csvio._Prefill] = []
    real = _csvio._Prefill.start

    def observed(self: _csvio._Prefill) -> None:
        started.append(self)
        real(self)

    monkeypatch.setattr(_csvio._Prefill, "start", observed)
    summary = _csvio.process(
        io.BytesIO(data), io.BytesIO(), _csvio.CsvConfig(options=OPTIONS, jobs=jobs)
    )
    return started, summary


@pytest.mark.parametrize("jobs", [1, 2])
def test_names_are_kept_ahead_only_for_a_column_of_names(
    monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    # The spellings are kept on a thread of their own from the first window, when it
    # holds a name, while the scan goes on; not for a column of codes, nor for an input
    # of one window (nothing to overlap: the first name asked keeps them, as before).
    monkeypatch.setattr(_accel, "compiled", compiled_or_skip())
    monkeypatch.setattr(_csvio, "CHUNK_SIZE", 64 << 10)
    monkeypatch.setattr(_csvio, "THREAD_WINDOW", 256 << 10)
    monkeypatch.setattr(_csvio, "MIN_PIECE", 4 << 10)
    named = _places_file(SPELT_PLACES, "utf-8", 3_000)
    coded = b"".join(b"%s;;;%s\r\n" % (number, number[5:10]) for number, _ in SPELT_PLACES)
    started, summary = _started_prefills(monkeypatch, named, jobs)
    assert len(started) == 1
    assert not started[0].is_alive(), "joined before the run ends"
    assert summary.identity_checked["birth_place"] == 4 * 3_000
    assert not summary.identity_mismatched
    header = b"nir;sexe;date_naissance;lieu_naissance\r\n"
    started, summary = _started_prefills(monkeypatch, header + coded * 10_000, jobs)
    assert started == [], "codes only"
    assert summary.identity_checked["birth_place"] == 4 * 10_000
    started, _ = _started_prefills(monkeypatch, _places_file(SPELT_PLACES, "utf-8", 10), jobs)
    assert started == [], "one window"


def test_names_are_kept_when_asked_if_no_thread_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    # a process at its limit of threads ("can't start new thread"): the first name
    # asked keeps the spellings, as before the prefill; the run is the same
    monkeypatch.setattr(_accel, "compiled", compiled_or_skip())
    monkeypatch.setattr(_csvio, "CHUNK_SIZE", 64 << 10)
    data = _places_file(SPELT_PLACES, "utf-8", 3_000)
    expected = io.BytesIO()
    summary = _csvio.process(io.BytesIO(data), expected, _csvio.CsvConfig(options=OPTIONS))

    def refused(self: _csvio._Prefill) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(_csvio._Prefill, "start", refused)
    out = io.BytesIO()
    assert _csvio.process(io.BytesIO(data), out, _csvio.CsvConfig(options=OPTIONS)) == summary
    assert out.getvalue() == expected.getvalue()


def test_an_error_keeping_names_ahead_is_the_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # raised on the run's thread by the first name asked (each waits for the
    # prefill), not lost with the prefill's thread
    monkeypatch.setattr(_accel, "compiled", compiled_or_skip())
    monkeypatch.setattr(_csvio, "CHUNK_SIZE", 64 << 10)

    def broken(memo: mmap.mmap, encoding: str, *, ascii_only: bool) -> int:
        raise ValueError("keep_names: not a cell and its name table")

    monkeypatch.setattr(_accel, "keep_names", broken)
    with pytest.raises(_csvio.FailedAt) as raised:  # an error of a row's place: the lines
        _started_prefills(monkeypatch, _places_file(SPELT_PLACES, "utf-8", 3_000), 1)
    assert isinstance(raised.value.__cause__, ValueError)
    assert "not a cell and its name table" in str(raised.value.__cause__)


def test_spellings_wait_for_the_encoding_while_it_is_a_guess(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # While every byte so far is ASCII the encoding is a guess (UTF-8): only the ASCII
    # spellings are kept then. The cp1252 bytes met later are read in cp1252, the
    # encoding settled on, as the pure-Python core and an explicit --encoding read them.
    compiled = compiled_or_skip()
    monkeypatch.setattr(_accel, "compiled", compiled)
    monkeypatch.setattr(_csvio, "CHUNK_SIZE", 4 << 10)
    monkeypatch.setattr(_csvio, "SAMPLE_SIZE", 4 << 10)
    monkeypatch.setattr(_csvio, "THREAD_WINDOW", 4 << 10)
    monkeypatch.setattr(_csvio, "MIN_PIECE", 1 << 10)
    ascii_rows = [row for row in SPELT_PLACES if row[1].isascii()]
    header = len(b"nir;sexe;date_naissance;lieu_naissance\r\n")
    data = (
        _places_file(ascii_rows, "cp1252", 500)
        + _places_file(SPELT_PLACES, "cp1252", 50)[header:]
        # the UTF-8 bytes of a spelling, in cp1252: "ColombiÃ¨res", no name of the data
        # (read as Colombières, a Calvados commune, it would contradict Paris)
        + _places_file([(SPELT_PLACES[1][0], SPELT_PLACES[0][1])], "utf-8", 50)[header:]
    )
    kept: list[tuple[str, bool]] = []
    real = _accel.keep_names

    def observed(memo: mmap.mmap, encoding: str, *, ascii_only: bool) -> int:
        kept.append((encoding, ascii_only))
        return real(memo, encoding, ascii_only=ascii_only)

    monkeypatch.setattr(_accel, "keep_names", observed)
    results = {}
    for told in (None, "cp1252"):
        for core in ("c", "python"):
            out = io.BytesIO()
            with using_core(compiled if core == "c" else None):
                summary = _csvio.process(
                    io.BytesIO(data), out, _csvio.CsvConfig(options=OPTIONS, encoding=told)
                )
            results[told, core] = (out.getvalue(), summary)
    assert len(set(map(repr, results.values()))) == 1, "the same whatever the core or guess"
    summary = results[None, "c"][1]
    assert summary.encoding == "cp1252"
    assert summary.identity_checked["birth_place"] == 3 * 500 + 4 * 50 + 50
    assert not summary.identity_mismatched
    assert kept == [("utf-8", True), ("cp1252", False), ("cp1252", False)], (
        "ASCII while a guess, then all once settled; with --encoding at once"
    )


@pytest.mark.parametrize(
    ("spellings", "error", "reason"),
    [
        (b"\x05Paris", "past the end", "a cell without its table"),
        (b"\x05Paris\x07\xff\x00751", "past the end", "a table cut short"),
        (b"\x00\x02\xff\x00", "not a cell and its name table", "an empty cell"),
        (b"\x01P\x00", "not a cell and its name table", "an empty table"),
        (b"\x01P\x03\xff\x007", "not a cell and its name table", "codes of 5 characters"),
        (b"\x01P\x02\xfe\x00", "not a cell and its name table", "not a department index"),
        (b"\x01P\x02\xff\x02", "not a cell and its name table", "not NAME_DATED"),
    ],
)
def test_keep_names_refuses_spellings_it_cannot_read(
    spellings: bytes, error: str, reason: str
) -> None:
    compiled = compiled_or_skip()
    memo = bytearray(64 << 10)
    good = b"\x05Paris\x07\xff\x0075056"
    with pytest.raises(ValueError, match=error):
        compiled.keep_names(memo, good + spellings, EVERY_NAME)
    assert memo == bytearray(len(memo)), f"nothing kept: {reason}"
    assert compiled.keep_names(memo, good, EVERY_NAME) == 1


def test_keep_names_keeps_what_fits_and_refuses_a_memo_in_use() -> None:
    compiled = compiled_or_skip()
    memo = bytearray(64 << 10)
    table = b"\x07\xff\x0075056"
    spellings = b"\x05Paris" + table + b"\x05Pr\xc3\xa9s" + table + b"\x46" + b"x" * 70 + table
    assert compiled.keep_names(memo, spellings, ASCII_ONLY) == 1, "ASCII only; 70 bytes: too long"
    assert compiled.keep_names(memo, spellings, EVERY_NAME) == 2
    assert compiled.keep_names(bytearray(64), spellings, EVERY_NAME) == 0, "a memo of no entries"
    with pytest.raises(ValueError, match="is odd"):
        compiled.keep_names(bytearray(b"\x01" + bytes(4095)), spellings, EVERY_NAME)
    with pytest.raises(ValueError, match="64 bytes or more"):
        compiled.keep_names(bytearray(8), spellings, EVERY_NAME)
    with pytest.raises(TypeError, match="must be bytes"):
        compiled.keep_names(memo, bytearray(spellings), EVERY_NAME)  # type: ignore[arg-type]
    assert compiled.keep_names(memo, b"", EVERY_NAME) == 0


@pytest.mark.parametrize(
    ("names_memo", "error", "reason"),
    [
        (bytearray(8), "64 bytes or more", "shorter than its header"),
        (bytearray(b"\x01" + bytes(4095)), "is odd", "a write under way: none can be"),
        (memoryview(bytearray(200))[1:], "8-aligned", "its count of writes not 8-aligned"),
        (b"\0" * 4096, "not writable", "read-only: the scan writes it"),
    ],
)
def test_the_scan_refuses_a_names_memo_it_cannot_share(
    names_memo: object, error: str, reason: str
) -> None:
    compiled = compiled_or_skip()
    checker = _csvio.RowChecker(
        ";", "utf-8", 0, 1, only_invalid=True, options=OPTIONS, summary=_csvio.Summary()
    )
    checker.identity = {"birth_place": 1}
    assert OPTIONS.reference_date is not None
    identity = _csvio.identity_argument(checker, OPTIONS.reference_date)
    arguments = (b"255081416802538;14168\n", b";", 0, 2, True, 1, True, checker.slow_row)
    policy = (False, False, False, 2026, 1)
    # the real argument: a consistent row, not written
    assert bytes(compiled.scan(*arguments, policy, checker.cells, identity)[0]) == b"", reason
    wrong = (*identity[:11], names_memo)
    with pytest.raises((ValueError, BufferError), match=error):
        compiled.scan(*arguments, policy, checker.cells, wrong)  # type: ignore[arg-type]
    # every buffer the scan took is let go (else BufferError: an export is held)
    checker.identity_counts.extend(b"x")
    checker.names_memo.close()
    identity[5].close()  # type: ignore[attr-defined]  # the thread's memo: an mmap


@pytest.mark.parametrize(
    ("held", "reason"),
    [
        (b";;255081416802538\n", "a valid number's bytes left after the data by a stream"),
        (b";;", "the data's end: nothing may be read after it"),
        (b";;\n255081416802538", "a line break, then a number"),
    ],
)
def test_an_empty_last_field_is_empty_whatever_follows_the_data(held: bytes, reason: str) -> None:
    # The fast path took an empty field for a 15-character one (its end equals its
    # start) and read the 15 bytes after it: beyond the data of an unterminated last
    # record, a stream's buffer still held the row before (hypothesis found it: the
    # row came out valid, with that row's number).
    compiled = compiled_or_skip()
    data = memoryview(bytearray(held))[:2]
    policy = (True, False, False, 2026, 11)
    arguments = (data, b";", 2, 3, False, 4, True, lambda *_: b"")  # all rows, line 4, final
    out = bytes(compiled.scan(*arguments, policy, _render)[0])
    assert out.split(b";")[3:6] == [b"4", b"false", b"empty"], reason


def _render(code: str, params: tuple[str | int | None, ...]) -> bytes:
    return code.encode()


def test_the_stream_that_showed_it_reads_as_the_mapped_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compiled_or_skip()
    monkeypatch.setattr(_csvio, "CHUNK_SIZE", 16)
    monkeypatch.setattr(_csvio, "THREAD_WINDOW", 8)
    monkeypatch.setattr(_csvio, "SAMPLE_SIZE", 34)
    data = b'id;nom;nir\r\n""255081416802538\n1;a;255081416802538\n;;'
    streamed = run(data, 1, replace_bad_bytes=True)
    assert streamed == run_file(data, 1, replace_bad_bytes=True)
    assert not isinstance(streamed, str)
    assert streamed[0].endswith(b";;;4;false;empty;the number is empty;;;;;")
