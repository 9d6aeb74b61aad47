"""`nir.arrow.check` for polars: a DataFrame for a Series, a struct for an expression.

Needs the ``polars`` extra (polars and pyarrow). For an `Expr`, `check` returns a
struct-valued expression built on `Expr.map_batches` (elementwise, so it
streams, with its return dtype declared, so polars never probes it):

>>> import polars as pl
>>> import nir.polars
>>> frame = pl.DataFrame({"nir": ["2 55 08 14 168 025 38", "255081416802512"]})
>>> frame.select(nir.polars.check(pl.col("nir")).struct.field("error_code"))["error_code"].to_list()
[None, 'key']
>>> nir.polars.check(frame["nir"])["valid"].to_list()
[True, False]
"""

from __future__ import annotations

from typing import Any

try:
    import polars as pl
except ImportError as error:  # pragma: no cover - the extra is installed in dev
    raise ImportError("nir.polars needs polars and pyarrow: pip install 'nir[polars]'") from error

from nir import arrow


def _dtype(fields: bool) -> pl.Struct:
    """The struct `check` gives an expression: the columns of `nir.arrow.check`."""
    columns: dict[str, Any] = {
        "valid": pl.Boolean,
        "error_code": pl.String,
        "number": pl.String,
        "kind": pl.String,
    }
    if fields:
        columns |= {
            "sex": pl.String,
            "birth_year": pl.Int16,
            "birth_month": pl.Int8,
            "department": pl.String,
            "commune": pl.String,
            "country": pl.String,
        }
    return pl.Struct(columns)


def _frame(series: pl.Series, options: dict[str, Any]) -> pl.DataFrame:
    result = pl.from_arrow(arrow.check(series, **options))
    assert isinstance(result, pl.DataFrame)
    return result


def check(series_or_expr: pl.Series | pl.Expr, **options: Any) -> pl.DataFrame | pl.Expr:  # noqa: ANN401
    """A DataFrame for a Series, one row per value; a struct expression for an Expr.

    The columns and options of `nir.arrow.check`.
    """
    if isinstance(series_or_expr, pl.Series):
        return _frame(series_or_expr, options)
    dtype = _dtype(bool(options.get("fields")))

    def batch(series: pl.Series) -> pl.Series:
        return _frame(series, options).to_struct(series.name)

    return series_or_expr.map_batches(batch, return_dtype=dtype, is_elementwise=True)


__all__ = ["check"]
