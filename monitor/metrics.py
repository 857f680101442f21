"""Prometheus metrics in the style of blackbox_exporter, from check results.

Labels carry only check, flow and step names (a step by its number), failure reasons, a code's
purpose and channel, an accessibility impact and a Web Vital's name: never an NISS, a name, an
email, a number or any other personal data.

The per-step series are the last check's: a step the check did not reach (it failed before),
or a figure it did not give (no interaction, no audit), has no series rather than an old value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from monitor.results import REASONS, CheckResult, CodeTiming, StepTiming, new_violations
from runtime.accessibility import IMPACTS
from runtime.vitals import StepVitals

Labels = tuple[str, ...]
# The per-step gauges, by the names ``step_values`` gives their samples.
STEP_GAUGES = ("duration", "success", "a11y", "a11y_new", "vital", "cls", "requests", "bytes")

PREFIX = "portal_sentinel"
# A code by email or SMS comes in seconds; a slow gateway takes minutes.
CODE_BUCKETS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300)
CODE_LABELS = ["flow", "purpose", "channel"]


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.probe_success = Gauge(
            "probe_success",
            "Whether the last check of the flow succeeded (1) or not (0).",
            ["check"],
            registry=r,
        )
        self.probe_duration = Gauge(
            "probe_duration_seconds",
            "How long the last check took, retries included.",
            ["check"],
            registry=r,
        )
        self.probe_degraded = Gauge(
            f"{PREFIX}_probe_degraded",
            "Whether the last check worked but was slow.",
            ["check"],
            registry=r,
        )
        self.step_duration = Gauge(
            f"{PREFIX}_step_duration_seconds",
            "Duration of each documented step, last check.",
            ["flow", "step"],
            registry=r,
        )
        self.step_success = Gauge(
            f"{PREFIX}_step_success",
            "Whether each documented step passed in the last check.",
            ["flow", "step"],
            registry=r,
        )
        self.last_success = Gauge(
            f"{PREFIX}_last_success_timestamp_seconds",
            "When the check last succeeded.",
            ["check"],
            registry=r,
        )
        self.last_check = Gauge(
            f"{PREFIX}_last_check_timestamp_seconds",
            "When the last check started (its result is the probe_* series).",
            ["check"],
            registry=r,
        )
        self.failures = Counter(
            f"{PREFIX}_check_failures", "Failed checks by reason.", ["check", "reason"], registry=r
        )
        self.checks = Counter(
            f"{PREFIX}_checks", "Checks run, by outcome.", ["check", "outcome"], registry=r
        )
        self.lag = Gauge(
            f"{PREFIX}_schedule_lag_seconds",
            "How late the last check started.",
            ["check"],
            registry=r,
        )
        self.check_seconds = Histogram(
            f"{PREFIX}_check_duration_seconds",
            "Distribution of check durations.",
            ["check"],
            buckets=(1, 2, 5, 10, 20, 30, 60, 120, 300),
            registry=r,
        )
        # Purpose is a label: the login flow waits for two codes (login, contacts), and both
        # may come by the same channel.
        self.code_delivery = Histogram(
            f"{PREFIX}_code_delivery_seconds",
            "From the click that asks for a verification code to its arrival.",
            CODE_LABELS,
            buckets=CODE_BUCKETS,
            registry=r,
        )
        self.code_delivery_last = Gauge(
            f"{PREFIX}_code_delivery_last_seconds",
            "How long the last measured verification code took to arrive.",
            CODE_LABELS,
            registry=r,
        )
        self.codes_missing = Counter(  # exposed as ..._codes_missing_total
            f"{PREFIX}_codes_missing",
            "Verification codes that never came.",
            CODE_LABELS,
            registry=r,
        )
        self.a11y_violations = Gauge(
            f"{PREFIX}_a11y_violations",
            "Accessibility rules (WCAG 2.1 A and AA, axe-core) the screen of each documented "
            "step breaks, by impact, last check.",
            ["flow", "step", "impact"],
            registry=r,
        )
        # Impact is a label, so that a rule can page on new serious or critical ones only.
        self.a11y_new = Gauge(
            f"{PREFIX}_a11y_new_violations",
            "Accessibility violations not in the baseline, per flow and impact, last check.",
            ["flow", "impact"],
            registry=r,
        )
        self.web_vital = Gauge(
            f"{PREFIX}_step_web_vital_seconds",
            "Web Vitals of each documented step, last check: ttfb, fcp and lcp of the page "
            "load the step made, inp of its slowest interaction.",
            ["flow", "step", "metric"],
            registry=r,
        )
        # A score, not a time or a share of one: no unit suffix (and no _ratio: it can pass 1).
        self.layout_shift = Gauge(
            f"{PREFIX}_step_cumulative_layout_shift",
            "Cumulative Layout Shift (unitless) of each documented step's screen so far, last "
            "check.",
            ["flow", "step"],
            registry=r,
        )
        self.step_requests = Gauge(
            f"{PREFIX}_step_requests",
            "Requests the screen of each documented step made during the step, last check.",
            ["flow", "step"],
            registry=r,
        )
        self.step_bytes = Gauge(
            f"{PREFIX}_step_transfer_bytes",
            "Bytes transferred (compressed, cache hits 0) by those requests, last check.",
            ["flow", "step"],
            registry=r,
        )
        # Per check, per step gauge: the label sets its last result set (see _steps).
        self._series: dict[str, dict[str, set[Labels]]] = {}
        # Read at every scrape (``in_maintenance``): a window opens and closes between checks.
        self.maintenance = Gauge(
            f"{PREFIX}_maintenance",
            "1 while a declared maintenance window is open: rules about downtime hold off.",
            registry=r,
        )
        self.up = Gauge(f"{PREFIX}_up", "The monitor itself is running.", registry=r)
        self.browser_restarts = Counter(
            f"{PREFIX}_browser_restarts", "Browsers replaced after a crash.", registry=r
        )
        self.up.set(1)

    def watch_maintenance(self, in_maintenance: Callable[[datetime], bool]) -> None:
        """``portal_sentinel_maintenance`` as ``in_maintenance`` says it is at each scrape."""
        self.maintenance.set_function(lambda: float(in_maintenance(datetime.now(UTC))))

    def record(self, result: CheckResult, *, lag_s: float = 0.0) -> None:
        check = result.check
        self._last(result)
        self.checks.labels(check, result.outcome).inc()
        self.check_seconds.labels(check).observe(result.duration_s)
        self.lag.labels(check).set(lag_s)
        if result.ok:
            self.last_success.labels(check).set(result.started_at.timestamp())
        else:
            reason = result.reason if result.reason in REASONS else "assertion"
            self.failures.labels(check, reason).inc()
        self._codes(result.codes)

    def restore(self, result: CheckResult, *, last_success: datetime | None) -> None:
        """A check's last result from the history, as a restarted monitor starts: its gauges
        as they were, with ``last_success`` (when it last worked); counters and histograms
        start again from zero, as Prometheus expects of a restarted process."""
        self._last(result)
        if last_success is not None:
            self.last_success.labels(result.check).set(last_success.timestamp())
        for code in result.codes:
            labels = (code.flow, code.purpose, code.channel)
            self.codes_missing.labels(*labels)  # at 0: increase() then sees the next one
            if code.arrived and code.seconds is not None:
                self.code_delivery_last.labels(*labels).set(code.seconds)

    def _last(self, result: CheckResult) -> None:
        """The gauges of a check's last result: how it went, when, and its steps."""
        check = result.check
        self.probe_success.labels(check).set(1 if result.ok else 0)
        self.probe_duration.labels(check).set(result.duration_s)
        self.probe_degraded.labels(check).set(1 if result.outcome == "degraded" else 0)
        self.last_check.labels(check).set(result.started_at.timestamp())
        self._steps(check, result.steps)

    def _step_gauges(self) -> dict[str, Gauge]:
        return {
            "duration": self.step_duration,
            "success": self.step_success,
            "a11y": self.a11y_violations,
            "a11y_new": self.a11y_new,
            "vital": self.web_vital,
            "cls": self.layout_shift,
            "requests": self.step_requests,
            "bytes": self.step_bytes,
        }

    def _steps(self, check: str, steps: list[StepTiming]) -> None:
        """Set the per-step series of this check's result, and remove those its last result
        set that this one does not (unless another check's last result set them: two checks
        run the registration flow)."""
        values = step_values(steps)
        gauges = self._step_gauges()
        before = self._series.get(check, {})
        self._series[check] = {name: set(found) for name, found in values.items()}
        for name, found in values.items():
            for labels, value in found.items():
                gauges[name].labels(*labels).set(value)
        others = [series for other, series in self._series.items() if other != check]
        for name, labels_before in before.items():
            kept = set(values[name]).union(*(series.get(name, set()) for series in others))
            for labels in labels_before - kept:
                gauges[name].remove(*labels)

    def _codes(self, codes: list[CodeTiming]) -> None:
        for code in codes:
            labels = (code.flow, code.purpose, code.channel)
            # Every code seen makes its missing counter exist at 0, so that Prometheus's
            # increase() sees the first code that never comes.
            missing = self.codes_missing.labels(*labels)
            if not code.arrived:
                missing.inc()
            elif code.seconds is not None:
                self.code_delivery.labels(*labels).observe(code.seconds)
                self.code_delivery_last.labels(*labels).set(code.seconds)


def step_values(steps: Iterable[StepTiming]) -> dict[str, dict[Labels, float]]:
    """Every per-step sample of a check's steps, by gauge (as ``Metrics._step_gauges`` names
    them) and labels. A step that ran twice (a flow started again) counts as it last ran."""
    steps = list(steps)
    values: dict[str, dict[Labels, float]] = {name: {} for name in STEP_GAUGES}
    for s in steps:
        where = (s.flow, s.step)
        values["duration"][where] = s.duration_s
        values["success"][where] = 1 if s.passed else 0
        if s.vitals is not None:
            _vitals(values, where, s.vitals)
        if s.a11y is not None and s.a11y.audited:
            for impact, count in s.a11y.counts().items():
                values["a11y"][(*where, impact)] = count
            # Every flow audited has its new violations' series, zeros included: a first
            # new one is then a change Prometheus sees.
            for impact in IMPACTS:
                values["a11y_new"][(s.flow, impact)] = 0
    for step, finding in new_violations(steps):
        key = (step.flow, finding.impact)
        values["a11y_new"][key] = values["a11y_new"].get(key, 0) + 1
    return values


def _vitals(values: dict[str, dict[Labels, float]], where: Labels, v: StepVitals) -> None:
    # The page load's figures belong to the step that loaded the page (seconds() says so); a
    # step that only typed on it has its interactions', its layout shift so far, its requests'.
    for metric, seconds in v.seconds().items():
        values["vital"][(*where, metric)] = seconds
    if v.cls is not None:
        values["cls"][where] = v.cls
    values["requests"][where] = v.requests
    values["bytes"][where] = v.transfer_bytes
