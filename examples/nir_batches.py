"""Verdicts on a batch of NIRs as Arrow columns: what the Dask and Spark recipes call.

One place decides how a batch is checked: `nir.arrow.check` (the Arrow buffers read in
C, no Python object per value) when this nir has it, else `nir.check_many`, which gives
the same verdicts. Needs pyarrow and numpy.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import numpy as np
import pyarrow as pa

import nir

SCHEMA = pa.schema([("nir_valid", pa.bool_()), ("nir_error_code", pa.string())])


def _arrow_check() -> Callable[[pa.Array | pa.ChunkedArray], pa.Table] | None:
    try:
        check: Callable[[pa.Array | pa.ChunkedArray], pa.Table] = importlib.import_module(
            "nir.arrow"
        ).check
    except (ImportError, AttributeError):
        return None
    return check


ARROW_CHECK = _arrow_check()


def verdicts(values: pa.Array | pa.ChunkedArray) -> pa.Table:
    """`nir_valid` and `nir_error_code` (null when valid), one row per value, in order."""
    if ARROW_CHECK is not None:
        checked = ARROW_CHECK(values)
        return pa.table([checked.column("valid"), checked.column("error_code")], schema=SCHEMA)
    result = nir.check_many(values.to_pylist())
    valid = np.frombuffer(result.valid, dtype=np.uint8).astype(np.bool_)
    codes = np.full(len(valid), None, dtype=object)
    if result.errors:
        codes[list(result.errors)] = list(result.errors.values())
    return pa.table([pa.array(valid), pa.array(codes, type=pa.string())], schema=SCHEMA)
