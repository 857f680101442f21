"""The status page: per check its state (and why it is degraded), uptime, its history (the
heartbeat bar of its last checks, the chart of its duration over the last day against its
degraded threshold, its incidents over 30 days: ``monitor.timeline``), each documented step of
the last check (its duration, Web Vitals and the accessibility rules its screen breaks), the
accessibility violations found, how long each verification code took to arrive, and recent
failures. ``snapshot`` is the same as JSON, for ``/api/status``.

Plain HTML from ``templates/status.html``, readable without JavaScript. Every value reaches the
page through Jinja's autoescape: check names, step titles and failure messages are text.

The page is of a minute, ``now``'s: it shows the checks that started before that minute ended.
Any dated later (a clock set wrong when they ran, or now) are left out of everything it
draws and counts, and the page says how many there are.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from monitor import timeline
from monitor.alerts import AlertPolicy
from monitor.history import Beat, History
from monitor.results import CheckResult, CodeTiming, Finding, StepA11y, StepTiming
from monitor.timeline import Chart, Heartbeat, Incident
from runtime.accessibility import IMPACTS
from runtime.vitals import StepVitals

STATE = {"success": ("Up", "up"), "degraded": ("Degraded", "degraded"), "failure": ("Down", "down")}
EVIDENCE = (("screenshot.png", "screenshot"), ("trace.zip", "trace"), ("failure.txt", "note"))
BAR_PX = 80  # the longest step's bar
INCIDENT_ROWS = 20  # of each table of incidents, the newest; the older ones are folded away
NONE = "—"  # a figure the step did not give
FAILURE_ROWS = 10  # "Recent failures": of the failures among the bar's checks, the newest
MESSAGE_CHARS = 1000  # of a failure's message there (its evidence's note has it all)

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
class Watched:
    """A check as the page knows it beyond its history: its name, the degraded threshold it
    is held to (None: no threshold drawn), and the longest it can take: its time limit on
    every try (None: unknown)."""

    name: str
    degraded_s: float | None = None
    limit_s: float | None = None


@dataclass(frozen=True)
class IncidentRow:
    id: str
    start: str
    end: str  # "ongoing" while it is
    duration: str
    reason: str  # "timeout at step 3", then the other reasons seen
    failures: int
    alert: str
    alerted: bool
    folder: str  # the first failure's evidence folder's name
    evidence: list[tuple[str, str]]


@dataclass(frozen=True)
class CheckData:
    """What the page and ``/api/status`` show of a check, before any formatting."""

    check: Watched
    as_of: datetime
    last: CheckResult | None
    uptimes: dict[str, float | None]
    bar: list[Heartbeat]
    chart: Chart
    incidents: list[Incident]
    failures: list[Beat]  # the failures among the last checks, newest first
    future: int  # checks dated after the page's minute: left out of all the above


@dataclass(frozen=True)
class CheckView:
    name: str
    id: str  # the section's: check-login
    label: str
    css: str
    note: str  # why the last check is degraded; empty otherwise
    future: str  # how many checks dated in the future are left out; empty for none
    uptimes: list[tuple[str, str]]
    flows: list[FlowSteps]  # the last check's steps, by flow
    vitals: bool  # whether the steps have Web Vitals (and the table their columns)
    a11y: A11yView | None  # None when the last check audited nothing
    codes: list[CodeRow]
    failures: list[FailureRow]
    bar: list[Heartbeat]
    tally: str
    narrow_tally: str  # of the newest beats, which a phone shows
    span: tuple[str, str, str]  # when the bar's first beat, a phone's first and the last ran
    short: tuple[bool, bool]  # whether the bar, and a phone's, is not full: on its right
    chart: Chart
    incidents: list[IncidentRow]  # the portal's downtime, the newest INCIDENT_ROWS
    older_incidents: list[IncidentRow]  # the rest of the 30 days, folded away
    errors: list[IncidentRow]  # runs of our own errors, likewise
    older_errors: list[IncidentRow]


def render(
    history: History,
    checks: Sequence[str | Watched],
    now: datetime,
    *,
    policy: AlertPolicy | None = None,
    refresh: bool = False,
) -> str:
    """The page as of ``now``; ``policy`` says which incidents alerted when the history did
    not record it (the default policy without one). ``refresh``: the page reloads itself
    every minute, only when asked, since a page that reloads under a screen reader starts
    it again from the top (WCAG 2.2.1: a time limit the user can turn off)."""
    views = [_view(data) for data in collect(history, checks, now, policy)]
    return TEMPLATES.get_template("status.html").render(
        updated=f"{now:%Y-%m-%d %H:%M}",
        checks=views,
        labels=timeline.LABELS,
        evidence_url=evidence_url,
        refresh=refresh,
    )


def horizon(now: datetime) -> datetime:
    """Where the page of ``now`` stops: the end of its minute. A check that started later
    is dated in the future."""
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


def collect(
    history: History,
    checks: Sequence[str | Watched],
    now: datetime,
    policy: AlertPolicy | None = None,
) -> list[CheckData]:
    return [_data(history, _watched(c), now, policy or AlertPolicy()) for c in checks]


def _watched(check: str | Watched) -> Watched:
    return Watched(check) if isinstance(check, str) else check


def _data(history: History, check: Watched, now: datetime, policy: AlertPolicy) -> CheckData:
    """What the page shows of ``check``, each read bounded to the page's time: the month's
    incidents from its failures, the bar's last checks, the chart's day."""
    name, before = check.name, horizon(now)
    since = now - timedelta(days=timeline.INCIDENT_DAYS)
    follow = policy.successes_to_recover
    runs = history.failure_runs(name, since=since, before=before, follow=follow)
    sent = history.alerts(name, since, before=before)
    incidents = timeline.incidents(name, runs, now, policy, sent)
    latest = history.beats(name, limit=timeline.BEATS, before=before)
    day = history.beats(name, since=now - timeline.DAY, before=before)
    return CheckData(
        check,
        now,
        history.last(name, before=before),
        history.uptimes(name, now, before=before),
        timeline.heartbeats(latest, incidents, _evidence_kept),
        timeline.duration_chart(
            day, now, check.degraded_s, cap_s=check.limit_s or timeline.SCALE_CAP_S
        ),
        incidents,
        [b for b in reversed(latest) if b.outcome == "failure"][:FAILURE_ROWS],
        history.later(name, before),
    )


def _view(data: CheckData) -> CheckView:
    name, last = data.check.name, data.last
    label, css = STATE.get(last.outcome, ("Unknown", "none")) if last else ("Not run yet", "none")
    uptimes = [
        (window, "—" if share is None else f"{share * 100:.2f}%")
        for window, share in data.uptimes.items()
    ]
    note = last.message if last and last.outcome == "degraded" else ""
    codes = _codes(last) if last else []
    steps = last.steps if last else []
    portal = [_incident(i, data.as_of) for i in data.incidents if i.kind == "portal"]
    ours = [_incident(i, data.as_of) for i in data.incidents if i.kind == "monitor"]
    return CheckView(
        name,
        timeline.section_id(name),
        label,
        css,
        note,
        _future(data.future),
        uptimes,
        _flows(steps),
        any(s.vitals is not None for s in steps),
        _a11y(steps),
        codes,
        [_failure(b) for b in data.failures],
        data.bar,
        timeline.tally(data.bar) if data.bar else "No checks yet.",
        timeline.tally([b for b in data.bar if b.narrow]) if data.bar else "No checks yet.",
        _span(data.bar),
        (len(data.bar) < timeline.BEATS, len(data.bar) < timeline.NARROW_BEATS),
        data.chart,
        portal[:INCIDENT_ROWS],
        portal[INCIDENT_ROWS:],
        ours[:INCIDENT_ROWS],
        ours[INCIDENT_ROWS:],
    )


def _future(count: int) -> str:
    if not count:
        return ""
    checks = timeline.plural(count, "check")
    verb = "is" if count == 1 else "are"
    return f"{checks} dated in the future {verb} not shown: is this machine's clock right?"


def _span(bar: list[Heartbeat]) -> tuple[str, str, str]:
    """When the bar's first beat ran, a phone's first, and the last (its date if another
    day's than the last's)."""
    if not bar:
        return "", "", ""
    last = bar[-1].beat.started_at
    narrow = next(b for b in bar if b.narrow).beat.started_at
    return (
        timeline.moment(bar[0].beat.started_at, last),
        timeline.moment(narrow, last),
        timeline.moment(last, last),
    )


def _incident(incident: Incident, now: datetime) -> IncidentRow:
    first = incident.first
    reason = timeline.why(first)
    later = incident.reasons[1:]  # the first is the first failure's
    if later:
        reason += ", then " + ", ".join(later)
    start, end = incident.start, incident.end
    # A run of one check every 30 s ends within the minute: its seconds tell them apart.
    exact = end is not None and end - start < timedelta(minutes=1)
    return IncidentRow(
        incident.id,
        timeline.when(start, exact=exact),
        "ongoing" if end is None else timeline.when(end, exact=exact),
        timeline.span(incident.duration(now)),
        reason,
        len(incident.failures),
        incident.alert_text(),
        incident.alert is not None,
        Path(first.evidence).name if first.evidence else "",
        _evidence_kept(first.evidence),
    )


def _flows(steps: list[StepTiming]) -> list[FlowSteps]:
    """The steps as rows, under the flow they are in (one group per run of a flow)."""
    if not steps:
        return []
    longest = max((s.duration_s for s in steps if math.isfinite(s.duration_s)), default=0) or 1
    groups: list[FlowSteps] = []
    for s in steps:
        if not groups or groups[-1].flow != s.flow:
            groups.append(FlowSteps(s.flow, []))
        a11y, a11y_css = _a11y_cell(s.a11y)
        groups[-1].steps.append(
            StepRow(
                s.flow,
                s.title or s.step,
                f"{s.duration_s:.2f} s" if math.isfinite(s.duration_s) else NONE,
                _bar_px(s.duration_s, longest),
                not s.passed,
                _vitals_cells(s.vitals),
                a11y,
                a11y_css,
            )
        )
    return groups


def _bar_px(seconds: float, longest: float) -> int:
    """A step's bar, the longest's ``BAR_PX``; a time that is not a finite number, 1."""
    if not math.isfinite(seconds):
        return 1
    return max(1, int(BAR_PX * min(seconds / longest, 1.0)))


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


def _failure(beat: Beat) -> FailureRow:
    return FailureRow(
        timeline.when(beat.started_at),
        beat.reason,
        f"step {beat.failed_step}" if beat.failed_step else "before any step",
        _shorten(beat.message, MESSAGE_CHARS),
        Path(beat.evidence).name if beat.evidence else "",
        _evidence_kept(beat.evidence),
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _evidence_kept(folder: str) -> list[tuple[str, str]]:
    if not folder:
        return []
    return [(file, label) for file, label in EVIDENCE if (Path(folder) / file).exists()]


def evidence_url(folder: str, file: str) -> str:
    """Where the page serves a file of a failure's evidence (``folder``: as kept)."""
    return f"/evidence/{quote(Path(folder).name)}/{quote(file)}"


# --- /api/status --------------------------------------------------------------------------


def snapshot(
    history: History,
    checks: Sequence[str | Watched],
    now: datetime,
    *,
    policy: AlertPolicy | None = None,
) -> dict[str, Any]:
    """What the page shows, as JSON: per check its state, uptimes, last check, heartbeats,
    the duration series with its threshold, and incidents. Times in ISO 8601 (UTC), durations
    in seconds, shares of 1."""
    return {
        "updated": now.isoformat(),
        "checks": [_json(data) for data in collect(history, checks, now, policy)],
    }


def _json(data: CheckData) -> dict[str, Any]:
    last, chart = data.last, data.chart
    return {
        "name": data.check.name,
        "id": timeline.section_id(data.check.name),
        "state": STATE[last.outcome][1] if last and last.outcome in STATE else "none",
        "uptime": data.uptimes,
        "future_checks": data.future,
        "last_check": _last_json(last) if last else None,
        "heartbeats": [
            {**_beat_json(h.beat), "status": h.status, "name": h.name, "incident": h.incident}
            for h in data.bar
        ],
        "durations": {
            "since": chart.since.isoformat(),
            "until": chart.until.isoformat(),
            "degraded_s": chart.threshold_s,
            "summary": chart.summary,
            "points": [
                {
                    "started_at": b.started_at.isoformat(),
                    "portal_s": _seconds(b.portal_s),
                    "status": timeline.status_of(b),
                }
                for b in chart.beats
            ],
        },
        "incidents": [_incident_json(i, data.as_of) for i in data.incidents],
    }


def _beat_json(beat: Beat) -> dict[str, Any]:
    return {
        "started_at": beat.started_at.isoformat(),
        "outcome": beat.outcome,
        "duration_s": _seconds(beat.duration_s),
        "portal_s": _seconds(beat.portal_s),
        "reason": beat.reason,
        "failed_step": beat.failed_step,
        "maintenance": beat.maintenance,
        "evidence": _evidence_json(beat.evidence),
    }


def _evidence_json(folder: str) -> list[str]:
    return [evidence_url(folder, file) for file, _ in _evidence_kept(folder)]


def _last_json(last: CheckResult) -> dict[str, Any]:
    return {
        "started_at": last.started_at.isoformat(),
        "outcome": last.outcome,
        "duration_s": _seconds(last.duration_s),
        "portal_s": _seconds(last.portal_s),
        "attempts": last.attempts,
        "reason": last.reason,
        "failed_step": last.failed_step,
        "message": last.message,
        "evidence": _evidence_json(last.evidence),
        "steps": [
            {
                "flow": s.flow,
                "step": s.step,
                "title": s.title,
                "duration_s": _seconds(s.duration_s),
                "passed": s.passed,
            }
            for s in last.steps
        ],
    }


def _incident_json(incident: Incident, now: datetime) -> dict[str, Any]:
    alert = incident.alert
    return {
        "id": incident.id,
        "kind": incident.kind,
        "start": incident.start.isoformat(),
        "end": incident.end.isoformat() if incident.end else None,
        "ongoing": incident.end is None,
        "duration_s": _seconds(incident.duration(now).total_seconds()),
        "failed_checks": len(incident.failures),
        "reasons": incident.reasons,
        "failed_step": incident.first.failed_step,
        "alert": None
        if alert is None
        else {"kind": alert.kind, "at": alert.at.isoformat(), "recorded": alert.recorded},
        "evidence": _evidence_json(incident.first.evidence),
    }


def _seconds(value: float | None) -> float | None:
    """Seconds to the millisecond; None for a figure that is not a finite number (which JSON
    has no way to write)."""
    return round(value, 3) if value is not None and math.isfinite(value) else None
