"""The status page: per check its state (and why it is degraded), uptime, each documented step
of the last check (its duration, Web Vitals and the accessibility rules its screen breaks),
the accessibility violations found, how long each verification code took to arrive, and
recent failures.

Plain HTML from ``templates/status.html``, readable without JavaScript. Every value reaches the
page through Jinja's autoescape: check names, step titles and failure messages are text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2

from monitor.history import History
from monitor.results import CheckResult, CodeTiming, Finding, StepA11y, StepTiming
from runtime.accessibility import IMPACTS
from runtime.vitals import StepVitals

STATE = {"success": ("Up", "up"), "degraded": ("Degraded", "degraded"), "failure": ("Down", "down")}
EVIDENCE = (("screenshot.png", "screenshot"), ("trace.zip", "trace"), ("failure.txt", "note"))
BAR_PX = 80  # the longest step's bar
NONE = "—"  # a figure the step did not give

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
    vitals: list[tuple[str, str]]  # (column, figure): TTFB, FCP, LCP, CLS, INP, Requests
    a11y: str  # "none", "2 critical · 1 serious", "as step 4", "—" (not audited)
    a11y_css: str  # "", "found", "new" (a new serious or critical one)


@dataclass(frozen=True)
class FlowSteps:
    flow: str
    steps: list[StepRow]


@dataclass(frozen=True)
class FindingRow:
    flow: str
    title: str  # the step's title
    rule: str
    help: str
    help_url: str  # only an https:// link, else empty
    impact: str
    nodes: int
    new: bool  # not in the baseline
    alerts: bool  # new, and serious or critical: what the monitor alerts on


@dataclass(frozen=True)
class A11yView:
    summary: str
    findings: list[FindingRow]


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
    flows: list[FlowSteps]  # the last check's steps, by flow
    vitals: bool  # whether the steps have Web Vitals (and the table their columns)
    a11y: A11yView | None  # None when the last check audited nothing
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
    steps = last.steps if last else []
    return CheckView(
        name,
        label,
        css,
        note,
        uptimes,
        _flows(steps),
        any(s.vitals is not None for s in steps),
        _a11y(steps),
        codes,
        _failures(history, name),
    )


def _flows(steps: list[StepTiming]) -> list[FlowSteps]:
    """The steps as rows, under the flow they are in (one group per run of a flow)."""
    if not steps:
        return []
    longest = max(s.duration_s for s in steps) or 1
    groups: list[FlowSteps] = []
    for s in steps:
        if not groups or groups[-1].flow != s.flow:
            groups.append(FlowSteps(s.flow, []))
        a11y, a11y_css = _a11y_cell(s.a11y)
        groups[-1].steps.append(
            StepRow(
                s.flow,
                s.title or s.step,
                f"{s.duration_s:.2f} s",
                max(1, int(BAR_PX * s.duration_s / longest)),
                not s.passed,
                _vitals_cells(s.vitals),
                a11y,
                a11y_css,
            )
        )
    return groups


def _vitals_cells(v: StepVitals | None) -> list[tuple[str, str]]:
    """The step's figures by column; the page load's only on the step that loaded it."""
    if v is None:
        return [(column, NONE) for column in ("TTFB", "FCP", "LCP", "CLS", "INP", "Requests")]
    timed = v.seconds()
    cells = [(name.upper(), _ms(timed.get(name))) for name in ("ttfb", "fcp", "lcp")]
    cells.append(("CLS", NONE if v.cls is None else f"{v.cls:.3f}"))
    cells.append(("INP", _ms(v.inp_s)))
    cells.append(("Requests", f"{v.requests} · {v.transfer_bytes / 1000:.1f} kB"))
    return cells


def _ms(seconds: float | None) -> str:
    return NONE if seconds is None else f"{seconds * 1000:.0f} ms"


def _a11y_cell(a11y: StepA11y | None) -> tuple[str, str]:
    if a11y is None:
        return NONE, ""
    if not a11y.audited:
        return "not audited", ""
    if a11y.same_as:
        return f"as step {a11y.same_as}", ""
    counts = a11y.counts()
    found = [f"{counts[i]} {i}" for i in reversed(IMPACTS) if counts[i]]
    if not found:
        return "none", ""
    alerts = any(f.new and f.blocking for f in a11y.findings)
    return " · ".join(found), "new" if alerts else "found"


def _a11y(steps: list[StepTiming]) -> A11yView | None:
    """What the last check's audits found, screen by screen (a step on an earlier step's
    screen repeats its findings, which are listed once). None when nothing was audited."""
    audits = [(s, s.a11y) for s in steps if s.a11y is not None]
    if not audits:
        return None
    screens = [(s, a) for s, a in audits if a.audited and not a.same_as]
    rows = [_finding(s, f) for s, a in screens for f in _by_impact(a.findings)]
    plural = "" if len(screens) == 1 else "s"
    said = f"{len(screens)} screen{plural} audited (axe-core, WCAG 2.1 A and AA)"
    failed = [a.error for _, a in audits if not a.audited]
    if failed and not screens:
        return A11yView(f"No screen could be audited ({failed[0]}).", [])
    if failed:
        said += f"; {len(failed)} could not be ({failed[0]})"
    if not rows:
        return A11yView(f"{said}: no violations.", [])
    new = sum(1 for row in rows if row.new)
    broken = f"{len(rows)} rule{'' if len(rows) == 1 else 's'} broken"
    return A11yView(f"{said}: {broken}, {new} not in the baseline.", rows)


def _by_impact(findings: tuple[Finding, ...]) -> list[Finding]:
    return sorted(findings, key=lambda f: -IMPACTS.index(f.impact) if f.impact in IMPACTS else 0)


def _finding(step: StepTiming, f: Finding) -> FindingRow:
    # The link is axe-core's; only an https:// one is a link on the page.
    url = f.help_url if f.help_url.startswith("https://") else ""
    title = step.title or step.step
    return FindingRow(
        step.flow, title, f.rule, f.help, url, f.impact, f.nodes, f.new, f.new and f.blocking
    )


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
