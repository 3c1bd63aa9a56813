"""Shared fixtures: the `driftscope` command (built by `cargo build --release`) makes the data
and gives the reference outputs the package must match."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _binary() -> Path:
    p = Path(os.environ.get("DRIFTSCOPE_BIN", REPO / "target" / "release" / "driftscope"))
    if not p.exists():
        pytest.fail(f"{p}: the driftscope binary is missing; run `cargo build --release -p driftscope-cli` first")
    return p


@pytest.fixture(scope="session")
def cli():
    """Runs the driftscope command; returns the completed process (never raises on exit code)."""
    binary = _binary()

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(binary), *args], capture_output=True, text=True, cwd=cwd, timeout=600)

    return run


@pytest.fixture(scope="session")
def data(tmp_path_factory, cli):
    """Generated Telco-like files: a reference, a current batch from another seed, and a
    drifted current batch (monthly charges tripled, every contract month-to-month)."""
    import pandas as pd

    d = tmp_path_factory.mktemp("data")
    for name, rows, seed in [("reference.csv", 3000, "1"), ("current.csv", 2000, "2")]:
        out = cli("generate", "--rows", str(rows), "--seed", seed, "--out", str(d / name))
        assert out.returncode == 0, out.stderr
    drifted = pd.read_csv(d / "current.csv", dtype=str, keep_default_na=False)
    drifted["MonthlyCharges"] = (drifted["MonthlyCharges"].astype(float) * 3).round(2).astype(str)
    drifted["Contract"] = "Month-to-month"
    drifted.to_csv(d / "drifted.csv", index=False)
    return d


def real_telco() -> Path | None:
    """The real Telco file under data/ when present (never committed); a visible skip, or a
    failure when DRIFTSCOPE_REQUIRE_REAL_DATA is set (CI with ../shared)."""
    files = sorted((REPO / "data").glob("*.csv"))
    if files:
        return files[0]
    if os.environ.get("DRIFTSCOPE_REQUIRE_REAL_DATA"):
        pytest.fail("DRIFTSCOPE_REQUIRE_REAL_DATA is set but data/*.csv is missing")
    pytest.skip("no real Telco file under data/ (copy it there to run this test)")
