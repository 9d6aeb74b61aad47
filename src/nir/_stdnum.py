"""python-stdnum's exception classes, without the ~20 ms of importing `stdnum` itself.

`nir.errors` subclasses `stdnum.exceptions`' classes so that code written against
`stdnum.fr.nir` keeps catching nir's errors. But `import stdnum.exceptions` first
runs `stdnum/__init__.py`, which imports `stdnum.util`, which imports pydoc, ssl,
pkgutil... at every start of `nir`. `stdnum/exceptions.py` imports nothing, so it
is loaded here from its file under its own name, ``stdnum.exceptions``, and put in
`sys.modules`: a later ``import stdnum.fr.nir`` (or ``from stdnum.exceptions
import ...``) by the user then finds that very module, so the classes are the same
objects. A one-shot finder also sets the package's ``exceptions`` attribute when
the user imports `stdnum` later, as a normal import of the submodule would have.
"""

from __future__ import annotations

import os.path
import sys
from importlib.machinery import ModuleSpec, PathFinder, SourceFileLoader
from types import ModuleType

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see nir._tuples)
if TYPE_CHECKING:  # importlib.abc imports importlib.resources (~15 ms): typing only
    from collections.abc import Sequence
    from importlib.abc import Loader

_PACKAGE = "stdnum"
_NAME = "stdnum.exceptions"


class _AttachOnImport:
    """Finds `stdnum` once, and links our `stdnum.exceptions` to it when it loads."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        """The real spec of `stdnum`, its loader wrapped; None for every other name."""
        if fullname != _PACKAGE:
            return None
        sys.meta_path.remove(self)  # one shot: never in the way again
        spec = PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None:
            attaching: Loader = _Attaching(spec.loader)  # type: ignore[assignment]  # a Loader by its methods
            spec.loader = attaching
        return spec


class _Attaching:
    """The package's own loader, then ``stdnum.exceptions = <our module>``."""

    def __init__(self, loader: Loader) -> None:
        self._loader = loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        """What the wrapped loader creates."""
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        """Run `stdnum/__init__.py`, then attach the submodule loaded before it."""
        self._loader.exec_module(module)
        exceptions = sys.modules.get(_NAME)
        if exceptions is not None:
            module.exceptions = exceptions  # type: ignore[attr-defined]  # a submodule attribute


def load() -> ModuleType:
    """`stdnum.exceptions`: the one in `sys.modules`, else loaded from its file."""
    loaded = sys.modules.get(_NAME)
    if loaded is not None:
        return loaded
    package = PathFinder.find_spec(_PACKAGE)
    locations = package.submodule_search_locations if package is not None else None
    source = os.path.join(next(iter(locations)), "exceptions.py") if locations else ""  # noqa: PTH118  # pathlib costs ~8 ms to import
    if not os.path.isfile(source) or _PACKAGE in sys.modules:  # noqa: PTH113
        # No plain file to load, or stdnum half-imported: the ordinary import.
        from stdnum import exceptions  # noqa: PLC0415

        return exceptions
    module, loader = _from_file(source)
    sys.modules[_NAME] = module
    try:
        loader.exec_module(module)
    except BaseException:
        del sys.modules[_NAME]
        raise
    sys.meta_path.insert(0, _AttachOnImport())
    return module


def _from_file(source: str) -> tuple[ModuleType, SourceFileLoader]:
    """The module `importlib.util`'s spec_from_file_location + module_from_spec make.

    importlib.util imports contextlib (~2 ms of `import nir`) for what is, for one
    plain source file, a spec with a location and five module attributes.
    """
    loader = SourceFileLoader(_NAME, source)
    spec = ModuleSpec(_NAME, loader, origin=source)
    spec.has_location = True  # __file__ and __cached__ come from the origin
    module = ModuleType(_NAME)
    module.__spec__ = spec
    module.__loader__ = loader
    module.__package__ = spec.parent
    module.__file__ = source
    module.__cached__ = spec.cached  # type: ignore[attr-defined]  # set by importlib too
    return module, loader
