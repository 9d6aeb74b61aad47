"""The Spark recipe (examples/spark_recipe.py) in local mode: `make test-spark`.

Not named test_*.py: Spark takes tens of seconds to start and pyspark is not in
.[dev], so the default suite leaves it out; `make test-spark` installs pyspark and
runs this file.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pyspark.sql import SparkSession
from spark_recipe import checked_frame, local_session

import nir

# pyspark 4.3 warns that it does not fully support pandas 3 (.[dev] has it); the
# recipe goes through Arrow only, no pandas.
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas")

VALUES = [
    ("255081416802538", "valid"),
    ("2 55 08 14 168 025 38", "valid, with spaces"),
    ("255081416802512", "wrong key"),
    ("2.55081416802538E+14", "mangled by Excel"),
    ("", "empty"),
    (None, "a null cell"),
]


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    session = local_session()
    yield session
    session.stop()


@pytest.mark.parametrize("large_strings", [False, True])
def test_map_in_arrow(spark: SparkSession, large_strings: bool) -> None:
    # spark.sql.execution.arrow.useLargeVarTypes hands the batches large_string columns.
    spark.conf.set("spark.sql.execution.arrow.useLargeVarTypes", str(large_strings).lower())
    rows = [(index, value) for index, (value, _) in enumerate(VALUES * 50)]
    frame = spark.createDataFrame(rows, "id long, nir string").repartition(3)
    result = sorted(checked_frame(frame, "nir").collect(), key=lambda row: row["id"])
    assert [row["nir"] for row in result] == [value for _, value in rows]
    assert [row["nir_valid"] for row in result] == [nir.is_valid(value) for _, value in rows]
    assert [row["nir_error_code"] is None for row in result] == [
        nir.is_valid(value) for _, value in rows
    ]
