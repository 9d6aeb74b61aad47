"""Build hooks that pyproject.toml cannot express.

The reference data lives at the top level (``data/``) so that it is easy to find and
review; wheels must still carry it inside the package, as ``nir/data/``. A source
checkout or an editable install reads it from ``data/`` directly (see
``nir._geo._data_file``).

The messages are gettext catalogues, ``src/nir/locale/*/LC_MESSAGES/nir.po``;
wheels carry them compiled, as ``nir.mo`` beside each ``.po`` path, by the
stdlib-only compiler ``nir._catalog``; an editable install gets them beside the ``.po``
(a source checkout without them compiles the ``.po`` in memory, see ``nir.messages``).

The place data as the identity checks read it (``nir._place_keys``) is kept ready,
marshalled, beside the code (``_place_keys.marshal``, git ignores it): ~0.5 s saved
each run; without it (a source checkout) nir reads ``data/`` as before. So are the C
scan's tables made from it (``_place_tables.bin``, and ``_place_names.marshal``: each
place name's table, see ``nir._accel.place_name_tables``).

The C extension ``nir._speedups`` is optional: without a C compiler (or Python
headers) setuptools prints a warning and nir runs on its pure-Python core, which
gives the same results, only slower. So is ``nir._duckdb_ext`` (see below).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED_DATA = ("*.csv", "README.md")
LOCALE = HERE / "src" / "nir" / "locale"


def _catalog_compiler():  # noqa: ANN202  # a module loaded by path: nir is not importable yet
    spec = importlib.util.spec_from_file_location("_nir_catalog", HERE / "src/nir/_catalog.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Runs nir._place_keys.write_cache with `nir` an empty package over src/nir: its
# __init__ (and the dependencies it imports) is not needed, nor installed yet.
_WRITE_PLACE_KEYS = """
import sys, types
from pathlib import Path
package = types.ModuleType("nir")
package.__path__ = [sys.argv[1]]
sys.modules["nir"] = package
from nir import _accel, _place_keys
_place_keys.write_cache(Path(sys.argv[2]))
_accel.write_tables_cache(sys.argv[3])
_accel.write_names_cache(sys.argv[4])
"""


def _write_place_keys(target: Path) -> None:
    source = HERE / "src" / "nir"
    tables = target.with_name("_place_tables.bin")  # nir._accel.TABLES_CACHE
    names = target.with_name("_place_names.marshal")  # nir._accel.NAMES_CACHE
    command = [sys.executable, "-c", _WRITE_PLACE_KEYS, str(source), str(target), str(tables)]
    command.append(str(names))
    subprocess.run(command, check=True)  # noqa: S603  # our own interpreter and code


class BuildPyWithData(build_py):
    """Copy the top-level reference data into the built package; compile the catalogues."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "nir" / "data"
        target.mkdir(parents=True, exist_ok=True)
        for pattern in SHIPPED_DATA:
            for source in sorted((HERE / "data").glob(pattern)):
                shutil.copyfile(source, target / source.name)
        package = HERE / "src" / "nir" if self.editable_mode else Path(self.build_lib) / "nir"
        _write_place_keys(package / "_place_keys.marshal")
        compiler = _catalog_compiler()
        # An editable install runs from src/: its .mo go beside the .po (git ignores
        # them), so that it starts as fast as a wheel; nir.messages reads a .mo only
        # while it is newer than its .po, so an edited .po is never shadowed.
        locale = LOCALE if self.editable_mode else Path(self.build_lib) / "nir" / "locale"
        for source in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
            relative = source.relative_to(LOCALE).with_suffix(".mo")
            compiler.compile_po(source, locale / relative)


SPEEDUPS = Extension(
    "nir._speedups",
    ["src/nir/_speedups.c"],
    depends=["src/nir/_arrow_abi.h"],
    optional=True,  # a failed build warns and falls back to pure Python
    extra_compile_args=["-O2"],
)

# nir.duckdb's native SQL functions: a DuckDB extension (its C API, C_STRUCT ABI), not
# a Python module (no PyInit, no Python header). Optional too: without it nir.duckdb
# registers Arrow functions instead. nir.duckdb adds DuckDB's metadata footer at load.
DUCKDB_EXTENSION = Extension(
    "nir._duckdb_ext",
    ["src/nir/_duckdb_ext.c"],
    depends=["third_party/duckdb/duckdb.h", "third_party/duckdb/duckdb_extension.h"],
    include_dirs=["third_party/duckdb"],
    optional=True,
    extra_compile_args=["-O2", "-fvisibility=hidden"],
)

setup(cmdclass={"build_py": BuildPyWithData}, ext_modules=[SPEEDUPS, DUCKDB_EXTENSION])
