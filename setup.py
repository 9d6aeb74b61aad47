"""Build hooks that pyproject.toml cannot express.

The reference data lives at the top level (``data/``) so that it is easy to find and
review; wheels must still carry it inside the package, as ``nir/data/``. A source
checkout or an editable install reads it from ``data/`` directly (see
``nir._geo._data_file``).

The C extension ``nir._speedups`` is optional: without a C compiler (or Python
headers) setuptools prints a warning and nir runs on its pure-Python core, which
gives the same results, only slower.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED_DATA = ("*.csv", "README.md")


class BuildPyWithData(build_py):
    """Copy the top-level reference data into the built package."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "nir" / "data"
        target.mkdir(parents=True, exist_ok=True)
        for pattern in SHIPPED_DATA:
            for source in sorted((HERE / "data").glob(pattern)):
                shutil.copyfile(source, target / source.name)


SPEEDUPS = Extension(
    "nir._speedups",
    ["src/nir/_speedups.c"],
    optional=True,  # a failed build warns and falls back to pure Python
    extra_compile_args=["-O2"],
)

setup(cmdclass={"build_py": BuildPyWithData}, ext_modules=[SPEEDUPS])
