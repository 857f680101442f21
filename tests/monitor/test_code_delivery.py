"""A check's code deliveries: collected from the steps that typed a code (prerequisites
included), kept from every try, and a slow code makes a working check degraded."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from flows import catalog
from flows.codes import CodeDelivery
from flows.context import Run
from flows.runner import StepResult
from monitor.executor import CheckExecutor, CheckSpec, WarmBrowser, _slowness, _Timings
from monitor.results import CheckResult, CodeTiming
from runtime.accessibility import AuditCache

RUN = cast(Run, None)  # the observer reads nothing of the run


def test_each_code_is_named_for_the_flow_whose_step_typed_it() -> None:
    timings = _Timings("login")
    activation, login = catalog.FLOWS["activation"], catalog.FLOWS["login"]
    typed = [
        (activation, CodeDelivery("registration", "email", True, 3.2)),
        (login, None),  # a step that typed no code
        (login, CodeDelivery("login", "sms", True, None)),
        (login, CodeDelivery("contacts", "sms", False)),
    ]
    for flow, delivery in typed:
        timings.flow_started(flow, RUN)
        step = flow.steps[1]
        timings.step_finished(step, RUN, StepResult(step, True, 0.1, code_delivery=delivery))
    assert timings.codes == [
        CodeTiming("activation", "registration", "email", True, 3.2),
        CodeTiming("login", "login", "sms", True, None),
        CodeTiming("login", "contacts", "sms", False),
    ]


class NoBrowser:
    """What the executor's watchdog needs of a browser, for checks that start none."""

    def __init__(self) -> None:
        self.killed = threading.Event()

    def kill(self) -> None:
        raise AssertionError("no browser to kill")


class Scripted(CheckExecutor):
    """An executor whose tries return the results given, in order."""

    def __init__(self, tmp_path: Path, *tries: CheckResult) -> None:
        super().__init__(cast(WarmBrowser, NoBrowser()), "http://mock", None, tmp_path)
        self.tries = list(tries)

    def _attempt(
        self,
        spec: CheckSpec,
        started_at: datetime,
        attempt: int,
        deadline: float,
        cache: AuditCache,
    ) -> CheckResult:
        return self.tries.pop(0)


def tried(outcome: str, *codes: CodeTiming, reason: str = "") -> CheckResult:
    return CheckResult("activation", datetime.now(UTC), outcome, 0.0, reason=reason, codes=[*codes])


def email(seconds: float | None) -> CodeTiming:
    return CodeTiming("activation", "registration", "email", seconds is not None, seconds)


def test_a_check_whose_code_came_late_is_degraded_naming_the_code(tmp_path: Path) -> None:
    executor = Scripted(tmp_path, tried("success", email(72.4), email(1.0)))
    result = executor.run(CheckSpec("activation"))
    assert (result.outcome, result.ok) == ("degraded", True)
    assert result.message == "the registration code by email took 72.4 s, over 60 s"


def test_the_code_delivery_threshold_is_the_checks_own(tmp_path: Path) -> None:
    spec = CheckSpec("activation", code_delivery_degraded_s=80.0)
    assert Scripted(tmp_path, tried("success", email(72.4))).run(spec).outcome == "success"
    spec = CheckSpec("activation", code_delivery_degraded_s=5.0)
    assert Scripted(tmp_path, tried("success", email(72.4))).run(spec).outcome == "degraded"


def test_a_code_that_never_came_before_a_retry_is_kept(tmp_path: Path) -> None:
    executor = Scripted(
        tmp_path,
        tried("failure", email(None), reason="missing_code"),
        tried("success", email(2.0)),
    )
    result = executor.run(CheckSpec("activation", retries=1))
    assert result.outcome == "success"
    assert [(c.arrived, c.attempt) for c in result.codes] == [(False, 1), (True, 2)]


def test_the_accessibility_audits_own_time_does_not_make_a_check_degraded() -> None:
    """The audits are the harness's work: a check is slow by the portal's time only."""
    spec = CheckSpec("activation", degraded_s=30)
    audited = CheckResult("activation", datetime.now(UTC), "success", 40.0, audit_s=12.0)
    assert _slowness(audited, spec) == []
    audited.audit_s = 5.0
    assert _slowness(audited, spec) == ["the check took 35.0 s, over 30 s"]
