"""Golden values for driftscope-performance's calibration (isotonic regression, Platt scaling,
beta calibration).

Run: python3 tools/golden_calibration.py > crates/driftscope-performance/tests/golden/calibration.json
Needs numpy and scikit-learn (tested with scikit-learn 1.5+).
"""
import json

import numpy as np
from sklearn.calibration import _sigmoid_calibration
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

BETA_SCORE_CLIP = 1e-3  # driftscope_artifacts::BETA_SCORE_CLIP


def logistic(x, y):
    """Unpenalised maximum-likelihood logistic regression (weights, intercept)."""
    lr = LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(x, y)
    return lr.coef_[0], lr.intercept_[0]


def beta_calibration(s, y):
    """Beta calibration as betacal's BetaCalibration(parameters="abm"): logistic regression on
    ln s and -ln(1 - s); a negative weight of ln s refits without it, else a negative weight of
    -ln(1 - s) without that one (and a reduced fit with a negative weight: the intercept alone)."""
    s = np.clip(s, BETA_SCORE_CLIP, 1 - BETA_SCORE_CLIP)
    x = np.column_stack([np.log(s), -np.log1p(-s)])
    w, c = logistic(x, y)
    a, b = w
    if a < 0:
        (b,), c = logistic(x[:, 1:2], y)
        a = 0.0
    elif b < 0:
        (a,), c = logistic(x[:, 0:1], y)
        b = 0.0
    if a < 0 or b < 0:
        a, b, c = 0.0, 0.0, float(np.log(y.mean() / (1 - y.mean())))
    return float(a), float(b), float(c)


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
    beta = beta_calibration(s, y)
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
        "beta": list(beta),
    })
print(json.dumps({"sklearn": __import__("sklearn").__version__, "cases": cases}))
