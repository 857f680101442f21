"""Checks against the bundled mock with injected faults: classification, retries, evidence,
a killed browser, and the alert policy fed by real outcomes."""

from __future__ import annotations

import json
import os
import signal
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from prometheus_client import generate_latest

from flows.codes import CodeSourceError
from flows.context import Citizen, CodeArrival, CodeNotFound, CodeRequest
from monitor import evidence, status
from monitor.alerts import Alerter, AlertPolicy
from monitor.executor import CheckExecutor, CheckSpec, WarmBrowser
from monitor.history import History
from monitor.metrics import Metrics
from monitor.service import Monitor
from runtime.accessibility import Baseline, Known
from runtime.codes import OutboxCodes
from runtime.network import parse_network
from tests.security.leaks import Scanner, planted_faker, planted_values

pytestmark = [pytest.mark.browser, pytest.mark.exclusive_portal]
# What the mock's ``inaccessible`` fault breaks on the registration's identification screen.
IMPACT = {"image-alt": "critical", "label": "critical", "color-contrast": "serious"}


@pytest.fixture
def warm(playwright):
    browser = WarmBrowser(playwright)
    yield browser
    browser.close()


@pytest.fixture
def executor(warm, sentinel_target, test_control, tmp_path: Path, portal_access) -> CheckExecutor:
    # Without audits unless a test is about them: they double the time of a screen.
    yield CheckExecutor(warm, sentinel_target.url, test_control, tmp_path / "evidence", a11y="off")
    test_control.clear_faults()


def test_a_full_flow_check_times_every_documented_step(executor) -> None:
    executor.a11y = "report"
    result = executor.run(CheckSpec("activation", degraded_s=120))
    assert result.outcome == "success"
    assert [(s.flow, s.step) for s in result.steps][:2] == [
        ("registration", "1"),
        ("registration", "2"),
    ]
    assert len(result.steps) == 10 + 8
    assert result.steps[3].title == "4. Registar (Register)"
    # Each step's screen audited (the mock's are clean) and measured; each page load timed.
    assert [s.step for s in result.steps if s.a11y is None or not s.a11y.audited] == []
    assert [s.step for s in result.steps if s.a11y and s.a11y.findings] == []
    assert [s.step for s in result.steps if s.vitals is None] == []
    assert 0 < result.audit_s < result.duration_s  # the harness's time, kept apart
    loads = [s.vitals for s in result.steps if s.vitals and s.vitals.loaded]
    assert len(loads) >= 8
    for v in loads:
        assert 0 < (v.ttfb_s or 0) <= (v.fcp_s or 0) <= (v.lcp_s or 0), v
        assert v.requests >= 1
    # The registration code, asked at registration's step 10, typed at activation's step 3.
    [code] = result.codes
    assert (code.flow, code.purpose, code.arrived) == ("activation", "registration", True)
    assert code.seconds is not None


def test_maintenance_is_the_portal_unavailable_after_retries(executor, test_control) -> None:
    test_control.set_faults(maintenance=True)
    result = executor.run(CheckSpec("portal", retries=1))
    assert (result.outcome, result.reason, result.attempts) == ("failure", "portal_unavailable", 2)
    assert result.counts_as_downtime
    evidence = Path(result.evidence)
    assert (evidence / "screenshot.png").stat().st_size > 0
    assert "reason: portal_unavailable" in (evidence / "failure.txt").read_text()


def test_intermittent_errors_pass_on_a_retry(executor, test_control) -> None:
    test_control.set_faults(error_rate=1, error_status=502, path_prefix="/registo")
    failed = executor.run(CheckSpec("portal", retries=0))
    assert (failed.reason, failed.failed_step) == ("portal_unavailable", "4")
    test_control.clear_faults()
    assert executor.run(CheckSpec("portal", retries=2)).attempts == 1


def test_slow_but_working_is_degraded(executor, test_control) -> None:
    test_control.set_faults(latency_ms=300)
    result = executor.run(CheckSpec("portal", degraded_s=1.0))
    assert result.outcome == "degraded"
    assert result.ok


def test_a_check_over_its_time_limit_fails_as_a_timeout(executor, test_control) -> None:
    test_control.set_faults(latency_ms=300)
    result = executor.run(CheckSpec("portal", timeout_s=1.0, degraded_s=0.5, retries=0))
    assert (result.outcome, result.reason) == ("failure", "timeout")


def test_a_missing_code_is_named(executor) -> None:
    class NoCodes:
        def latest(self, request: CodeRequest) -> CodeArrival:
            raise CodeNotFound(f"no {request.purpose} code was sent")

    executor.codes_for = lambda api: NoCodes()
    result = executor.run(CheckSpec("activation", retries=0))
    assert (result.reason, result.failed_step) == ("missing_code", "3")


def test_a_wait_for_a_code_never_outlasts_the_checks_time_limit(executor, warm) -> None:
    """A code source that would wait a minute is told how long the check has left: the check
    fails on time as the missing code it is, at its step, with its evidence, and the healthy
    browser is not killed as hung."""
    offered: list[float] = []

    class Slow:
        def latest(self, request: CodeRequest) -> CodeArrival:
            offered.append(request.waiting(60.0))
            threading.Event().wait(offered[-1])  # as a mailbox waits for a message
            raise CodeNotFound(f"no code came: waited {offered[-1]:.3g}s")

    restarts = []
    warm.on_restart = lambda: restarts.append(1)
    executor.codes_for = lambda api: Slow()
    result = executor.run(CheckSpec("activation", timeout_s=20.0, retries=0))
    assert (result.reason, result.failed_step) == ("missing_code", "3")
    assert offered
    assert offered[0] < 20.0
    assert (Path(result.evidence) / "screenshot.png").is_file()
    assert restarts == []


def test_a_killed_browser_is_replaced_and_counted(executor, warm) -> None:
    restarts = []
    warm.on_restart = lambda: restarts.append(1)
    warm.get().close()  # as if it crashed between two checks
    assert executor.run(CheckSpec("portal")).outcome == "success"
    assert restarts == [1]


def test_the_monitor_alerts_and_keeps_history(executor, test_control, tmp_path: Path) -> None:
    history = History(tmp_path / "monitor.db")
    monitor = Monitor(
        executor,
        [CheckSpec("portal", retries=0)],
        history,
        Metrics(),
        Alerter(AlertPolicy(failures_to_alert=2, successes_to_recover=1)),
    )
    sent = []
    monitor.notify = sent.append
    test_control.set_faults(maintenance=True)
    monitor.run_once()
    monitor.run_once()
    test_control.clear_faults()
    monitor.run_once()
    assert [n.kind for n in sent] == ["firing", "resolved"]
    assert [r.outcome for r in history.recent("portal")] == ["success", "failure", "failure"]


def test_failure_evidence_keeps_a_trace_without_secrets(executor, test_control) -> None:
    seen: dict[str, str] = {}

    class Recording(OutboxCodes):
        def latest(self, request: CodeRequest) -> CodeArrival:
            arrival = super().latest(request)
            seen.update(niss=request.niss, code=arrival.code)
            return arrival

    executor.codes_for = Recording
    test_control.set_faults(error_rate=1, error_status=500, path_prefix="/ativar/palavra-passe")
    result = executor.run(CheckSpec("activation", retries=0))
    assert (result.reason, result.failed_step) == ("portal_unavailable", "4")
    trace = Path(result.evidence) / "trace.zip"
    assert evidence.contains_any(trace, [seen["niss"], seen["code"]]) == []
    assert evidence.contains_any(trace, ["•••", "Confirmar código de verificação"]) == [
        "•••",
        "Confirmar código de verificação",
    ]


def test_a_hung_browser_is_killed_and_replaced(executor, warm) -> None:
    restarts = []
    warm.on_restart = lambda: restarts.append(1)
    warm.get()
    os.killpg(warm.pid, signal.SIGSTOP)  # the browser stops answering, as a hung one does
    result = executor.run(CheckSpec("portal", timeout_s=2, retries=0))
    assert (result.outcome, result.reason) == ("failure", "timeout")
    assert "stopped answering" in result.message
    assert executor.run(CheckSpec("portal")).outcome == "success"
    assert restarts == [1]


class Late(OutboxCodes):
    """The outbox's codes, as if each had reached the mailbox 72.4 s after the click."""

    def __init__(self, api, seen: dict[str, str]) -> None:
        super().__init__(api)
        self.seen = seen

    def latest(self, request: CodeRequest) -> CodeArrival:
        arrival = super().latest(request)
        self.seen.update(niss=request.niss, recipient=request.recipient or "", code=arrival.code)
        assert request.asked_at is not None
        return CodeArrival(arrival.code, request.asked_at + 72.4)


def test_a_code_that_comes_late_makes_a_working_check_degraded(executor, tmp_path: Path) -> None:
    seen: dict[str, str] = {}
    executor.codes_for = lambda api: Late(api, seen)
    history = History(tmp_path / "monitor.db")
    metrics = Metrics()
    monitor = Monitor(executor, [CheckSpec("activation", retries=0)], history, metrics, Alerter())
    [result] = monitor.run_once()
    [code] = result.codes
    assert (result.outcome, code.seconds) == ("degraded", pytest.approx(72.4))
    assert result.message == f"the registration code by {code.channel} took 72.4 s, over 60 s"
    labels = {"flow": "activation", "purpose": "registration", "channel": code.channel}
    count = "portal_sentinel_code_delivery_seconds_count"
    assert metrics.registry.get_sample_value(count, labels) == 1
    # Neither the citizen nor the code reach the message, the history or the metrics.
    history.close()
    written = [
        result.message,
        generate_latest(metrics.registry).decode(),
        (tmp_path / "monitor.db").read_bytes().decode("latin-1"),
    ]
    assert all(seen[key] for key in ("niss", "recipient", "code"))  # something was planted
    assert [v for v in seen.values() for text in written if v in text] == []


def test_codes_that_stop_arriving_fail_the_check_are_counted_and_alert(
    executor, test_control, tmp_path: Path
) -> None:
    test_control.set_faults(withhold_codes=True)  # the portal sends no code
    metrics = Metrics()
    monitor = Monitor(
        executor,
        [CheckSpec("activation", retries=0)],
        History(tmp_path / "monitor.db"),
        metrics,
        Alerter(AlertPolicy(failures_to_alert=2)),
    )
    sent = []
    monitor.notify = sent.append
    first, second = monitor.run_once() + monitor.run_once()
    assert [(r.reason, r.failed_step) for r in (first, second)] == [("missing_code", "3")] * 2
    [code] = second.codes
    assert (code.flow, code.purpose, code.arrived) == ("activation", "registration", False)
    labels = {"flow": "activation", "purpose": "registration", "channel": code.channel}
    assert metrics.registry.get_sample_value("portal_sentinel_codes_missing_total", labels) == 2
    assert [(n.kind, n.check, n.reason) for n in sent] == [("firing", "activation", "missing_code")]


def test_a_broken_code_source_is_our_error_not_a_missing_code(executor) -> None:
    class Unusable:
        def latest(self, request: CodeRequest) -> CodeArrival:
            raise CodeSourceError("the mailbox refused the login")

    executor.codes_for = lambda api: Unusable()
    metrics = Metrics()
    result = executor.run(CheckSpec("activation", retries=0))
    metrics.record(result)
    assert (result.reason, result.counts_as_downtime) == ("harness_error", False)
    assert result.codes == []
    assert "codes_missing_total{" not in generate_latest(metrics.registry).decode()


def test_a_new_inaccessible_screen_alerts_at_its_step_and_the_check_still_works(
    executor, test_control, tmp_path: Path
) -> None:
    """The mock's ``inaccessible`` fault breaks three rules on the identification screen,
    which step 5 (the terms) leads to: the check works, the rules are found there with their
    impact, counted as new, alerted once each naming flow, step and rule, and shown on the
    status page; with the baseline that accepts them, nothing is new and the alerts resolve.
    Nothing of the citizen reaches the metrics, the page, the history or the alerts.

    Each request is slow: a step ends once its next screen can be used, before its style
    sheet came, and the audit waits for it (else steps 6 and 7 would not be seen to be on
    step 5's screen, and their violations would be new as well)."""
    executor.a11y = "report"
    executor.fake = planted_faker()
    citizens: list[Citizen] = []
    provision = executor._citizen

    def noted(flow: str) -> Citizen:
        citizens.append(provision(flow))
        return citizens[-1]

    executor._citizen = noted
    metrics = Metrics()
    monitor = Monitor(
        executor,
        [CheckSpec("registration")],
        History(tmp_path / "monitor.db"),
        metrics,
        Alerter(AlertPolicy(failures_to_alert=1, successes_to_recover=1)),
    )
    sent = []
    monitor.notify = sent.append
    test_control.set_faults(inaccessible=True, latency_ms=250)
    [result] = monitor.run_once()

    assert (result.outcome, result.ok) == ("success", True)
    found = {
        (s.step, f.rule, f.impact, f.new) for s in result.steps if s.a11y for f in s.a11y.findings
    }
    assert found == {
        (step, rule, impact, step == "5")
        for step in ("5", "6", "7")  # 6 and 7 type on step 5's screen: not new again
        for rule, impact in IMPACT.items()
    }
    assert {s.step for s in result.steps if s.a11y and s.a11y.findings} == {"5", "6", "7"}
    assert sorted((n.kind, n.violation.step, n.violation.rule) for n in sent) == [
        ("firing", "5", rule) for rule in sorted(IMPACT)
    ]
    assert all("of registration since" in n.text() for n in sent)
    new = "portal_sentinel_a11y_new_violations"
    assert (
        metrics.registry.get_sample_value(new, {"flow": "registration", "impact": "critical"}) == 2
    )
    assert (
        metrics.registry.get_sample_value(new, {"flow": "registration", "impact": "serious"}) == 1
    )
    labels = {"flow": "registration", "step": "5", "impact": "critical"}
    assert metrics.registry.get_sample_value("portal_sentinel_a11y_violations", labels) == 2
    page = status.render(monitor.history, ["registration"], datetime.now(UTC))
    assert page.count(" (new)</td>") == 3

    executor.baseline = Baseline(
        {Known("registration", "5", rule) for rule in IMPACT}  # as `sentinel audit` writes it
    )
    [again] = monitor.run_once()
    assert again.ok
    assert again.new_violations() == []
    assert (
        metrics.registry.get_sample_value(new, {"flow": "registration", "impact": "critical"}) == 0
    )
    assert sorted((n.kind, n.violation.rule) for n in sent[3:]) == [
        ("resolved", rule) for rule in sorted(IMPACT)
    ]

    monitor.history.close()
    scanner = Scanner(planted_values(citizens))
    leaks = [
        *scanner.text(generate_latest(metrics.registry).decode(), "the metrics"),
        *scanner.text(page, "the status page"),
        *scanner.files(tmp_path / "monitor.db"),
        *(leak for n in sent for leak in scanner.text(json.dumps(n.payload()), "an alert")),
    ]
    assert len(citizens) == 2
    assert not leaks, "\n".join(map(str, leaks))


def test_a_check_on_a_slow_network_has_its_time_limits_scaled_and_its_pages_slowed(
    executor,
) -> None:
    executor.network = parse_network("fast-3g")
    scaled = executor.limits(CheckSpec("portal", timeout_s=120, degraded_s=30))
    assert (scaled.timeout_s, scaled.degraded_s) == (360, 90)  # fast-3g's factor of 3
    result = executor.run(CheckSpec("portal", retries=0))
    assert result.outcome == "success", result.message
    first = result.steps[0].vitals
    assert first is not None
    assert first.loaded
    # Each request waits the profile's latency (562.5 ms) at least: the network was there.
    assert (first.ttfb_s or 0) >= 0.56


def test_a_network_cut_after_a_step_fails_the_next_that_needs_the_portal_saying_so(
    executor,
) -> None:
    executor.network = parse_network("offline-after=portal:2")
    result = executor.run(CheckSpec("portal", retries=0))
    assert (result.reason, result.failed_step) == ("portal_unavailable", "3")
    assert "cut the browser's network after step 2." in result.message
