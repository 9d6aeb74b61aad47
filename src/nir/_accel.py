"""The one place that decides which core runs: the C extension or pure Python.

`compiled` is the C extension `nir._speedups` when it is built and importable,
unless the environment sets ``NIR_PURE_PYTHON`` (to anything non-empty); else
None, and every caller uses the pure-Python reference of the same function. The
two give the same results (the tests compare them); only the speed differs.

Callers read `compiled` at call time, so the tests can switch cores by setting it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # typing_extensions is a typing-time name only (Buffer is in 3.12's abc)
    from typing_extensions import Buffer

COMPILED = "C extension"
PURE_PYTHON = "pure Python"


class Speedups(Protocol):
    """What `nir._speedups` provides (see its stub, `_speedups.pyi`)."""

    def quick_valid(self, value: object, /) -> bool: ...

    def scan(  # noqa: PLR0917
        self,
        data: Buffer,
        delimiter: bytes,
        column: int,
        width: int,
        only_invalid: bool,
        line: int,
        final: bool,
        slow: Callable[[bytes, bytes, int], bytes],
        judge: Callable[[bytes], tuple[str, bytes, str, str, tuple[str, ...]] | None]
        | tuple[bool, bool, bool, int, int],
        render: Callable[[str, tuple[str | int | None, ...]], bytes],
        /,
    ) -> tuple[bytes, int, int, int, int, dict[str, int], dict[str, int], int, int]: ...

    def first_undecodable(self, data: Buffer, end: int, encoding: str, /) -> int: ...

    def check_many(
        self, values: Iterable[object], slow: Callable[[object], str | None], /
    ) -> tuple[bytearray, dict[int, str]]: ...

    def verdict(  # noqa: PLR0917
        self,
        value: bytes,
        allow_temporary: bool,
        allow_missing_key: bool,
        warnings_as_errors: bool,
        year: int,
        month: int,
        /,
    ) -> tuple[str, tuple[str | int | None, ...], str, str, tuple[str, ...]] | None: ...


def load_compiled() -> Speedups | None:
    """The C extension, or None when it is not built."""
    try:
        from nir import _speedups  # noqa: PLC0415  # optional: absent without a compiler
    except ImportError:
        return None
    return _speedups


compiled: Speedups | None = None if os.environ.get("NIR_PURE_PYTHON") else load_compiled()


def core_implementation() -> str:
    """Which core is running: "C extension" or "pure Python".

    >>> core_implementation() in ("C extension", "pure Python")
    True
    """
    return COMPILED if compiled is not None else PURE_PYTHON
