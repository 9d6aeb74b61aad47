"""The hand-written value classes behave as the frozen dataclasses they replace (nir._frozen)."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import sys
from datetime import date
from typing import Any

import pytest

import nir
from nir._bulk import BulkResult, Verdict
from nir._csvio import CsvConfig
from nir._frozen import replaced

SAMPLES: list[tuple[Any, str, object, str]] = [
    # (value, a field to replace, its new value, reason)
    (nir.parse("2 53 07 2B 073 004 70"), "order", "999", "Nir with a warning and names"),
    (nir.parse("255081416802538", names=False), "key", "00", "Nir without names"),
    (nir.NirWarning("corsica_period", {"department": "2B"}), "code", "x", "a warning"),
    (nir.NirWarning("century"), "params", {"a": 1}, "a warning made without params"),
    (nir.Options(reference_date=date(2020, 1, 1)), "allow_temporary", False, "options"),
    (Verdict("key", (12, 38), "255081416802512", "", ()), "code", "", "a verdict"),
    (BulkResult(bytearray(b"\x01\x00"), {1: "key"}), "errors", {}, "a bulk result"),
    (nir.suggest("2 55 08 14 168 025 83")[0], "position", 3, "a suggestion"),
    (CsvConfig(column="nir", jobs=2), "only_invalid", True, "nir csv's settings"),
]
IDS = [reason for *_, reason in SAMPLES]


def _values(value: Any) -> dict[str, object]:
    return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}


@pytest.mark.parametrize(("value", "name", "new", "reason"), SAMPLES, ids=IDS)
def test_dataclass_functions_work(value: Any, name: str, new: object, reason: str) -> None:
    assert dataclasses.is_dataclass(value), reason
    assert not isinstance(value, type)
    names = tuple(field.name for field in dataclasses.fields(value))
    assert names == getattr(type(value), "__match_args__")  # noqa: B009  # any class of the table
    assert type(value)(**_values(value)) == value
    assert dataclasses.asdict(value)[name] == copy.deepcopy(getattr(value, name))
    assert dataclasses.astuple(value)[names.index(name)] == getattr(value, name)
    changed = dataclasses.replace(value, **{name: new})
    assert getattr(changed, name) == new
    assert {k: v for k, v in _values(changed).items() if k != name} == {
        k: v for k, v in _values(value).items() if k != name
    }


@pytest.mark.parametrize(("value", "name", "new", "reason"), SAMPLES, ids=IDS)
def test_frozen_picklable_and_printable(value: Any, name: str, new: object, reason: str) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, name, new)
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(value, name)
    assert pickle.loads(pickle.dumps(value)) == value, reason  # noqa: S301  # our own bytes
    assert copy.deepcopy(value) == value
    shown = ", ".join(f"{k}={v!r}" for k, v in _values(value).items())
    assert repr(value) == f"{type(value).__name__}({shown})"
    assert value != object()


def test_equality_and_hash_follow_the_dataclass_fields() -> None:
    # Nir's names are not compared (compare=False); a warning's params are not hashed.
    parsed = nir.parse("255081416802538")
    renamed = dataclasses.replace(parsed, commune_name="Ailleurs")
    assert renamed == parsed
    assert hash(renamed) == hash(parsed)
    assert dataclasses.replace(parsed, key="00") != parsed
    left, right = nir.NirWarning("century", {"a": 1}), nir.NirWarning("century", {"a": 2})
    assert left != right
    assert hash(left) == hash(right)
    with pytest.raises(TypeError):
        hash(BulkResult(bytearray()))
    for field in dataclasses.fields(nir.Nir):
        assert field.compare == (not field.name.endswith("_name")), field.name


def test_defaults_are_the_signature_s() -> None:
    # The fields' defaults come from __init__: one place for each.
    options = {field.name: field.default for field in dataclasses.fields(nir.Options)}
    assert options == {
        "allow_temporary": True,
        "allow_missing_key": False,
        "warnings_as_errors": False,
        "reference_date": None,
    }
    params = dataclasses.fields(nir.NirWarning)[1]
    assert params.default_factory is dict
    assert nir.NirWarning("century").params == {}
    assert nir.NirWarning("century").params is not nir.NirWarning("century").params


@pytest.mark.parametrize(("value", "name", "new", "reason"), SAMPLES, ids=IDS)
def test_replaced_is_dataclasses_replace(value: Any, name: str, new: object, reason: str) -> None:
    # nir's own copy with changes (no dataclasses import), also copy.replace's hook
    assert replaced(value, **{name: new}) == dataclasses.replace(value, **{name: new}), reason
    if sys.version_info >= (3, 13):
        assert copy.replace(value, **{name: new}) == replaced(value, **{name: new})  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="no field"):
        replaced(value, not_a_field=1)


class Strict(nir.Options):
    """A caller's subclass (module level: pickle finds it by name)."""

    __slots__ = ()


def test_subclasses_keep_their_class() -> None:
    strict = Strict(warnings_as_errors=True)
    assert strict == Strict(warnings_as_errors=True)
    assert repr(strict).startswith("Strict(")
    assert type(pickle.loads(pickle.dumps(strict))) is Strict  # noqa: S301  # our own bytes
    assert strict != nir.Options(warnings_as_errors=True)


def test_the_pseudonymisation_key_is_not_shown() -> None:
    assert "s3cret" not in repr(CsvConfig(pseudonymise_key=b"s3cret"))
    assert "pseudonymise_key=None" in repr(CsvConfig())
