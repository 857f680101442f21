"""The status page: per check its state, uptime, step durations and recent failures.

Plain HTML rendered by the monitor itself, readable without JavaScript.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

from monitor.history import History
from monitor.results import CheckResult

STATE = {"success": ("Up", "up"), "degraded": ("Degraded", "degraded"), "failure": ("Down", "down")}
STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#f5f7fa;color:#1c2330}
header{background:#0b3d91;color:#fff;padding:16px 24px}
main{max-width:960px;margin:auto;padding:16px}
section{background:#fff;border:1px solid #d5d9e0;border-radius:8px;padding:16px;margin:16px 0}
.state{font-weight:700;padding:2px 10px;border-radius:12px;color:#fff}
.up{background:#1b6e3a}.degraded{background:#a86b00}.down{background:#b00020}.none{background:#5a6270}
table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #eee}
.bar{background:#0b3d91;height:12px;display:inline-block;vertical-align:middle}
"""


def render(history: History, checks: list[str], now: datetime) -> str:
    sections = "".join(_check(history, name, now) for name in checks)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<meta http-equiv='refresh' content='60'>"
        f"<title>portal-sentinel status</title><style>{STYLE}</style></head><body>"
        "<header><h1>portal-sentinel: Segurança Social Direta</h1></header>"
        f"<main><p>Updated {now:%Y-%m-%d %H:%M:%S} UTC. "
        "<a href='/metrics'>Prometheus metrics</a></p>"
        f"{sections}</main></body></html>"
    )


def _check(history: History, name: str, now: datetime) -> str:
    last = history.last(name)
    label, css = STATE.get(last.outcome, ("Unknown", "none")) if last else ("Not run yet", "none")
    uptimes = history.uptimes(name, now)
    uptime_cells = "".join(
        f"<td>{escape(k)}: {'—' if v is None else f'{v * 100:.2f}%'}</td>"
        for k, v in uptimes.items()
    )
    return (
        f"<section><h2>{escape(name)} <span class='state {css}'>{label}</span></h2>"
        f"<table><tr><th>Uptime</th>{uptime_cells}</tr></table>"
        f"{_steps(last)}{_failures(history, name)}</section>"
    )


def _steps(last: CheckResult | None) -> str:
    if not last or not last.steps:
        return ""
    longest = max(s.duration_s for s in last.steps) or 1
    rows = "".join(
        f"<tr><td>{escape(s.flow)}</td><td>{escape(s.title or s.step)}</td>"
        f"<td>{s.duration_s:.2f}s</td>"
        f"<td><span class='bar' style='width:{int(300 * s.duration_s / longest)}px'></span>"
        f"{'' if s.passed else ' failed'}</td></tr>"
        for s in last.steps
    )
    return f"<h3>Step durations (last check)</h3><table>{rows}</table>"


def _failures(history: History, name: str) -> str:
    failed = [r for r in history.recent(name, 100) if r.outcome == "failure"][:10]
    if not failed:
        return "<p>No recent failures.</p>"
    rows = "".join(
        f"<tr><td>{r.started_at:%Y-%m-%d %H:%M}</td><td>{escape(r.reason)}</td>"
        f"<td>{escape(_step_of(r))}</td><td>{escape(r.message)}</td>"
        f"<td>{_evidence_links(r.evidence)}</td></tr>"
        for r in failed
    )
    return (
        "<h3>Recent failures</h3><table><tr><th>When</th><th>Reason</th><th>Step</th>"
        f"<th>Message</th><th>Evidence</th></tr>{rows}</table>"
    )


def _evidence_links(folder: str) -> str:
    if not folder:
        return ""
    name = escape(Path(folder).name)
    return " ".join(
        f"<a href='/evidence/{name}/{file}'>{label}</a>"
        for file, label in (
            ("screenshot.png", "screenshot"),
            ("trace.zip", "trace"),
            ("failure.txt", "note"),
        )
        if (Path(folder) / file).exists()
    )


def _step_of(result: CheckResult) -> str:
    return f"step {result.failed_step}" if result.failed_step else "before any step"
