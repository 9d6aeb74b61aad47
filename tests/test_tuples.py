"""nir._tuples.NamedTuple makes what typing.NamedTuple makes, without importing typing."""

from __future__ import annotations

import pickle
from typing import NamedTuple as TypingNamedTuple

import pytest

from nir import _tuples

TYPE_CHECKING = False
if TYPE_CHECKING:  # as nir's modules write it: type checkers see typing's
    from typing import NamedTuple
else:
    from nir._tuples import NamedTuple


class Span(NamedTuple):
    """A span: from `since`, before `until`."""

    since: int | None = None
    until: int | None = None

    def length(self) -> int | None:
        """Until minus since, when both are known."""
        return None if self.since is None or self.until is None else self.until - self.since


class TypingSpan(TypingNamedTuple):
    """A span: from `since`, before `until`."""

    since: int | None = None
    until: int | None = None

    def length(self) -> int | None:
        """Until minus since, when both are known."""
        return None if self.since is None or self.until is None else self.until - self.since


class Place(NamedTuple):
    department: str
    commune: str
    warnings: tuple[str, ...] = ()


# (what is compared, how ours gives it, how typing's gives it)
SAME = [
    ("the fields, in order", lambda t: t._fields),
    ("the defaults", lambda t: t._field_defaults),
    ("the docstring", lambda t: t.__doc__),
    ("the name", lambda t: t.__name__),
    ("the annotations' names", lambda t: tuple(t.__annotations__)),
    ("a method", lambda t: t(1, 4).length()),
    ("a default filled in", lambda t: t(1)),
    ("keywords", lambda t: t(until=3)),
    ("_replace", lambda t: t(1, 2)._replace(until=5)),
    ("_asdict", lambda t: t(1, 2)._asdict()),
    ("_make", lambda t: t._make([7, 8])),
    ("a tuple, equal to one", lambda t: (isinstance(t(1, 2), tuple), t(1, 2) == (1, 2))),
    ("unpacked", lambda t: tuple(t(1, 2))),
]


@pytest.mark.parametrize(("what", "read"), SAME, ids=[row[0] for row in SAME])
def test_it_makes_what_typing_makes(what: str, read: object) -> None:
    assert callable(read)
    ours, theirs = read(Span), read(TypingSpan)
    if what == "the name":
        assert (ours, theirs) == ("Span", "TypingSpan")
    elif what in {"a default filled in", "keywords", "_replace", "_make"}:
        assert tuple(ours) == tuple(theirs), what
    else:
        assert ours == theirs, what


def test_its_classes_are_where_they_are_written() -> None:
    # pickle finds a class by module and qualified name: both are the class statement's
    assert (Span.__module__, Span.__qualname__) == (__name__, "Span")
    assert pickle.loads(pickle.dumps(Span(1, 2))) == Span(1, 2)  # noqa: S301  # our own bytes
    assert repr(Place("75", "056")) == "Place(department='75', commune='056', warnings=())"
    with pytest.raises(AttributeError):
        Span(1, 2).since = 3  # type: ignore[misc]  # a tuple: read-only


# (reason, a class body the stand-in refuses as typing.NamedTuple does)
REFUSED = [
    ("a field without a default after one with", "a: int = 1\n    b: int"),
    ("a method namedtuple makes", "a: int\n    def _asdict(self): return {}"),
    ("__init__ overwritten", "a: int\n    def __init__(self): pass"),
]


@pytest.mark.parametrize(("reason", "body"), REFUSED, ids=[row[0] for row in REFUSED])
def test_it_refuses_what_typing_refuses(reason: str, body: str) -> None:
    for base in (_tuples.NamedTuple, TypingNamedTuple):
        source = f"from __future__ import annotations\nclass Bad(base):\n    {body}\n"
        with pytest.raises((TypeError, AttributeError)):
            exec(source, {"base": base, "__name__": "bad"})  # noqa: S102
    with pytest.raises(TypeError, match="no other base"):

        class Both(NamedTuple, int):  # type: ignore[misc]
            a: int


def test_the_named_tuples_of_import_nir_are_ours() -> None:
    # typing is not imported by `import nir` (test_api): the tuples come from here
    from nir import _parse, _rules, messages

    made_here = (_rules.Period, _rules.NorthAfrica, _parse._Month, _parse._Place, _parse._Decoded)
    for made in (*made_here, messages.Code):
        assert made.__mro__[1] is tuple, made
        assert made.__module__.startswith("nir."), made
        # typing.NamedTuple would have made each annotation a ForwardRef
        assert all(type(kind) is str for kind in made.__annotations__.values()), made


def test_a_body_without_string_annotations_is_refused() -> None:
    # From Python 3.14 a class body without the future import holds an annotate
    # function, not __annotations__: the fields would silently be none.
    namespace = {"__module__": __name__, "__annotate__": lambda _: {"a": int}}
    with pytest.raises(TypeError, match="from __future__ import annotations"):
        _tuples._NamedTupleMeta("Late", (NamedTuple,), namespace)
