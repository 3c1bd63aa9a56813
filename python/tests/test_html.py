"""The notebook view (`DriftResult._repr_html_`) in headless Chromium: it renders its table
with no console message and no network request (a control page shows both checks catch what
they look for), and a hostile column name stays text."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest

import driftscope

# As the site's browser test (crates/driftscope-cli/tests/site.rs): no network chatter.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = "</table><script>console.error(1)</script><b>gender</b>"


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("DRIFTSCOPE_REQUIRE_BROWSER"):
        pytest.fail("DRIFTSCOPE_REQUIRE_BROWSER is set but no chromium is on PATH")
    pytest.skip("no chromium on PATH (install Debian's `chromium` package; .ci/run does)")


def open_page(tmp: Path, body: str, name: str):
    """Opens `body` in headless Chromium: (the DOM, console lines, URLs requested over a network)."""
    page = tmp / f"{name}.html"
    page.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}</title></head><body>{body}</body></html>')
    netlog = tmp / f"{name}-netlog.json"
    out = subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000",
         f"--user-data-dir={tmp / 'profile'}", f"--log-net-log={netlog}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    console = [line for line in out.stderr.splitlines() if "CONSOLE" in line]
    return out.stdout, console, page_requests(netlog)


def page_requests(netlog: Path) -> list:
    """URLs the page asked for over a network: requests started for a top frame on file://
    (the browser's own background requests, e.g. its clock check, belong to no page)."""
    text = netlog.read_text()
    try:
        events = json.loads(text)["events"]
    except json.JSONDecodeError:  # a log cut short ends inside the events list
        events = json.loads(text.rstrip().rstrip(",") + "]}")["events"]
    return sorted(
        {
            e["params"]["url"]
            for e in events
            if "url" in e.get("params", {})
            and str(e["params"].get("network_isolation_key", "")).startswith("file://")
            and not e["params"]["url"].startswith("file:")
        }
    )


def test_the_notebook_view_renders_offline_without_console_messages(data, tmp_path):
    ref = pl.read_csv(data / "reference.csv").rename({"gender": HOSTILE})
    cur = pl.read_csv(data / "drifted.csv").rename({"gender": HOSTILE})
    result = driftscope.drift(ref, cur)
    html = result._repr_html_()
    for needle in ("<script", "http:", "https:", "src=", "url(", "@import", "<link"):
        assert needle not in html, needle
    dom, console, requested = open_page(tmp_path, html, "view")
    assert console == [] and requested == []
    features = result.to_dict()["features"]
    assert dom.count("<tr") == len(features) + 1
    assert "&lt;/table&gt;&lt;script&gt;" in dom and "MonthlyCharges" in dom
    assert "<b>gender</b>" not in dom
    assert f"{len(result.drifted)} of {len(features)} features drifted" in dom


def test_the_checks_catch_console_messages_and_requests(tmp_path):
    control = '<img src="http://127.0.0.1:9/x.png"><script>console.error("seen")</script>'
    _, console, requested = open_page(tmp_path, control, "control")
    assert any("seen" in line for line in console)
    assert requested == ["http://127.0.0.1:9/x.png"]
