# Type stub of the optional C extension (src/nir/_speedups.c). When it is not
# built, nir falls back to the pure-Python modules that define the same functions.
from collections.abc import Callable

def scan(
    data: bytes,
    newline: bytes,
    delimiter: bytes,
    column: int,
    width: int,
    only_invalid: bool,
    line: int,
    final: bool,
    slow: Callable[[bytes, bytes, int], bytes],
    /,
) -> tuple[bytes, int, int, int, int, int]: ...
