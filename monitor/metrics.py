"""Prometheus metrics in the style of blackbox_exporter, from check results.

Labels carry only check, flow and step names, failure reasons and a code's purpose and channel:
never an NISS, a name, an email, a number or any other personal data.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from monitor.results import REASONS, CheckResult, CodeTiming

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
        self.up = Gauge(f"{PREFIX}_up", "The monitor itself is running.", registry=r)
        self.browser_restarts = Counter(
            f"{PREFIX}_browser_restarts", "Browsers replaced after a crash.", registry=r
        )
        self.up.set(1)

    def record(self, result: CheckResult, *, lag_s: float = 0.0) -> None:
        check = result.check
        self.probe_success.labels(check).set(1 if result.ok else 0)
        self.probe_duration.labels(check).set(result.duration_s)
        self.probe_degraded.labels(check).set(1 if result.outcome == "degraded" else 0)
        self.checks.labels(check, result.outcome).inc()
        self.check_seconds.labels(check).observe(result.duration_s)
        self.lag.labels(check).set(lag_s)
        if result.ok:
            self.last_success.labels(check).set(result.started_at.timestamp())
        else:
            reason = result.reason if result.reason in REASONS else "assertion"
            self.failures.labels(check, reason).inc()
        for timing in result.steps:
            self.step_duration.labels(timing.flow, timing.step).set(timing.duration_s)
            self.step_success.labels(timing.flow, timing.step).set(1 if timing.passed else 0)
        self._codes(result.codes)

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
