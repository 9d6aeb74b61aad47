"""`typing.NamedTuple`'s class syntax for `import nir`, without importing `typing`.

`typing` (with `contextlib`, which it pulls in) is the largest module `import nir`
would load, and `typing.NamedTuple` also compiles a `ForwardRef` for each field's
annotation when the class is made. The modules `import nir` runs write their named
tuples as ``class Period(NamedTuple): ...`` with this `NamedTuple` at run time and
`typing.NamedTuple` for type checkers (imported under ``TYPE_CHECKING``); the class
statement makes a `collections.namedtuple` with the same fields, defaults, methods
and docstring, and no `typing` at all. The fields are read from the class body's
`__annotations__`: the module needs ``from __future__ import annotations`` (from
Python 3.14 a body without it holds an annotate function instead, refused here).
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# What the class body may not define (namedtuple makes them), and what is not copied.
_PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_source"})
_PROHIBITED |= {"_fields", "_field_defaults", "_make", "_replace", "_asdict"}
_NOT_COPIED = frozenset({"__module__", "__qualname__", "__annotations__", "__classcell__"})


class _NamedTupleMeta(type):
    """Turns a class statement on `NamedTuple` into a `collections.namedtuple`."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
        if not bases:  # `NamedTuple` itself
            return super().__new__(mcs, name, bases, namespace)
        if bases != (NamedTuple,):
            raise TypeError(f"{name}: a NamedTuple has no other base")
        if "__annotations__" not in namespace and any(
            key.startswith("__annotate") for key in namespace
        ):
            raise TypeError(f"{name}: its module needs `from __future__ import annotations`")
        annotations = namespace.get("__annotations__", {})
        fields = tuple(annotations)
        defaults = [namespace[field] for field in fields if field in namespace]
        if any(field in namespace for field in fields[: len(fields) - len(defaults)]):
            raise TypeError(f"{name}: a field without a default follows one with a default")
        module = namespace["__module__"]
        made: type = namedtuple(name, fields, defaults=defaults, module=module)  # type: ignore[misc]  # noqa: PYI024  # made from the class body
        made.__qualname__ = namespace.get("__qualname__", name)
        made.__annotations__ = dict(annotations)
        for key, value in namespace.items():
            if key in _PROHIBITED:
                raise AttributeError(f"{name}: cannot overwrite NamedTuple attribute {key}")
            if key not in _NOT_COPIED and key not in fields:
                setattr(made, key, value)
        return made


class NamedTuple(metaclass=_NamedTupleMeta):
    """The base of ``class X(NamedTuple)`` at run time (see the module docstring)."""
