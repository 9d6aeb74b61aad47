"""Checking many numbers at once: one verdict per value, no result object per valid one.

`check_many` is the public bulk API; `Verdict` and `verdict` are what the CSV
engine writes per row. Both take the fast path first (`nir._fast`) and run the
full rules (`nir._parse.parse_with`) only for the rest. With the C extension,
`check_many`'s loop and fast path run in C and call back only for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from functools import partial

from nir import _accel, _rules, errors, messages
from nir._fast import plain_fields
from nir._frozen import dataclass_shadow
from nir._key import body_value
from nir._model import Kind
from nir._parse import Options, _check_key, compact, parse_with, quick_valid_value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see nir._tuples)
if TYPE_CHECKING:
    import re

# A report shows at most this much of a compacted invalid value.
_LONGEST_SHOWN = 40
_FULL_LENGTH = 15


@dataclass_shadow()
class Verdict:
    """What one value comes to, flattened for reports (CSV columns, JSON).

    Frozen, and a dataclass to `dataclasses` (see `nir._frozen`).
    """

    __match_args__ = ("code", "params", "number", "kind", "warnings")
    __slots__ = __match_args__

    code: str
    """"" when valid, else the error code."""
    params: tuple[messages.ParamValue, ...]
    """The values of the error's params, in `nir.messages.CODES[code].params` order."""
    number: str
    """The compact 15-character form when valid, else the compacted input."""
    kind: str
    """"nir" or "temporary" when valid, else ""."""
    warnings: tuple[str, ...]
    """Warning codes of a valid number."""

    def __init__(
        self,
        code: str,
        params: tuple[messages.ParamValue, ...],
        number: str,
        kind: str,
        warnings: tuple[str, ...],
    ) -> None:
        _set_code(self, code)
        _set_params(self, params)
        _set_number(self, number)
        _set_kind(self, kind)
        _set_warnings(self, warnings)

    @property
    def valid(self) -> bool:
        """True when the value is a valid number."""
        return not self.code

    def message(self, lang: str | None = None) -> str:
        """The error's message in `lang` ("" when valid); each distinct one rendered once."""
        return messages.render_values(self.code, self.params, lang) if self.code else ""


# The slots' own setters: the class refuses setattr.
_set_code, _set_params, _set_number, _set_kind, _set_warnings = (
    Verdict.__dict__[name].__set__ for name in Verdict.__match_args__
)


def _values(error: errors.NirError) -> tuple[messages.ParamValue, ...]:
    """The params of `error` as a tuple in `CODES` order (what `Verdict` holds)."""
    params = error.params
    return tuple(params[name] for name in messages.CODES[error.code].params)


def verdict(value: str, options: Options) -> Verdict:
    """The verdict on one value (the slow path: call `quick_valid` first).

    With the C extension, an ASCII str gets the verdict of the full rules in C
    (`_speedups.verdict`, byte for byte `full_verdict`). Otherwise numbers whose
    fields are plain (`plain_fields`), and temporary numbers, take a shortcut,
    which the CSV engine meets often: separators, a wrong key, a temporary number.
    Only their key can be wrong, so `_check_key` alone gives the same verdict as
    the full rules.
    """
    compiled = _accel.compiled
    if compiled is not None and type(value) is str and value.isascii():
        # Only the reference year and month matter to the rules (_candidate_years).
        today = options.reference_date or date.today()  # noqa: DTZ011  # a civil date, no zone
        result = compiled.verdict(
            value.encode("ascii"),
            options.allow_temporary,
            options.allow_missing_key,
            options.warnings_as_errors,
            today.year,
            today.month,
        )
        if result is not None:  # None: a reference year the C code leaves to Python
            return Verdict(*result)
    if type(value) is str:
        return _python_verdict(value, compact(value), options)
    return full_verdict(value, options)


def _python_verdict(value: str, number: str, options: Options) -> Verdict:
    """`verdict` in Python, given `number` = `compact(value)`: the quick checks compact no more."""
    kind = _key_left(number, options)
    if kind:
        try:
            _check_key(number, options)
        except errors.NirError as error:
            return Verdict(error.code, _values(error), number, "", ())
        return Verdict("", (), number, kind, ())
    return full_verdict(value, options, number)


def _key_left(number: str, options: Options) -> str:
    """The kind of a compact number whose key alone is left to check, else "".

    Plain fields (`plain_fields`), or 15 digits of a temporary number when
    `options` allow them: the rules check a temporary number's key and nothing
    else, and give it no warning.
    """
    if plain_fields(number):
        return Kind.NIR
    if (
        options.allow_temporary
        and number[:1] in _rules.TEMPORARY
        and len(number) == _FULL_LENGTH
        and number.isascii()
        and number.isdigit()
    ):
        return Kind.TEMPORARY
    return ""


_shape_match: Callable[[str], re.Match[str] | None] | None = None


def _compile_shape() -> Callable[[str], re.Match[str] | None]:
    """15 characters, digits but for Corsica's 2A/2B: the shapes `verdict_class` sorts.

    Compiled on first use, kept in `_shape_match`: `import nir` does not import re
    (see nir._parse), and a row pays no cached call.
    """
    global _shape_match  # noqa: PLW0603  # a cache filled once
    import re  # noqa: PLC0415

    letters = "".join(_rules.CORSICA_LETTERS)
    pattern = r"[0-9]{5}(?:[0-9]{2}|" + _rules.CORSICA[0] + f"[{letters}])[0-9]{{8}}"
    _shape_match = re.compile(pattern).fullmatch
    return _shape_match


_NO_CLASS_HEADS = frozenset({_rules.ABROAD, *_rules.OVERSEAS_HEADS})


def verdict_class(number: str) -> str | None:
    """What decides the verdict on a compact `number` whose key is right, or None.

    The rules check a temporary number's key and nothing else: its first digit
    decides. A definitive one with a 2-character (mainland or Corsican)
    department, and a commune and an order other than 000, is decided by its
    sex, year, month and department (`nir._parse._place` reads such a commune
    only to reject 000): its first 7 characters. Overseas and abroad, the next
    digits count too: None, as for any other shape. `learned_verdict` relies on
    this (a property test checks it against the full rules).
    """
    if (_shape_match or _compile_shape())(number) is None:
        return None
    if number[0] in _rules.TEMPORARY:
        return number[0]
    if (
        number[0] not in _rules.DEFINITIVE
        or number[5:7] in _NO_CLASS_HEADS
        or number[7:10] == _rules.NO_COMMUNE
        or number[10:13] == _rules.NO_ORDER
    ):
        return None
    return number[:7]


# verdict_class -> (kind, warning codes) of its valid numbers, for `learned_verdict`
Learned = dict[str, tuple[str, tuple[str, ...]]]


def learned_verdict(value: str, options: Options, known: Learned) -> Verdict:
    """`verdict(value, options)` for the many values of one run, learning which classes are valid.

    A value the shortcuts miss (Corsica, a department with a period, a temporary
    number) costs the full rules; once one number of a `verdict_class` is valid,
    the others of the class with a right key are valid alike, with the same kind
    and warnings: only their key is checked. `known` holds what was learned under
    these `options`, fixed for the run (without a reference date nothing is learned:
    "today" could change).
    """
    if options.reference_date is None:
        return verdict(value, options)
    number = compact(value)
    group = verdict_class(number)
    if group is None:
        return _unlearned(value, number, options)
    learned = known.get(group)
    if learned is not None and 97 - body_value(number) % 97 == int(number[13:]):
        return Verdict("", (), number, *learned)
    result = _unlearned(value, number, options)
    if not result.code:
        known[group] = (result.kind, result.warnings)
    return result


def _unlearned(value: str, number: str, options: Options) -> Verdict:
    """`verdict(value, options)`, given `number` = `compact(value)`."""
    if _accel.compiled is not None:
        return verdict(value, options)
    return _python_verdict(value, number, options)


def full_verdict(value: str, options: Options, compacted: str | None = None) -> Verdict:
    """The verdict of the full rules (`verdict` without its shortcut).

    `compacted`: `compact(value)`, when the caller has it already.
    """
    try:
        parsed = parse_with(value, options)
    except errors.NirError as error:
        # The compacted input, to show what was read; not for spreadsheet notation,
        # where it would look like a number it is not.
        number = ""
        if isinstance(value, str) and error.code != "excel_mangled":
            number = compact(value) if compacted is None else compacted
        if len(number) > _LONGEST_SHOWN:
            number = number[:_LONGEST_SHOWN] + "..."
        return Verdict(error.code, _values(error), number, "", ())
    return Verdict("", (), parsed.number, str(parsed.kind), tuple(w.code for w in parsed.warnings))


@dataclass_shadow(factories={"errors": dict})
class BulkResult:
    """Verdicts on a sequence of values.

    `valid[i]` is 1 when value i is valid, else 0 (a compact `bytearray`, not one
    object per value); `errors` maps the index of each invalid value to its code.
    Frozen, and a dataclass to `dataclasses` (see `nir._frozen`); not hashable,
    as its fields are not.
    """

    __match_args__ = ("valid", "errors")
    __slots__ = __match_args__

    valid: bytearray
    errors: dict[int, str]

    def __init__(self, valid: bytearray, errors: dict[int, str] | None = None) -> None:
        _set_valid(self, valid)
        _set_errors(self, {} if errors is None else errors)

    __hash__ = None  # type: ignore[assignment]  # as a frozen dataclass of unhashable fields

    def __len__(self) -> int:
        return len(self.valid)

    @property
    def all_valid(self) -> bool:
        """True when every value is valid."""
        return not self.errors

    def invalid_indices(self) -> list[int]:
        """Indexes of the invalid values, in order."""
        return sorted(self.errors)


_set_valid, _set_errors = (BulkResult.__dict__[name].__set__ for name in BulkResult.__match_args__)


def check_many(
    values: Iterable[object],
    *,
    allow_temporary: bool = True,
    allow_missing_key: bool = False,
    warnings_as_errors: bool = False,
    reference_date: date | None = None,
) -> BulkResult:
    """Check many values; the same verdicts as `nir.is_valid`, one per value.

    >>> result = check_many(["255081416802538", "2 55 08 14 168 025 12", None])
    >>> list(result.valid), result.errors
    ([1, 0, 0], {1: 'key', 2: 'type'})
    """
    options = Options(allow_temporary, allow_missing_key, warnings_as_errors, reference_date)
    compiled = _accel.compiled
    if compiled is not None:
        return BulkResult(*compiled.check_many(values, partial(error_code, options=options)))
    valid = bytearray()
    failures: dict[int, str] = {}
    append = valid.append
    for index, value in enumerate(values):
        if quick_valid_value(value):
            append(1)
            continue
        code = error_code(value, options)
        if code is None:
            append(1)
        else:
            append(0)
            failures[index] = code
    return BulkResult(valid, failures)


def error_code(value: object, options: Options) -> str | None:
    """None when `value` is valid, else its error code (the full rules)."""
    try:
        parse_with(value, options)
    except errors.NirError as error:
        return error.code
    return None
