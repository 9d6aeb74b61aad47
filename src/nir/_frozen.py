"""What keeps `nir`'s hand-written value classes dataclasses to the code that uses them.

`import nir` defines five value classes (`Nir`, `NirWarning`, `Options`, `Verdict`,
`BulkResult`). As dataclasses they cost a third of the import: the `dataclasses`
module imports `inspect`, `ast`, `dis` and `tokenize`, and the decorator compiles
each class's methods at import. So they are written by hand (frozen, slotted), and
`DataclassShadow` gives them `__dataclass_fields__` and `__dataclass_params__`, made
on first use from the class's `__init__` signature: `dataclasses.fields`, `asdict`,
`astuple`, `replace` and `is_dataclass`, and the libraries built on them (pydantic,
FastAPI), keep working.
"""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see nir._tuples)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any, TypeVar, dataclass_transform

    T = TypeVar("T", bound=type)
    V = TypeVar("V")

else:

    def dataclass_transform(**_: object) -> Callable[[T], T]:
        """A marker for type checkers (`typing.dataclass_transform`): nothing at run time."""
        return lambda function: function


_ATTRIBUTES = ("__dataclass_fields__", "__dataclass_params__")


@dataclass_transform(frozen_default=True)  # to type checkers, what it makes is a dataclass
def dataclass_shadow(
    *,
    factories: Mapping[str, Callable[[], object]] | None = None,
    uncompared: tuple[str, ...] = (),
    unhashed: tuple[str, ...] = (),
) -> Callable[[T], T]:
    """Give a hand-written frozen class the attributes that make it a dataclass.

    The fields are the parameters of the class's `__init__`, in order, with their
    defaults; `factories` names those whose default (None in the signature) is a
    fresh mutable value, `uncompared` those its `__eq__` leaves out, `unhashed`
    those its `__hash__` leaves out. The attributes are made when first read.
    """
    config = (dict(factories or {}), uncompared, unhashed)

    def attach(owner: T) -> T:
        fields: tuple[str, ...] = owner.__match_args__  # type: ignore[attr-defined]
        compared = [name for name in fields if name not in uncompared]
        hashed = [name for name in compared if name not in unhashed]
        _add_methods(owner, fields, attrgetter(*compared), attrgetter(*hashed))
        for name in _ATTRIBUTES:
            setattr(owner, name, _Lazy(name, config))
        owner.__replace__ = replaced  # type: ignore[attr-defined]  # copy.replace, Python 3.13+
        return owner

    return attach


def _add_methods(
    owner: type, fields: tuple[str, ...], compared: attrgetter[Any], hashed: attrgetter[Any]
) -> None:
    """What a frozen dataclass's decorator writes, made from the field names (no exec).

    A method the class defines itself (CsvConfig's `__repr__`) is kept.
    """

    def __eq__(self: object, other: object) -> bool:  # noqa: N807
        if type(other) is not type(self):
            return NotImplemented
        return bool(compared(self) == compared(other))

    def __hash__(self: object) -> int:  # noqa: N807
        return hash(hashed(self))

    def __repr__(self: object) -> str:  # noqa: N807
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in fields)
        return f"{type(self).__name__}({shown})"

    def __reduce__(self: object) -> tuple[object, ...]:  # noqa: N807
        return (_rebuilt, (type(self), tuple(getattr(self, name) for name in fields)))

    def __setattr__(self: object, name: str, value: object) -> None:  # noqa: N807, ARG001
        raise frozen_error(self, name)

    def __delattr__(self: object, name: str) -> None:  # noqa: N807
        raise frozen_error(self, name)

    methods = (__eq__, __hash__, __repr__, __reduce__, __setattr__, __delattr__)
    for method in methods:
        if method.__name__ not in owner.__dict__:
            method.__qualname__ = f"{owner.__qualname__}.{method.__name__}"
            setattr(owner, method.__name__, method)


def _rebuilt(kind: type[V], values: tuple[object, ...]) -> V:
    """A pickled value again, by keyword (some classes take keywords only)."""
    return kind(**dict(zip(kind.__match_args__, values, strict=True)))  # type: ignore[attr-defined]


class _Lazy:
    """One dataclass attribute: on first read, the class gets the real ones."""

    __slots__ = ("_config", "_name")

    def __init__(
        self,
        name: str,
        config: tuple[dict[str, Callable[[], object]], tuple[str, ...], tuple[str, ...]],
    ) -> None:
        self._name = name
        self._config = config

    def __get__(self, instance: object, owner: type) -> object:
        shadow = _shadow(owner, *self._config)
        for name in _ATTRIBUTES:
            setattr(owner, name, getattr(shadow, name))
        return getattr(shadow, self._name)


def _shadow(
    owner: type,
    factories: dict[str, Callable[[], object]],
    uncompared: tuple[str, ...],
    unhashed: tuple[str, ...],
) -> type:
    """A frozen dataclass with `owner`'s fields: where its attributes come from."""
    import dataclasses  # noqa: PLC0415  # the point: only when a caller asks
    import inspect  # noqa: PLC0415

    specs: list[tuple[str, object, object]] = []
    for parameter in inspect.signature(owner).parameters.values():
        name = parameter.name
        compare = name not in uncompared
        hashed = False if name in unhashed else None
        factory = factories.get(name)
        if factory is not None:
            spec = dataclasses.field(default_factory=factory, compare=compare, hash=hashed)
        elif parameter.default is inspect.Parameter.empty:
            spec = dataclasses.field(compare=compare, hash=hashed)
        else:
            spec = dataclasses.field(default=parameter.default, compare=compare, hash=hashed)
        specs.append((name, parameter.annotation, spec))
    return dataclasses.make_dataclass(owner.__name__, specs, frozen=True)


def replaced(value: V, /, **changes: object) -> V:
    """`value` with the fields named in `changes` changed.

    `dataclasses.replace` for these classes, without importing `dataclasses`; also
    their `__replace__` (`copy.replace`, Python 3.13+).
    """
    kind = type(value)
    fields: tuple[str, ...] = kind.__match_args__  # type: ignore[attr-defined]
    unknown = changes.keys() - set(fields)
    if unknown:
        raise TypeError(f"{kind.__name__} has no field {min(unknown)!r}")
    values = {name: changes[name] if name in changes else getattr(value, name) for name in fields}
    return kind(**values)


def frozen_error(owner: object, name: str) -> AttributeError:
    """What setting or deleting `name` on a frozen value raises, as for a dataclass."""
    from dataclasses import FrozenInstanceError  # noqa: PLC0415  # only on this error

    return FrozenInstanceError(f"cannot assign to field {name!r} of {type(owner).__name__}")
