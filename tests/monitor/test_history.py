from __future__ import annotations

import math
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.history import Beat, History, SentAlert
from monitor.results import CheckResult, CodeTiming, StepA11y, StepTiming
from tests.monitor.sample_checks import registration

T0 = datetime(2026, 11, 23, 10, tzinfo=UTC)


def result(outcome: str = "success", reason: str = "", minutes: int = 0) -> CheckResult:
    return CheckResult(
        "login",
        T0 + timedelta(minutes=minutes),
        outcome,
        2.5,
        reason=reason,
        steps=[StepTiming("registration", "4", 0.2, True, "4. Registar (Register)")],
    )


def test_history_survives_a_restart(tmp_path: Path) -> None:
    first = History(tmp_path / "monitor.db")
    first.record(result("failure", "timeout"))
    first.close()
    again = History(tmp_path / "monitor.db")
    last = again.last("login")
    assert last is not None
    assert (last.outcome, last.reason) == ("failure", "timeout")
    assert last.steps == [StepTiming("registration", "4", 0.2, True, "4. Registar (Register)")]


def test_uptime_ignores_our_own_errors_and_maintenance(tmp_path: Path) -> None:
    history = History(tmp_path / "monitor.db")
    history.record(result("success", minutes=1))
    history.record(result("degraded", minutes=2))
    history.record(result("failure", "portal_unavailable", minutes=3))
    history.record(result("failure", "harness_error", minutes=4))
    history.record(result("failure", "portal_unavailable", minutes=5), maintenance=True)
    assert history.uptime("login", T0) == 2 / 3
    assert history.uptimes("login", T0 + timedelta(hours=1))["24h"] == 2 / 3
    assert history.uptime("portal", T0) is None


CODES = [
    CodeTiming("activation", "registration", "email", False, None, attempt=1),
    CodeTiming("activation", "registration", "email", True, 72.4, attempt=2),
    CodeTiming("login", "login", "sms", True, None, attempt=2),  # not measured
]


def test_code_delivery_survives_a_restart(tmp_path: Path) -> None:
    first = History(tmp_path / "monitor.db")
    first.record(CheckResult("login", T0, "degraded", 80.0, attempts=2, codes=CODES))
    first.close()
    again = History(tmp_path / "monitor.db")
    last = again.last("login")
    assert last is not None
    assert last.codes == CODES


# The schema of a monitor that did not yet keep code deliveries.
OLD_SCHEMA = """
CREATE TABLE checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT, check_name TEXT NOT NULL, started_at TEXT NOT NULL,
    outcome TEXT NOT NULL, duration_s REAL NOT NULL, attempts INTEGER NOT NULL,
    reason TEXT NOT NULL, message TEXT NOT NULL, failed_step TEXT NOT NULL,
    evidence TEXT NOT NULL, maintenance INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE steps (
    check_id INTEGER NOT NULL REFERENCES checks (id) ON DELETE CASCADE, flow TEXT NOT NULL,
    step TEXT NOT NULL, duration_s REAL NOT NULL, passed INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT ''
);
INSERT INTO checks VALUES (1, 'login', '2026-11-23T10:00:00+00:00', 'success', 2.5, 1, '', '',
    '', '', 0);
"""


def test_a_database_of_an_older_monitor_keeps_its_checks_and_gains_code_delivery(
    tmp_path: Path,
) -> None:
    path = tmp_path / "monitor.db"
    old = sqlite3.connect(path)
    old.executescript(OLD_SCHEMA)
    old.close()
    history = History(path)
    assert [(r.outcome, r.codes) for r in history.recent("login")] == [("success", [])]
    history.record(CheckResult("login", T0 + timedelta(minutes=5), "success", 2.0, codes=CODES))
    last = history.last("login")
    assert last is not None
    assert last.codes == CODES


def test_web_vitals_and_accessibility_survive_a_restart(tmp_path: Path) -> None:
    checked = registration()
    unaudited = StepTiming(
        "registration", "8", 1.0, True, "8. Seguinte", a11y=StepA11y(error="gone")
    )
    checked.steps.append(unaudited)
    first = History(tmp_path / "monitor.db")
    first.record(checked)
    first.close()
    again = History(tmp_path / "monitor.db")
    last = again.last("registration")
    assert last is not None
    assert last.steps == checked.steps
    assert [(s.step, f.rule) for s, f in last.new_violations()] == [
        ("5", "image-alt"),
        ("5", "label"),
        ("5", "color-contrast"),
    ]


def test_a_database_of_an_older_monitor_gains_web_vitals_and_accessibility(
    tmp_path: Path,
) -> None:
    path = tmp_path / "monitor.db"
    old = sqlite3.connect(path)
    old.executescript(OLD_SCHEMA)
    old.close()
    history = History(path)
    [before] = history.recent("login")
    assert [s.vitals for s in before.steps] == []
    history.record(registration(check="login"))
    last = history.last("login")
    assert last is not None
    assert last.steps == registration().steps


def test_beats_are_light_rows_oldest_first_by_time_or_count(tmp_path: Path) -> None:
    history = History(tmp_path / "monitor.db")
    history.record(result("success", minutes=1))
    history.record(result("failure", "timeout", minutes=2), maintenance=True)
    history.record(CheckResult("login", T0 + timedelta(minutes=3), "success", 9.0, audit_s=1.5))
    history.record(CheckResult("portal", T0, "success", 1.0))
    beats = history.beats("login")
    assert [(b.started_at, b.outcome, b.maintenance) for b in beats] == [
        (T0 + timedelta(minutes=1), "success", False),
        (T0 + timedelta(minutes=2), "failure", True),
        (T0 + timedelta(minutes=3), "success", False),
    ]
    assert (beats[-1].duration_s, beats[-1].portal_s) == (9.0, 7.5)
    assert history.beats("login", limit=2) == beats[1:]
    assert history.beats("login", since=T0 + timedelta(minutes=2)) == beats[1:]
    assert history.beats("login", since=T0 + timedelta(minutes=2), limit=1) == beats[2:]


def test_a_checks_audit_time_survives_a_restart(tmp_path: Path) -> None:
    first = History(tmp_path / "monitor.db")
    first.record(CheckResult("login", T0, "success", 9.0, audit_s=1.5))
    first.close()
    again = History(tmp_path / "monitor.db")
    last = again.last("login")
    assert last is not None
    assert last.portal_s == 7.5


def test_a_database_of_an_older_monitor_gains_the_audit_time(tmp_path: Path) -> None:
    path = tmp_path / "monitor.db"
    old = sqlite3.connect(path)
    old.executescript(OLD_SCHEMA)
    old.close()
    history = History(path)
    [before] = history.beats("login")
    assert before.audit_s == 0.0
    history.record(CheckResult("login", T0 + timedelta(minutes=5), "success", 9.0, audit_s=2.0))
    assert history.beats("login")[-1].portal_s == 7.0
    history.close()
    again = History(path)  # opened again: nothing is added twice
    assert again.beats("login")[-1].audit_s == 2.0
    again.close()


def test_sent_alerts_are_kept_but_not_accessibilitys(tmp_path: Path) -> None:
    from monitor.alerts import Notification, Violated

    history = History(tmp_path / "monitor.db")
    later = T0 + timedelta(minutes=10)
    history.record_alert(Notification("firing", "login", "timeout", T0, later))
    history.record_alert(Notification("firing", "portal", "timeout", T0, later))
    violated = Violated("registration", "5", "5. Termos", "image-alt", "critical")
    history.record_alert(Notification("firing", "login", "accessibility", T0, later, violated))
    history.close()
    again = History(tmp_path / "monitor.db")
    assert again.alerts("login", T0) == [SentAlert("firing", "timeout", T0, later)]
    assert again.alerts("login", later + timedelta(seconds=1)) == []


# --- what the status page reads -----------------------------------------------------------


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def a_run_of_everything(history: History) -> None:
    """Runs of failures of both kinds, a maintenance window inside one, a recovery too
    short for the policy between two, long stretches that worked, and an ongoing run."""
    outcomes = (
        ["success"] * 30
        + ["timeout"] * 4
        + ["success"]  # too short a recovery (successes_to_recover is 2)
        + ["timeout", "harness_error", "harness_error", "timeout"]
        + ["maintenance"] * 3
        + ["timeout"]
        + ["success"] * 40
        + ["setting_error", "success", "portal_unavailable"]
    )
    for n, outcome in enumerate(outcomes):
        if outcome in ("success", "maintenance"):
            result = CheckResult("login", at(n), "success", 4.0)
        else:
            result = CheckResult("login", at(n), "failure", 9.0, reason=outcome)
        history.record(result, maintenance=outcome == "maintenance")


def test_incidents_are_read_from_the_failures_and_the_checks_after_each_run(
    tmp_path: Path,
) -> None:
    from monitor import timeline
    from monitor.alerts import AlertPolicy

    history = History(tmp_path / "monitor.db")
    a_run_of_everything(history)
    since, before = at(-60), at(200)
    runs = history.failure_runs("login", since=since, before=before, follow=2)
    every = history.beats("login", since=since)
    assert len(runs) < len(every) / 2  # the long stretches that worked are not read
    for policy in (AlertPolicy(), AlertPolicy(failures_to_alert=2, successes_to_recover=1)):
        assert timeline.incidents("login", runs, at(200), policy) == timeline.incidents(
            "login", every, at(200), policy
        )
    # The ongoing run at the end; the one through the maintenance window ends after it.
    found = timeline.incidents("login", runs, at(200), AlertPolicy())
    assert [i.end for i in found if i.kind == "portal"][:2] == [None, at(43)]


def test_the_status_pages_reads_stop_before_its_time(tmp_path: Path) -> None:
    from monitor.alerts import Notification

    history = History(tmp_path / "monitor.db")
    history.record(result("success", minutes=0))
    history.record(result("failure", "timeout", minutes=5))
    history.record_alert(Notification("firing", "login", "timeout", at(5), at(5)))
    # Dated an hour ahead by a clock set wrong: a page of minute 10 leaves them out.
    history.record(result("failure", "timeout", minutes=70))
    history.record(result("success", minutes=75))
    history.record_alert(Notification("firing", "login", "timeout", at(70), at(70)))
    before = at(10)
    assert [b.started_at for b in history.beats("login", before=before)] == [at(0), at(5)]
    assert [b.started_at for b in history.beats("login", limit=1, before=before)] == [at(5)]
    last = history.last("login", before=before)
    assert last is not None
    assert last.started_at == at(5)
    assert history.uptimes("login", at(10), before=before)["24h"] == 1 / 2
    assert [a.at for a in history.alerts("login", T0, before=before)] == [at(5)]
    runs = history.failure_runs("login", since=T0, before=before)
    assert [b.started_at for b in runs] == [at(5)]  # ongoing: what ended it is in the future
    assert history.later("login", before) == 2
    # Without a bound, as the monitor itself reads: the last one recorded.
    assert history.last("login").started_at == at(75)


def test_uptimes_are_counted_over_each_window(tmp_path: Path) -> None:
    history = History(tmp_path / "monitor.db")
    now = T0 + timedelta(days=30)
    ages = {  # days before now: how it went
        25: "failure",
        20: "success",
        6: "harness_error",
        5: "failure",
        4: "success",
        3: "maintenance",
        0.5: "success",
        0.4: "degraded",
        0.3: "failure",
    }
    for days, outcome in ages.items():
        started = now - timedelta(days=days)
        if outcome == "harness_error":
            checked = CheckResult("login", started, "failure", 1.0, reason="harness_error")
        elif outcome == "maintenance":
            checked = CheckResult("login", started, "failure", 1.0, reason="timeout")
        else:
            reason = "timeout" if outcome == "failure" else ""
            checked = CheckResult("login", started, outcome, 1.0, reason=reason)
        history.record(checked, maintenance=outcome == "maintenance")
    assert history.uptimes("login", now) == {"24h": 2 / 3, "7d": 3 / 5, "30d": 4 / 7}
    assert history.uptime("login", now - timedelta(days=4.5)) == 3 / 4
    assert history.uptime("login", now - timedelta(days=3)) == 2 / 3  # maintenance aside


def test_the_history_says_when_it_changed(tmp_path: Path) -> None:
    from monitor.alerts import Notification

    history = History(tmp_path / "monitor.db")
    assert history.version() == (0, 0)
    history.record(result())
    first = history.version()
    history.record_alert(Notification("firing", "login", "timeout", T0, T0))
    second = history.version()
    history.record(result(minutes=5))
    assert len({first, second, history.version()}) == 3


@pytest.mark.parametrize("duration", [math.inf, -math.inf])
def test_a_duration_that_is_no_number_is_unknown(tmp_path: Path, duration: float) -> None:
    history = History(tmp_path / "monitor.db")
    history.record(CheckResult("login", T0, "success", duration))
    [beat] = history.beats("login")
    assert beat.portal_s is None
    assert Beat(T0, "success", 4.0, audit_s=math.nan).portal_s is None
