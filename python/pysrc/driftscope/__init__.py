"""driftscope from Python: data drift between two data frames, and model monitoring through
an artifacts folder, computed by the same Rust library the ``driftscope`` command runs.

Data frames (pandas, polars, pyarrow, or any object with ``__arrow_c_stream__``) are read
through the Arrow C stream interface: numeric columns are used in place, without a copy.

Example::

    import driftscope, pandas as pd
    result = driftscope.drift(pd.read_csv("reference.csv"), pd.read_csv("current.csv"))
    result.drifted          # names of the drifted features ([] when none)
    result.to_pandas()      # one row per feature
    result                  # in a notebook: an HTML table

    m = driftscope.Monitor("artifacts")
    m.baseline("reference_with_predictions.csv", prediction_column="prediction", target="Churn")
    m.monitor(batch_df, batch_id="2026-01-05")
    m.check(fail_on="high")  # raises driftscope.AlertError when a HIGH alert fired
    m.report("site")
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

from . import _driftscope as _native
from ._driftscope import AlertError, DriftscopeError
from ._html import drift_html

__all__ = ["drift", "DriftResult", "Monitor", "DriftscopeError", "AlertError"]
__version__ = "0.1.0"

PathLike = Union[str, "os.PathLike[str]"]


def _arrow_source(frame: Any, what: str) -> Any:
    """An object exporting ``__arrow_c_stream__`` for ``frame``; pandas frames go through
    pyarrow without their index (so the columns are the frame's columns, as in a CSV file)."""
    module = type(frame).__module__.split(".")[0]
    if module == "pandas":
        try:
            import pyarrow as pa
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError(f"{what}: reading a pandas data frame needs pyarrow (pip install pyarrow)") from e
        return pa.Table.from_pandas(frame, preserve_index=False)
    if hasattr(frame, "__arrow_c_stream__"):
        return frame
    if module == "polars" and hasattr(frame, "collect"):
        raise TypeError(f"{what}: a polars LazyFrame; call .collect() first")
    if hasattr(frame, "to_arrow"):
        return frame.to_arrow()
    raise TypeError(
        f"{what}: expected a pandas, polars or pyarrow table (any object with "
        f"__arrow_c_stream__), got {type(frame).__module__}.{type(frame).__name__}"
    )


def _path(p: Optional[PathLike]) -> Optional[str]:
    return None if p is None else os.fspath(p)


class DriftResult:
    """The drift report of :func:`drift`: the same report ``driftscope drift --format json``
    writes. In a notebook it shows as an HTML table (inline, no script, no network)."""

    def __init__(self, report_json: str, text: str) -> None:
        self._json = report_json
        self._text = text
        self._report: Dict[str, Any] = json.loads(report_json)

    def to_dict(self) -> Dict[str, Any]:
        """The report as a dict: the JSON of ``driftscope drift --format json``."""
        return json.loads(self._json)

    def to_json(self) -> str:
        """The report as JSON text, byte for byte what ``driftscope drift --format json`` writes."""
        return self._json

    @property
    def drifted(self) -> List[str]:
        """Names of the drifted features (PSI/KL verdict), in reference column order; empty
        (falsy) when none drifted."""
        return list(self._report["drifted_features"])

    @property
    def dataset_drift(self) -> bool:
        """Whether the share of drifted features reaches ``data_drift.dataset_drift_share``."""
        return bool(self._report["dataset_drift"])

    def to_pandas(self) -> Any:
        """One row per feature compared: type, severity, verdicts, PSI, KL, JS distance, the
        test and its p-value, missing cells. Needs pandas."""
        import pandas as pd

        return pd.DataFrame([_feature_row(f) for f in self._report["features"]])

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        r = self._report
        return (
            f"<DriftResult: {len(r['drifted_features'])} of {r['features_checked']} features "
            f"drifted; reference rows {r['reference_rows']}, current rows {r['current_rows']}>"
        )

    def _repr_html_(self) -> str:
        return drift_html(self._report)


def _feature_row(f: Dict[str, Any]) -> Dict[str, Any]:
    test = "ks" if f.get("ks") else ("chi_square" if f.get("chi_square") else None)
    p_value = f[test]["p_value"] if test else None
    calibrated = f.get("calibrated") or {}
    return {
        "feature": f["name"],
        "type": f["type"],
        "severity": f["severity"],
        "drift_detected": f["drift_detected"],
        "size_aware_drift": calibrated.get("drift_detected"),
        "psi": f.get("psi"),
        "kl_divergence": f.get("kl_divergence"),
        "js_distance": f.get("js_distance"),
        "wasserstein_normed": f.get("wasserstein_normed"),
        "test": test,
        "p_value": p_value,
        "p_adjusted": calibrated.get("p_adjusted"),
        "reference_missing": f["reference_missing"],
        "current_missing": f["current_missing"],
    }


def drift(reference: Any, current: Any, config: Optional[PathLike] = None) -> DriftResult:
    """Compares ``current`` with ``reference`` (pandas, polars or pyarrow tables): what
    ``driftscope drift --reference R --current C`` computes on the same data.

    ``config`` is a ``config.yaml`` path; without it ``config/config.yaml`` is read when it
    exists, else the defaults (as the command line does). Raises :class:`DriftscopeError` with
    the command line's message on bad input (a non-number in a numerical column, an empty
    frame, no column in common, ...)."""
    ref = _arrow_source(reference, "reference")
    cur = _arrow_source(current, "current")
    report_json, text = _native.drift(ref, cur, _path(config), "reference data frame", "current data frame")
    return DriftResult(report_json, text)


class Monitor:
    """Monitoring through an artifacts folder, as the ``driftscope`` commands do:
    ``baseline`` (your own model, from its logged predictions), ``monitor`` (one batch),
    ``check`` (fail a pipeline task on an alert), ``report`` (the static site)."""

    def __init__(self, artifacts_dir: PathLike = "artifacts", config: Optional[PathLike] = None) -> None:
        self.artifacts_dir = Path(artifacts_dir)
        self.config = None if config is None else Path(config)

    def baseline(
        self,
        data: PathLike,
        prediction_column: Optional[str] = None,
        target: Optional[str] = None,
        seed: Optional[int] = None,
    ) -> Dict[str, Any]:
        """``driftscope baseline``: makes your model champion from reference rows (a CSV or
        Parquet file) carrying its logged probabilities (``prediction_column``, default
        ``performance.prediction_column``) and the labels (``target``). The file, not a data
        frame: the model manifest records the file and its SHA-256. Returns the model version,
        its folder and its holdout metrics."""
        if not isinstance(data, (str, os.PathLike)):
            raise TypeError(
                "baseline: expected the path of a CSV or Parquet file (the model manifest records "
                f"the file and its SHA-256), got {type(data).__name__}; write the frame to a file first"
            )
        version, model_dir, metrics = _native.baseline(
            str(self.artifacts_dir), os.fspath(data), prediction_column, target, _path(self.config), seed
        )
        return {"model_version": version, "model_dir": Path(model_dir), "baseline": json.loads(metrics)}

    def monitor(
        self,
        batch: Any,
        batch_id: Optional[str] = None,
        timestamp: Optional[Any] = None,
        chunk_rows: Optional[int] = None,
    ) -> Dict[str, Any]:
        """``driftscope monitor``: checks one batch (a CSV/Parquet path, or a pandas, polars or
        pyarrow table) against the champion and records it in the artifacts folder. A data
        frame needs ``batch_id`` (a file's name is its default). ``timestamp``: RFC 3339 text
        or a timezone-aware ``datetime`` (default: now). Returns the monitoring result."""
        if hasattr(timestamp, "isoformat"):
            timestamp = timestamp.isoformat()
        if isinstance(batch, (str, os.PathLike)):
            source: Any = os.fspath(batch)
            label = source
        else:
            if batch_id is None:
                raise ValueError("monitor: a data frame needs batch_id= (a file's batch id is its name)")
            source = _arrow_source(batch, f"batch {batch_id}")
            label = f"batch {batch_id} (data frame)"
        result = _native.monitor(
            str(self.artifacts_dir), source, label, batch_id, timestamp, _path(self.config), chunk_rows
        )
        return json.loads(result)

    def check(self, fail_on: str = "high", batch: Optional[str] = None) -> Dict[str, Any]:
        """``driftscope check``: raises :class:`AlertError` (listing the alerts, as the command
        prints them) when the batch monitored last (or ``batch``) raised an alert at or above
        ``fail_on`` (``"low"``, ``"medium"`` or ``"high"``), so an Airflow, Dagster or Prefect
        task fails; else returns the batch's monitoring result."""
        return json.loads(_native.check(str(self.artifacts_dir), fail_on, batch))

    def report(self, out_dir: PathLike = "site", templates: Optional[PathLike] = None) -> Path:
        """``driftscope report``: renders the static site into ``out_dir`` (replaced only when
        driftscope wrote it); returns the path of its ``index.html``."""
        return Path(_native.report(str(self.artifacts_dir), os.fspath(out_dir), _path(templates)))

    def export_prometheus(self) -> str:
        """``driftscope export --format prometheus``: the latest state in the Prometheus text
        exposition format."""
        return _native.export_prometheus(str(self.artifacts_dir))

    def __repr__(self) -> str:
        return f"Monitor({str(self.artifacts_dir)!r})"
