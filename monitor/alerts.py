"""The alert policy: alert after N consecutive failures, recover after M successes.

No repeats while a check stays down, only reminders at a set period; nothing at all during a
declared maintenance window. The policy is pure: it takes outcomes and returns notifications,
so it is tested without a clock or a network.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

import httpx

log = logging.getLogger("monitor.alerts")

Kind = Literal["firing", "reminder", "resolved"]


@dataclass(frozen=True)
class AlertPolicy:
    failures_to_alert: int = 3
    successes_to_recover: int = 2
    reminder_every: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class Notification:
    kind: Kind
    check: str
    reason: str
    since: datetime
    at: datetime

    def text(self) -> str:
        if self.kind == "resolved":
            return (
                f"RESOLVED: {self.check} works again (down since {self.since:%Y-%m-%d %H:%M} UTC)."
            )
        prefix = "FIRING" if self.kind == "firing" else "STILL FIRING"
        return (
            f"{prefix}: {self.check} fails ({self.reason}) since {self.since:%Y-%m-%d %H:%M} UTC."
        )

    def payload(self) -> dict[str, str]:
        """JSON for a webhook; ``text`` makes it Slack-compatible as it is."""
        return {
            "text": self.text(),
            "status": self.kind,
            "check": self.check,
            "reason": self.reason,
            "since": self.since.isoformat(),
            "at": self.at.isoformat(),
        }


@dataclass
class _CheckState:
    failures: int = 0
    successes: int = 0
    firing: bool = False
    first_failure: datetime | None = None
    last_notified: datetime | None = None
    reason: str = ""


@dataclass
class Alerter:
    policy: AlertPolicy = field(default_factory=AlertPolicy)
    states: dict[str, _CheckState] = field(default_factory=dict)

    def observe(
        self, check: str, ok: bool, at: datetime, reason: str = "", maintenance: bool = False
    ) -> list[Notification]:
        """Feed one check outcome; returns what to notify (usually nothing)."""
        if maintenance:
            return []  # a declared window: no alerts, and the streaks are left as they were
        state = self.states.setdefault(check, _CheckState())
        if ok:
            return self._success(check, state, at)
        return self._failure(check, state, at, reason)

    def _success(self, check: str, state: _CheckState, at: datetime) -> list[Notification]:
        state.successes += 1
        state.failures = 0
        if state.firing and state.successes >= self.policy.successes_to_recover:
            state.firing = False
            since = state.first_failure or at
            state.first_failure = None
            return [Notification("resolved", check, state.reason, since, at)]
        if not state.firing:
            state.first_failure = None
        return []

    def _failure(
        self, check: str, state: _CheckState, at: datetime, reason: str
    ) -> list[Notification]:
        state.failures += 1
        state.successes = 0
        state.reason = reason
        state.first_failure = state.first_failure or at
        if not state.firing and state.failures >= self.policy.failures_to_alert:
            state.firing = True
            state.last_notified = at
            return [Notification("firing", check, reason, state.first_failure, at)]
        due = state.last_notified and at - state.last_notified >= self.policy.reminder_every
        if state.firing and due:
            state.last_notified = at
            return [Notification("reminder", check, reason, state.first_failure, at)]
        return []


def send(notification: Notification, webhooks: list[str], timeout_s: float = 10.0) -> None:
    """POST the notification to every webhook; a webhook that fails is logged, not fatal."""
    for url in webhooks:
        try:
            response = httpx.post(url, json=notification.payload(), timeout=timeout_s)
            response.raise_for_status()
        except httpx.HTTPError as error:
            log.warning("alert webhook %s failed: %s", url, error)
