"""Which paths `nir csv` reads or writes as workbooks: by their suffix.

Apart from `nir._sheets` so that a CSV run decides it without importing the
workbook code (and pathlib, csv, importlib...) at every start.
"""

from __future__ import annotations

import os.path

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
REPORT_SUFFIX = ".xlsx"


def _suffix(path: str) -> str:
    return os.path.splitext(path)[1].lower()  # noqa: PTH122  # pathlib costs ms at start


def is_workbook(path: str) -> bool:
    """True when `nir csv` reads `path` as a workbook (by its suffix)."""
    return path != "-" and _suffix(path) in WORKBOOK_SUFFIXES


def is_report(path: str) -> bool:
    """True when `nir csv -o path` writes an .xlsx report."""
    return path != "-" and _suffix(path) == REPORT_SUFFIX
