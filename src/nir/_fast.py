"""A shortcut for the common case: a compact number that is valid with no warnings.

`quick_valid` answers True only for numbers that `nir.parse` accepts without any
warning under every option set (the property tests check this against the full
rules). Anything else -- separators, Corsica, places whose meaning depends on
the birth date, temporary numbers, errors -- answers False and goes through the
full rules. Bulk paths call it first and pay for the full rules only when needed.

FAST_PATTERN is built from the facts of `nir._rules`, so it follows any change there.
"""

from __future__ import annotations

from itertools import groupby

from nir import _rules


def _char_class(chars: list[str]) -> str:
    """`[0-35-9]` for the sorted digits 0, 1, 2, 3, 5...: runs of consecutive digits."""
    if len(chars) == 1:
        return chars[0]
    runs = [
        [char for _, char in run]
        for _, run in groupby(enumerate(chars), key=lambda pair: ord(pair[1]) - pair[0])
    ]
    return "[" + "".join(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs) + "]"


def alternation(codes: set[str] | frozenset[str]) -> str:
    """A regex matching exactly `codes` (digit strings of one length), compactly."""
    if not next(iter(codes)):
        return ""
    rests: dict[str, set[str]] = {}
    for code in codes:
        rests.setdefault(code[0], set()).add(code[1:])
    by_rest: dict[str, list[str]] = {}
    for first in sorted(rests):
        by_rest.setdefault(alternation(rests[first]), []).append(first)
    parts = [_char_class(firsts) + rest for rest, firsts in by_rest.items()]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _two_digits(values: frozenset[int] | range) -> frozenset[str]:
    return frozenset(f"{value:02d}" for value in values)


def _build_pattern() -> str:
    """The regex of a number whose fields are right whatever the birth date.

    Sex 1/2 | year | a documented month | a place right whatever the birth date |
    order 001-999 | a 2-digit key, checked arithmetically afterwards.
    """
    heads = {f"{value:02d}": _rules.plain_department_years(f"{value:02d}") for value in range(100)}
    plain = frozenset(head for head, years in heads.items() if years)
    # heads plain only for some YY: one lookahead excludes the others
    by_years: dict[frozenset[int], set[str]] = {}
    for head in sorted(plain):
        if len(heads[head]) < 100:  # not every YY
            by_years.setdefault(frozenset(range(100)) - heads[head], set()).add(head)
    excluded = [
        f"{alternation(_two_digits(years))}[0-9]{{2}}{alternation(group)}"
        for years, group in by_years.items()
    ]
    lookaheads = f"(?!(?:{'|'.join(excluded)}))" if excluded else ""
    communes = _two_digits(range(1, _rules.OVERSEAS_COMMUNE_MAX + 1))
    return (
        f"{alternation(_rules.DEFINITIVE)}{lookaheads}[0-9]{{2}}"
        f"{alternation(_two_digits(_rules.DOCUMENTED_MONTHS))}"
        f"(?:{alternation(plain)}(?!000)[0-9]{{3}}"
        f"|{alternation(_rules.PLAIN_OVERSEAS)}{alternation(communes)}"
        f"|{_rules.ABROAD}(?!{_rules.NO_COUNTRY}|{_rules.FRANCE_COUNTRY})[0-9]{{3}})"
        r"(?!000)[0-9]{3}"
        r"[0-9]{2}"
    )


# Built on first use, not at import: with the C core a one-number command never
# needs them (building and compiling them is ~2 ms of `import nir`).
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see nir._tuples)
if TYPE_CHECKING:  # given by __getattr__ below
    import re

    FAST_PATTERN: str
    FAST_BYTES: re.Pattern[bytes]
_FAST_STR: re.Pattern[str] | None = None
_FAST_BYTES: re.Pattern[bytes] | None = None


def _compile() -> re.Pattern[str]:
    global _FAST_STR, _FAST_BYTES  # noqa: PLW0603  # a cache filled once
    import re  # noqa: PLC0415  # `import nir` does not import re (see nir._parse)

    pattern = _build_pattern()
    _FAST_BYTES = re.compile(pattern.encode("ascii"))
    _FAST_STR = re.compile(pattern)
    return _FAST_STR


def __getattr__(name: str) -> object:
    """FAST_PATTERN (the regex's text) and FAST_BYTES (it compiled for bytes), lazily."""
    if name == "FAST_PATTERN":
        return (_FAST_STR or _compile()).pattern
    if name == "FAST_BYTES":
        _FAST_STR or _compile()
        return _FAST_BYTES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def quick_valid(value: str) -> bool:
    """True when `value` is a compact, valid number with no warnings; else "don't know"."""
    return (_FAST_STR or _compile()).fullmatch(value) is not None and int(value[:13]) % 97 + int(
        value[13:]
    ) == 97


def plain_fields(value: str) -> bool:
    """True when `value` is 15 digits whose fields pass FAST_PATTERN, whatever its key.

    Such a number is either valid with no warning or wrong only in its key.
    """
    return (_FAST_STR or _compile()).fullmatch(value) is not None


def quick_valid_bytes(value: bytes) -> bool:
    """`quick_valid` for an ASCII byte string, so CSV rows need no decoding."""
    fast_bytes = _FAST_BYTES
    if fast_bytes is None:
        _compile()
        fast_bytes = _FAST_BYTES
        assert fast_bytes is not None  # set by _compile
    return fast_bytes.fullmatch(value) is not None and int(value[:13]) % 97 + int(value[13:]) == 97
