"""The schedule: continued after a restart, never overlapping, lag measured."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import schedule
from prometheus_client import generate_latest

from monitor.alerts import Alerter
from monitor.executor import CheckExecutor, CheckSpec, WarmBrowser
from monitor.history import History
from monitor.metrics import Metrics
from monitor.results import CheckResult
from monitor.service import Monitor, loop


class Unused:
    def run(self, spec: CheckSpec) -> CheckResult:
        raise AssertionError("no check should run here")


def monitor_with(tmp_path: Path, executor) -> Monitor:
    return Monitor(
        executor,
        [CheckSpec("portal"), CheckSpec("login")],
        History(tmp_path / "monitor.db"),
        Metrics(),
        Alerter(),
    )


def test_a_restarted_monitor_continues_its_schedule(tmp_path: Path) -> None:
    first = monitor_with(tmp_path, Unused())
    ran_at = datetime.now(UTC) - timedelta(seconds=100)
    first.history.record(CheckResult("portal", ran_at, "success", 2.0))
    first.history.close()

    again = monitor_with(tmp_path, Unused())
    scheduler = schedule.Scheduler()
    again.schedule(scheduler, every_s=300)
    portal, login = scheduler.jobs
    expected = ran_at.astimezone().replace(tzinfo=None) + timedelta(seconds=300)
    assert abs((portal.next_run - expected).total_seconds()) < 1
    assert (login.next_run - datetime.now()).total_seconds() <= 0  # never ran: due now


def test_a_check_that_raises_is_recorded_and_the_schedule_goes_on(tmp_path: Path) -> None:
    class Exploding:
        def run(self, spec: CheckSpec) -> CheckResult:
            raise RuntimeError("our bug")

    monitor = monitor_with(tmp_path, Exploding())
    result = monitor.run_check(CheckSpec("portal"))
    assert (result.outcome, result.reason) == ("failure", "harness_error")
    assert not result.counts_as_downtime
    assert monitor.history.last("portal").reason == "harness_error"


@pytest.mark.browser
@pytest.mark.exclusive_portal
def test_a_long_check_never_overlaps_another_and_their_lag_is_measured(
    playwright, sentinel_target, test_control, portal_access, tmp_path: Path
) -> None:
    warm = WarmBrowser(playwright)
    real = CheckExecutor(warm, sentinel_target.url, test_control, tmp_path / "evidence")
    stop = threading.Event()

    class StopAfterThree:
        runs = 0

        def run(self, spec: CheckSpec) -> CheckResult:
            result = real.run(spec)
            self.runs += 1
            if self.runs == 3:
                stop.set()
            return result

    checks = [CheckSpec("portal"), CheckSpec("registration")]
    monitor = Monitor(StopAfterThree(), checks, History(tmp_path / "m.db"), Metrics(), Alerter())
    test_control.set_faults(latency_ms=100)  # each check now takes longer than the interval
    try:
        loop(monitor, every_s=1, stop=stop)
    finally:
        test_control.clear_faults()
        warm.close()
    runs = sorted(
        monitor.history.recent("portal") + monitor.history.recent("registration"),
        key=lambda r: r.started_at,
    )
    assert len(runs) == 3
    for before, after in itertools.pairwise(runs):
        assert after.started_at >= before.started_at + timedelta(seconds=before.duration_s)
    text = generate_latest(monitor.metrics.registry).decode()
    # The registration check was due with the portal check and waited for it.
    [lag] = [
        line
        for line in text.splitlines()
        if line.startswith('portal_sentinel_schedule_lag_seconds{check="registration"}')
    ]
    assert float(lag.split()[-1]) >= runs[0].duration_s * 0.9
