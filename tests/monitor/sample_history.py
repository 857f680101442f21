"""A month of a check's history, hand-made: a check every 5 minutes over the last day with two
slow (degraded) checks, a three-check timeout incident that alerted, a one-check outage that
did not, a harness error, and a maintenance window with a failure in it; and a documentation
drift incident ten days ago. For the tests of the timeline, the status page and
``/api/status``, and for looking at the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.history import History
from monitor.results import CheckResult

NOW = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)
EVERY = timedelta(minutes=5)
DEGRADED_S = 30.0
# Minutes before NOW of the checks that did not simply work, and how they went.
TIMEOUTS = (105, 100, 95)  # 10:15, 10:20, 10:25: an incident, alerted at its third check
OUTAGE = 360  # 06:00: one check down, not alerted
HARNESS = 240  # 08:00: our own error
SLOW = {200: 34.0, 190: 41.5}  # 08:40 and 08:50: degraded
MAINTENANCE = range(570, 600, 5)  # 02:05 to 02:30 in a declared window
MAINTENANCE_FAILURE = 580  # 02:20, portal_unavailable, in the window
DRIFT_DAYS = 10  # a documentation drift incident then, five checks long


@dataclass
class Month:
    """What was recorded, for the tests to compare with."""

    check: str
    now: datetime
    evidence: dict[datetime, Path] = field(default_factory=dict)  # of each failure
    recorded: list[CheckResult] = field(default_factory=list)

    def at(self, minutes: int) -> datetime:
        return self.now - timedelta(minutes=minutes)


def duration(n: int) -> float:
    """A working check's time: between 3.5 and 5.3 s, a pattern with nothing random."""
    return round(3.5 + (n * 7 % 10) * 0.2, 1)


def a_month(
    history: History, evidence_dir: Path, *, check: str = "login", now: datetime = NOW
) -> Month:
    month = Month(check, now)
    _drift(history, month, evidence_dir)  # recorded in the order they ran, as the monitor does
    for minutes in range(24 * 60 - 5, -1, -5):  # oldest first, the newest at ``now``
        result = _day_check(month, evidence_dir, minutes)
        history.record(result, maintenance=minutes in MAINTENANCE)
        month.recorded.append(result)
    return month


def _day_check(month: Month, evidence_dir: Path, minutes: int) -> CheckResult:
    at = month.at(minutes)
    if minutes in TIMEOUTS:
        return _failed(month, evidence_dir, at, "timeout", "3", 62.0)
    if minutes == OUTAGE:
        return _failed(month, evidence_dir, at, "portal_unavailable", "1", 2.1)
    if minutes == MAINTENANCE_FAILURE:
        return _failed(month, evidence_dir, at, "portal_unavailable", "1", 1.8)
    if minutes == HARNESS:
        return CheckResult(
            month.check, at, "failure", 0.0, reason="harness_error", message="browser crashed"
        )
    if minutes in SLOW:
        note = f"the check took {SLOW[minutes]:.1f} s, over {DEGRADED_S:g} s"
        return CheckResult(month.check, at, "degraded", SLOW[minutes], message=note)
    return CheckResult(month.check, at, "success", duration(minutes), audit_s=0.4)


def _failed(
    month: Month, evidence_dir: Path, at: datetime, reason: str, step: str, seconds: float
) -> CheckResult:
    folder = evidence_dir / f"{at:%Y%m%dT%H%M%S%fZ}-{month.check}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "screenshot.png").write_bytes(b"\x89PNG fake")
    (folder / "failure.txt").write_text(f"check: {month.check}\nstep: {step}\n", encoding="utf-8")
    month.evidence[at] = folder
    message = f"{reason} at step {step}"
    return CheckResult(
        month.check,
        at,
        "failure",
        seconds,
        reason=reason,
        failed_step=step,
        message=message,
        evidence=str(folder),
    )


def _drift(history: History, month: Month, evidence_dir: Path) -> None:
    """Ten days ago: a working check, five drifted ones, a working one."""
    start = month.now - timedelta(days=DRIFT_DAYS)
    for n in range(7):
        at = start + n * EVERY
        if n in (0, 6):
            result = CheckResult(month.check, at, "success", 4.0)
        else:
            result = _failed(month, evidence_dir, at, "documentation_drift", "5", 6.0)
        history.record(result)
        month.recorded.append(result)
