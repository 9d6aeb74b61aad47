"""The `nir` command's entry point: `nir.cli`, imported with the collector paused.

Importing the command builds tens of thousands of objects that live as long as the
process (modules, functions, classes). The cyclic collector, run dozens of times
while they are made, frees none of them: about a tenth of a short run's start-up.
At exit the interpreter collects once more, over everything: frozen objects are out
of its sight, so what is left alive at the end is frozen too (5-13 ms of a run).

The command owns its process, so with the C core on glibc it also makes its threads
share one malloc arena (see share_malloc_arena in _speedups.c): peak memory then
stays bounded whatever `--jobs` is. A user's own arena setting (MALLOC_ARENA_MAX,
or glibc.malloc.arena_max in GLIBC_TUNABLES) is left as it is, and so is a library
caller's process.
"""

from __future__ import annotations

import gc
import os

from nir import _accel


def main() -> None:
    """Run `nir` (`nir.cli.main`)."""
    _share_malloc_arena()
    collecting = gc.isenabled()
    gc.disable()
    try:
        from nir.cli import main as command  # noqa: PLC0415  # the point: imported here
    finally:
        if collecting:
            gc.enable()
    gc.freeze()  # what the import made is never garbage: later collections skip it
    # The modules a command imports when it runs (nir csv's engine) are as lasting:
    # a youngest generation ten times the default's is collected ten times less.
    youngest, middle, oldest = gc.get_threshold()
    gc.set_threshold(youngest * 10, middle, oldest)
    try:
        command()
    finally:
        # Files are closed and flushed by the command itself; the exit's collection
        # would only walk the live objects again before the process ends.
        gc.freeze()


def _share_malloc_arena() -> None:
    """One malloc arena for the command's threads, unless the user chose otherwise.

    Called before any thread starts. A C core built before the function existed
    (an editable install not rebuilt) just goes without.
    """
    tunables = os.environ.get("GLIBC_TUNABLES", "")
    if "MALLOC_ARENA_MAX" in os.environ or "glibc.malloc.arena_max" in tunables:
        return
    share = getattr(_accel.compiled, "share_malloc_arena", None)
    if share is not None:
        share()
