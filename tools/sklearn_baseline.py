"""The reference point for driftscope's baseline model: scikit-learn's RandomForestClassifier
(100 trees) on a stratified 80/20 split of the same file, one-hot encoded, blank TotalCharges
filled with the training median. Run: python3 tools/sklearn_baseline.py ../shared/data/WA_Fn-UseC_-Telco-Customer-Churn.csv
"""
import sys
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score, accuracy_score, precision_score, recall_score, f1_score
from sklearn.model_selection import train_test_split

df = pd.read_csv(sys.argv[1])
y = (df.pop("Churn") == "Yes").astype(int)
df = df.drop(columns=["customerID"])
df["TotalCharges"] = pd.to_numeric(df["TotalCharges"].str.strip().replace("", np.nan))
X = pd.get_dummies(df, dtype=float)
for seed in [0, 1, 2, 42]:
    xtr, xte, ytr, yte = train_test_split(X, y, test_size=0.2, stratify=y, random_state=seed)
    xtr = xtr.fillna(xtr.median()); xte = xte.fillna(xtr.median())
    for params in [dict(), dict(min_samples_leaf=20, max_depth=14, max_features=0.6)]:
        rf = RandomForestClassifier(n_estimators=100, random_state=seed, n_jobs=2, **params).fit(xtr, ytr)
        p = rf.predict_proba(xte)[:, 1]
        yhat = (p >= 0.5).astype(int)
        print(seed, params or "defaults", "auc %.4f acc %.4f prec %.4f rec %.4f f1 %.4f" % (
            roc_auc_score(yte, p), accuracy_score(yte, yhat), precision_score(yte, yhat),
            recall_score(yte, yhat), f1_score(yte, yhat)))
