"""`driftscope.Monitor`: your own model's baseline, monitoring data frames and files, `check`
failing a pipeline task on a HIGH alert, the report site, and errors with the command's
messages."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import polars as pl
import pytest

import driftscope

TIMESTAMP = "2026-01-05T00:00:00Z"


def with_predictions(df: pd.DataFrame, seed: int, skill: float) -> pd.DataFrame:
    """`df` with a `prediction` column: a model's logged probabilities, informative in
    proportion to `skill` (0: noise)."""
    rng = np.random.default_rng(seed)
    churn = (df["Churn"] == "Yes").to_numpy(float)
    score = 3.0 * skill * churn + rng.normal(0.0, 1.0, len(df)) - 1.5 * skill
    out = df.copy()
    out["prediction"] = np.round(1.0 / (1.0 + np.exp(-score)), 6)
    return out


@pytest.fixture(scope="module")
def files(data, tmp_path_factory):
    d = tmp_path_factory.mktemp("monitor")
    with_predictions(pd.read_csv(data / "reference.csv"), 1, 1.0).to_csv(d / "reference.csv", index=False)
    with_predictions(pd.read_csv(data / "current.csv"), 2, 1.0).to_csv(d / "clean.csv", index=False)
    with_predictions(pd.read_csv(data / "drifted.csv"), 3, 0.0).to_csv(d / "drifted.csv", index=False)
    return d


@pytest.fixture()
def monitor(files, tmp_path):
    m = driftscope.Monitor(tmp_path / "artifacts")
    summary = m.baseline(files / "reference.csv", prediction_column="prediction", target="Churn")
    assert summary["model_dir"].is_dir() and summary["baseline"]["holdout"]["auc"] > 0.8
    return m


def test_check_passes_a_clean_batch_and_raises_on_high(monitor, files, cli):
    clean = monitor.monitor(pl.read_csv(files / "clean.csv"), batch_id="clean", timestamp=TIMESTAMP)
    assert clean["batch_id"] == "clean" and clean["rows"] == 2000
    assert monitor.check(fail_on="high")["batch_id"] == "clean"
    monitor.monitor(pd.read_csv(files / "drifted.csv"), batch_id="drifted", timestamp="2026-01-06T00:00:00Z")
    with pytest.raises(driftscope.AlertError) as e:
        monitor.check(fail_on="high")
    assert isinstance(e.value, driftscope.DriftscopeError)
    out = cli("check", "--artifacts", str(monitor.artifacts_dir), "--fail-on", "high")
    assert out.returncode == 1
    cli_alerts = [line for line in out.stdout.splitlines() if line.startswith("High ")]
    lines = str(e.value).splitlines()
    assert lines[0].startswith("batch drifted: ") and "at or above High" in lines[0]
    assert [line.strip() for line in lines[1:]] == cli_alerts and cli_alerts
    assert monitor.check(fail_on="high", batch="clean")["batch_id"] == "clean"


def test_a_frame_and_its_file_give_the_same_result(monitor, files, tmp_path):
    other = driftscope.Monitor(tmp_path / "other")
    shutil.copytree(monitor.artifacts_dir, other.artifacts_dir)
    from_frame = monitor.monitor(pl.read_csv(files / "drifted.csv"), batch_id="drifted", timestamp=TIMESTAMP)
    from_file = other.monitor(files / "drifted.csv", timestamp=TIMESTAMP)
    assert from_frame == from_file


def test_report_and_prometheus_export(monitor, files, tmp_path):
    monitor.monitor(files / "clean.csv", timestamp=TIMESTAMP)
    index = monitor.report(tmp_path / "site")
    assert index.name == "index.html" and index.is_file()
    assert "driftscope_feature_drift" in monitor.export_prometheus() or "driftscope_" in monitor.export_prometheus()


def test_nan_probability_raises(monitor, files):
    batch = pd.read_csv(files / "clean.csv")
    batch.loc[4, "prediction"] = float("nan")
    with pytest.raises(driftscope.DriftscopeError, match=r'row 5, column "prediction".*probability in \[0, 1\]'):
        monitor.monitor(batch, batch_id="nan", timestamp=TIMESTAMP)


def test_bad_calls_raise_clear_errors(monitor, files, tmp_path, cli):
    with pytest.raises(ValueError, match="batch_id"):
        monitor.monitor(pl.read_csv(files / "clean.csv"))
    with pytest.raises(TypeError, match="path of a CSV or Parquet file"):
        monitor.baseline(pd.read_csv(files / "reference.csv"))
    with pytest.raises(ValueError, match="fail_on"):
        monitor.check(fail_on="severe")
    empty = tmp_path / "nothing"
    out = cli("check", "--artifacts", str(empty), "--fail-on", "high")
    assert out.returncode == 2
    with pytest.raises(driftscope.DriftscopeError) as e:
        driftscope.Monitor(empty).check()
    assert str(e.value) == out.stderr.strip().splitlines()[-1].removeprefix("error: ")
