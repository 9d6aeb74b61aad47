"""nir.arrow.check and its DataFrame/SQL wrappers against nir.is_valid, on both cores.

Every column must say what the per-value API says: `valid` is `nir.is_valid`,
`error_code` the code of `nir.validate`'s error, on every Arrow layout (utf8,
large_utf8, string_view, sliced, chunked, with nulls).
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nir
import nir.arrow
import nir.duckdb
import nir.pandas
import nir.polars
from nir._bulk import error_code
from nir._parse import Options

from .helpers import REFERENCE_DATE
from .strategies import any_valid
from .test_parse import INVALID, VALID, WARNINGS

OPTIONS: dict[str, Any] = {"reference_date": REFERENCE_DATE}

# The table values: valid, invalid of every code, warnings, separators, non-ASCII, nulls.
TABLE_VALUES: list[str | None] = [
    *(value for value, _, _ in VALID),
    *(value for value, *_ in INVALID if isinstance(value, str)),
    *(value for value, _, _ in WARNINGS),
    "2 55 08 14 168 025 38",  # separators: compacted
    "255081416802538é",  # non-ASCII: left to the Python rules
    "",
    None,
    "2.55081416802538E+14",  # spreadsheet notation
    "x" * 60,  # long: the number shown is cut
]


def expected(values: list[str | None], **options: Any) -> tuple[list[bool], list[str | None]]:
    """What the per-value API says: is_valid and the error code."""
    all_options = OPTIONS | options
    valid = [nir.is_valid(value, **all_options) for value in values]
    codes = [error_code(value, Options(**all_options)) for value in values]
    return valid, codes


def assert_matches(table: pa.Table, values: list[str | None], **options: Any) -> None:
    valid, codes = expected(values, **options)
    assert table.column("valid").to_pylist() == valid
    assert table.column("error_code").to_pylist() == codes
    for value, number, kind, ok in zip(
        values,
        table.column("number").to_pylist(),
        table.column("kind").to_pylist(),
        valid,
        strict=True,
    ):
        if ok:
            parsed = nir.parse(value, names=False, **OPTIONS, **options)  # type: ignore[arg-type]
            assert (number, kind) == (parsed.number, str(parsed.kind))
        else:
            assert kind is None
            assert (number is None) == (value is None)


@pytest.mark.parametrize(
    ("arrow_type", "reason"),
    [
        (pa.string(), "utf8: int32 offsets"),
        (pa.large_string(), "large_utf8: int64 offsets"),
        (pa.string_view(), "string_view: inline and out-of-line values (polars exports these)"),
    ],
)
def test_every_value_matches_is_valid(core: str, arrow_type: pa.DataType, reason: str) -> None:
    table = nir.arrow.check(pa.array(TABLE_VALUES, arrow_type), **OPTIONS)
    assert_matches(table, TABLE_VALUES)


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"allow_temporary": False}, "temporary numbers refused"),
        ({"allow_missing_key": True}, "13 characters accepted"),
        ({"warnings_as_errors": True}, "warnings refused"),
    ],
)
def test_options_are_those_of_is_valid(core: str, options: dict[str, Any], reason: str) -> None:
    table = nir.arrow.check(pa.array(TABLE_VALUES), **OPTIONS, **options)
    assert_matches(table, TABLE_VALUES, **options)


@pytest.mark.parametrize("arrow_type", [pa.string(), pa.large_string(), pa.string_view()])
@pytest.mark.parametrize(("start", "stop"), [(1, None), (3, 11), (len(TABLE_VALUES) - 2, None)])
def test_sliced_arrays_read_their_own_rows(
    core: str, arrow_type: pa.DataType, start: int, stop: int | None
) -> None:
    # an offset != 0, nulls included: ignoring the offset would read the wrong rows
    values = TABLE_VALUES[start:stop]
    array = pa.array(TABLE_VALUES, arrow_type).slice(start, len(values))
    assert array.offset == start
    assert_matches(nir.arrow.check(array, **OPTIONS), values)


def test_chunked_arrays_give_one_row_per_value(core: str) -> None:
    chunked = pa.chunked_array([TABLE_VALUES[:5], [], TABLE_VALUES[5:]], pa.string())
    table = nir.arrow.check(chunked, **OPTIONS)
    assert table.num_rows == len(TABLE_VALUES)
    assert_matches(table, TABLE_VALUES)


@pytest.mark.parametrize("arrow_type", [pa.string(), pa.large_string(), pa.string_view()])
@pytest.mark.parametrize(
    ("threads", "piece", "reason"),
    [
        (2, 1, "two threads, a slice each, and the chunk boundary"),
        (3, 1, "three threads: a slice ends inside the first chunk"),
        (64, 1, "a row a slice: every row a boundary"),
        (4, 1000, "slices longer than the column: one a chunk"),
        (1, 1, "one thread: the chunks as they are, on this thread"),
    ],
)
def test_threads_give_the_table_of_one_thread(
    core: str,
    arrow_type: pa.DataType,
    threads: int,
    piece: int,
    reason: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # slices of a sliced, chunked column (offsets, nulls, a chunk boundary) checked at once
    monkeypatch.setattr(nir.arrow, "SMALLEST_PIECE", piece)
    values = TABLE_VALUES[1:]
    chunked = pa.chunked_array(
        [pa.array(TABLE_VALUES, arrow_type).slice(1, 7), pa.array(values[7:], arrow_type)]
    )
    table = nir.arrow.check(chunked, threads=threads, **OPTIONS)
    assert table.equals(nir.arrow.check(chunked, threads=1, **OPTIONS))
    assert_matches(table, values)
    # the valid column alone: the same, False for a null
    assert nir.arrow.valid(chunked, threads=threads, **OPTIONS).equals(table.column("valid"))


CLEAN = ["255081416802538", "155057507812315"]


@pytest.mark.parametrize(
    ("values", "start", "reason"),
    [
        (CLEAN * 3, 0, "all clean: the number column is the input itself"),
        ([*CLEAN, None, *CLEAN], 1, "clean and null, sliced: still the input itself"),
        ([*CLEAN, "2 55 08 14 168 025 38", *CLEAN], 0, "a run, a compacted value, a run"),
        ([None, *CLEAN, "29l028310643790", None, *CLEAN], 2, "runs copied from an offset"),
        (["2550814", *CLEAN, " . "], 0, "invalid as typed, then one that differs last"),
    ],
)
def test_numbers_are_those_of_the_python_core(
    values: list[str | None], start: int, reason: str
) -> None:
    # the C core copies runs of unchanged values from the input, or reuses it whole
    array = pa.array(values, pa.string()).slice(start)
    options = Options(reference_date=REFERENCE_DATE)
    python = nir.arrow._python_check(array, options, "type")
    checked = nir.arrow.check(array, **OPTIONS)
    assert checked.column("number").to_pylist() == python[2].to_pylist()
    assert checked.column("error_code").to_pylist() == python[1].to_pylist()


@settings(max_examples=100)
@given(st.lists(st.one_of(any_valid(), st.text(max_size=20), st.none()), max_size=30))
def test_arbitrary_values_match_is_valid(core: str, values: list[str | None]) -> None:
    assert_matches(nir.arrow.check(pa.array(values, pa.string()), **OPTIONS), values)


def test_fields_are_those_of_parse(core: str) -> None:
    values = ["2 55 08 14 168 025 38", "255081416802512", None]
    table = nir.arrow.check(pa.array(values), fields=True, **OPTIONS)
    assert table.slice(0, 1).to_pylist()[0] | {"number": None} == {
        "valid": True,
        "error_code": None,
        "number": None,
        "kind": "nir",
        "sex": "F",
        "birth_year": 1955,
        "birth_month": 8,
        "department": "14",
        "commune": "14168",
        "country": None,
    }
    assert table.column("birth_year").to_pylist()[1:] == [None, None]


@pytest.mark.parametrize(
    ("data", "named", "reason"),
    [
        (pa.array([1, 2]), "int64", "integers"),
        (pa.array(["a"]).dictionary_encode(), "dictionary", "dictionary-encoded strings"),
        (pa.array([b"255081416802538"]), "binary", "bytes are not text"),
        (["255081416802538"], "list", "a list: no Arrow interface"),
        (pa.table({"a": ["x"], "b": ["y"]}), "struct", "a table of two columns"),
    ],
)
def test_non_string_input_is_a_type_error_naming_it(
    core: str, data: object, named: str, reason: str
) -> None:
    with pytest.raises(TypeError, match=rf"nir\.arrow\.check needs .*{named}"):
        nir.arrow.check(data)


def never_called(value: bytes) -> tuple[str, str, str]:
    raise AssertionError(value)


def test_c_core_rejects_a_non_string_array_itself() -> None:
    from .conftest import compiled_or_skip

    compiled = compiled_or_skip()
    schema, array = pa.array([1]).__arrow_c_array__()
    with pytest.raises(TypeError, match="Arrow format 'l'"):
        compiled.arrow_check(schema, array, True, False, False, 2026, 11, "type", never_called, 7)  # noqa: FBT003


def test_one_column_tables_and_streams_are_read(core: str) -> None:
    table = pa.table({"nir": TABLE_VALUES})
    assert_matches(nir.arrow.check(table, **OPTIONS), TABLE_VALUES)


# ---------------------------------------------------------------------------
# pandas, polars, DuckDB


def test_pandas_frame_is_aligned_on_the_index(core: str) -> None:
    series = pd.Series(["2 55 08 14 168 025 38", None, "255081416802512"], index=[7, 3, 5])
    frame = nir.pandas.check(series, **OPTIONS)
    assert list(frame.index) == [7, 3, 5]
    assert frame["valid"].tolist() == [True, False, False]
    assert frame.loc[5, "error_code"] == "key"


def test_pandas_rejects_a_non_string_series() -> None:
    with pytest.raises(TypeError, match="int64"):
        nir.pandas.check(pd.Series([1, 2]))


def test_polars_series_and_expression_round_trip(core: str) -> None:
    values = ["2 55 08 14 168 025 38", None, "255081416802512", "2A"]
    valid, codes = expected(values)
    series = pl.Series("nir", values)
    frame = nir.polars.check(series, **OPTIONS)
    assert isinstance(frame, pl.DataFrame)
    assert frame["valid"].to_list() == valid
    expr = nir.polars.check(pl.col("nir"), **OPTIONS)
    assert isinstance(expr, pl.Expr)
    result = pl.DataFrame({"nir": values}).select(expr.struct.unnest())
    assert result["error_code"].to_list() == codes
    lazy = pl.LazyFrame({"nir": values}).filter(~expr.struct.field("valid")).collect()
    assert lazy["nir"].to_list() == [v for v, ok in zip(values, valid, strict=True) if not ok]


@pytest.mark.parametrize(
    ("values", "start", "reason"),
    [
        (CLEAN, 0, "no null: no validity bitmap"),
        ([None, *CLEAN, None, "255081416802512"], 0, "nulls at offset 0: the input's bitmap"),
        ([None, *CLEAN, None, "2550814"], 1, "nulls at an offset: nulls put back"),
    ],
)
def test_valid_chunk_is_null_for_null(
    core: str, values: list[str | None], start: int, reason: str
) -> None:
    # nir_valid's path: NULL in, NULL out, else is_valid
    array = pa.array(values, pa.string()).slice(start)
    got = nir.arrow.valid_chunk(array, Options(reference_date=REFERENCE_DATE))
    valid, _ = expected(values[start:])
    want = [None if value is None else ok for value, ok in zip(values[start:], valid, strict=True)]
    assert got.to_pylist() == want


def test_duckdb_filters_a_csv(core: str, tmp_path: Any) -> None:
    export = tmp_path / "export.csv"
    export.write_text("id,nir\n1,255081416802538\n2,255081416802512\n3,2 55 08 14 168 025 38\n")
    con = nir.duckdb.register(duckdb.connect(), **OPTIONS)
    query = f"SELECT id FROM '{export}' WHERE NOT nir_valid(nir)"  # noqa: S608  # our own path
    rows = con.sql(query).fetchall()
    assert rows == [(2,)]
    assert con.sql(
        "SELECT nir_error_code(x), nir_compact(x) FROM "
        "(VALUES ('255081416802512'), (NULL), ('2 55 08 14 168 025 38')) t(x)"
    ).fetchall() == [("key", "255081416802512"), (None, None), (None, "255081416802538")]


def test_duckdb_null_in_null_out(core: str) -> None:
    con = nir.duckdb.register(duckdb.connect())
    assert con.sql("SELECT nir_valid(NULL), nir_compact(NULL)").fetchall() == [(None, None)]
