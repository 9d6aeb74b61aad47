"""`nir.arrow.check` for a pandas Series: a DataFrame aligned on the series' index.

Needs the ``pandas`` extra (pandas and pyarrow).

>>> import pandas as pd
>>> import nir.pandas
>>> series = pd.Series(["2 55 08 14 168 025 38", "255081416802512"], index=[10, 20])
>>> frame = nir.pandas.check(series)
>>> frame["valid"].to_dict(), frame.loc[20, "error_code"]
({10: True, 20: False}, 'key')
"""

from __future__ import annotations

from typing import Any

try:
    import pandas as pd
    import pyarrow as pa
except ImportError as error:  # pragma: no cover - the extra is installed in dev
    raise ImportError("nir.pandas needs pandas and pyarrow: pip install 'nir[pandas]'") from error

from nir import arrow


def check(series: pd.Series, **options: Any) -> pd.DataFrame:  # noqa: ANN401
    """The columns of `nir.arrow.check` (same options), indexed like `series`.

    A Series of strings (object or string dtype, missing values as nulls); any
    other dtype raises TypeError naming it.
    """
    try:
        column = pa.array(series, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
        message = f"nir.pandas.check needs a Series of strings, not {series.dtype}"
        raise TypeError(message) from error
    if pa.types.is_null(column.type):  # only missing values
        column = column.cast(pa.string())
    frame: pd.DataFrame = arrow.check(column, **options).to_pandas()
    frame.index = series.index
    return frame


__all__ = ["check"]
