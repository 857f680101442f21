"""What one check produced: its outcome, why it failed, every step's timing, Web Vitals and
accessibility, and how each verification code's delivery went."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from runtime.accessibility import BLOCKING, IMPACTS
from runtime.vitals import StepVitals

Outcome = Literal["success", "degraded", "failure"]
# Why a check failed. A harness error (our bug) and a setting error (a test token the portal
# refuses) are our own fault, never counted as portal downtime.
REASONS = (
    "portal_unavailable",
    "timeout",
    "documentation_drift",
    "missing_code",
    "assertion",
    "production_refused",  # the target led a check that writes to production: stopped
    "harness_error",
    "setting_error",
)
NOT_DOWNTIME = ("harness_error", "setting_error")


@dataclass(frozen=True)
class Finding:
    """One accessibility rule the screen of a step breaks, as the monitor keeps it: the rule,
    its impact, how many elements, its help; ``new`` when the baseline does not accept it
    there. Never the elements themselves."""

    rule: str
    impact: str
    nodes: int
    help: str = ""
    help_url: str = ""
    new: bool = False

    @property
    def blocking(self) -> bool:
        return self.impact in BLOCKING


@dataclass(frozen=True)
class StepA11y:
    """The accessibility of the screen a step left the browser on. ``same_as``: the earlier
    step of the flow whose screen this still is (its findings, repeated, are not new again);
    ``error``: why the screen could not be audited."""

    findings: tuple[Finding, ...] = ()
    same_as: str = ""
    error: str = ""

    @property
    def audited(self) -> bool:
        return not self.error

    def counts(self) -> dict[str, int]:
        """Rules broken, by impact (every impact, zeros included)."""
        found = dict.fromkeys(IMPACTS, 0)
        for finding in self.findings:
            found[finding.impact] = found.get(finding.impact, 0) + 1
        return found


@dataclass(frozen=True)
class StepTiming:
    flow: str
    step: str
    duration_s: float
    passed: bool
    title: str = ""  # "4. Registar (Register)", for people; metrics use only the number
    vitals: StepVitals | None = None  # None when Web Vitals were not measured
    a11y: StepA11y | None = None  # None when not audited (--a11y off, or the step failed)


@dataclass(frozen=True)
class CodeTiming:
    """One verification code a check waited for: the flow whose step typed it (the
    registration code is typed by activation), its purpose and channel, whether it came, and
    how long from the click that asked for it (None when that cannot be measured), and in
    which try of the check. Never the code, nor where it was sent."""

    flow: str
    purpose: str  # registration, login, contacts, password_reset, cmd
    channel: str  # email, sms, letter
    arrived: bool
    seconds: float | None = None
    attempt: int = 1

    @property
    def name(self) -> str:
        """``the registration code by email``: for messages, with nothing personal."""
        return f"the {self.purpose} code by {self.channel}"


@dataclass
class CheckResult:
    check: str
    started_at: datetime
    outcome: Outcome
    duration_s: float
    attempts: int = 1
    reason: str = ""
    message: str = ""
    failed_step: str = ""
    evidence: str = ""
    steps: list[StepTiming] = field(default_factory=list)
    codes: list[CodeTiming] = field(default_factory=list)
    # Of duration_s, the accessibility audits' own time: the harness's work, not the portal's.
    audit_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome != "failure"

    @property
    def portal_s(self) -> float:
        """How long the check took, its accessibility audits aside: what its time limit and
        degraded threshold are about."""
        return max(self.duration_s - self.audit_s, 0.0)

    @property
    def where(self) -> str:
        """Where the check failed, in words: ``at step 4``, or before any step had started."""
        return f"at step {self.failed_step}" if self.failed_step else "before the first step"

    @property
    def failed_at(self) -> str:
        """``at step 3. Entrar (Log in) of login``: where the check failed, the step by its
        documented title when the check reached it; else as ``where`` says."""
        step = next(
            (s for s in reversed(self.steps) if s.step == self.failed_step and not s.passed),
            None,
        )
        if not self.failed_step or step is None or not step.title:
            return self.where
        return f"at step {step.title} of {step.flow}"

    @property
    def counts_as_downtime(self) -> bool:
        return self.outcome == "failure" and self.reason not in NOT_DOWNTIME

    def new_violations(self) -> list[tuple[StepTiming, Finding]]:
        """Each accessibility finding the baseline does not accept, once per step and rule."""
        return new_violations(self.steps)

    def slowest_code(self) -> CodeTiming | None:
        """The code that took longest to arrive, of those whose delivery was measured."""
        measured = [c for c in self.codes if c.arrived and c.seconds is not None]
        return max(measured, key=lambda c: c.seconds or 0.0, default=None)


def new_violations(steps: Iterable[StepTiming]) -> list[tuple[StepTiming, Finding]]:
    """Each accessibility finding of ``steps`` the baseline does not accept, once per screen
    and rule (a flow started again after an expired session shows its screens twice)."""
    seen: set[tuple[str, str, str]] = set()
    found = []
    for step in steps:
        if step.a11y is None or step.a11y.same_as:
            continue  # an earlier step's screen: its findings are that step's
        for finding in step.a11y.findings:
            key = (step.flow, step.step, finding.rule)
            if finding.new and key not in seen:
                seen.add(key)
                found.append((step, finding))
    return found
