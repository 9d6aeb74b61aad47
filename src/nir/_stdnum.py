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
from importlib.machinery import ModuleSpec, PathFinder
from importlib.util import module_from_spec, spec_from_file_location
from types import ModuleType
from typing import TYPE_CHECKING, cast

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
            spec.loader = cast("Loader", _Attaching(spec.loader))
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
    spec = spec_from_file_location(_NAME, source) if os.path.isfile(source) else None  # noqa: PTH113
    if spec is None or spec.loader is None or _PACKAGE in sys.modules:
        # No plain file to load, or stdnum half-imported: the ordinary import.
        from stdnum import exceptions  # noqa: PLC0415

        return exceptions
    module = module_from_spec(spec)
    sys.modules[_NAME] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[_NAME]
        raise
    sys.meta_path.insert(0, _AttachOnImport())
    return module
