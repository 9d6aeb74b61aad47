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

from importlib import import_module

from nir import _accel, _parse
from nir._accel import core_implementation
from nir._bulk import BulkResult, check_many
from nir._model import Kind, MonthKind, Nir, NirWarning, Sex
from nir._parse import Options, calc_check_digits, compact, format
from nir._version import __version__
from nir.errors import NirError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see nir._tuples)
if TYPE_CHECKING:
    from nir._generate import generate
    from nir._identity import Finding, IdentityCheck, check_identity
    from nir._parse import is_valid, parse, validate
    from nir._privacy import mask, pseudonymise
    from nir._suggest import Suggestion, suggest
else:  # the C entry points when built: no Python frame for a valid number
    is_valid, validate, parse = _accel.entry_points(_parse.is_valid, _parse.validate, _parse.parse)

# Names whose modules load on first use (PEP 562): `import nir` then costs only the
# core that validate/parse need, which is what a one-number command runs.
_LAZY = {
    "generate": "nir._generate",
    "Finding": "nir._identity",
    "IdentityCheck": "nir._identity",
    "check_identity": "nir._identity",
    "mask": "nir._privacy",
    "pseudonymise": "nir._privacy",
    "Suggestion": "nir._suggest",
    "suggest": "nir._suggest",
}


def __getattr__(name: str) -> object:
    """The lazy names, on first use."""
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(import_module(module), name)
        globals()[name] = value  # the next lookup is an ordinary one
        return value
    raise AttributeError(f"module 'nir' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names, the lazy ones included."""
    return sorted({*globals(), *_LAZY})


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
