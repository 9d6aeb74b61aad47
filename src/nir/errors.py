"""The error family of `nir`: one class per failure, each with a stable code.

Every error is a `ValueError` and, so that code written against `stdnum.fr.nir`
keeps working, also an instance of the matching `stdnum.exceptions` class
(`InvalidLength`, `InvalidFormat`, `InvalidChecksum`, `InvalidComponent`).
The `code` of a class never changes once released; the message may be improved.
"""

from __future__ import annotations

from stdnum import exceptions as _stdnum

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
        message: a sentence for people, saying what is wrong and, where it helps,
            what the right value would be.
    """

    code: str = "invalid"
    message: str = "The number is not a valid NIR."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(*([message] if message else []))
        if message:
            self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class InvalidInputType(NirError, _stdnum.InvalidFormat):
    """The value is not a string (None, bytes, int...)."""

    code = "type"
    message = "The number must be given as a string."


class EmptyValue(NirError, _stdnum.InvalidLength):
    """Nothing was given, or only separators."""

    code = "empty"
    message = "The number is empty."


class ExcelMangled(NirError, _stdnum.InvalidFormat):
    """A spreadsheet turned the number into floating point notation and lost digits."""

    code = "excel_mangled"
    message = "The number was rounded by a spreadsheet (scientific notation); digits are lost."


class InvalidCharacters(NirError, _stdnum.InvalidFormat):
    """A character that can never appear in a NIR, or a letter outside 2A/2B."""

    code = "characters"
    message = "The number contains characters that are not allowed."


class InvalidLength(NirError, _stdnum.InvalidLength):
    """Neither 15 characters (with key) nor 13 (without)."""

    code = "length"
    message = "The number must have 15 characters (13 without the key)."


class MissingKey(NirError, _stdnum.InvalidLength):
    """13 characters: the body is there but the 2-digit key is not."""

    code = "key_missing"
    message = "The 2-digit key is missing."


class InvalidSex(NirError, _stdnum.InvalidComponent):
    """The first digit is not 1 or 2 (nor a temporary class 3, 4, 7, 8)."""

    code = "sex"
    message = "The first digit must be 1 (man) or 2 (woman)."


class InvalidMonth(NirError, _stdnum.InvalidComponent):
    """The month code is 00 or 13-19, which no rule allows."""

    code = "month"
    message = "The month of birth does not exist."


class InvalidDepartment(NirError, _stdnum.InvalidComponent):
    """The place code names no department or territory at the birth date."""

    code = "department"
    message = "The department of birth does not exist."


class InvalidCommune(NirError, _stdnum.InvalidComponent):
    """The commune code is 000 (mainland) or 00 (overseas)."""

    code = "commune"
    message = "The commune of birth does not exist."


class InvalidCountry(NirError, _stdnum.InvalidComponent):
    """The country code after 99 is 000."""

    code = "country"
    message = "The country of birth does not exist."


class InvalidOrder(NirError, _stdnum.InvalidComponent):
    """The order number is 000."""

    code = "order"
    message = "The order number must be between 001 and 999."


class InvalidKey(NirError, _stdnum.InvalidChecksum):
    """The 2-digit key does not match the body."""

    code = "key"
    message = "The key does not match the number."


class TemporaryNotAllowed(NirError, _stdnum.InvalidComponent):
    """A well-formed temporary number where the caller asked for definitive ones only."""

    code = "temporary"
    message = "This is a temporary number, not a definitive NIR."


class WarningAsError(NirError, _stdnum.InvalidComponent):
    """A warning raised as an error because the caller asked for strictness.

    Its `code` is the warning's code, so reports stay specific.
    """

    message = "The number is doubtful."

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
