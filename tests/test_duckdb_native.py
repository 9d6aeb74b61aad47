"""nir.duckdb's native functions (the DuckDB extension) against the per-value API.

The extension holds no rule of its own: it calls the C core (`nir_sql_verdict` in
_speedups.c). These tests hold its answers to `nir.is_valid`, the error code of
`nir.validate` and nir.arrow.check's number column, with the default options (the
only ones it runs with), and check when `register` falls back to the Arrow functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nir
import nir.arrow
import nir.duckdb
from nir._bulk import error_code
from nir._parse import Options

from .conftest import compiled_or_skip, using_core
from .test_parse import INVALID, VALID, WARNINGS

# Each row: a value and the reason it is here.
TRICKY: list[tuple[str | None, str]] = [
    ("2 55 08 14 168 025 38", "separators: the fast check on the compacted value"),
    ("255081416802538", "15 plain digits: the fast check on the value itself"),
    ("255081416802512", "a wrong key: the fast path's one error"),
    ("2550814168025", "13 characters: length, missing keys not allowed by default"),
    ("255081416802538é", "non-ASCII: judged by Python, under the GIL, from a DuckDB thread"),
    ("ééé", "non-ASCII compact form: a number of several bytes per character"),
    ("", "empty"),
    ("   ", "only separators: empty once compacted"),
    ("2.55081416802538E+14", "spreadsheet notation"),
    ("x" * 60, "long: the number shown is cut after 40 characters"),
    ("2550814168025380", "16 digits: the quick compaction gives up, the rules say length"),
    ("'255081416802538", "a leading apostrophe (spreadsheet text marker) is dropped"),
    ("1 85 05 2A 123 456 78", "Corsica's letter: not a plain 15 digits"),
    ("3 55 08 14 168 025 38", "a temporary number: allowed by default"),
    (None, "NULL in, NULL out"),
]

VALUES: list[str | None] = [
    *(value for value, _ in TRICKY),
    *(value for value, _, _ in VALID),
    *(value for value, *_ in INVALID if isinstance(value, str)),
    *(value for value, _, _ in WARNINGS),
]


@pytest.fixture(scope="module")
def native() -> duckdb.DuckDBPyConnection:
    """A connection with the native functions (skipped when they are not built)."""
    with using_core(compiled_or_skip()):
        con = nir.duckdb.connect()
    if not uses_native(con):
        pytest.skip("the DuckDB extension nir._duckdb_ext is not built")
    return con


def uses_native(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether nir_valid on `con` is the extension's (its macro calls _nir_valid_native)."""
    [(macro,)] = con.execute(
        "SELECT macro_definition FROM duckdb_functions() WHERE function_name = 'nir_valid'"
    ).fetchall()
    return "_nir_valid_native" in str(macro)


def expected(values: Sequence[str | None]) -> list[tuple[bool | None, str | None, str | None]]:
    """(is_valid, error code, number) as the per-value API and nir.arrow.check say them."""
    numbers = nir.arrow.check(pa.array(list(values), pa.string())).column("number").to_pylist()
    return [
        (None, None, None)
        if value is None
        else (nir.is_valid(value), error_code(value, Options()), number)
        for value, number in zip(values, numbers, strict=True)
    ]


def native_rows(
    con: duckdb.DuckDBPyConnection, values: Sequence[str | None]
) -> list[tuple[bool | None, str | None, str | None]]:
    table = "CREATE OR REPLACE TEMP TABLE t AS SELECT unnest(?::VARCHAR[]) AS v"
    con.execute(table, [list(values)])
    rows = con.execute(
        "SELECT nir_valid(v), nir_error_code(v), nir_compact(v) FROM t ORDER BY rowid"
    ).fetchall()
    return [(row[0], row[1], row[2]) for row in rows]


def test_native_matches_the_per_value_api(native: duckdb.DuckDBPyConnection) -> None:
    assert native_rows(native, VALUES) == expected(VALUES)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="0123456789 .-ABab'éx", max_size=20), min_size=1, max_size=20))
def test_native_matches_on_any_text(native: duckdb.DuckDBPyConnection, values: list[str]) -> None:
    assert native_rows(native, values) == expected(values)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=10))
def test_native_matches_on_any_unicode(
    native: duckdb.DuckDBPyConnection, values: list[str]
) -> None:
    values = [value.replace("\0", "") for value in values]  # DuckDB's VARCHAR has no NUL
    assert native_rows(native, values) == expected(values)


def test_native_many_rows_on_several_threads(native: duckdb.DuckDBPyConnection) -> None:
    # 350,000 rows: DuckDB splits them over its threads; one in 7 is left to Python
    sample = ["255081416802538", "255081416802512", None, "2 55 08 14 168 025 38", "x", "", "é1"]
    native.execute("SET threads = 4")
    native.execute(
        "CREATE OR REPLACE TEMP TABLE many AS SELECT (?::VARCHAR[])[i % 7 + 1] AS v "
        "FROM range(350000) r(i)",
        [sample],
    )
    counts = native.execute(
        "SELECT count(*) FILTER (nir_valid(v)), count(nir_error_code(v)), count(nir_compact(v)) "
        "FROM many"
    ).fetchall()
    per_sample = expected(sample)
    valid = sum(row[0] is True for row in per_sample)
    codes = sum(row[1] is not None for row in per_sample)
    numbers = sum(row[2] is not None for row in per_sample)
    assert counts == [(valid * 50000, codes * 50000, numbers * 50000)]


def test_native_filters_a_csv(native: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("id,nir\n1,255081416802538\n2,255081416802512\n3,2 55 08 14 168 025 38\n")
    query = f"SELECT id FROM '{export}' WHERE NOT nir_valid(nir)"  # noqa: S608  # our own path
    assert native.sql(query).fetchall() == [(2,)]
    # a column of digits read as BIGINT is cast to its digits by the macro
    assert native.sql("SELECT nir_valid(255081416802538)").fetchall() == [(True,)]


def test_without_the_flag_register_falls_back_to_arrow() -> None:
    with using_core(compiled_or_skip()):
        con = nir.duckdb.register(duckdb.connect())
    assert not uses_native(con)
    assert con.sql("SELECT nir_valid('255081416802538')").fetchall() == [(True,)]


def test_options_other_than_the_defaults_use_arrow() -> None:
    with using_core(compiled_or_skip()):
        con = nir.duckdb.register(nir.duckdb.connect(), allow_missing_key=True)
    assert not uses_native(con)
    assert con.sql("SELECT nir_valid('2550814168025')").fetchall() == [(True,)]


def test_pure_core_never_loads_the_extension() -> None:
    with using_core(None):
        con = nir.duckdb.connect()
        assert not uses_native(con)
        assert con.sql("SELECT nir_error_code('255081416802512')").fetchall() == [("key",)]


# Each row: the platform, the version and the reason.
FOOTERS: list[tuple[str, str, str]] = [
    ("linux_amd64", "0.1.0", "the platform and version are written as given"),
    ("osx_arm64", "1.2.3", "another platform"),
]


@pytest.mark.parametrize(("platform", "version", "reason"), FOOTERS)
def test_footer_layout(platform: str, version: str, reason: str) -> None:
    footer = nir.duckdb.footer(platform, version)
    assert len(footer) == 534, reason
    assert footer[:22] == b"\0\x93\x04\x10duckdb_signature\x80\x04"
    fields = [footer[22 + 32 * i : 54 + 32 * i].rstrip(b"\0") for i in range(8)][::-1]
    assert fields == [b"4", platform.encode(), b"v1.2.0", version.encode(), b"C_STRUCT"] + [b""] * 3
    assert footer[-256:] == bytes(256)
