"""Check the NIR column of a Spark DataFrame with mapInArrow, in local mode.

    PYTHONPATH=examples python examples/spark_recipe.py people.parquet nir

Spark hands `check_batches` the rows as Arrow record batches and takes back batches
with `nir_valid` and `nir_error_code` appended. Each batch is cast to the declared
schema: a mismatch (string or large_string) otherwise surfaces as an opaque JVM
error. The workers import this module and `nir_batches`, so `examples/` must be on
their PYTHONPATH. Needs `nir[spark]` and Java 17.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator

import pyarrow as pa
from nir_batches import verdicts
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import BooleanType, StringType, StructField, StructType

OUTPUT_FIELDS = [
    StructField("nir_valid", BooleanType(), nullable=False),
    StructField("nir_error_code", StringType(), nullable=True),
]


def check_batches(column: str) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """The function mapInArrow runs on each partition's batches."""

    def check(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            checked = verdicts(batch.column(column))
            # The error codes in the string type Spark uses for the input's strings.
            text = batch.schema.field(column).type
            codes = checked.column("nir_error_code").cast(
                text if pa.types.is_large_string(text) else pa.string()
            )
            yield pa.RecordBatch.from_arrays(
                [
                    *batch.columns,
                    checked.column("nir_valid").combine_chunks(),
                    codes.combine_chunks(),
                ],
                names=[*batch.schema.names, "nir_valid", "nir_error_code"],
            )

    return check


def checked_frame(frame: DataFrame, column: str) -> DataFrame:
    """`frame` with the verdict columns, lazily."""
    schema = StructType([*frame.schema.fields, *OUTPUT_FIELDS])
    return frame.mapInArrow(check_batches(column), schema)


def local_session(cores: int = 2) -> SparkSession:
    """A local Spark whose Python workers run this interpreter."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session: SparkSession = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("nir")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(cores))
        .getOrCreate()
    )
    return session


def main() -> None:
    """Count the invalid rows of a Parquet file with Spark in local mode."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("column", nargs="?", default="nir")
    args = parser.parse_args()
    spark = local_session()
    try:
        frame = checked_frame(spark.read.parquet(args.path), args.column)
        print(frame.filter("NOT nir_valid").count(), "invalid rows")
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
