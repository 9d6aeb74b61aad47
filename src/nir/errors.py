"""The error family of `nir`: one class per failure, each with a stable code.

Every error is a `ValueError` and, so that code written against `stdnum.fr.nir`
keeps working, also an instance of the matching `stdnum.exceptions` class
(`InvalidLength`, `InvalidFormat`, `InvalidChecksum`, `InvalidComponent`).
The `code` of a class never changes once released; the message may be improved.

An error carries its `code` and `params` (the values its message needs, see
`nir.messages.CODES`), never text: `message(lang)` renders it in French or
English, `str(error)` in the default language at the time it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping

from nir import _stdnum as _stdnum_loader
from nir import messages

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see nir._tuples)
if TYPE_CHECKING:
    from stdnum import exceptions as _stdnum
else:  # the same module, without importing the stdnum package (see nir._stdnum)
    _stdnum = _stdnum_loader.load()

__all__ = [
    "EmptyValue",
    "ExcelMangled",
    "InvalidCharacters",
    "InvalidCommune",
    "InvalidCountry",
    "InvalidDepartment",
    "InvalidInputType",
    "InvalidKey",
    "InvalidLength",
    "InvalidMonth",
    "InvalidOrder",
    "InvalidSex",
    "MissingKey",
    "NirError",
    "TemporaryNotAllowed",
    "WarningAsError",
]


class NirError(_stdnum.ValidationError):
    """Base of every `nir` validation error (a `ValueError`).

    Attributes:
        code: a stable snake_case identifier of the failure, for programs.
        params: the values its message needs (`nir.messages.CODES[code]`); empty
            when raised without them, python-stdnum style, and the message then
            says only that the number is invalid.
    """

    code: str = "invalid"

    def __init__(self, params: Mapping[str, messages.ParamValue] | str | None = None) -> None:
        super().__init__(*([] if params is None else [params]))
        self._text = params if isinstance(params, str) else None
        self.params: dict[str, messages.ParamValue] = (
            dict(params) if isinstance(params, Mapping) else {}
        )

    def message(self, lang: str | None = None) -> str:
        """The message in `lang` ("fr" or "en"; None: `nir.messages.default_language()`).

        A text given to the constructor (python-stdnum style) is shown as it is.
        python-stdnum's classes have a class attribute `message` (an English
        str): this method replaces it on purpose, the language being per call;
        mypy sees the clash in each subclass, hence their `type: ignore[misc]`.
        """
        if self._text is not None:
            return self._text
        if not self.params and messages.CODES[self.code].params:
            return messages.render("invalid", None, lang)
        return messages.render(self.code, self.params, lang)

    def __str__(self) -> str:
        return self.message()

    def __repr__(self) -> str:
        shown = self._text if self._text is not None else self.params
        return f"{type(self).__name__}({shown!r})"


class InvalidInputType(NirError, _stdnum.InvalidFormat):  # type: ignore[misc]  # see NirError.message
    """The value is not a string (None, bytes, int...)."""

    code = "type"


class EmptyValue(NirError, _stdnum.InvalidLength):  # type: ignore[misc]  # see NirError.message
    """Nothing was given, or only separators."""

    code = "empty"


class ExcelMangled(NirError, _stdnum.InvalidFormat):  # type: ignore[misc]  # see NirError.message
    """A spreadsheet turned the number into floating point notation and lost digits."""

    code = "excel_mangled"


class InvalidCharacters(NirError, _stdnum.InvalidFormat):  # type: ignore[misc]  # see NirError.message
    """A character that can never appear in a NIR, or a letter outside 2A/2B."""

    code = "characters"


class InvalidLength(NirError, _stdnum.InvalidLength):  # type: ignore[misc]  # see NirError.message
    """Neither 15 characters (with key) nor 13 (without)."""

    code = "length"


class MissingKey(NirError, _stdnum.InvalidLength):  # type: ignore[misc]  # see NirError.message
    """13 characters: the body is there but the 2-digit key is not."""

    code = "key_missing"


class InvalidSex(NirError, _stdnum.InvalidComponent):  # type: ignore[misc]  # see NirError.message
    """The first digit is not 1 or 2 (nor a temporary class 3, 4, 7, 8)."""

    code = "sex"


class InvalidMonth(NirError, _stdnum.InvalidComponent):  # type: ignore[misc]  # see NirError.message
    """The month code is 00 or 13-19, which no rule allows."""

    code = "month"


class InvalidDepartment(NirError, _stdnum.InvalidComponent):  # type: ignore[misc]  # see NirError.message
    """The place code names no department or territory at the birth date."""

    code = "department"


class InvalidCommune(NirError, _stdnum.InvalidComponent):  # type: ignore[misc]  # see NirError.message
    """The commune code is 000 (mainland) or 00 (overseas)."""

    code = "commune"


class InvalidCountry(NirError, _stdnum.InvalidComponent):  # type: ignore[misc]  # see NirError.message
    """The country code after 99 is 000."""

    code = "country"


class InvalidOrder(NirError, _stdnum.InvalidComponent):  # type: ignore[misc]  # see NirError.message
    """The order number is 000."""

    code = "order"


class InvalidKey(NirError, _stdnum.InvalidChecksum):  # type: ignore[misc]  # see NirError.message
    """The 2-digit key does not match the body."""

    code = "key"


class TemporaryNotAllowed(NirError, _stdnum.InvalidComponent):  # type: ignore[misc]  # see NirError.message
    """A well-formed temporary number where the caller asked for definitive ones only."""

    code = "temporary"


class WarningAsError(NirError, _stdnum.InvalidComponent):  # type: ignore[misc]  # see NirError.message
    """A warning raised as an error because the caller asked for strictness.

    Its `code` is the warning's code, so reports stay specific.
    """

    def __init__(self, code: str, params: Mapping[str, messages.ParamValue]) -> None:
        super().__init__(params)
        self.args = (code, params)  # what pickling passes back to __init__
        self.code = code
