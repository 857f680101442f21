"""The status page: per check its state (and why it is degraded), uptime, step durations, how
long each verification code took to arrive, and recent failures.

Plain HTML from ``templates/status.html``, readable without JavaScript. Every value reaches the
page through Jinja's autoescape: check names, step titles and failure messages are text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2

from monitor.history import History
from monitor.results import CheckResult, CodeTiming

STATE = {"success": ("Up", "up"), "degraded": ("Degraded", "degraded"), "failure": ("Down", "down")}
EVIDENCE = (("screenshot.png", "screenshot"), ("trace.zip", "trace"), ("failure.txt", "note"))
BAR_PX = 300  # the longest step's bar

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    auto_reload=False,  # the templates ship with the package
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class StepRow:
    flow: str
    title: str
    seconds: str
    width: int
    failed: bool


@dataclass(frozen=True)
class CodeRow:
    flow: str
    code: str  # "registration · email"
    delivery: str  # "3.2 s", "never came", or "—" when not measured
    missing: bool


@dataclass(frozen=True)
class FailureRow:
    when: str
    reason: str
    step: str
    message: str
    folder: str  # the evidence folder's name, as /evidence/ serves it
    evidence: list[tuple[str, str]]  # (file, label) of the files kept


@dataclass(frozen=True)
class CheckView:
    name: str
    label: str
    css: str
    note: str  # why the last check is degraded; empty otherwise
    uptimes: list[tuple[str, str]]
    steps: list[StepRow]
    codes: list[CodeRow]
    failures: list[FailureRow]


def render(history: History, checks: list[str], now: datetime) -> str:
    return TEMPLATES.get_template("status.html").render(
        updated=f"{now:%Y-%m-%d %H:%M:%S}", checks=[_check(history, name, now) for name in checks]
    )


def _check(history: History, name: str, now: datetime) -> CheckView:
    last = history.last(name)
    label, css = STATE.get(last.outcome, ("Unknown", "none")) if last else ("Not run yet", "none")
    uptimes = [
        (window, "—" if share is None else f"{share * 100:.2f}%")
        for window, share in history.uptimes(name, now).items()
    ]
    note = last.message if last and last.outcome == "degraded" else ""
    codes = _codes(last) if last else []
    return CheckView(name, label, css, note, uptimes, _steps(last), codes, _failures(history, name))


def _steps(last: CheckResult | None) -> list[StepRow]:
    if not last or not last.steps:
        return []
    longest = max(s.duration_s for s in last.steps) or 1
    return [
        StepRow(
            s.flow,
            s.title or s.step,
            f"{s.duration_s:.2f}s",
            int(BAR_PX * s.duration_s / longest),
            not s.passed,
        )
        for s in last.steps
    ]


def _codes(last: CheckResult) -> list[CodeRow]:
    return [
        CodeRow(c.flow, _code_name(c, last.attempts), _delivery(c), not c.arrived)
        for c in last.codes
    ]


def _code_name(code: CodeTiming, attempts: int) -> str:
    """``registration · email``; a check that was tried again lists every try's codes, so
    each says its try."""
    name = f"{code.purpose} · {code.channel}"
    return f"{name} (try {code.attempt} of {attempts})" if attempts > 1 else name


def _delivery(code: CodeTiming) -> str:
    if not code.arrived:
        return "never came"
    return "—" if code.seconds is None else f"{code.seconds:.1f} s"


def _failures(history: History, name: str) -> list[FailureRow]:
    failed = [r for r in history.recent(name, 100) if r.outcome == "failure"][:10]
    return [
        FailureRow(
            f"{r.started_at:%Y-%m-%d %H:%M}",
            r.reason,
            _step_of(r),
            r.message,
            Path(r.evidence).name if r.evidence else "",
            _evidence_kept(r.evidence),
        )
        for r in failed
    ]


def _evidence_kept(folder: str) -> list[tuple[str, str]]:
    if not folder:
        return []
    return [(file, label) for file, label in EVIDENCE if (Path(folder) / file).exists()]


def _step_of(result: CheckResult) -> str:
    return f"step {result.failed_step}" if result.failed_step else "before any step"
