"""The notebook view of a drift report: one self-contained HTML fragment (inline style, no
script, no external resource), so it renders in Jupyter, VS Code or a static HTML export
without an extension and without network."""

from __future__ import annotations

from html import escape
from typing import Any, Dict, List, Optional

_STYLE = (
    "<style>"
    ".driftscope-report{font-family:system-ui,sans-serif;font-size:13px}"
    ".driftscope-report table{border-collapse:collapse}"
    ".driftscope-report th,.driftscope-report td{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}"
    ".driftscope-report th:first-child,.driftscope-report td:first-child{text-align:left}"
    ".driftscope-report .sev-high{background:#f8d7da}"
    ".driftscope-report .sev-medium{background:#fff3cd}"
    ".driftscope-report .bar{display:inline-block;height:8px;background:#4c78a8}"
    "</style>"
)

_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "none": 3}


def _num(v: Optional[float]) -> str:
    return "-" if v is None else f"{v:.4f}"


def _p(v: Optional[float]) -> str:
    if v is None:
        return "-"
    return f"{v:.1e}" if v < 1e-4 else f"{v:.4f}"


def _row(f: Dict[str, Any]) -> str:
    test = "ks" if f.get("ks") else ("chi_square" if f.get("chi_square") else None)
    p = f[test]["p_value"] if test else None
    psi = f.get("psi")
    # A bar of PSI up to 0.5 (the scale where drift is beyond doubt), 80 px wide.
    width = 0 if psi is None else int(min(psi, 0.5) / 0.5 * 80)
    calibrated = f.get("calibrated") or {}
    size_aware = {True: "DRIFT", False: "ok"}.get(calibrated.get("drift_detected"), "-")
    sev = str(f["severity"])
    return (
        f'<tr class="sev-{escape(sev)}"><td>{escape(str(f["name"]))}</td><td>{escape(str(f["type"]))}</td>'
        f"<td>{escape(sev.upper() if sev != 'none' else 'none')}</td>"
        f'<td>{_num(psi)} <span class="bar" style="width:{width}px"></span></td>'
        f"<td>{_num(f.get('kl_divergence'))}</td><td>{_num(f.get('js_distance'))}</td>"
        f"<td>{escape(test or '-')}</td><td>{_p(p)}</td><td>{int(f['current_missing'])}</td>"
        f"<td>{size_aware}</td></tr>"
    )


def drift_html(report: Dict[str, Any]) -> str:
    """The report as an HTML fragment: a summary line and one row per feature, most severe
    first, then by PSI."""
    features: List[Dict[str, Any]] = sorted(
        report["features"],
        key=lambda f: (_SEVERITY_ORDER.get(f["severity"], 9), -(f.get("psi") or 0.0), f["name"]),
    )
    drifted = report["drifted_features"]
    summary = (
        f"<p><b>{len(drifted)} of {report['features_checked']} features drifted</b> "
        f"(share {report['drift_share']:.2f}; dataset drift: {'YES' if report['dataset_drift'] else 'no'}); "
        f"reference rows {report['reference_rows']}, current rows {report['current_rows']}.</p>"
    )
    head = "".join(
        f"<th>{h}</th>"
        for h in ("feature", "type", "severity", "psi", "kl", "js", "test", "p-value", "missing", "size-aware")
    )
    notes = ""
    if report["missing_columns"]:
        notes += f"<p>Missing from the current data: {escape(', '.join(report['missing_columns']))}</p>"
    if report["extra_columns"]:
        notes += f"<p>Only in the current data: {escape(', '.join(report['extra_columns']))}</p>"
    rows = "".join(_row(f) for f in features)
    return (
        f'<div class="driftscope-report">{_STYLE}{summary}'
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{notes}</div>"
    )
