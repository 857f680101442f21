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


def test_the_status_page_metrics_and_evidence_are_served(tmp_path: Path) -> None:
    import httpx

    from monitor.service import serve_http

    class WithEvidence(Unused):
        evidence_dir = tmp_path / "evidence"

    folder = WithEvidence.evidence_dir / "20261123T100000Z-portal"
    folder.mkdir(parents=True)
    (folder / "screenshot.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "secret.txt").write_text("outside")
    monitor = monitor_with(tmp_path, WithEvidence())
    failed = CheckResult(
        "portal",
        datetime.now(UTC),
        "failure",
        1.5,
        reason="timeout",
        failed_step="3",
        message="slow",
        evidence=str(folder),
    )
    monitor.history.record(failed)
    monitor.metrics.record(failed)
    server = serve_http(monitor, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = httpx.get(f"{base}/")
        assert page.status_code == 200
        assert "Down" in page.text
        assert "href='/evidence/20261123T100000Z-portal/screenshot.png'" in page.text
        shot = httpx.get(f"{base}/evidence/20261123T100000Z-portal/screenshot.png")
        assert (shot.status_code, shot.content) == (200, b"\x89PNG fake")
        assert httpx.get(f"{base}/evidence/../secret.txt").status_code == 404
        assert httpx.get(f"{base}/evidence/%2e%2e/secret.txt").status_code == 404
        assert 'probe_success{check="portal"} 0.0' in httpx.get(f"{base}/metrics").text
    finally:
        server.shutdown()
        server.server_close()


def test_a_maintenance_window_is_in_the_metrics_and_the_log_while_open(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Prometheus's rules hold off on ``portal_sentinel_maintenance``, read at each scrape."""

    class Failing:
        def run(self, spec: CheckSpec) -> CheckResult:
            return CheckResult(spec.name, datetime.now(UTC), "failure", 1.0, reason="timeout")

    open_window = [True]
    monitor = Monitor(
        Failing(),
        [CheckSpec("portal")],
        History(tmp_path / "monitor.db"),
        Metrics(),
        Alerter(),
        in_maintenance=lambda now: open_window[0],
    )
    with caplog.at_level("INFO", logger="monitor.service"):
        monitor.run_check(CheckSpec("portal"))
    assert "portal: failure in 1.0s (timeout) in a declared maintenance window" in caplog.text
    assert b"portal_sentinel_maintenance 1.0" in generate_latest(monitor.metrics.registry)
    open_window[0] = False
    assert b"portal_sentinel_maintenance 0.0" in generate_latest(monitor.metrics.registry)
