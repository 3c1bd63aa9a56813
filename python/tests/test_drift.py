"""`driftscope.drift` gives byte for byte the JSON of `driftscope drift --format json` on the
same files, from pandas, polars and pyarrow tables alike; bad frames raise the command's
message."""

from __future__ import annotations

import json

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import driftscope
from conftest import real_telco

# Each library's own CSV reader: the frames differ (pandas NaN and object columns, polars
# strings, Arrow types), the report must not.
READERS = {
    "pandas": pd.read_csv,
    "polars": pl.read_csv,
    "pyarrow": pacsv.read_csv,
}


def cli_report(cli, reference, current) -> str:
    out = cli("drift", "--reference", str(reference), "--current", str(current), "--format", "json")
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("current", ["current.csv", "drifted.csv"])
def test_same_json_as_the_cli(cli, data, reader, current):
    read = READERS[reader]
    expected = cli_report(cli, data / "reference.csv", data / current)
    result = driftscope.drift(read(data / "reference.csv"), read(data / current))
    assert result.to_json() == expected
    assert result.to_dict() == json.loads(expected)


@pytest.mark.parametrize("reader", sorted(READERS))
def test_same_json_as_the_cli_on_the_real_telco_file(cli, data, reader):
    telco = real_telco()
    read = READERS[reader]
    expected = cli_report(cli, telco, data / "drifted.csv")
    assert driftscope.drift(read(telco), read(data / "drifted.csv")).to_json() == expected


def test_drifted_features_and_one_row_per_feature(data):
    result = driftscope.drift(pl.read_csv(data / "reference.csv"), pl.read_csv(data / "drifted.csv"))
    report = result.to_dict()
    assert "MonthlyCharges" in result.drifted and "Contract" in result.drifted
    assert result.drifted == report["drifted_features"]
    table = result.to_pandas()
    assert list(table["feature"]) == [f["name"] for f in report["features"]]
    row = table.set_index("feature").loc["MonthlyCharges"]
    feature = next(f for f in report["features"] if f["name"] == "MonthlyCharges")
    assert row["psi"] == feature["psi"] and row["p_value"] == feature["ks"]["p_value"]
    assert row["severity"] == "high" and bool(row["drift_detected"])
    assert not driftscope.drift(pl.read_csv(data / "reference.csv"), pl.read_csv(data / "current.csv")).drifted


def test_a_pandas_index_is_not_a_column(data, cli):
    ref = pd.read_csv(data / "reference.csv").set_index("customerID")
    cur = pd.read_csv(data / "current.csv").set_index("customerID")
    report = driftscope.drift(ref, cur).to_dict()
    assert report["extra_columns"] == [] and "customerID" not in [e["name"] for e in report["excluded_columns"]]


def test_categorical_columns_read_as_their_values(cli, data):
    expected = cli_report(cli, data / "reference.csv", data / "drifted.csv")
    ref = pd.read_csv(data / "reference.csv").astype({"Contract": "category", "gender": "category"})
    cur = pl.read_csv(data / "drifted.csv").with_columns(pl.col("Contract").cast(pl.Categorical))
    assert driftscope.drift(ref, cur).to_json() == expected


def cli_message(cli, reference, current) -> str:
    """The message the command prints for these files (after `error: `)."""
    out = cli("drift", "--reference", str(reference), "--current", str(current))
    assert out.returncode == 2, out.stdout
    return out.stderr.strip().splitlines()[-1].removeprefix("error: ")


def test_wrong_column_type_raises_the_cli_message(cli, data, tmp_path):
    bad = pd.read_csv(data / "current.csv")
    bad["Tenure"] = bad["Tenure"].astype(str)
    bad.loc[7, "Tenure"] = "twelve"
    path = tmp_path / "bad.csv"
    bad.to_csv(path, index=False)
    expected = cli_message(cli, data / "reference.csv", path).replace(str(path), "current data frame")
    with pytest.raises(driftscope.DriftscopeError) as e:
        driftscope.drift(pd.read_csv(data / "reference.csv"), bad)
    assert str(e.value) == expected
    assert "Tenure" in str(e.value) and "twelve" in str(e.value) and "row 8" in str(e.value)


@pytest.mark.parametrize("reader", sorted(READERS))
def test_an_empty_frame_raises(data, reader):
    ref = READERS[reader](data / "reference.csv")
    empty = ref.head(0) if reader != "pyarrow" else ref.slice(0, 0)
    with pytest.raises(driftscope.DriftscopeError, match="current data frame: the data frame has no rows"):
        driftscope.drift(ref, empty)


def test_no_column_in_common_raises(data):
    with pytest.raises(driftscope.DriftscopeError, match="no column in common"):
        driftscope.drift(pl.read_csv(data / "reference.csv"), pl.DataFrame({"other": [1, 2, 3]}))


def test_unreadable_types_are_ignored_extras_and_named_when_needed(data):
    ref = pl.read_csv(data / "reference.csv")
    cur = pl.read_csv(data / "current.csv").with_columns(pl.lit([1, 2]).alias("tags"))
    report = driftscope.drift(ref, cur).to_dict()
    assert "tags" not in report["extra_columns"]
    as_dates = cur.with_columns(pl.date(2026, 1, pl.col("Tenure") % 28 + 1).alias("Tenure"))
    with pytest.raises(driftscope.DriftscopeError, match=r"Tenure.*date"):
        driftscope.drift(ref, as_dates)


def test_not_a_table_raises_a_type_error(data):
    with pytest.raises(TypeError, match="expected a pandas, polars or pyarrow table"):
        driftscope.drift({"a": [1]}, pl.read_csv(data / "current.csv"))
    with pytest.raises(TypeError, match="LazyFrame"):
        driftscope.drift(pl.read_csv(data / "reference.csv").lazy(), pl.read_csv(data / "current.csv"))


def test_record_batch_reader_and_chunked_tables(cli, data):
    expected = cli_report(cli, data / "reference.csv", data / "drifted.csv")
    ref = pacsv.read_csv(data / "reference.csv", read_options=pacsv.ReadOptions(block_size=20_000))
    assert ref.column(0).num_chunks > 1
    cur = pacsv.read_csv(data / "drifted.csv")
    reader = pa.RecordBatchReader.from_batches(cur.schema, cur.to_batches(max_chunksize=300))
    assert driftscope.drift(ref, reader).to_json() == expected
