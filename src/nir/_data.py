"""The shipped data files: where they are, and their metadata (the vintage).

Light on purpose (``os`` only at import): `nir --version` reads the vintage
through it without importing the place tables' reader, `nir._geo`, and its
imports (about 10 ms of the command).
"""

from __future__ import annotations

import os

META_FILE = "insee_meta.csv"

_HERE = os.path.dirname(os.path.realpath(__file__))  # noqa: PTH120  # pathlib costs ~2 ms
DATA_FOLDERS = (os.path.join(_HERE, "data"), os.path.join(_HERE, os.pardir, os.pardir, "data"))  # noqa: PTH118
"""Where the data files are, in this order: a wheel's copy beside the code; a source
checkout's or an editable install's ``data/`` (setup.py copies data/ only into wheels)."""


def read_bytes(name: str) -> bytes:
    """Bytes of a data file: packaged copy first (wheel), else the repo's ``data/``.

    Plain files are read as such: importlib.resources costs ~6 ms of imports, which
    `nir --version` (it reads the vintage) would pay; it serves a zipped package.
    """
    for folder in DATA_FOLDERS:
        path = os.path.join(folder, name)  # noqa: PTH118
        if os.path.isfile(path):  # noqa: PTH113
            with open(path, "rb") as file:  # noqa: PTH123
                return file.read()
    from importlib import resources  # noqa: PLC0415  # only for a zipped package

    return (resources.files("nir") / "data" / name).read_bytes()


def read_meta() -> dict[str, str]:
    """The data's metadata file (vintage, coverage start, sources), a few lines."""
    import csv  # noqa: PLC0415  # import nir._data stays light

    return dict(csv.reader(read_bytes(META_FILE).decode("utf-8").splitlines()))


def data_vintage() -> str:
    """COG vintage of the shipped data, e.g. ``"COG 2026"``.

    >>> data_vintage().startswith("COG ")
    True
    """
    return read_meta()["vintage"]
