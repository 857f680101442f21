"""The status page's history of a check, as pure functions of its ``Beat`` rows: the heartbeat
bar (its last checks by outcome), the chart of its duration over the last day against its
degraded threshold, and its incidents.

    since, before = as_of - timedelta(days=30), as_of + timedelta(minutes=1)
    runs = history.failure_runs("login", since=since, before=before, follow=2)
    found = incidents("login", runs, as_of, AlertPolicy(), history.alerts("login", since))
    bar = heartbeats(history.beats("login", limit=BEATS, before=before), found)
    chart = duration_chart(history.beats("login", since=as_of - DAY), as_of, 30.0)

An incident is a run of checks that failed as the portal's downtime; our own errors
(``NOT_DOWNTIME``) make runs of their own, listed apart, since the alert policy counts them as
working. A check in a declared maintenance window neither starts, continues nor ends a run,
as the alert policy leaves its streaks alone then. ``incidents`` takes every check, or only
the failures and the few checks after each run (``History.failure_runs``): it finds the same.
Times are UTC.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from monitor.alerts import Alerter, AlertPolicy
from monitor.history import Beat, SentAlert

Status = Literal["up", "degraded", "down", "error", "maintenance"]
# Each status in words, for the legend and every beat's accessible name.
LABELS: dict[Status, str] = {
    "up": "up",
    "degraded": "degraded",
    "down": "down",
    "error": "monitor error (not downtime)",
    "maintenance": "maintenance",
}
BEATS = 100  # heartbeats on a wide screen
NARROW_BEATS = 50  # of those, the newest a phone shows
DAY = timedelta(days=1)
INCIDENT_DAYS = 30
CHART_PX = 180  # the duration chart's plot height
MAX_POINTS = 500  # on a chart, at most about
# From least to most worth seeing, when a chart has more checks than points.
SEVERITY: tuple[Status, ...] = ("up", "maintenance", "degraded", "error", "down")
DETAIL_CHARS = 160  # of a message, in a beat's tooltip
Kind = Literal["portal", "monitor"]
# Where a failure's evidence is kept: (file, label) of each file, for a folder.
EvidenceOf = Callable[[str], Sequence[tuple[str, str]]]


def status_of(beat: Beat) -> Status:
    if beat.maintenance:
        return "maintenance"
    if beat.outcome == "failure":
        return "down" if beat.counts_as_downtime else "error"
    return "degraded" if beat.outcome == "degraded" else "up"


def when(at: datetime, *, exact: bool = False) -> str:
    """``2026-12-08 10:15 UTC``; ``exact``: ``2026-12-08 10:15:30 UTC``."""
    return f"{at.astimezone(UTC):%Y-%m-%d %H:%M{':%S' if exact else ''}} UTC"


def seconds(value: float | None) -> str:
    """``4.2 s``; ``1e+09 s`` for a figure too long to read (a bad record); ``duration
    unknown`` for None (not a finite number)."""
    if value is None:
        return "duration unknown"
    return f"{value:.1f} s" if value < 100_000 else f"{value:.3g} s"


def why(beat: Beat) -> str:
    """``timeout at step 3``: a failure's reason and where; empty for a check that worked."""
    if beat.outcome != "failure":
        return ""
    where = f"at step {beat.failed_step}" if beat.failed_step else "before the first step"
    return f"{beat.reason or 'failure'} {where}"


def moment(at: datetime, day: datetime) -> str:
    """``10:15 UTC`` on ``day``'s date, else ``7 Dec 23:50 UTC``."""
    at, day = at.astimezone(UTC), day.astimezone(UTC)
    return f"{at:%H:%M} UTC" if at.date() == day.date() else f"{at.day} {at:%b %H:%M} UTC"


def describe(beat: Beat) -> str:
    """A beat's accessible name: ``2026-12-08 10:15 UTC: down (timeout at step 3)``,
    ``…: up, 4.2 s``; a check in maintenance says how it went."""
    status = status_of(beat)
    head = f"{when(beat.started_at)}: {LABELS[status]}"
    if status == "maintenance":
        went = why(beat) or f"{beat.outcome}, {seconds(beat.portal_s)}"
        return f"{head} (the check: {went})"
    if beat.outcome == "failure":
        return f"{head} ({why(beat)})"
    return f"{head}, {seconds(beat.portal_s)}"


# --- incidents ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    """The first notification sent during an incident. ``recorded``: the history says it was
    sent; otherwise it is what the alert policy sends for such a run (a monitor that does not
    record its alerts, or an incident from before it did)."""

    kind: str  # firing; reminder; continued: an earlier run's, still firing (``at``: its)
    at: datetime
    recorded: bool


@dataclass(frozen=True)
class Incident:
    check: str
    kind: Kind  # portal: downtime; monitor: our own errors (harness or setting)
    failures: tuple[Beat, ...]  # oldest first, never empty
    end: datetime | None  # when the next counted check did not fail so; None: ongoing
    alert: Alert | None  # portal incidents only
    failures_to_alert: int

    @property
    def id(self) -> str:
        return incident_id(self.check, self.start, self.kind)

    @property
    def start(self) -> datetime:
        return self.failures[0].started_at

    @property
    def reasons(self) -> list[str]:
        """Each reason once, first seen first."""
        return list(dict.fromkeys(b.reason or "failure" for b in self.failures))

    @property
    def first(self) -> Beat:
        return self.failures[0]

    def duration(self, as_of: datetime) -> timedelta:
        """Start to end; an ongoing one until ``as_of`` (or its last failure, if later)."""
        end = self.end or max(as_of, self.failures[-1].started_at)
        return end - self.start

    def alert_text(self) -> str:
        """``sent 10:25 UTC`` (recorded); ``yes, at 10:25 UTC (3rd failure)`` (what the
        policy sends, not recorded); or why none was sent."""
        if self.kind == "monitor":
            return "never (not the portal's)"
        alert = self.alert
        if alert is None:
            failed = plural(len(self.failures), "failed check")
            return f"no ({failed}; alerts after {self.failures_to_alert})"
        at = self._time(alert.at)
        if alert.kind == "continued":
            return f"no new one: the alert of {at} was still firing"
        if alert.recorded:
            return f"{'reminder sent' if alert.kind == 'reminder' else 'sent'} {at}"
        if alert.kind == "reminder":
            return f"still firing (reminder {at})"
        nth = next(n for n, b in enumerate(self.failures, 1) if b.started_at >= alert.at)
        return f"yes, at {at} ({ordinal(nth)} failure)"

    def _time(self, at: datetime) -> str:
        """``10:25 UTC`` on the incident's first day, else with the date."""
        same_day = at.astimezone(UTC).date() == self.start.astimezone(UTC).date()
        return f"{at.astimezone(UTC):%H:%M} UTC" if same_day else when(at)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def incident_id(check: str, since: datetime, kind: Kind = "portal") -> str:
    """The page's id of an incident's row: ``check-login-incident-20261208T101502Z``. An
    alert's ``since`` is its incident's start, so an alert can link ``/#`` + this id."""
    word = "incident" if kind == "portal" else "error"
    return f"{section_id(check)}-{word}-{since.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def section_id(check: str) -> str:
    """The id of a check's section: ``check-login``."""
    return f"check-{check}"


def incidents(
    check: str,
    beats: Sequence[Beat],
    as_of: datetime,
    policy: AlertPolicy,
    recorded: Sequence[SentAlert] = (),
) -> list[Incident]:
    """The runs of failed checks in ``beats`` (oldest first), newest first, each with the
    alert it sent: a recorded one, else the one the policy sends for these beats."""
    expected = policy_alerts(beats, policy)
    found = []
    for kind, failures, end in _runs(beats):
        alert = None
        if kind == "portal":
            alert = _alert_in(recorded, failures, True) or _alert_in(expected, failures, False)
        found.append(Incident(check, kind, tuple(failures), end, alert, policy.failures_to_alert))
    return found[::-1]


def _kind(beat: Beat) -> Kind | None:
    if beat.outcome != "failure":
        return None
    return "portal" if beat.counts_as_downtime else "monitor"


def _runs(beats: Iterable[Beat]) -> list[tuple[Kind, list[Beat], datetime | None]]:
    """Each run of failures of one kind, with the start of the check that ended it."""
    runs: list[tuple[Kind, list[Beat], datetime | None]] = []
    current: tuple[Kind, list[Beat]] | None = None
    for beat in beats:
        if beat.maintenance:
            continue  # the policy leaves its streaks as they were: so does a run
        kind = _kind(beat)
        if current is not None and kind == current[0]:
            current[1].append(beat)
            continue
        if current is not None:
            runs.append((current[0], current[1], beat.started_at))
        current = (kind, [beat]) if kind is not None else None
    if current is not None:
        runs.append((current[0], current[1], None))
    return runs


def policy_alerts(beats: Iterable[Beat], policy: AlertPolicy) -> list[SentAlert]:
    """The notifications the alert policy sends for ``beats``, as the monitor feeds it."""
    alerter = Alerter(policy)
    sent = []
    for beat in beats:
        ok = not beat.counts_as_downtime  # our own errors are never the portal's downtime
        for note in alerter.observe("", ok, beat.started_at, beat.reason, beat.maintenance):
            sent.append(SentAlert(note.kind, note.reason, note.since, note.at))
    return sent


def _alert_in(alerts: Iterable[SentAlert], failures: list[Beat], recorded: bool) -> Alert | None:
    """The first notification (firing or reminder) during the run; else, when the last one
    before it was not a recovery, that alert went on firing through it (a check that
    worked once, short of ``successes_to_recover``, between two runs)."""
    first, last = failures[0].started_at, failures[-1].started_at
    before: SentAlert | None = None
    for alert in alerts:  # oldest first
        if alert.at < first:
            before = alert
        elif alert.at <= last and alert.kind != "resolved":
            return Alert(alert.kind, alert.at, recorded)
    if before is not None and before.kind != "resolved":
        return Alert("continued", before.at, recorded)
    return None


def plural(count: int, noun: str) -> str:
    """``1 failed check``, ``2 failed checks``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def span(delta: timedelta) -> str:
    """``45 s``, ``12 min``, ``1 h 05 min``, ``2 d 3 h``."""
    total = int(delta.total_seconds())
    if total < 60:
        return f"{max(total, 0)} s"
    minutes, hours, days = total // 60, total // 3600, total // 86400
    if hours == 0:
        return f"{minutes} min"
    if days == 0:
        return f"{hours} h {minutes % 60:02d} min"
    return f"{days} d {hours % 24} h"


# --- heartbeats ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Heartbeat:
    beat: Beat
    status: Status
    name: str  # the accessible name: when, status, why
    detail: str  # why it failed or is degraded, in the check's words (shortened)
    evidence: tuple[tuple[str, str], ...]  # (file, label) of the files kept
    incident: str  # the id of the incident row it belongs to; "" for none
    narrow: bool  # among the newest NARROW_BEATS, which a phone shows


def heartbeats(
    beats: Sequence[Beat],
    found: Iterable[Incident] = (),
    evidence_of: EvidenceOf = lambda folder: (),
) -> list[Heartbeat]:
    """``beats`` (oldest first) as the heartbeat bar shows them."""
    of_incident: dict[datetime, str] = {}
    for incident in found:  # its id once: a month's outage is thousands of failures
        row = incident.id
        of_incident.update((b.started_at, row) for b in incident.failures)
    bar = []
    for n, beat in enumerate(beats):
        failed = beat.outcome == "failure"
        bar.append(
            Heartbeat(
                beat,
                status_of(beat),
                describe(beat),
                _short(beat.message) if beat.outcome != "success" else "",
                tuple(evidence_of(beat.evidence)) if failed and beat.evidence else (),
                of_incident.get(beat.started_at, ""),
                n >= len(beats) - NARROW_BEATS,
            )
        )
    return bar


def _short(message: str) -> str:
    line = " ".join(message.split())
    return line if len(line) <= DETAIL_CHARS else line[: DETAIL_CHARS - 1] + "…"


def tally(bar: Sequence[Heartbeat]) -> str:
    """``Last 100 checks: 95 up, 2 degraded, 2 down, 1 monitor error (not downtime)``."""
    counts = {status: 0 for status in LABELS}
    for beat in bar:
        counts[beat.status] += 1
    said = ", ".join(f"{n} {LABELS[s]}" for s, n in counts.items() if n)
    return f"Last {plural(len(bar), 'check')}: {said}"


# --- the duration chart -------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    x: float  # % of the plot's width, 0 at ``since``
    y: float  # px from the plot's top
    status: Status
    label: str  # ``10:15 UTC: 4.2 s, up``
    clipped: bool = False  # slower than the scale: drawn at its top


@dataclass(frozen=True)
class Tick:
    at: float  # x in %, or y in px
    label: str
    minor: bool = False  # left out on a narrow screen


@dataclass(frozen=True)
class Chart:
    since: datetime
    until: datetime
    beats: tuple[Beat, ...]  # the checks in the window, oldest first (points: maybe fewer)
    height: int  # px of the plot
    top_s: float  # the seconds at the plot's top
    points: list[Point]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    threshold_s: float | None
    threshold_y: float | None
    summary: str
    beyond: int  # checks slower than the scale, drawn at its top
    peak: str = ""  # how slow the slowest of those was: ``↑ up to 62.0 s``


# No check takes a day: a longer time is a bad record, drawn at the scale's top like a
# failure beyond it, so that the scale stays one a person can read (a check's time limit on
# every try, when known, is a closer bound).
SCALE_CAP_S = 86_400.0
# The scale's unit by the figure at its top: (below this many seconds, seconds per unit, name).
UNITS = ((600.0, 1.0, "s"), (36_000.0, 60.0, "min"), (864_000.0, 3_600.0, "h"))
DAYS = (math.inf, 86_400.0, "d")


def duration_chart(
    beats: Sequence[Beat],
    until: datetime,
    threshold_s: float | None,
    *,
    window: timedelta = DAY,
    height: int = CHART_PX,
    cap_s: float = SCALE_CAP_S,
) -> Chart:
    """The duration (audits aside: what the threshold is about) of each check in ``beats``
    from ``until - window`` to ``until``, on a scale from 0 to a round figure above the
    threshold and the slowest check that worked. A failure's time is mostly the time limit
    it ran into: one beyond the scale is drawn at its top (its label says how long). So is
    a check that worked for longer than ``cap_s`` (its time limit on every try): a bad
    record, which would leave the scale unreadable. A duration that is not a finite number
    is unknown: counted, not drawn."""
    since = until - window
    shown = [b for b in beats if b.started_at >= since]
    timed = [b for b in shown if b.portal_s is not None]
    worked = [_known(b) for b in timed if b.outcome != "failure"]
    reach = max(min(max(worked, default=0.0), cap_s), threshold_s or 0.0, 1.0)
    per, unit = _unit(reach)
    top = nice_top(reach / per) * per

    def y(value: float) -> float:
        return round(height * (1 - min(value, top) / top), 1)

    def x(at: datetime) -> float:
        share = (at - since) / window
        return round(100 * min(max(share, 0.0), 1.0), 2)

    points = [
        Point(x(b.started_at), y(_known(b)), status_of(b), _point_label(b), _known(b) > top)
        for b in thin(timed, window)
    ]
    clipped = [b for b in timed if _known(b) > top]
    slowest = max(clipped, key=_known, default=None)
    return Chart(
        since,
        until,
        tuple(shown),
        height,
        top,
        points,
        _hour_ticks(since, until, window),
        [Tick(y(v), f"{v / per:g} {unit}") for v in _steps(top, per)],
        threshold_s,
        None if threshold_s is None else y(threshold_s),
        chart_summary(shown, threshold_s, window, top=(top, f"{top / per:g} {unit}")),
        len(clipped),
        "" if slowest is None else f"↑ up to {seconds(slowest.portal_s)}",
    )


def _known(beat: Beat) -> float:
    """A timed beat's duration (the chart draws no other)."""
    return beat.portal_s if beat.portal_s is not None else 0.0


def _unit(value_s: float) -> tuple[float, str]:
    """Seconds per unit, and its name, of a scale up to about ``value_s``: its labels stay
    a few characters wide (``50 s``, ``20 min``, ``5 h``)."""
    for below, per, name in UNITS:
        if value_s < below:
            return per, name
    return DAYS[1], DAYS[2]


def thin(beats: Sequence[Beat], window: timedelta, limit: int = MAX_POINTS) -> list[Beat]:
    """At most about ``limit`` of ``beats``: a check every 30 s gives 2,880 a day, more
    than a page should carry. In each slice of the window the slowest check and the worst
    outcome stay, so every peak and every failure is still drawn."""
    if len(beats) <= limit:
        return list(beats)
    slice_s = window.total_seconds() / (limit // 2)
    slices: dict[int, list[Beat]] = {}
    for beat in beats:
        slices.setdefault(int(beat.started_at.timestamp() // slice_s), []).append(beat)
    kept: set[int] = set()
    for group in slices.values():
        kept.add(id(max(group, key=_known)))
        kept.add(id(max(group, key=lambda b: SEVERITY.index(status_of(b)))))
    return [b for b in beats if id(b) in kept]


def _point_label(beat: Beat) -> str:
    said = f"{beat.started_at.astimezone(UTC):%H:%M} UTC: {seconds(beat.portal_s)}"
    said += f", {LABELS[status_of(beat)]}"
    return f"{said} ({why(beat)})" if beat.outcome == "failure" else said


def nice_top(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at least 5 % above ``value``: the scale's top."""
    target = value * 1.05
    magnitude = 10.0 ** math.floor(math.log10(target))
    return next(f * magnitude for f in (1, 2, 2.5, 5, 10) if f * magnitude >= target * 0.9999)


def _steps(top: float, per: float = 1.0) -> list[float]:
    """0 to ``top`` in four or five steps of 1, 2 or 5 × 10ⁿ of the unit of ``per``
    seconds (a top from ``nice_top``)."""
    for parts in (5, 4):
        step = top / per / parts
        mantissa = step / 10.0 ** math.floor(math.log10(step))
        if any(math.isclose(mantissa, nice) for nice in (1, 2, 5)):
            return [round(step * n, 6) * per for n in range(parts + 1)]
    return [0.0, top / 2, top]


def _hour_ticks(since: datetime, until: datetime, window: timedelta) -> list[Tick]:
    """Every third hour (UTC) in the window, midnight by its date; those not on a sixth hour
    are minor (a phone leaves them out)."""
    at = since.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    while at < since or at.hour % 3:
        at += timedelta(hours=1)
    ticks = []
    while at <= until:
        share = 100 * ((at - since) / window)
        label = f"{at.day} {at:%b}" if at.hour == 0 else f"{at:%H:%M}"  # midnight: the new day
        ticks.append(Tick(round(share, 2), label, minor=at.hour % 6 != 0))
        at += timedelta(hours=3)
    return ticks


def chart_summary(
    beats: Sequence[Beat],
    threshold_s: float | None,
    window: timedelta,
    *,
    top: tuple[float, str] = (math.inf, ""),
) -> str:
    """The chart in words, as drawn: ``Duration of the last 24 h: 288 checks, median 4.2 s,
    slowest 12.1 s at 10:15 UTC; degraded above 30 s: none above it.`` The slowest is the
    slowest drawn where it was; checks slower than the scale's ``top`` are said apart, as
    drawn at its top (``top``: its seconds and its label); and a check is above the degraded
    threshold only if it worked."""
    hours = f"{window.total_seconds() / 3600:g} h"
    if not beats:
        return f"No checks in the last {hours}."
    timed = [b for b in beats if b.portal_s is not None]
    said = f"Duration of the last {hours}: {plural(len(beats), 'check')}"
    if timed:
        said += f", median {seconds(statistics.median(_known(b) for b in timed))}"
    within = [b for b in timed if _known(b) <= top[0]]
    if within:
        slowest = max(within, key=_known)
        said += f", slowest {seconds(slowest.portal_s)} at {_hhmm(slowest.started_at)}"
    said += _beyond(timed, top) + _unknown(len(beats) - len(timed))
    if threshold_s is None:
        return said + "."
    over = sum(1 for b in timed if b.outcome != "failure" and _known(b) > threshold_s)
    above = plural(over, "working check") if over else "none"
    return f"{said}; degraded above {threshold_s:g} s: {above} above it."


def _beyond(timed: Sequence[Beat], top: tuple[float, str]) -> str:
    """``; 3 failed checks slower than the scale's 50 s, drawn at its top (up to 62.0 s at
    10:15 UTC)``, or nothing."""
    clipped = [b for b in timed if _known(b) > top[0]]
    if not clipped:
        return ""
    slowest = max(clipped, key=_known)
    noun = "failed check" if all(b.outcome == "failure" for b in clipped) else "check"
    return (
        f"; {plural(len(clipped), noun)} slower than the scale's {top[1]}, drawn at its top"
        f" (up to {seconds(slowest.portal_s)} at {_hhmm(slowest.started_at)})"
    )


def _unknown(count: int) -> str:
    return f"; {count} of unknown duration, not drawn" if count else ""


def _hhmm(at: datetime) -> str:
    return f"{at.astimezone(UTC):%H:%M} UTC"
