"""Golden values for driftscope's drift statistics, from numpy/scipy (stats-spec.md).

Writes crates/driftscope-drift/tests/golden/cases.json. The tests read it; they never run Python.
Large samples are not stored: both this script and the Rust test regenerate them from a spec with
an integer LCG whose arithmetic is exact in both languages.

Run: python3 tools/golden_drift.py   (numpy >= 1.22, scipy >= 1.11; this file was made with the
versions printed into the JSON)
"""
import json
import math
import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon

FLOOR = 1e-4


def lcg(seed, n):
    x = seed
    for _ in range(n):
        x = (1103515245 * x + 12345) % 2**31
        yield x


def gen(spec):
    """Values from a spec; None marks a missing value."""
    if "values" in spec:
        return spec["values"]
    out = []
    for i, x in enumerate(lcg(spec["seed"], spec["n"])):
        me = spec.get("missing_every", 0)
        if me and i % me == 0:
            out.append(None)
            continue
        kind = spec["kind"]
        if kind == "int":
            v = float(x % spec["mod"]) * spec.get("scale", 1.0) + spec.get("shift", 0.0)
        elif kind == "uniform":
            v = (x % 1000003) / 1000003.0 * spec.get("scale", 1.0) + spec.get("shift", 0.0)
        elif kind == "cat":
            cats = spec["cats"]
            bias = spec.get("bias", 0)
            v = cats[0] if x % 100 < bias else cats[x % len(cats)]
        else:
            raise ValueError(kind)
        out.append(v)
    tail = spec.get("unseen_tail", 0)
    for k in range(tail):
        # The last `tail` rows become single-row categories never seen in the reference.
        out[len(out) - tail + k] = f"new{k:03d}"
    return out


def floored(a):
    return np.maximum(a, FLOOR)


def numerical(r, c, bins):
    r = np.sort(np.array([v for v in r if v is not None], dtype=float))
    c = np.sort(np.array([v for v in c if v is not None], dtype=float))
    out = {}
    if len(r) == 0 or len(c) == 0:
        return {k: None for k in ["psi", "kl_divergence", "js_distance", "wasserstein", "wasserstein_normed", "ks", "mann_whitney"]}
    edges = np.unique(np.quantile(r, np.arange(1, bins) / bins))
    rc = np.bincount(np.searchsorted(edges, r, side="left"), minlength=len(edges) + 1)
    cc = np.bincount(np.searchsorted(edges, c, side="left"), minlength=len(edges) + 1)
    p, q = rc / len(r), cc / len(c)
    pf, qf = floored(p), floored(q)
    out["psi"] = float(np.sum((qf - pf) * np.log(qf / pf)))
    out["kl_divergence"] = float(np.sum(pf * np.log(pf / qf)))
    out["js_distance"] = float(jensenshannon(p, q))
    w = float(stats.wasserstein_distance(r, c))
    sd = float(np.std(r))
    out["wasserstein"] = w
    out["wasserstein_normed"] = w / sd if sd > 0 else w
    ks = stats.ks_2samp(r, c)
    out["ks"] = {"statistic": float(ks.statistic), "p_value": float(ks.pvalue)}
    mw = stats.mannwhitneyu(r, c, alternative="two-sided")
    out["mann_whitney"] = {"statistic": float(mw.statistic), "p_value": float(mw.pvalue)}
    out["reference_counts"] = rc.tolist()
    out["current_counts"] = cc.tolist()
    return out


def categorical(r, c):
    r = [v for v in r if v is not None]
    c = [v for v in c if v is not None]
    if len(r) == 0 or len(c) == 0:
        return {k: None for k in ["psi", "kl_divergence", "js_distance", "chi_square"]}
    cats = sorted(set(r) | set(c))
    rc = np.array([r.count(k) for k in cats])
    cc = np.array([c.count(k) for k in cats])
    p, q = rc / len(r), cc / len(c)
    pf, qf = floored(p), floored(q)
    chi = stats.chi2_contingency(np.array([rc, cc]))
    return {
        "psi": float(np.sum((qf - pf) * np.log(qf / pf))),
        "kl_divergence": float(np.sum(pf * np.log(pf / qf))),
        "js_distance": float(jensenshannon(p, q)),
        "chi_square": {"statistic": float(chi[0]), "p_value": float(chi[1]), "dof": int(chi[2])},
        "reference_counts": rc.tolist(),
        "current_counts": cc.tolist(),
    }


def verdict(res, psi_threshold=0.2, kl_threshold=0.5):
    if res["psi"] is None:
        return {"drift_detected": False, "severity": "none"}
    detected = res["psi"] >= psi_threshold or res["kl_divergence"] >= kl_threshold
    if res["psi"] >= 2 * psi_threshold:
        sev = "high"
    elif detected:
        sev = "medium"
    elif res["psi"] >= psi_threshold / 2:
        sev = "low"
    else:
        sev = "none"
    return {"drift_detected": detected, "severity": sev}


U = lambda seed, n, **kw: dict(kind="uniform", seed=seed, n=n, **kw)
I = lambda seed, n, mod, **kw: dict(kind="int", seed=seed, n=n, mod=mod, **kw)
C = lambda seed, n, cats, **kw: dict(kind="cat", seed=seed, n=n, cats=cats, **kw)
V = lambda values: dict(values=values)

cases = [
    # Small samples: exact KS and exact Mann-Whitney (no ties, one side <= 8).
    ("small_exact_shift", "numerical", V([1.5, 2.25, 3.1, 4.7, 5.05]), V([2.2, 3.3, 4.4, 5.5, 6.6, 7.7])),
    ("small_exact_same_n", "numerical", V([0.1, 0.5, 0.9, 1.3, 1.7, 2.1, 2.5]), V([0.3, 0.7, 1.1, 1.5, 1.9, 2.3, 2.7])),
    ("small_exact_8_vs_30", "numerical", U(1, 8), U(2, 30, shift=0.2)),
    ("small_exact_3_vs_200", "numerical", U(3, 3), U(4, 200)),
    ("small_disjoint", "numerical", V([1.0, 2.0, 3.0, 4.0]), V([10.0, 11.0, 12.0])),
    ("small_identical", "numerical", V([1.0, 2.0, 3.0, 4.0, 5.0]), V([1.0, 2.0, 3.0, 4.0, 5.0])),
    ("small_9_vs_9_asymptotic_mwu", "numerical", U(5, 9), U(6, 9, shift=0.3)),
    ("small_2_vs_2", "numerical", V([1.0, 2.0]), V([3.0, 4.0])),
    ("small_1_vs_5", "numerical", V([2.5]), V([1.0, 2.0, 3.0, 4.0, 5.0])),
    # Medium samples, exact KS (max(n, m) <= 10000).
    ("medium_uniform_same", "numerical", U(7, 500), U(8, 400)),
    ("medium_uniform_shift", "numerical", U(9, 800), U(10, 600, shift=0.15)),
    ("medium_uniform_scale", "numerical", U(11, 1000), U(12, 1000, scale=1.2)),
    ("medium_equal_sizes_shift", "numerical", U(13, 2000), U(14, 2000, shift=0.05)),
    ("medium_coprime_sizes", "numerical", U(15, 997), U(16, 1009)),
    ("medium_10000_vs_3000", "numerical", U(17, 10000), U(18, 3000, shift=0.02)),
    ("medium_tiny_shift_10000", "numerical", U(19, 10000), U(20, 10000, shift=0.01)),
    # Large samples: asymptotic KS.
    ("large_same", "numerical", U(21, 12000), U(22, 15000)),
    ("large_shift", "numerical", U(23, 20000), U(24, 11000, shift=0.03)),
    ("large_vs_small", "numerical", U(25, 30000), U(26, 120)),
    ("large_vs_small_shift", "numerical", U(27, 25000), U(28, 90, shift=0.3)),
    ("large_strong_shift", "numerical", U(29, 15000), U(30, 15000, shift=0.5)),
    # Heavy ties: integer features like tenure.
    ("ties_tenure_same", "numerical", I(31, 3000, 73), I(32, 2500, 73)),
    ("ties_tenure_down", "numerical", I(33, 3000, 73), I(34, 2500, 60)),
    ("ties_few_values", "numerical", I(35, 1000, 5), I(36, 800, 5, shift=1.0)),
    ("ties_small_exactks_tied_mwu", "numerical", V([1.0, 1.0, 2.0, 3.0, 3.0]), V([1.0, 2.0, 2.0, 3.0, 4.0, 4.0])),
    ("ties_large_int", "numerical", I(37, 14000, 73), I(38, 12000, 73, shift=2.0)),
    # Constant columns.
    ("constant_reference", "numerical", V([5.0] * 50), U(39, 40, scale=10.0)),
    ("constant_both", "numerical", V([5.0] * 30), V([5.0] * 20)),
    # Missing values.
    ("missing_numerical", "numerical", U(40, 600, missing_every=7), U(41, 500, missing_every=3, shift=0.1)),
    ("all_missing_current", "numerical", U(42, 50), V([None, None, None])),
    ("missing_categorical", "categorical", C(43, 400, ["a", "b", "c"], missing_every=5), C(44, 300, ["a", "b", "c"], missing_every=4)),
    # Categorical: chi-square, unseen and single categories.
    ("cat_same", "categorical", C(45, 1000, ["DSL", "Fiber optic", "No"]), C(46, 800, ["DSL", "Fiber optic", "No"])),
    ("cat_mix_shift", "categorical", C(47, 1000, ["Month-to-month", "One year", "Two year"]), C(48, 1000, ["Month-to-month", "One year", "Two year"], bias=30)),
    ("cat_binary_yates", "categorical", C(49, 500, ["No", "Yes"]), C(50, 400, ["No", "Yes"], bias=10)),
    ("cat_binary_small_yates", "categorical", V(["Yes", "No", "No", "Yes", "No"]), V(["No", "No", "No", "Yes"])),
    ("cat_unseen_category", "categorical", C(51, 600, ["A", "B", "C"]), C(52, 500, ["A", "B", "C", "Z"])),
    ("cat_unseen_only", "categorical", V(["a", "a", "b"]), V(["z", "z", "y"])),
    ("cat_single_category_both", "categorical", V(["x"] * 20), V(["x"] * 10)),
    ("cat_single_reference_category", "categorical", V(["x"] * 30), C(53, 25, ["x", "y"])),
    ("cat_many_categories", "categorical", C(54, 5000, [f"c{i:02d}" for i in range(40)]), C(55, 4000, [f"c{i:02d}" for i in range(40)], bias=5)),
    ("cat_numeric_labels", "categorical", V(["0", "1", "0", "0", "1", "0"]), V(["1", "1", "0", "1"])),
    ("cat_reference_drops_category", "categorical", C(56, 300, ["p", "q", "r"]), C(57, 300, ["p", "q"])),
    ("cat_all_missing_current", "categorical", V(["a", "b"]), V([None, None])),
    # 50 vs 51 single-row never-seen categories: every category counts in the statistics.
    ("cat_unseen_50_single_rows", "categorical", C(60, 1000, ["a", "b", "c", "d"]), C(61, 1000, ["a", "b", "c", "d"], unseen_tail=50)),
    ("cat_unseen_51_single_rows", "categorical", C(60, 1000, ["a", "b", "c", "d"]), C(61, 1000, ["a", "b", "c", "d"], unseen_tail=51)),
    ("cat_unseen_400_single_rows", "categorical", C(60, 1000, ["a", "b", "c", "d"]), C(61, 1000, ["a", "b", "c", "d"], unseen_tail=400)),
    ("cat_large_shift", "categorical", C(58, 20000, ["u", "v", "w", "x"]), C(59, 20000, ["u", "v", "w", "x"], bias=40)),
]

out = {"generator": "tools/golden_drift.py", "numpy": np.__version__, "scipy": scipy.__version__,
       "n_bins": 10, "psi_threshold": 0.2, "kl_divergence_threshold": 0.5, "cases": []}
for name, kind, rspec, cspec in cases:
    r, c = gen(rspec), gen(cspec)
    res = numerical(r, c, 10) if kind == "numerical" else categorical(r, c)
    res.update(verdict(res))
    res["reference_missing"] = sum(v is None for v in r)
    res["current_missing"] = sum(v is None for v in c)
    out["cases"].append({"name": name, "type": kind, "reference": rspec, "current": cspec, "expected": res})
with open("crates/driftscope-drift/tests/golden/cases.json", "w") as f:
    json.dump(out, f, indent=1)
print(len(cases), "cases")
