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
    lines: list[int],
    final: bool,
    scan: Callable[[int, memoryview, int, bool], ScanResult],
    executor: Submitting | None,
) -> list[tuple[int, ScanResult]]:
    """Scan `parts` (first lines `lines`) at once, then redo any that started on a wrong guess.

    `scan(index, data, line, final)` scans one piece; `index` is the piece's number
    (a redone piece keeps its number: its slow rows count in that piece's summary,
    which the caller resets first). Returns, in order, (piece number, result) of the
    results kept: their outputs and counts add up to a one-thread scan's.
    """
    last = len(parts) - 1

    def job(k: int) -> Callable[[], ScanResult]:
        piece = parts[k]
        return lambda: scan(k, held[piece.start : piece.stop], lines[k], final and k == last)

    guessed = on_threads(executor, [job(k) for k in range(len(parts))])
    kept: list[tuple[int, ScanResult]] = []
    position, line = 0, lines[0]
    for k, piece in enumerate(parts):
        result = guessed[k]
        if piece.start != position:  # the guess was wrong: from the true boundary
            result = scan(k, held[position : piece.stop], line, final and k == last)
        kept.append((k, result))
        position += result.consumed
        line = result.line
    return kept
