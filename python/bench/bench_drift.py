"""Times `driftscope.drift(ref_df, cur_df)` against `driftscope drift` on the same bench data
(the files `cargo xtask bench` generates: `driftscope generate`, seeds 1 and 2), in one run,
repetitions interleaved so a slow spell of the machine falls on every command alike.

    python python/bench/bench_drift.py [--rows 1000000] [--repeat 3] [--bin target/release/driftscope]

Prints the median wall times and their ratio to the command line; exits 1 when
`driftscope.drift` on polars frames takes more than MAX_RATIO times the command's time.
(`cargo xtask bench-python` runs it.)"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import polars as pl

import driftscope

REPO = Path(__file__).resolve().parents[2]
# The acceptance bound of issue 18: the Python call at most 1.3x the command on the same data.
MAX_RATIO = 1.3


def bench_files(binary: Path, rows: int) -> tuple[Path, Path]:
    data = REPO / "target" / "bench-data"
    data.mkdir(parents=True, exist_ok=True)
    files = []
    for name, seed in (("ref", "1"), ("cur", "2")):
        path = data / f"{name}-{rows}.csv"
        if not path.exists():
            print(f"generating {path} ...", file=sys.stderr)
            subprocess.run([str(binary), "generate", "--rows", str(rows), "--seed", seed, "--out", str(path)], check=True)
        files.append(path)
    return files[0], files[1]


def timed(f) -> float:
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--bin", type=Path, default=REPO / "target" / "release" / "driftscope")
    a = p.parse_args()
    ref, cur = bench_files(a.bin, a.rows)
    out = REPO / "target" / "bench-data" / f"drift-{a.rows}-cli.json"
    cli_cmd = [str(a.bin), "drift", "--reference", str(ref), "--current", str(cur), "--format", "json", "--output", str(out)]
    ref_pl, cur_pl = pl.read_csv(ref), pl.read_csv(cur)
    ref_pd, cur_pd = pd.read_csv(ref), pd.read_csv(cur)
    runs = {
        "driftscope drift (CLI, reads the CSV files)": lambda: subprocess.run(cli_cmd, check=True, capture_output=True),
        "driftscope.drift(polars frames)": lambda: driftscope.drift(ref_pl, cur_pl),
        "driftscope.drift(pandas frames)": lambda: driftscope.drift(ref_pd, cur_pd),
        "pl.read_csv x2 + driftscope.drift": lambda: driftscope.drift(pl.read_csv(ref), pl.read_csv(cur)),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(a.repeat):
        for name, run in runs.items():
            times[name].append(timed(run))
    # Same report as the command (checked once, outside the timings).
    same = driftscope.drift(ref_pl, cur_pl).to_json() == out.read_text()
    cli = statistics.median(times[next(iter(runs))])
    print(f"\n{a.rows} reference rows vs {a.rows} current rows (21 Telco columns), median of {a.repeat}")
    print(f"{'run':<46} {'wall':>8} {'x CLI':>7}")
    for name, ts in times.items():
        m = statistics.median(ts)
        print(f"{name:<46} {m:>7.2f}s {m / cli:>6.2f}x")
    print(f"the Python report equals the command's JSON byte for byte: {'yes' if same else 'NO'}")
    ratio = statistics.median(times["driftscope.drift(polars frames)"]) / cli
    if not same or ratio > MAX_RATIO:
        print(f"FAILED: ratio {ratio:.2f} (bound {MAX_RATIO}) or reports differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
