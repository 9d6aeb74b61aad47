"""The public contract: names, stdnum compatibility, and a cheap import."""

from __future__ import annotations

import subprocess
import sys

import pytest
from stdnum import exceptions as stdnum_exceptions
from stdnum.util import NumberValidationModule

import nir
from nir import errors


def test_nir_is_a_stdnum_number_module() -> None:
    module: NumberValidationModule = nir
    assert module.validate("255081416802538") == "255081416802538"


# (error class, its code, the stdnum class it must also be)
ERRORS = [
    (errors.InvalidInputType, "type", stdnum_exceptions.InvalidFormat),
    (errors.EmptyValue, "empty", stdnum_exceptions.InvalidLength),
    (errors.ExcelMangled, "excel_mangled", stdnum_exceptions.InvalidFormat),
    (errors.InvalidCharacters, "characters", stdnum_exceptions.InvalidFormat),
    (errors.InvalidLength, "length", stdnum_exceptions.InvalidLength),
    (errors.MissingKey, "key_missing", stdnum_exceptions.InvalidLength),
    (errors.InvalidSex, "sex", stdnum_exceptions.InvalidComponent),
    (errors.InvalidMonth, "month", stdnum_exceptions.InvalidComponent),
    (errors.InvalidDepartment, "department", stdnum_exceptions.InvalidComponent),
    (errors.InvalidCommune, "commune", stdnum_exceptions.InvalidComponent),
    (errors.InvalidCountry, "country", stdnum_exceptions.InvalidComponent),
    (errors.InvalidOrder, "order", stdnum_exceptions.InvalidComponent),
    (errors.InvalidKey, "key", stdnum_exceptions.InvalidChecksum),
    (errors.TemporaryNotAllowed, "temporary", stdnum_exceptions.InvalidComponent),
]


@pytest.mark.parametrize(("cls", "code", "stdnum_cls"), ERRORS)
def test_error_classes(cls: type[nir.NirError], code: str, stdnum_cls: type[Exception]) -> None:
    error = cls()
    assert error.code == code
    assert isinstance(error, nir.NirError)
    assert isinstance(error, ValueError)
    assert isinstance(error, stdnum_cls)
    assert str(error) == error.message()
    assert cls("detail").message() == "detail"
    assert repr(cls("detail")) == f"{cls.__name__}('detail')"


def test_stdnum_callers_catch_our_errors() -> None:
    # Code written for stdnum.fr.nir keeps working unchanged.
    with pytest.raises(stdnum_exceptions.InvalidChecksum):
        nir.validate("2 55 08 14 168 025 12")
    with pytest.raises(stdnum_exceptions.ValidationError):
        nir.validate("2 55 13 14 168 025 38")


def test_codes_are_unique() -> None:
    codes = [code for _, code, _ in ERRORS]
    assert len(codes) == len(set(codes))


def test_import_is_cheap() -> None:
    # `import nir` must not import click, load any reference data, nor import an
    # integration's framework (installed in .[dev], so their absence is meaningful).
    code = (
        "import sys, nir; "
        "bad = [m for m in ('click', 'nir.cli', 'nir._geo', 'csv', 'pydantic', 'nir.pydantic', "
        "'django', 'nir.django', 'fastapi', 'rest_framework') if m in sys.modules]; "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_all_is_complete() -> None:
    for name in nir.__all__:
        assert hasattr(nir, name), name
