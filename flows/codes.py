"""What a flow asks of a code source, and what it gets back.

A flow asks for a code by a click (``flows.steps.asking_code`` marks that step): the portal
then sends it by email, SMS or letter. The step that types it asks the run's code source for
the code that ``CodeRequest`` describes: sent to this citizen, for this purpose, by this
channel, after that click. The source answers with a ``CodeArrival`` (the code, and when it
reached the source), or raises ``CodeNotFound`` (the portal's failure: no code came) or
``CodeSourceError`` (the harness's: its own mailbox or webhook is unusable).

Observers see a ``CodeDelivery``: how long the code took, never the code.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, repr=False)
class CodeRequest:
    """A code a flow waits for. ``recipient`` is the address or number the portal sends it to;
    ``asked_at`` (wall clock, ``time.time()``) is the click that asked for it, or None when it
    was asked before this run (an account provisioned with its code already sent).
    ``wait_s``: the most the caller can wait (a monitor's check has a time limit); None: as
    long as the source's own deadline."""

    niss: str
    purpose: str  # registration, login, contacts, password_reset, cmd
    channel: str  # email, sms, letter
    recipient: str | None = None
    asked_at: float | None = None
    wait_s: float | None = None

    def waiting(self, timeout_s: float) -> float:
        """How long a source whose own deadline is ``timeout_s`` waits for this code."""
        return timeout_s if self.wait_s is None else max(0.0, min(timeout_s, self.wait_s))

    def __repr__(self) -> str:
        # Tracebacks reach reports: the NISS and the recipient are personal data.
        return f"CodeRequest(purpose={self.purpose!r}, channel={self.channel!r})"

    def describe(self) -> str:
        """What was waited for, in words a report may show: the purpose, the channel, where it
        was sent (without the personal part) and since when."""
        where = _where(self.channel, self.recipient)
        since = (
            f", asked at {time.strftime('%H:%M:%S', time.gmtime(self.asked_at))} UTC"
            if self.asked_at is not None
            else ""
        )
        return f"the {self.purpose} code by {self.channel}{where}{since}"


def _where(channel: str, recipient: str | None) -> str:
    """An email address by its domain, a number by its last two digits: enough to tell which
    mailbox or phone, nothing that identifies the citizen."""
    if not recipient:
        return ""
    if channel == "email" and "@" in recipient:
        return f" to an address at {recipient.rsplit('@', 1)[1]}"
    digits = "".join(c for c in recipient if c.isdigit())
    if channel == "sms" and len(digits) >= 4:
        return f" to a number ending in {digits[-2:]}"
    return ""


@dataclass(frozen=True, repr=False)
class CodeArrival:
    """A code as a source found it. ``arrived_at`` (wall clock): when it reached the mailbox,
    the webhook or the outbox; None when the source cannot tell."""

    code: str
    arrived_at: float | None = None

    def __repr__(self) -> str:
        return "CodeArrival(<code not shown>)"


@dataclass(frozen=True)
class CodeDelivery:
    """How a code's delivery went, as observers see it (never the code). ``seconds``: from
    the click that asked for it to its arrival; None when that cannot be measured (asked
    before the run, or a source that does not know when it arrived)."""

    purpose: str
    channel: str
    arrived: bool
    seconds: float | None = None

    @staticmethod
    def of(request: CodeRequest, arrival: CodeArrival) -> CodeDelivery:
        seconds = None
        if request.asked_at is not None and arrival.arrived_at is not None:
            # Clocks of a mail server and of this machine may differ: never below zero.
            seconds = max(0.0, arrival.arrived_at - request.asked_at)
        return CodeDelivery(request.purpose, request.channel, True, seconds)

    @staticmethod
    def missing(request: CodeRequest) -> CodeDelivery:
        return CodeDelivery(request.purpose, request.channel, False)


class CodeSource(Protocol):
    """Where verification codes come from: the portal's test outbox, a mailbox, an SMS
    gateway's webhook, a command. Waits up to its own deadline."""

    def latest(self, request: CodeRequest) -> CodeArrival:
        """The newest code that matches ``request``. Raises ``CodeNotFound`` when none came
        by the deadline, ``CodeSourceError`` when the source itself is unusable."""
        ...


class CodeNotFound(LookupError):
    """No code arrived; the message says for what (``CodeRequest.describe``)."""


class CodeSourceError(RuntimeError):
    """The harness's own code source is unusable (a mailbox that refuses the login or cannot
    be reached, a webhook port in use): the harness's failure, not the portal's."""


class NoCodes:
    """The code source of a run that has none: asking for a code is ``CodeNotFound``."""

    def __init__(self, why: str = "this run has no code source") -> None:
        self.why = why

    def latest(self, request: CodeRequest) -> CodeArrival:
        raise CodeNotFound(f"no {request.purpose} code: {self.why}")


def recipient_of(
    purpose: str, channel: str, *, email: str | None, mobile: str | None, cmd_mobile: str | None
) -> str | None:
    """Where the portal sends a code: the Chave Móvel Digital's number for its own code, else
    the citizen's address or number for the channel."""
    if purpose == "cmd":
        return cmd_mobile
    return {"email": email, "sms": mobile}.get(channel)
