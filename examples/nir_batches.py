"""Verdicts on a batch of NIRs as Arrow columns: what the Dask and Spark recipes call.

One place decides how a batch is checked: `nir.arrow.check` (the Arrow buffers read in
C, no Python object per value) when this nir has it, else `nir.check_many`, which gives
the same verdicts. A batch is checked on one thread: Dask and Spark run one batch per
core already (more threads each would only compete for the same cores). Needs pyarrow
and numpy.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import nir

SCHEMA = pa.schema([("nir_valid", pa.bool_()), ("nir_error_code", pa.string())])


def _from_nir_arrow(name: str) -> Callable[..., pa.Table | pa.ChunkedArray] | None:
    """nir.arrow.`name`, or None when this nir (or its extras) has not got it."""
    try:
        found: Callable[..., pa.Table | pa.ChunkedArray] = getattr(
            importlib.import_module("nir.arrow"), name
        )
    except (ImportError, AttributeError):
        return None
    return found


ARROW_CHECK = _from_nir_arrow("check")
ARROW_VALID = _from_nir_arrow("valid")


def invalid_count(values: pa.Array | pa.ChunkedArray) -> int:
    """How many of the values are invalid (nulls included): the valid column alone."""
    valid = ARROW_VALID(values, threads=1) if ARROW_VALID is not None else None
    if valid is None:
        valid = verdicts(values).column("nir_valid")
    return len(valid) - int(pc.sum(valid).as_py() or 0)


def verdicts(values: pa.Array | pa.ChunkedArray) -> pa.Table:
    """`nir_valid` and `nir_error_code` (null when valid), one row per value, in order."""
    if ARROW_CHECK is not None:
        checked = ARROW_CHECK(values, threads=1)
        return pa.table([checked.column("valid"), checked.column("error_code")], schema=SCHEMA)
    result = nir.check_many(values.to_pylist())
    valid = np.frombuffer(result.valid, dtype=np.uint8).astype(np.bool_)
    codes = np.full(len(valid), None, dtype=object)
    if result.errors:
        codes[list(result.errors)] = list(result.errors.values())
    return pa.table([pa.array(valid), pa.array(codes, type=pa.string())], schema=SCHEMA)
