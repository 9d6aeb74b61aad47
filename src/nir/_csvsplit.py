"""`nir csv` on several threads: a window of records split into pieces, one per thread.

The C scan walks records without the GIL, so pieces of one window scan at once.
The output is the pieces' outputs in order: the bytes one thread writes.

Splitting is speculative. Piece k starts after the first LF at or after its
nominal start, as if that LF were not inside a quoted field. Its first line
number is known before the scan, because line numbers count every line break
(CRLF, CR, LF), quoted or not: the line of piece k-1 plus the breaks in it.
After the scans, the pieces are checked in order: piece k-1, which starts on a
true record boundary, must have consumed all its bytes, so that piece k starts
on one too. If not (a quoted field holds the line break the split took), piece k
is scanned again, on this thread, from where piece k-1 truly stopped.

A piece's slow rows are counted in a `Summary` of its own (a piece scanned on a
wrong guess is dropped, counts and all), merged in order after the check.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeVar, cast

from nir._csvscan import ScanResult

if TYPE_CHECKING:
    from nir._threads import Submitting

# scan of one piece: (data, line, final) -> its result, and the summary of its slow rows
PieceScan = Callable[[memoryview, int, bool], ScanResult]
T = TypeVar("T")


class Searchable(Protocol):
    """Bytes that can be searched: a bytearray, or a window of a mapped file."""

    def find(self, sub: bytes, start: int, end: int, /) -> int:
        """The first `sub` in [start, end), or -1."""
        ...


class Piece(NamedTuple):  # not a dataclass: its decorator is ~0.3 ms of a run's start-up
    """Bytes [start, stop) of a window; the last piece of a window takes its tail too."""

    start: int
    stop: int


def pieces(data: Searchable, complete: int, size: int, parts: int, smallest: int) -> list[Piece]:
    """`data[:size]` in up to `parts` pieces of at least `smallest` bytes.

    Every piece but the last ends just after the first LF at or after its nominal end
    (and before `complete`, the end of the last line break): the next one starts there.
    """
    count = max(1, min(parts, complete // max(smallest, 1)))
    starts = [0]
    for k in range(1, count):
        # from the byte before: a nominal start that begins a line stays where it is
        nominal = max(complete * k // count - 1, starts[-1])
        found = data.find(b"\n", nominal, complete)
        if found < 0:
            break
        if found + 1 < complete and found + 1 > starts[-1]:
            starts.append(found + 1)
    stops = [*starts[1:], size]
    return [Piece(start, stop) for start, stop in zip(starts, stops, strict=True)]


def on_threads(executor: Submitting | None, work: list[Callable[[], T]]) -> list[T]:
    """The results of `work`, in order, run by this thread and the executor's at once.

    Each thread takes the next job not yet taken, so pieces of uneven cost even
    out. A job's error is raised after every job has ended (no job still reads the
    window then); of several, the first job's.
    """
    if executor is None or len(work) == 1:
        return [job() for job in work]
    results: list[T | None] = [None] * len(work)
    errors: dict[int, Exception] = {}
    order = iter(range(len(work)))  # shared: next() on it holds the GIL, each job runs once

    def drain() -> None:
        for k in order:
            try:
                results[k] = work[k]()
            except Exception as error:  # noqa: BLE001  # raised below, once all jobs ended
                errors[k] = error

    futures = [executor.submit(drain) for _ in work[1:]]  # the idle ones return at once
    drain()
    for future in futures:
        future.result()
    if errors:
        raise errors[min(errors)]
    return cast("list[T]", results)


def scan_pieces(  # noqa: PLR0917  # the window's state, in the order the docstring says
    held: memoryview,
    parts: list[Piece],
    line: int,
    final: bool,
    probe: Callable[[Piece], tuple[int, int]],
    scan: Callable[[int, memoryview, int, bool, bool], ScanResult | None],
    executor: Submitting | None,
) -> tuple[list[tuple[int, ScanResult]], bool]:
    """Probe and scan `parts` at once, then redo any that started on a wrong guess.

    Returns the results kept, and whether a piece holds a byte that does not decode.

    `probe(piece)` is (where the piece's bytes stop decoding or -1, its line breaks).
    Each job probes its piece, then scans it from its first line: `line` (the first
    piece's) plus the line breaks of the pieces before it, so it waits for their
    probes. They come first: jobs are taken in order, and each probes before it
    scans (no barrier between the probes and the scans of a window).

    `scan(index, data, line, final, undecodable)` scans one piece; `index` is the
    piece's number (a redone piece keeps its number: its slow rows count in that
    piece's summary, which the caller resets first); it returns None for a piece
    that holds bytes the run does not replace. The results are then ([], True), for
    the caller to report those bytes. Otherwise the results kept, in order, as
    (piece number, result), add up to a one-thread scan's.
    """
    last = len(parts) - 1
    probed: list[tuple[int, int] | None] = [None] * len(parts)
    ready = [threading.Event() for _ in parts]

    def job(k: int) -> Callable[[], ScanResult | None]:
        piece = parts[k]

        def probe_then_scan() -> ScanResult | None:
            try:
                own = probed[k] = probe(piece)
            finally:
                ready[k].set()  # even on an error: no later piece waits for ever
            first = line
            for j in range(k):
                ready[j].wait()
                before = probed[j]
                if before is None:  # its probe failed: on_threads raises that error
                    return None
                first += before[1]
            return scan(k, held[piece.start : piece.stop], first, final and k == last, own[0] >= 0)

        return probe_then_scan

    guessed = on_threads(executor, [job(k) for k in range(len(parts))])
    undecodable = any(found[0] >= 0 for found in cast("list[tuple[int, int]]", probed))
    if any(result is None for result in guessed):
        return [], True
    kept: list[tuple[int, ScanResult]] = []
    position, at = 0, line
    for k, piece in enumerate(parts):
        result = guessed[k]
        if piece.start != position:  # the guess was wrong: from the true boundary
            result = scan(k, held[position : piece.stop], at, final and k == last, undecodable)
        assert result is not None  # None only for bytes not replaced, returned above
        kept.append((k, result))
        position += result.consumed
        at = result.line
    return kept, undecodable
