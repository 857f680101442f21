"""The alert policy: alert after N consecutive failures, recover after M successes.

No repeats while a check stays down, only reminders at a set period; nothing at all during a
declared maintenance window. The policy is pure: it takes outcomes and returns notifications,
so it is tested without a clock or a network.

A new serious or critical accessibility violation (one the baseline does not accept) goes
through the same policy, on its own: it alerts after N consecutive checks that found it at its
step, and recovers after M checks that audited that step and did not. It never makes the check
fail: the check's own alerts, and its uptime, are about the portal working.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import quote, urlsplit

import httpx

from monitor.results import CheckResult

log = logging.getLogger("monitor.alerts")

Kind = Literal["firing", "reminder", "resolved"]
A11Y_REASON = "accessibility"


@dataclass(frozen=True)
class AlertPolicy:
    failures_to_alert: int = 3
    successes_to_recover: int = 2
    reminder_every: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class Violated:
    """A new serious or critical accessibility violation: this rule at this step of this
    flow. The step by its documented title, the rule by axe-core's id."""

    flow: str
    step: str
    title: str
    rule: str
    impact: str
    help_url: str = ""

    @property
    def where(self) -> str:
        """``the screen after step 5. Li e aceito ... of registration``: the screen that step
        left the browser on, where the audit found it."""
        return f"the screen after step {self.title or self.step} of {self.flow}"


@dataclass(frozen=True)
class Origin:
    """Where alerts come from, for whoever reads one among many monitors' alerts: the portal
    the checks watch, the monitor's region (``--region``), and the public address of its
    status page (``--public-url``), which the alerts link to; "" when not given."""

    target: str
    region: str = ""
    public_url: str = ""

    @property
    def watched(self) -> str:
        """``https://staging.example.pt (region lisbon)``."""
        return f"{self.target} (region {self.region})" if self.region else self.target

    def status_link(self, anchor: str) -> str:
        """A place on the status page (a check's section, an incident's row), or "" without
        a public address."""
        return f"{self._base()}#{quote(anchor)}" if self.public_url and anchor else ""

    def evidence_link(self, folder: str, file: str) -> str:
        """A file of a failure's evidence, as the status page serves it."""
        if not (self.public_url and folder and file):
            return ""
        return f"{self._base()}evidence/{quote(folder)}/{quote(file)}"

    def _base(self) -> str:
        return self.public_url.rstrip("/") + "/"


@dataclass(frozen=True)
class Failed:
    """Where the check that made a notification failed, in words (``at step 3. Entrar
    (Log in)``), and the file of its evidence to link to (``FOLDER``, ``screenshot.png``)."""

    where: str = ""
    evidence_folder: str = ""
    evidence_file: str = ""


@dataclass(frozen=True)
class Notification:
    kind: Kind
    check: str
    reason: str
    since: datetime
    at: datetime
    violation: Violated | None = None  # an accessibility alert's; None for a failing check
    origin: Origin | None = None  # where the monitor watches from (the Monitor sets it)
    failed: Failed = field(default_factory=Failed)  # the failure that fired or reminds
    anchor: str = ""  # its place on the status page: the incident's row, or the check's

    def text(self) -> str:
        if self.violation is not None:
            return self._violation_text(self.violation) + self._links()
        on = f" on {self.origin.watched}" if self.origin else ""
        if self.kind == "resolved":
            return (
                f"RESOLVED: {self.check}{on} works again "
                f"(down since {self.since:%Y-%m-%d %H:%M} UTC).{self._links()}"
            )
        prefix = "FIRING" if self.kind == "firing" else "STILL FIRING"
        where = f" {self.failed.where}" if self.failed.where else ""
        return (
            f"{prefix}: {self.check}{on} fails ({self.reason}{where}) "
            f"since {self.since:%Y-%m-%d %H:%M} UTC.{self._links()}"
        )

    def _violation_text(self, v: Violated) -> str:
        since = f"{self.since:%Y-%m-%d %H:%M} UTC"
        on = f" on {self.origin.watched}" if self.origin else ""
        if self.kind == "resolved":
            return (
                f"RESOLVED: {self.check}{on}: the accessibility violation {v.rule} is gone from "
                f"{v.where} (found since {since})."
            )
        prefix = "FIRING" if self.kind == "firing" else "STILL FIRING"
        link = f" {v.help_url}" if v.help_url else ""
        return (
            f"{prefix}: {self.check}{on}: new {v.impact} accessibility violation {v.rule} on "
            f"{v.where} since {since}, not in the baseline (the check itself works).{link}"
        )

    def status_url(self) -> str:
        return self.origin.status_link(self.anchor) if self.origin else ""

    def evidence_url(self) -> str:
        if self.origin is None or self.kind == "resolved":
            return ""
        return self.origin.evidence_link(self.failed.evidence_folder, self.failed.evidence_file)

    def _links(self) -> str:
        """`` Status: URL · evidence: URL``, as far as there is a public address."""
        links = [("Status", self.status_url()), ("evidence", self.evidence_url())]
        said = " · ".join(f"{name}: {url}" for name, url in links if url)
        return f" {said}" if said else ""

    def payload(self) -> dict[str, str]:
        """JSON for a webhook; ``text`` makes it Slack-compatible as it is."""
        body = {
            "text": self.text(),
            "status": self.kind,
            "check": self.check,
            "reason": self.reason,
            "since": self.since.isoformat(),
            "at": self.at.isoformat(),
        }
        if self.origin is not None:
            body.update(target=self.origin.target, region=self.origin.region)
            body.update(status_url=self.status_url(), evidence_url=self.evidence_url())
        if self.violation is not None:
            v = self.violation
            body.update(flow=v.flow, step=v.step, rule=v.rule, impact=v.impact)
            body.update(help_url=v.help_url)
        elif self.kind != "resolved":
            body.update(failed_at=self.failed.where)
        return body


@dataclass
class _CheckState:
    failures: int = 0
    successes: int = 0
    firing: bool = False
    first_failure: datetime | None = None
    last_notified: datetime | None = None
    reason: str = ""


@dataclass
class _ViolationState(_CheckState):
    violated: Violated | None = None  # as last seen, for the recovery's message


# An accessibility alert's key: the check that found it, the flow, the step and the rule.
ViolationKey = tuple[str, str, str, str]
Event = list[tuple[Kind, datetime]]  # what to notify, each with since when


@dataclass
class Alerter:
    policy: AlertPolicy = field(default_factory=AlertPolicy)
    states: dict[str, _CheckState] = field(default_factory=dict)
    violations: dict[ViolationKey, _ViolationState] = field(default_factory=dict)

    def observe(
        self, check: str, ok: bool, at: datetime, reason: str = "", maintenance: bool = False
    ) -> list[Notification]:
        """Feed one check outcome; returns what to notify (usually nothing)."""
        if maintenance:
            return []  # a declared window: no alerts, and the streaks are left as they were
        state = self.states.setdefault(check, _CheckState())
        event = self._success(state, at) if ok else self._failure(state, at, reason)
        return [Notification(kind, check, state.reason, since, at) for kind, since in event]

    def observe_accessibility(
        self, result: CheckResult, maintenance: bool = False
    ) -> list[Notification]:
        """Feed one check's new serious or critical accessibility violations: each present
        counts against its rule at its step; each step audited without one it had counts for
        it. A step the check did not reach or audit changes nothing."""
        if maintenance:
            return []
        check, at = result.check, result.started_at
        present = {
            (check, step.flow, step.step, finding.rule): Violated(
                step.flow, step.step, step.title, finding.rule, finding.impact, finding.help_url
            )
            for step, finding in result.new_violations()
            if finding.blocking
        }
        audited = {(s.flow, s.step) for s in result.steps if s.a11y and s.a11y.audited}
        notes = []
        for key, violated in present.items():
            state = self.violations.setdefault(key, _ViolationState())
            state.violated = violated
            for kind, since in self._failure(state, at, A11Y_REASON):
                notes.append(Notification(kind, check, A11Y_REASON, since, at, violated))
        for key, state in list(self.violations.items()):
            if key in present or key[0] != check or key[1:3] not in audited:
                continue
            for kind, since in self._success(state, at):
                notes.append(Notification(kind, check, A11Y_REASON, since, at, state.violated))
            if not state.firing and state.first_failure is None:
                del self.violations[key]  # gone, and nothing to recover from: forgotten
        return notes

    def _success(self, state: _CheckState, at: datetime) -> Event:
        state.successes += 1
        state.failures = 0
        if state.firing and state.successes >= self.policy.successes_to_recover:
            state.firing = False
            since = state.first_failure or at
            state.first_failure = None
            return [("resolved", since)]
        if not state.firing:
            state.first_failure = None
        return []

    def _failure(self, state: _CheckState, at: datetime, reason: str) -> Event:
        state.failures += 1
        state.successes = 0
        state.reason = reason
        state.first_failure = state.first_failure or at
        if not state.firing and state.failures >= self.policy.failures_to_alert:
            state.firing = True
            state.last_notified = at
            return [("firing", state.first_failure)]
        due = state.last_notified and at - state.last_notified >= self.policy.reminder_every
        if state.firing and due:
            state.last_notified = at
            return [("reminder", state.first_failure)]
        return []


def send(notification: Notification, webhooks: list[str], timeout_s: float = 10.0) -> None:
    """POST the notification to every webhook; a webhook that fails is logged, not fatal."""
    for number, url in enumerate(webhooks, start=1):
        try:
            response = httpx.post(url, json=notification.payload(), timeout=timeout_s)
            response.raise_for_status()
        except httpx.HTTPError as error:
            log.warning("alert webhook %s failed: %s", webhook_name(number, url), _why(error))


def webhook_name(number: int, url: str) -> str:
    """``2 (hooks.slack.com)``: a webhook as logs name it. Its path, query and user often
    carry its secret, so only its place among the webhooks and its host are said."""
    try:
        host = urlsplit(url).hostname or "no host"
    except ValueError:
        host = "an invalid URL"
    return f"{number} ({host})"


def _why(error: httpx.HTTPError) -> str:
    """Why a webhook failed, without the URL that httpx's own messages quote."""
    if isinstance(error, httpx.HTTPStatusError):
        return f"it answered HTTP {error.response.status_code}"
    return type(error).__name__
