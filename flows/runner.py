"""The one runner: executes a flow's steps in order and tells observers about each.

Observers receive ``flow_started``, ``step_started`` (with the located elements, before the
action), ``step_finished`` (with the outcome and duration) and ``flow_finished``. An observer
that raises does not stop the flow: its error is logged and the run goes on, since a report
must never change what it reports on.

A flow that writes never reaches the production portal: the runner refuses a production
``base_url`` before the flow starts, and guards the browser context (``flows.guard``) so that
any request the flow's pages make to a production host is stopped before it leaves; the flow
then fails with ``ProductionRefused`` naming the host.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Request, Response
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from flows.codes import CodeDelivery, CodeNotFound, CodeSourceError
from flows.context import Run, TargetUnreachable
from flows.detours import SESSION_EXPIRED, Detour, SessionExpired, cookie_consent, session_expired
from flows.errors import (
    FlowError,
    HarnessDefect,
    PortalDefect,
    PortalUnavailable,
    ProductionRefused,
)
from flows.flow import Flow, Step
from flows.guard import ProductionGuard, guard_context, guard_of
from flows.production import host_of, writers_refused

log = logging.getLogger("flows.runner")


@dataclass
class StepResult:
    step: Step
    passed: bool
    duration_s: float
    error: FlowError | None = None
    elements: list[str] = field(default_factory=list)
    # A step that typed a code: how its delivery went (``flows.codes``).
    code_delivery: CodeDelivery | None = None


@dataclass
class FlowResult:
    flow: Flow
    steps: list[StepResult]
    duration_s: float

    @property
    def passed(self) -> bool:
        return all(s.passed for s in self.steps) and len(self.steps) == len(self.flow.steps)

    @property
    def error(self) -> FlowError | None:
        return next((s.error for s in self.steps if s.error), None)


class Observer:
    """Base class with every notification a no-op; override what you need."""

    def flow_started(self, flow: Flow, run: Run) -> None: ...

    def step_started(self, step: Step, run: Run, elements: Sequence[Locator]) -> None: ...

    def detour(self, step: Step, run: Run, detour: Detour) -> None:
        """The portal put a screen in the step's way, and the step passed it
        (``flows.detours``): a cookie banner, the login choice, a prompt, an expired
        session (then the flow starts again from its first step)."""

    def step_finished(self, step: Step, run: Run, result: StepResult) -> None: ...

    def flow_finished(self, flow: Flow, run: Run, result: FlowResult) -> None: ...


class _Navigation:
    """How the last page load went, to tell an outage from a missing label: the status of
    the last page the browser loaded, and the network error of a page load that got no
    answer in the current step (a portal killed mid-flow leaves Chromium's error page)."""

    def __init__(self, run: Run):
        self.status: int | None = None
        self.failure: str | None = None
        self.page = run.page

    def __call__(self, response: Response) -> None:
        if response.request.is_navigation_request() and response.frame == self.page.main_frame:
            self.status = response.status
            self.failure = None

    def failed(self, request: Request) -> None:
        # An aborted load was replaced by another one: that is no sign of an outage.
        if request.failure == "net::ERR_ABORTED":
            return
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.failure = request.failure


class Runner:
    """``offline``: says how and when the harness itself took the browser's network away (a
    slow-network emulation told to cut it), empty until then; a step that cannot reach the
    portal afterwards fails saying so, not as an outage of unknown cause."""

    def __init__(
        self, observers: Sequence[Observer] = (), *, offline: Callable[[], str] = lambda: ""
    ):
        self.observers = list(observers)
        self.offline = offline

    def run(self, flow: Flow, run: Run, *, raise_on_failure: bool = True) -> FlowResult:
        """Run every step; the first failure ends the flow and is raised, classified.

        A flow that writes pointed at the production portal raises ``ProductionRefused`` at
        once, before any request, whatever ``raise_on_failure`` says."""
        guard = production_guard(flow, run)
        refused_before = len(guard.blocked) if guard else 0
        navigation = _Navigation(run)
        run.page.on("response", navigation)
        run.page.on("requestfailed", navigation.failed)
        run.page.set_default_timeout(run.timeout_ms)
        self._notify("flow_started", flow, run)
        results: list[StepResult] = []
        started = time.perf_counter()
        current: list[Step] = [flow.steps[0]] if flow.steps else []
        run.on_detour = lambda detour: self._notify("detour", current[0], run, detour)
        try:
            with cookie_consent(run):
                for attempt in (1, 2):
                    results = []
                    for step in flow.steps:
                        current[:] = [step]
                        result = self._run_step(flow, step, run, navigation)
                        refusal = _refusal(guard, refused_before, flow, step)
                        if refusal is not None:
                            # Whatever the step made of it (a blocked page looks like an outage).
                            result = StepResult(
                                step, False, result.duration_s, refusal, result.elements
                            )
                        results.append(result)
                        if not result.passed:
                            break
                    if attempt == 1 and _expired(results, run) and not _committed(results):
                        # Once: a session that expires again is the portal's failure.
                        run.detoured(SESSION_EXPIRED)
                        continue
                    break
                if _expired(results, run):
                    results[-1] = _expiry(results[-1], flow)
        finally:
            run.on_detour = lambda detour: None
            run.page.remove_listener("response", navigation)
            run.page.remove_listener("requestfailed", navigation.failed)
        outcome = FlowResult(flow, results, time.perf_counter() - started)
        self._notify("flow_finished", flow, run, outcome)
        if raise_on_failure and outcome.error is not None:
            raise outcome.error from outcome.error.cause
        return outcome

    def _run_step(self, flow: Flow, step: Step, run: Run, navigation: _Navigation) -> StepResult:
        started = time.perf_counter()
        elements: Sequence[Locator] = ()
        navigation.failure = None
        try:
            elements = step.locate(run)
            self._notify("step_started", step, run, elements)
            step.act(run, elements)
        except Exception as error:
            failure = classify(
                error,
                flow,
                step,
                navigation.status,
                unanswered=navigation.failure,
                offline=self.offline(),
            )
            result = StepResult(
                step, False, time.perf_counter() - started, failure, _describe(elements)
            )
        else:
            result = StepResult(
                step, True, time.perf_counter() - started, elements=_describe(elements)
            )
        result.code_delivery = run.take_delivery()
        self._notify("step_finished", step, run, result)
        return result

    def _notify(self, event: str, *args: object) -> None:
        for observer in self.observers:
            try:
                getattr(observer, event)(*args)
            except Exception:
                log.exception("observer %s failed on %s", type(observer).__name__, event)


def _expired(results: list[StepResult], run: Run) -> bool:
    """Did the flow stop because the portal said the session expired?"""
    if not results or results[-1].passed or isinstance(results[-1].error, ProductionRefused):
        return False
    error = results[-1].error
    return isinstance(error.cause if error else None, SessionExpired) or session_expired(run.page)


def _expiry(result: StepResult, flow: Flow) -> StepResult:
    """The failed step, its error naming the expired session the portal shows."""
    error = result.error
    if error is not None and isinstance(error.cause, SessionExpired):
        return result
    failure = PortalDefect(
        f"step {result.step.title} of {flow.name}: the portal says the session expired",
        flow=flow.name,
        step=result.step.number,
        cause=error.cause if error else None,
    )
    return StepResult(result.step, False, result.duration_s, failure, result.elements)


def _committed(results: list[StepResult]) -> bool:
    """Has a step that changes the portal's records passed? Then starting again would do
    it twice: the expired session is the flow's failure."""
    return any(result.passed and result.step.commits for result in results)


def production_guard(flow: Flow, run: Run) -> ProductionGuard | None:
    """Refuse a flow that writes against the production portal; guard its browser context
    (once per context, for the context's life). Returns the context's guard, if any."""
    if not flow.writes:
        return guard_of(run.page.context)
    refusal = writers_refused([flow], host_of(run.base_url))
    if refusal:
        raise ProductionRefused(refusal, flow=flow.name, step="")
    return guard_context(run.page.context)


def _refusal(
    guard: ProductionGuard | None, before: int, flow: Flow, step: Step
) -> ProductionRefused | None:
    """The refusal to report when the browser stopped a request to production in this flow."""
    if guard is None or len(guard.blocked) <= before:
        return None
    host = guard.blocked[before]
    return ProductionRefused(
        f"step {step.title} of {flow.name}: the browser was sent to {host}, the production "
        "portal, and the request was stopped before it left: a browser that runs flows which "
        "create or change accounts never reaches production",
        flow=flow.name,
        step=step.number,
    )


def classify(
    error: BaseException,
    flow: Flow,
    step: Step,
    status: int | None,
    *,
    unanswered: str | None = None,
    offline: str = "",
) -> FlowError:
    """Turn whatever a step raised into one of the three kinds of failure. ``unanswered``:
    the network error of a page load of this step that got no answer; ``offline``: how the
    harness cut the browser's network, when it did (``Runner``)."""
    where = f"step {step.title} of {flow.name}"
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    documented = f" (documented in {step.label.source})" if step.label.source else ""
    if isinstance(error, FlowError):
        return error
    network_error = unanswered if unanswered and unanswered.startswith("net::ERR_") else None
    if network_error is None and isinstance(error, PlaywrightError):
        network_error = next((w for w in str(error).split() if w.startswith("net::ERR_")), None)
    if offline and network_error:
        # On purpose: the portal is unavailable to this browser, and nobody need look at it.
        return PortalUnavailable(
            f"{where}: the portal cannot be reached ({network_error}): {offline}",
            flow=flow.name,
            step=step.number,
            cause=error,
        )
    if status is not None and status >= 500:
        return PortalUnavailable(
            f"{where}{documented}: the portal answered HTTP {status}",
            flow=flow.name,
            step=step.number,
            cause=error,
        )
    if unanswered and unanswered.startswith("net::ERR_"):
        return PortalUnavailable(
            f"{where}: the portal cannot be reached, no answer to the page load ({unanswered})",
            flow=flow.name,
            step=step.number,
            cause=error,
        )
    if isinstance(error, TargetUnreachable):
        return PortalUnavailable(
            f"{where}: the portal cannot be reached ({first_line})",
            flow=flow.name,
            step=step.number,
            cause=error,
        )
    if isinstance(error, PlaywrightError) and "net::ERR_" in str(error):
        return PortalUnavailable(
            f"{where}: the portal cannot be reached ({first_line})",
            flow=flow.name,
            step=step.number,
            cause=error,
        )
    if isinstance(error, PlaywrightTimeout | AssertionError):
        # A page the portal refused (404, 410, ...) says more than the screen it is not.
        refused = f"the portal answered HTTP {status}; " if status and status >= 400 else ""
        return PortalDefect(
            f"{where}: '{step.label.pt}'{documented} was not found or the screen did not "
            f"follow: {refused}{first_line}",
            flow=flow.name,
            step=step.number,
            cause=error,
        )
    if isinstance(error, CodeNotFound | SessionExpired):
        return PortalDefect(f"{where}: {first_line}", flow=flow.name, step=step.number, cause=error)
    if isinstance(error, CodeSourceError):
        # Our own mailbox or webhook, not the portal: never counted as the portal's failure.
        return HarnessDefect(
            f"{where}: the harness's code source is unusable: {first_line}",
            flow=flow.name,
            step=step.number,
            cause=error,
        )
    return HarnessDefect(
        f"{where}: {type(error).__name__}: {first_line}",
        flow=flow.name,
        step=step.number,
        cause=error,
    )


def _describe(elements: Sequence[Locator]) -> list[str]:
    return [str(element) for element in elements]
