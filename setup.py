"""Build hooks that pyproject.toml cannot express.

The reference data lives at the top level (``data/``) so that it is easy to find and
review; wheels must still carry it inside the package, as ``nir/data/``. A source
checkout or an editable install reads it from ``data/`` directly (see
``nir._geo._data_file``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
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


setup(cmdclass={"build_py": BuildPyWithData})
