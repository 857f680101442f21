"""Running one check: a flow in a fresh context of one warm browser, with retries.

The browser is launched once and kept; a crashed or closed browser is noticed and replaced
before the next check, so one bad check never stops the schedule.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, Playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from flows.context import (
    NOBODY,
    Citizen,
    CodeArrival,
    CodeNotFound,
    CodeRequest,
    CodeSource,
    NoCodes,
    Run,
    TargetUnreachable,
)
from flows.detours import Detour
from flows.errors import (
    FlowError,
    HarnessDefect,
    PortalDefect,
    PortalUnavailable,
    ProductionRefused,
)
from flows.flow import Flow, Step
from flows.runner import Observer, StepResult
from monitor import evidence
from monitor.results import CheckResult, CodeTiming, Finding, StepA11y, StepTiming
from runtime import owned_chromium
from runtime.accessibility import AccessibilityObserver, AuditCache, Baseline, StepAudit
from runtime.browser import connect_headers, find_chromium, launch_args, launch_options
from runtime.citizens import synthetic_faker
from runtime.codes import OutboxCodes
from runtime.journey import Journey, NeedsTestControl, citizen_for, context_options
from runtime.masking import masked_screenshot
from runtime.network import Network
from runtime.testapi import TestControl, TokenRefused
from runtime.vitals import VitalsObserver

log = logging.getLogger("monitor.executor")
HANG_GRACE_S = 5.0  # beyond a check's time limit, before its browser is declared hung
NO_API_CODES = NoCodes("this target has no test-control API")
STEP_LIMIT_S = 30.0  # a step's time limit, at most (a check's own limit may be shorter)
# What the monitor does with accessibility: nothing, or report (metrics, status page, alerts
# on new serious or critical violations). A violation never fails a check: uptime is the
# portal's availability, and the alert says what is wrong where.
A11Y_MONITOR_MODES = ("off", "report")


@dataclass(frozen=True)
class CheckSpec:
    """One scheduled check: a flow, with its time limits and retries. A check that works is
    degraded when it took longer than ``degraded_s``, or when a verification code took
    longer than ``code_delivery_degraded_s`` to arrive."""

    flow: str
    timeout_s: float = 120.0
    degraded_s: float = 30.0
    retries: int = 1
    code_delivery_degraded_s: float = 60.0

    @property
    def name(self) -> str:
        return self.flow


class _Timings(Observer):
    """Each step's timing, with what the Web Vitals and accessibility observers (told of the
    step before this one) found on its screen."""

    def __init__(
        self,
        check: str,
        vitals: VitalsObserver | None = None,
        audits: AccessibilityObserver | None = None,
        baseline: Baseline | None = None,
    ) -> None:
        self.check = check
        self.steps: list[StepTiming] = []
        self.codes: list[CodeTiming] = []
        self.flow = ""
        self.vitals = vitals
        self.audits = audits
        self.baseline = baseline or Baseline()
        self.audit_s = 0.0  # the audits' own time

    def flow_started(self, flow: Flow, run: Run) -> None:
        self.flow = flow.name

    def step_finished(self, step: Step, run: Run, result: StepResult) -> None:
        measured = self.vitals.latest() if self.vitals else None
        if measured is not None and (measured.flow, measured.step) != (self.flow, step.number):
            measured = None  # the observer failed on this step: an older step's figures
        self.steps.append(
            StepTiming(
                self.flow,
                step.number,
                result.duration_s,
                result.passed,
                step.title,
                vitals=measured,
                a11y=self._a11y(step, result),
            )
        )
        d = result.code_delivery
        if d is not None:
            # The flow whose step typed the code, a prerequisite's included, as for steps.
            self.codes.append(CodeTiming(self.flow, d.purpose, d.channel, d.arrived, d.seconds))

    def _a11y(self, step: Step, result: StepResult) -> StepA11y | None:
        """The audit of the step's screen; None for a failed step, whose screen is not the one
        documented (an error page's violations are not the portal's screen's)."""
        audit = self.audits.latest() if self.audits else None
        if audit is None or (audit.flow, audit.step) != (self.flow, step.number):
            return None
        self.audit_s += audit.seconds
        if not result.passed:
            return None
        return StepA11y(findings(audit, self.baseline), audit.same_as, audit.error)

    def detour(self, step: Step, run: Run, detour: Detour) -> None:
        # Named for the check the operator scheduled, and the flow it was in (a prerequisite's
        # detour is still this check's).
        where = "" if self.flow == self.check else f"{self.flow} "
        log.info("check %s, %sstep %s: %s", self.check, where, step.number, detour.note("en"))


def findings(audit: StepAudit, baseline: Baseline) -> tuple[Finding, ...]:
    """What the monitor keeps of an audit: each rule, its impact, how many elements, its help
    (no selectors), and whether the baseline accepts it at this step."""
    new = {violation.rule for _, violation in baseline.new([audit])}
    return tuple(
        Finding(
            v.rule[:100],
            v.impact,
            v.nodes,
            v.help[:300],
            v.help_url[:300],
            new=v.rule in new,
        )
        for v in audit.violations
    )


class WarmBrowser:
    """One Chromium for every check, replaced when it crashed, was closed, or hung.

    The monitor starts Chromium itself and connects to it over the DevTools protocol, so it
    owns the process: a watchdog can kill a browser that stopped answering, which a browser
    launched by Playwright would not allow from another thread.
    """

    def __init__(
        self,
        playwright: Playwright,
        on_restart: Callable[[], None] = lambda: None,
        endpoint: str | None = None,
        block_production: bool = True,
    ):
        self.playwright = playwright
        self.on_restart = on_restart
        # A remote browser server: connected to, never launched, so never killed from here.
        self.endpoint = endpoint
        # Production's names resolve to nothing in this browser, unless production is the
        # target (then only read-only checks run): see runtime.browser.launch_args.
        self.block_production = block_production
        self._browser: Browser | None = None
        self._process: subprocess.Popen[str] | None = None
        self._profile: Path | None = None
        self.killed = threading.Event()
        # What a monitor killed before left behind: its browser and its profile folder.
        owned_chromium.reap_stale()

    def get(self) -> Browser:
        if self._browser is not None and not self._browser.is_connected():
            log.warning("the browser was gone; launching a new one")
            self._discard()
            self.on_restart()
        if self._browser is None:
            self._browser = self._launch()
        return self._browser

    @property
    def profile(self) -> Path | None:
        """The launched browser's profile folder, while one runs."""
        return self._profile

    @property
    def pid(self) -> int | None:
        """The browser's process id (its process group leader), while one runs."""
        return self._process.pid if self._process is not None else None

    def kill(self) -> None:
        """Kill the browser and all its processes: safe from any thread."""
        process = self._process
        if process is not None and process.poll() is None:
            self.killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

    def close(self) -> None:
        if self._browser is not None and self._browser.is_connected():
            with contextlib.suppress(Exception):
                self._browser.close()
        self.kill()
        self._discard()

    def _launch(self) -> Browser:
        if self.endpoint:
            # The server launches its own Chromium: it is asked to take our switches, and the
            # runner's route and DevTools guard hold there whether it does or not.
            options = launch_options(block_production=self.block_production)
            return self.playwright.chromium.connect(self.endpoint, headers=connect_headers(options))
        executable = find_chromium() or Path(self.playwright.chromium.executable_path)
        args = launch_args(block_production=self.block_production)
        # Dies with this process, even when it is killed with SIGKILL.
        self._process, self._profile = owned_chromium.start(
            executable, ["--headless", "--remote-debugging-port=0", *args, "about:blank"]
        )
        endpoint = _devtools_endpoint(self._process)
        self.killed.clear()
        return self.playwright.chromium.connect_over_cdp(endpoint)

    def _discard(self) -> None:
        if self._process is not None:
            self.kill()
            self._process.wait(timeout=30)
            if self._process.stderr:
                self._process.stderr.close()
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
        self._browser, self._process, self._profile = None, None, None


def _devtools_endpoint(process: subprocess.Popen[str]) -> str:
    """Read Chromium's stderr until it names its DevTools endpoint, then keep draining it."""
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("DevTools listening on "):
            threading.Thread(target=_drain, args=(process.stderr,), daemon=True).start()
            return line.split(" on ", 1)[1].strip()
    raise RuntimeError(f"Chromium exited ({process.wait()}) before opening DevTools")


def _drain(stream: Iterable[str]) -> None:
    for _ in stream:
        pass


class CheckExecutor:
    def __init__(
        self,
        browser: WarmBrowser,
        base_url: str,
        api: TestControl | None,
        evidence_dir: Path,
        codes_for: Callable[[TestControl], CodeSource] = OutboxCodes,
        keep_evidence: int = 50,
        channel: str = "sms",
        a11y: str = "report",
        baseline: Baseline | None = None,
        network: Network | None = None,
    ):
        self.browser = browser
        self.base_url = base_url
        self.api = api
        self.evidence_dir = evidence_dir
        # Where codes come from, given the test-control API: its outbox unless told otherwise.
        self.codes_for = codes_for
        self.keep_evidence = keep_evidence
        # How the synthetic citizens get their codes: their contacts offer this channel first.
        self.channel = channel
        # Accessibility: "off" or "report" (A11Y_MONITOR_MODES); violations the baseline
        # accepts are reported but not new.
        if a11y not in A11Y_MONITOR_MODES:
            raise ValueError(f"the monitor's accessibility mode is off or report, not {a11y!r}")
        self.a11y = a11y
        self.baseline = baseline or Baseline()
        # A slow or vanishing network the checks run on; their time limits scale with it.
        self.network = network
        self.fake = synthetic_faker()

    def limits(self, spec: CheckSpec) -> CheckSpec:
        """``spec`` with its time limit and degraded threshold scaled to the network: on slow
        3G a screen takes seconds, which is slow for a citizen, not an outage."""
        factor = self._factor
        if factor == 1.0:
            return spec
        return replace(spec, timeout_s=spec.timeout_s * factor, degraded_s=spec.degraded_s * factor)

    def run(self, spec: CheckSpec) -> CheckResult:
        spec = self.limits(spec)
        started_at = datetime.now(UTC)
        started = time.perf_counter()
        result: CheckResult | None = None
        codes: list[CodeTiming] = []
        # Audits of this check only: a portal that changed is seen at the next check (the
        # cache knows a screen by its markup, not by its style sheets' contents).
        cache = AuditCache()
        audit_s = 0.0
        for attempt in range(1, spec.retries + 2):
            result = self._guarded_attempt(spec, started_at, attempt, cache)
            # Every try's codes: a code that never came is counted even when a retry passed.
            codes += [replace(code, attempt=attempt) for code in result.codes]
            audit_s += result.audit_s
            if result.ok:
                break
        assert result is not None
        result.codes = codes
        result.audit_s = audit_s
        result.duration_s = time.perf_counter() - started
        if result.ok:
            slow = _slowness(result, spec)
            if slow:
                result.outcome, result.message = "degraded", "; ".join(slow)
        if result.ok and result.portal_s > spec.timeout_s:
            result.outcome, result.reason = "failure", "timeout"
            result.message = f"the check took {result.portal_s:.1f}s, over {spec.timeout_s}s"
        return result

    def _guarded_attempt(
        self, spec: CheckSpec, started_at: datetime, attempt: int, cache: AuditCache
    ) -> CheckResult:
        """One attempt under a watchdog: a browser that hangs past the time limit is killed,
        which ends the attempt at once; the next check gets a new browser."""
        watchdog = threading.Timer(spec.timeout_s + HANG_GRACE_S, self.browser.kill)
        watchdog.daemon = True
        watchdog.start()
        began = time.perf_counter()
        try:
            deadline = time.monotonic() + spec.timeout_s
            result = self._attempt(spec, started_at, attempt, deadline, cache)
        finally:
            watchdog.cancel()
        if self.browser.killed.is_set() and not result.ok:
            result.reason = "timeout"
            result.message = (
                f"the browser stopped answering for over {spec.timeout_s:.0f}s and was replaced"
            )
        elif (
            not result.ok
            and result.reason != "missing_code"  # its wait ended with the time limit: it says so
            and time.perf_counter() - began >= spec.timeout_s
        ):
            # Out of time, whatever step the clock ran out in: the portal was too slow.
            result.reason = "timeout"
            result.message = f"over the {spec.timeout_s:.0f}s limit: {result.message}"
        return result

    def _observers(self, spec: CheckSpec, cache: AuditCache) -> tuple[list[Observer], _Timings]:
        """The accessibility and Web Vitals observers, then the timings that read them (told
        of each step after them, so their ``latest()`` is that step's)."""
        audits = AccessibilityObserver(cache) if self.a11y != "off" else None
        vitals = VitalsObserver()
        timings = _Timings(spec.name, vitals, audits, self.baseline)
        return [*([audits] if audits else []), vitals, timings], timings

    @property
    def _factor(self) -> float:
        return self.network.timeout_factor if self.network else 1.0

    def _step_limit_ms(self, spec: CheckSpec) -> float:
        """Each step's time limit before the journey scales it to the network: at most the
        check's own (already scaled) limit."""
        return min(spec.timeout_s, STEP_LIMIT_S * self._factor) / self._factor * 1000

    def _attempt(
        self,
        spec: CheckSpec,
        started_at: datetime,
        attempt: int,
        deadline: float,
        cache: AuditCache,
    ) -> CheckResult:
        """One try of the check; ``deadline`` (monotonic): its time limit, which a wait for a
        code never outlasts (the browser's watchdog would end the try without its evidence)."""
        observers, timings = self._observers(spec, cache)
        context = page = None
        traced = False
        citizen = NOBODY
        handed: list[str] = []  # the codes given to the flows, to scrub whatever happens
        try:
            context = self.browser.get().new_context(**context_options())
            # Traced on the last try only (the one whose failure counts), as Playwright Test's
            # "on-first-retry": tracing every check would cost a third of its time. DOM
            # snapshots only: screencast frames would show typed values unmasked.
            traced = attempt == spec.retries + 1
            if traced:
                context.tracing.start(snapshots=True, screenshots=False, sources=False)
            page = context.new_page()
            citizen = self._citizen(spec.flow)
            source = self.codes_for(self.api) if self.api else NO_API_CODES
            codes = _Remembered(source, handed, deadline)
            journey = Journey(
                self.base_url,
                codes,
                observers,
                timeout_ms=self._step_limit_ms(spec),
                network=self.network,
            )
            journey.run(page, spec.flow, citizen)
            if traced:
                context.tracing.stop()
            return CheckResult(
                spec.name,
                started_at,
                "success",
                0.0,
                attempt,
                steps=timings.steps,
                codes=timings.codes,
                audit_s=timings.audit_s,
            )
        except Exception as error:
            # Every failure, ours included, is classified and kept: the schedule goes on.
            # Its traceback is for --debug only (the summary and history say enough), and
            # scrubbed as the evidence is: a Playwright error can quote what was typed.
            if log.isEnabledFor(logging.DEBUG):
                sent = [*handed, *self._codes_sent(citizen)]
                scrub = evidence.Scrubber(evidence.secret_values(citizen, sent, self.base_url))
                trace = scrub.text(traceback.format_exc())
                log.debug("check %s failed on attempt %d:\n%s", spec.name, attempt, trace)
            failure = CheckResult(
                spec.name,
                started_at,
                "failure",
                0.0,
                attempt,
                steps=timings.steps,
                codes=timings.codes,
                audit_s=timings.audit_s,
                reason=reason_of(error),
                message=str(error).splitlines()[0][:500],
                failed_step=getattr(error, "step", ""),
            )
            if context is not None and page is not None:
                failure.evidence = str(
                    self._evidence(spec, failure, context, page, citizen, traced, handed)
                )
            return failure
        finally:
            try:
                if context is not None:
                    context.close()
            except Exception:
                # A crashed browser cannot close its context; the next check replaces it.
                log.warning("could not close the browser context of %s", spec.name)

    def _citizen(self, flow: str) -> Citizen:
        try:
            return citizen_for([flow], self.api, self.fake, channel=self.channel)
        except NeedsTestControl as error:
            raise HarnessDefect(str(error), flow=flow, step="") from None
        except TargetUnreachable as error:
            # The API lives on the portal's host: when it does not answer, the portal is down.
            raise PortalUnavailable(
                f"the portal cannot be reached: {error}", flow=flow, step="", cause=error
            ) from error

    def _evidence(
        self,
        spec: CheckSpec,
        result: CheckResult,
        context: BrowserContext,
        page: Page,
        citizen: Citizen,
        traced: bool,
        handed: Sequence[str],
    ) -> Path:
        """A scrubbed trace, a masked screenshot and a note of the failed step."""
        folder = self.evidence_dir / f"{result.started_at:%Y%m%dT%H%M%S%fZ}-{spec.name}"
        folder.mkdir(parents=True, exist_ok=True)
        # The codes the flows typed, and any other sent (the portal may be gone by now).
        codes = [*handed, *self._codes_sent(citizen)]
        secrets = evidence.secret_values(citizen, codes, self.base_url)
        # An error message can quote what was typed; it goes to the history, logs and page.
        result.message = evidence.Scrubber(secrets).text(result.message)
        if traced:
            # Stopped before the screenshot, whose masking script names the secrets; written
            # outside the served folder and moved in only once scrubbed.
            try:
                with tempfile.TemporaryDirectory(prefix="sentinel-trace-") as scratch:
                    raw = Path(scratch) / "trace.zip"
                    context.tracing.stop(path=str(raw))
                    evidence.scrub_zip(raw, secrets)
                    shutil.move(raw, folder / "trace.zip")
            except Exception:
                log.warning("no trace kept for the failed check %s", spec.name)
        try:
            run = Run(page=page, base_url=self.base_url, citizen=citizen, codes=NO_API_CODES)
            masked_screenshot(run, path=str(folder / "screenshot.png"))
        except Exception:
            # A dead page leaves no picture; the note below still says why.
            log.warning("no screenshot kept for the failed check %s", spec.name)
        (folder / "failure.txt").write_text(
            f"check: {spec.name}\nstep: {result.failed_step}\nreason: {result.reason}\n"
            f"{result.message}\n",
            encoding="utf-8",
        )
        evidence.prune(self.evidence_dir, keep=self.keep_evidence)
        return folder

    def _codes_sent(self, citizen: Citizen) -> list[str]:
        """The codes sent to this citizen, to scrub from the trace."""
        if self.api is None or not citizen.niss or not self.api.offers("outbox"):
            return []  # without an outbox, the codes typed are all there is to scrub
        try:
            return [m["code"] for m in self.api.outbox(citizen.niss) if m["code"]]
        except Exception:
            log.warning("could not read the codes to scrub from the evidence")
            return []


def _slowness(result: CheckResult, spec: CheckSpec) -> list[str]:
    """Why a check that worked is degraded, in words; empty when it is not."""
    slow = []
    if result.portal_s > spec.degraded_s:
        slow.append(f"the check took {result.portal_s:.1f} s, over {spec.degraded_s:g} s")
    code = result.slowest_code()
    seconds = code.seconds if code is not None else None
    if code is not None and seconds is not None and seconds > spec.code_delivery_degraded_s:
        slow.append(f"{code.name} took {seconds:.1f} s, over {spec.code_delivery_degraded_s:g} s")
    return slow


class _Remembered:
    """A code source that remembers every code it handed to the flows, and waits for none
    past the check's time limit."""

    def __init__(self, source: CodeSource, handed: list[str], deadline: float):
        self.source = source
        self.handed = handed
        self.deadline = deadline  # monotonic: the check's time limit

    def latest(self, request: CodeRequest) -> CodeArrival:
        request = replace(request, wait_s=self.deadline - time.monotonic())
        arrival = self.source.latest(request)
        self.handed.append(arrival.code)
        return arrival


def reason_of(error: BaseException) -> str:
    """The monitor's failure reason for whatever the runner raised."""
    if isinstance(error, ProductionRefused):
        # The target's pages sent a check that writes to the production portal (the target
        # itself was refused at start), and the browser stopped it: the target is broken.
        return "production_refused"
    if isinstance(error, PortalUnavailable):
        return "portal_unavailable"
    cause = error.cause if isinstance(error, FlowError) else error
    if isinstance(cause, TokenRefused):
        # The token was refused after the start-up check took it (rotated since): ours to
        # put right, not the portal's downtime and not a bug.
        return "setting_error"
    if isinstance(cause, CodeNotFound):
        return "missing_code"
    if isinstance(error, PortalDefect):
        return "documentation_drift" if isinstance(cause, PlaywrightTimeout) else "assertion"
    return "harness_error"
