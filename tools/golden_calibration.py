"""Golden values for driftscope-performance's calibration (isotonic regression, Platt scaling).

Run: python3 tools/golden_calibration.py > crates/driftscope-performance/tests/golden/calibration.json
Needs numpy and scikit-learn (tested with scikit-learn 1.5+).
"""
import json

import numpy as np
from sklearn.calibration import _sigmoid_calibration
from sklearn.isotonic import IsotonicRegression

cases = []
rng = np.random.default_rng(20261207)
for name, n, ties in [("small", 12, False), ("ties", 60, True), ("medium", 400, False), ("forest_like", 1500, True)]:
    if ties:
        s = np.round(rng.beta(1.2, 3.0, n), 2)
    else:
        s = rng.beta(1.2, 3.0, n)
    y = (rng.random(n) < np.clip(s * 1.3 - 0.05, 0, 1)).astype(int)
    iso = IsotonicRegression(out_of_bounds="clip").fit(s, y)
    queries = np.concatenate([np.linspace(-0.1, 1.1, 49), s[:10]])
    a, b = _sigmoid_calibration(s, y)
    cases.append({
        "name": name,
        "scores": s.tolist(),
        "labels": y.tolist(),
        "isotonic_x": iso.X_thresholds_.tolist(),
        "isotonic_y": iso.y_thresholds_.tolist(),
        "queries": queries.tolist(),
        "isotonic_predict": iso.predict(queries).tolist(),
        "platt_a": float(a),
        "platt_b": float(b),
    })
print(json.dumps({"sklearn": __import__("sklearn").__version__, "cases": cases}))
