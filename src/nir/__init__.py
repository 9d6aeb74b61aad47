"""Validate and parse French social security numbers (NIR, NIA, temporary numbers).

A NIR ("numéro de sécurité sociale", INSEE's "numéro d'inscription au répertoire")
has 13 characters -- sex, year and month of birth, place of birth, order number --
followed by a 2-digit key: ``2 55 08 14 168 025 38``. A NIA (waiting number) is
built the same way; numbers starting with 3, 4, 7 or 8 are temporary.

The API follows python-stdnum's ``stdnum.fr.nir`` (`compact`, `validate`,
`is_valid`, `format`, `calc_check_digits`) and adds `parse`, which returns the parts:

>>> import nir
>>> nir.validate("2 55 08 14 168 025 38")
'255081416802538'
>>> nir.parse("2 53 07 2B 073 004 70").warnings[0].code
'corsica_period'
>>> try:
...     nir.validate("2 55 13 14 168 025 38")
... except nir.NirError as error:
...     print(error.code, "-", error)
month - month 13 does not exist (months are 01-12, or the fictitious codes 20, 30-42, 50-99)

Every error is a `nir.NirError` (a `ValueError`, and a `stdnum.exceptions`
error) with a stable ``code``.
"""

from __future__ import annotations

from nir._accel import core_implementation
from nir._bulk import BulkResult, check_many
from nir._generate import generate
from nir._identity import Finding, IdentityCheck, check_identity
from nir._model import Kind, MonthKind, Nir, NirWarning, Sex
from nir._parse import (
    Options,
    calc_check_digits,
    compact,
    format,
    is_valid,
    parse,
    validate,
)
from nir._privacy import mask, pseudonymise
from nir._suggest import Suggestion, suggest
from nir.errors import NirError


def __getattr__(name: str) -> str:
    """Compute `__version__` on first use: importlib.metadata is slow to import."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        try:
            return version("nir")
        except PackageNotFoundError:  # a bare source tree, never installed
            return "0+unknown"
    raise AttributeError(f"module 'nir' has no attribute {name!r}")


__all__ = [
    "BulkResult",
    "Finding",
    "IdentityCheck",
    "Kind",
    "MonthKind",
    "Nir",
    "NirError",
    "NirWarning",
    "Options",
    "Sex",
    "Suggestion",
    "__version__",
    "calc_check_digits",
    "check_identity",
    "check_many",
    "compact",
    "core_implementation",
    "format",
    "generate",
    "is_valid",
    "mask",
    "parse",
    "pseudonymise",
    "suggest",
    "validate",
]
