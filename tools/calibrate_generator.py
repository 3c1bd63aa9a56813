"""Calibration of driftscope's Telco-like generator against the real Telco file.

Prints the numbers hard-coded in crates/driftscope-data/src/generator.rs: marginal shares,
conditional shares, per-contract tenure quantiles, the MonthlyCharges price regression and the
churn logistic regression. Run: python3 tools/calibrate_generator.py ../shared/data/WA_Fn-UseC_-Telco-Customer-Churn.csv
"""
import sys
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression, LinearRegression

df = pd.read_csv(sys.argv[1])
df.columns = [c if c != "Tenure" else "tenure" for c in df.columns]
df["TotalCharges"] = pd.to_numeric(df["TotalCharges"].str.strip().replace("", np.nan))
print("rows", len(df))
for c in ["gender", "SeniorCitizen", "Partner", "Contract", "PaperlessBilling", "PhoneService"]:
    print(c, df[c].value_counts(normalize=True).round(4).to_dict())
print("Dependents|Partner", df.groupby("Partner")["Dependents"].apply(lambda s: round((s == "Yes").mean(), 4)).to_dict())
print("Contract|Senior", pd.crosstab(df.SeniorCitizen, df.Contract, normalize="index").round(4).to_dict("index"))
print("Contract|Partner", pd.crosstab(df.Partner, df.Contract, normalize="index").round(4).to_dict("index"))
qs = np.linspace(0, 1, 21)
for k, g in df.groupby("Contract"):
    print("tenure quantiles", k, np.quantile(g.tenure, qs).round(2).tolist())
print("MultipleLines|phone", (df[df.PhoneService == "Yes"].MultipleLines == "Yes").mean().round(4))
print("Internet|Contract", pd.crosstab(df.Contract, df.InternetService, normalize="index").round(4).to_dict("index"))
print("Internet|Senior", pd.crosstab(df.SeniorCitizen, df.InternetService, normalize="index").round(4).to_dict("index"))
svc = ["OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV", "StreamingMovies"]
net = df[df.InternetService != "No"]
for s in svc:
    print(s, "P(Yes|internet,contract)", net.groupby(["InternetService", "Contract"])[s].apply(lambda x: round((x == "Yes").mean(), 4)).to_dict())
print("Payment|Contract", pd.crosstab(df.Contract, df.PaymentMethod, normalize="index").round(4).to_dict("index"))
print("Paperless|Internet", df.groupby("InternetService")["PaperlessBilling"].apply(lambda s: round((s == "Yes").mean(), 4)).to_dict())
# Price regression
X = pd.DataFrame({
    "phone": (df.PhoneService == "Yes").astype(float),
    "multi": (df.MultipleLines == "Yes").astype(float),
    "dsl": (df.InternetService == "DSL").astype(float),
    "fiber": (df.InternetService == "Fiber optic").astype(float),
    **{s: (df[s] == "Yes").astype(float) for s in svc},
})
lr = LinearRegression().fit(X, df.MonthlyCharges)
res = df.MonthlyCharges - lr.predict(X)
print("price intercept", round(lr.intercept_, 4), dict(zip(X.columns, lr.coef_.round(4))), "resid std", round(res.std(), 4))
ratio = (df.TotalCharges / (df.tenure * df.MonthlyCharges)).dropna()
print("total/(tenure*monthly) mean, std", round(ratio.mean(), 4), round(ratio.std(), 4))
# Churn model on the generator's own features.
Z = pd.DataFrame({
    "senior": df.SeniorCitizen.astype(float),
    "partner": (df.Partner == "Yes").astype(float),
    "dependents": (df.Dependents == "Yes").astype(float),
    "log_tenure": np.log1p(df.tenure),
    "one_year": (df.Contract == "One year").astype(float),
    "two_year": (df.Contract == "Two year").astype(float),
    "dsl": (df.InternetService == "DSL").astype(float),
    "fiber": (df.InternetService == "Fiber optic").astype(float),
    "phone": (df.PhoneService == "Yes").astype(float),
    "multi": (df.MultipleLines == "Yes").astype(float),
    **{s: (df[s] == "Yes").astype(float) for s in svc},
    "paperless": (df.PaperlessBilling == "Yes").astype(float),
    "echeck": (df.PaymentMethod == "Electronic check").astype(float),
    "monthly": df.MonthlyCharges / 100.0,
})
y = (df.Churn == "Yes").astype(int)
clf = LogisticRegression(C=1e6, max_iter=5000).fit(Z, y)
print("churn intercept", round(clf.intercept_[0], 4))
print("churn coefs", dict(zip(Z.columns, clf.coef_[0].round(4))))
print("churn rate", y.mean().round(4))
# Conditionals used with seniority split out.
ns = df[df.SeniorCitizen == 0]
print("Internet|Contract (non-seniors)", pd.crosstab(ns.Contract, ns.InternetService, normalize="index").round(4).to_dict("index"))
print("Contract|Partner,Senior", pd.crosstab([df.Partner, df.SeniorCitizen], df.Contract, normalize="index").round(4))
