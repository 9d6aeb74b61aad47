"""The likely fix of a mistyped number: the valid numbers one edit away.

The mod-97 key catches every single substitution and every adjacent swap in the
body (spec §3.6), so few neighbours are valid. For a substitution the key fixes
the new digit: at most one per position, found by arithmetic rather than by
trying ten. Candidates consistent with a given identity come first.
"""

from __future__ import annotations

from datetime import date

from nir import _accel, _rules, messages
from nir._bulk import verdict
from nir._fast import quick_valid
from nir._frozen import dataclass_shadow
from nir._identity import _today, _verdict, as_texts
from nir._key import body_value
from nir._model import Kind, format_compact
from nir._parse import DEFAULT_OPTIONS, Options, compact

_DIGITS = "0123456789"
_LENGTH = 15
# 10^(12-i) mod 97 and its inverse, for body position i.
_WEIGHTS = [pow(10, 12 - i, 97) for i in range(13)]
_INVERSES = [pow(w, -1, 97) for w in _WEIGHTS]
_EDIT_RANK = {"transposition": 0, "substitution": 1, "insertion": 2, "deletion": 2}


@dataclass_shadow(factories={"params": dict}, unhashed=("params",))
class Suggestion:
    """A valid number one edit away from the input, and the edit.

    Frozen, and a dataclass to `dataclasses` (see `nir._frozen`: `nir csv` imports
    this module, and a dataclass's decorator is ~0.5 ms of its start-up).
    """

    __match_args__ = ("number", "edit", "position", "params", "mismatches")
    __slots__ = __match_args__

    number: str
    """The compact 15-character number."""
    edit: str
    """"substitution", "transposition", "insertion" or "deletion"."""
    position: int
    """1-based position of the edit in the compact input."""
    params: dict[str, messages.ParamValue]
    mismatches: tuple[str, ...] | None
    """The identity fields it mismatches; None when no identity was given."""

    def __init__(
        self,
        number: str,
        edit: str,
        position: int,
        params: dict[str, messages.ParamValue] | None = None,
        mismatches: tuple[str, ...] | None = None,
    ) -> None:
        values = (number, edit, position, {} if params is None else params, mismatches)
        for name, value in zip(Suggestion.__match_args__, values, strict=True):
            object.__setattr__(self, name, value)

    @property
    def formatted(self) -> str:
        """The display form of `number`."""
        return format_compact(self.number)

    @property
    def consistent(self) -> bool | None:
        """True when it matches the identity given, None when none was given."""
        return None if self.mismatches is None else not self.mismatches

    def message(self, lang: str | None = None) -> str:
        """The edit in words, in `lang` (the number itself is not in it)."""
        return messages.render("suggest_" + self.edit, self.params, lang)


def suggest(
    value: str,
    *,
    sex: str | float | None = None,
    birth_date: date | str | float | None = None,
    birth_place: str | float | None = None,
) -> tuple[Suggestion, ...]:
    """Valid numbers one edit away from an invalid `value`, best first.

    >>> best = suggest("2 55 08 14 168 025 83")[0]
    >>> best.number, best.edit, best.position, best.message("en")
    ('255081416802538', 'transposition', 14, 'characters 14 and next are swapped: 38 instead of 83')
    """
    return suggestions(value, _today(), sex=sex, birth_date=birth_date, birth_place=birth_place)


def suggestions(
    value: str,
    today: date,
    *,
    sex: str | float | None = None,
    birth_date: date | str | float | None = None,
    birth_place: str | float | None = None,
) -> tuple[Suggestion, ...]:
    """`suggest` at a given `today` (nir csv passes its run's reference date)."""
    sex, birth_date, birth_place = as_texts(sex, birth_date, birth_place)
    identity = (sex, birth_date, birth_place)
    found: list[tuple[tuple[int, ...], Suggestion]] = []
    for (number, edit, position, params), doubts in _found(compact(value), today):
        mismatches = None
        if any(item is not None for item in identity):
            mismatches = _verdict(number, sex, birth_date, birth_place, today)[0]
        rank = (
            len(mismatches or ()),
            doubts,
            _EDIT_RANK[edit],
            position,
        )
        found.append((rank, Suggestion(number, edit, position, params, mismatches)))
    return tuple(item for _, item in sorted(found, key=lambda pair: pair[0]))


def candidates(text: str, today: date) -> list[tuple[str, str, int]]:
    """The raw candidates of `suggest` for a compact `text`: (number, edit, position).

    The valid numbers one edit away, first of each number kept, in the order the
    edits are tried; the C twin is `_speedups.suggest_candidates`, which the scan
    of `nir csv` uses for its suggestions (a differential test holds them equal).
    """
    return [(number, edit, position) for (number, edit, position, _), _ in _found(text, today)]


def _found(text: str, today: date) -> list[tuple[_Raw, int]]:
    """The distinct valid candidates for a compact `text`, with how doubtful each is."""
    options = Options(reference_date=today)  # one date.today() per call, not one per candidate
    checked = _body_and_key(text) if len(text) == _LENGTH else None
    if (checked is None or sum(checked) % 97 == 0) and _valid(text, options) is not None:
        return []  # (a well-formed text with a wrong key is invalid: no parse needed)
    if len(text) == _LENGTH:
        raw = [*_substitutions(text), *_transpositions(text)]
    elif len(text) == _LENGTH - 1:
        raw = _insertions(text)
    elif len(text) == _LENGTH + 1:
        raw = _deletions(text)
    else:
        return []
    found: dict[str, tuple[_Raw, int]] = {}
    for item in raw:
        if item[0] in found:
            continue
        doubts = _valid(item[0], options)
        if doubts is not None:
            found[item[0]] = (item, doubts)
    return list(found.values())


def _valid(number: str, options: Options = DEFAULT_OPTIONS) -> int | None:
    """None when invalid, else how doubtful: warnings, plus one for a temporary number.

    The full rules in C when compiled (`nir._bulk.verdict`): six times faster than a parse.
    """
    compiled = _accel.compiled
    if compiled.quick_valid(number) if compiled is not None else quick_valid(number):
        return 0
    found = verdict(number, options)
    if found.code:
        return None
    return len(found.warnings) + (found.kind == Kind.TEMPORARY)


_Raw = tuple[str, str, int, dict[str, messages.ParamValue]]


def _body_and_key(text: str) -> tuple[int, int] | None:
    """The body value and the key of a well-formed 15-character text, else None."""
    body, key = text[:13], text[13:]
    if not key.isdigit():
        return None
    if body.isdigit():
        return int(body), int(key)
    corsica = body[5] == _rules.CORSICA[0] and body[6] in _rules.CORSICA_LETTERS
    if not corsica or not (body[:6] + body[7:]).isdigit():
        return None
    return body_value(body), int(key)


def _corsica(text: str) -> bool:
    """Whether positions 6-7 hold 2A or 2B."""
    return text[5] == _rules.CORSICA[0] and text[6] in _rules.CORSICA_LETTERS


def _substitutions(text: str) -> list[_Raw]:
    """Every one-character substitution that gives a right key."""
    found: list[_Raw] = []
    values = _body_and_key(text)
    if values is None:
        # A wrong character: only replacing it can help (when it is the only one).
        # Every non-digit left must be the letter of 2A/2B (position 7).
        wrong = [i for i, char in enumerate(text) if not char.isdigit() and i != 6]
        indexes = range(_LENGTH) if not wrong else wrong if len(wrong) == 1 else ()
        for index in indexes:
            for char in _choices(text, index):
                candidate = text[:index] + char + text[index + 1 :]
                if candidate != text and _body_and_key(candidate) is not None:
                    found.append(_substitution(text, index, char))
        return found
    value, key = values
    need = -(value + key) % 97
    letters = _corsica(text)
    for index in range(13):
        if letters and index == 5:
            continue  # a letter needs the 2 before it: no other digit can stand there
        if index == 6 and text[5] == _rules.CORSICA[0]:  # a digit, or a letter of 2A/2B
            found.extend(_corsica_substitutions(text))
            continue
        step = need * _INVERSES[index] % 97
        digit = int(text[index])
        new = digit + step if digit + step <= 9 else digit - (97 - step)
        if step and 0 <= new <= 9:
            found.append(_substitution(text, index, str(new)))
    right = f"{97 - value % 97:02d}"
    for index in (13, 14):
        other = 27 - index  # the other key digit
        if right[other - 13] == text[other] and right != text[13:]:
            found.append(_substitution(text, index, right[index - 13]))
    return found


def _corsica_substitutions(text: str) -> list[_Raw]:
    """Substitutions at position 7 after a 2: the digit by the arithmetic, the letters tried."""
    found: list[_Raw] = []
    zero = _body_and_key(text[:6] + "0" + text[7:])
    if zero is not None:
        digit = str(-sum(zero) * _INVERSES[6] % 97)
        if len(digit) == 1 and digit != text[6]:
            found.append(_substitution(text, 6, digit))
    for letter in _rules.CORSICA_LETTERS:
        checked = _body_and_key(text[:6] + letter + text[7:])
        if letter != text[6] and checked and sum(checked) % 97 == 0:
            found.append(_substitution(text, 6, letter))
    return found


def _choices(text: str, index: int) -> str:
    return _DIGITS + "AB" if index == 6 and text[5] == "2" else _DIGITS


def _substitution(text: str, index: int, char: str) -> _Raw:
    number = text[:index] + char + text[index + 1 :]
    return (
        number,
        "substitution",
        index + 1,
        {"position": index + 1, "was": text[index], "now": char},
    )


def _transpositions(text: str) -> list[_Raw]:
    found: list[_Raw] = []
    values = _body_and_key(text)
    need = None if values is None else -sum(values) % 97
    letters = values is not None and _corsica(text)
    for index in range(_LENGTH - 1):
        a, b = text[index], text[index + 1]
        if a == b or (letters and 4 <= index <= 6):  # 2A/2B cannot move
            continue
        # Swapping digits a, b at index adds (b - a) * 9 * 10^(11-index) to the body.
        if (
            need is not None
            and index < 12
            and (int(b) - int(a)) * 9 * _WEIGHTS[index + 1] % 97 != need
        ):
            continue
        number = text[:index] + b + a + text[index + 2 :]
        checked = _body_and_key(number)
        if checked and sum(checked) % 97 == 0:
            found.append(
                (
                    number,
                    "transposition",
                    index + 1,
                    {"position": index + 1, "was": a + b, "now": b + a},
                )
            )
    return found


def _insertions(text: str) -> list[_Raw]:
    """The missing character: by the key arithmetic, and by trying the 2 of 2A/2B and A/B."""
    found: list[_Raw] = []
    letters = "".join(_rules.CORSICA_LETTERS)
    for index in range(13):
        zero = text[:index] + "0" + text[index:]
        checked = _body_and_key(zero)
        if checked is not None:
            # The new digit d adds d * 10^(12-index) to the body: one d at most.
            digit = -sum(checked) * _INVERSES[index] % 97
            if digit <= 9:
                found.append(_insertion(text, index, str(digit)))
        tries = ""
        if index == 5 and zero[6] in letters:
            tries = _rules.CORSICA[0]
        elif index == 6 and zero[5] == _rules.CORSICA[0]:
            tries = letters
        for char in tries:
            number = text[:index] + char + text[index:]
            checked = _body_and_key(number)
            if checked and sum(checked) % 97 == 0:
                found.append(_insertion(text, index, char))
    checked = _body_and_key(text[:13] + "00")
    if checked is not None:  # a missing key digit: the right key tells it
        right = f"{97 - checked[0] % 97:02d}"
        if right[1] == text[13]:
            found.append(_insertion(text, 13, right[0]))
        if right[0] == text[13]:
            found.append(_insertion(text, 14, right[1]))
    return found


def _insertion(text: str, index: int, char: str) -> _Raw:
    number = text[:index] + char + text[index:]
    return number, "insertion", index + 1, {"position": index + 1, "now": char}


def _deletions(text: str) -> list[_Raw]:
    found: list[_Raw] = []
    for index in range(_LENGTH + 1):
        number = text[:index] + text[index + 1 :]
        checked = _body_and_key(number)
        if checked and sum(checked) % 97 == 0:
            found.append(
                (number, "deletion", index + 1, {"position": index + 1, "was": text[index]})
            )
    return found
