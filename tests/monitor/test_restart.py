"""A restarted monitor continues from its history: ``/metrics`` shows each check's last
result (and when it ran) at once, not only after the next check an interval later, and the
alert policy knows which outages it alerted already."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from monitor.alerts import Alerter, AlertPolicy, Notification
from monitor.executor import CheckSpec
from monitor.history import History
from monitor.metrics import Metrics
from monitor.results import CheckResult, CodeTiming, StepTiming
from monitor.service import Monitor
from tests.helpers import free_port, serving

T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)


def parsed(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Each sample of a /metrics text by its name and sorted labels."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def samples(metrics: Metrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return parsed(generate_latest(metrics.registry).decode())


def login(minutes: int, outcome: str = "failure") -> CheckResult:
    steps = [StepTiming("login", "1", 0.5, True, "1. Iniciar sessão (Log in)")]
    if outcome == "failure":
        steps.append(StepTiming("login", "3", 4.0, False, "3. Entrar (Log in)"))
    return CheckResult(
        "login",
        T0 + timedelta(minutes=minutes),
        outcome,  # type: ignore[arg-type]
        4.5,
        reason="timeout" if outcome == "failure" else "",
        failed_step="3" if outcome == "failure" else "",
        steps=steps,
        codes=[CodeTiming("login", "login", "sms", True, 1.5)],
    )


class Scripted:
    def __init__(self, results: list[CheckResult]) -> None:
        self.evidence_dir = Path("/nonexistent")
        self.results = results

    def run(self, spec: CheckSpec) -> CheckResult:
        return self.results.pop(0)


def restarted(tmp_path: Path, results: list[CheckResult], sent: list[Notification]) -> Monitor:
    monitor = Monitor(
        Scripted(results),
        [CheckSpec("login"), CheckSpec("portal")],
        History(tmp_path / "monitor.db"),
        Metrics(),
        Alerter(AlertPolicy(failures_to_alert=3, successes_to_recover=2)),
        notify=sent.append,
    )
    monitor.restore()
    return monitor


def seed(tmp_path: Path, *results: CheckResult) -> None:
    history = History(tmp_path / "monitor.db")
    for result in results:
        history.record(result)
    history.close()


def test_the_last_result_of_each_check_is_in_the_metrics_at_start(tmp_path: Path) -> None:
    seed(tmp_path, login(0, "success"), login(5))
    found = samples(restarted(tmp_path, [], []).metrics)
    check = (("check", "login"),)
    assert found[("probe_success", check)] == 0
    assert found[("probe_duration_seconds", check)] == 4.5
    assert (
        found[("portal_sentinel_last_check_timestamp_seconds", check)]
        == (T0 + timedelta(minutes=5)).timestamp()
    )
    assert found[("portal_sentinel_last_success_timestamp_seconds", check)] == T0.timestamp()
    step = (("flow", "login"), ("step", "3"))
    assert found[("portal_sentinel_step_success", step)] == 0
    assert found[("portal_sentinel_step_duration_seconds", step)] == 4.0
    code = (("channel", "sms"), ("flow", "login"), ("purpose", "login"))
    assert found[("portal_sentinel_code_delivery_last_seconds", code)] == 1.5
    # A check with no history has no series yet; counters start again from zero.
    assert ("probe_success", (("check", "portal"),)) not in found
    assert ("portal_sentinel_checks_total", (("check", "login"), ("outcome", "failure"))) not in (
        found
    )


def test_an_outage_alerted_before_the_restart_is_not_alerted_again(tmp_path: Path) -> None:
    seed(tmp_path, login(0), login(5), login(10))  # 3 failures: FIRING was sent then
    sent: list[Notification] = []
    monitor = restarted(tmp_path, [login(15), login(20, "success"), login(25, "success")], sent)
    monitor.run_once()
    assert sent == []  # still down: no second FIRING
    monitor.run_once()
    monitor.run_once()
    [resolved] = sent
    assert resolved.kind == "resolved"
    assert resolved.since == T0  # the outage as it began, before the restart


def test_a_streak_begun_before_the_restart_alerts_when_it_reaches_the_policy(
    tmp_path: Path,
) -> None:
    seed(tmp_path, login(0, "success"), login(5), login(10))
    sent: list[Notification] = []
    restarted(tmp_path, [login(15)], sent).run_once()
    [firing] = sent
    assert (firing.kind, firing.since) == ("firing", T0 + timedelta(minutes=5))


@pytest.mark.slow
def test_a_restarted_monitor_serves_the_last_result_before_its_next_check(
    tmp_path: Path,
) -> None:
    """The monitor process itself: the last portal check failed a minute ago and the next is
    an hour away, yet /metrics says so from the start."""
    data = tmp_path / "monitor"
    ran = datetime.now(UTC) - timedelta(minutes=1)
    failed = CheckResult("portal", ran, "failure", 3.0, reason="portal_unavailable")
    failed.failed_step = "1"
    failed.steps = [StepTiming("portal", "1", 3.0, False, "1. Iniciar sessão (Log in)")]
    seed(data, failed)
    port = free_port()
    command = [sys.executable, "-m", "sentinel", "monitor", "--flow", "portal", "--every", "1h"]
    command += ["--metrics-port", str(port), "--data", str(data)]
    with serving(command, "Status page:"):
        found = parsed(httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=30).text)
    assert found[("probe_success", (("check", "portal"),))] == 0
    assert found[("portal_sentinel_last_check_timestamp_seconds", (("check", "portal"),))] == (
        pytest.approx(ran.timestamp(), abs=0.001)
    )
    assert found[("portal_sentinel_step_success", (("flow", "portal"), ("step", "1")))] == 0
