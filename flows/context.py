"""What a run of a flow works with: the browser page, the portal, the citizen, the codes."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from playwright.sync_api import Page

# What a run asks of its code source lives in flows.codes; these names stay importable here.
from flows.codes import (
    CodeArrival,
    CodeDelivery,
    CodeNotFound,
    CodeRequest,
    CodeSource,
    CodeSourceError,
    NoCodes,
    recipient_of,
)

__all__ = [
    "NOBODY",
    "Citizen",
    "CodeArrival",
    "CodeDelivery",
    "CodeNotFound",
    "CodeRequest",
    "CodeSource",
    "CodeSourceError",
    "NoCodes",
    "Run",
    "TargetUnreachable",
]

if TYPE_CHECKING:
    from flows.detours import Detour


class TargetUnreachable(ConnectionError):
    """The portal, or the test-control API it offers, did not answer (refused, timed out, 5xx).

    Raised by code sources and the test-control client so that a portal that is down counts
    as the portal's unavailability wherever it is noticed, not as a defect of the harness."""


@dataclass(frozen=True, repr=False)
class Citizen:
    """A synthetic citizen as the flows need them. Never a real person."""

    niss: str
    name: str
    birth_date: date
    password: str
    kind: str = "person"
    email: str | None = None
    mobile: str | None = None
    address: str | None = None
    new_password: str = ""
    cmd_mobile: str | None = None
    cmd_pin: str | None = None

    def __repr__(self) -> str:
        # Tracebacks (pytest's long ones show every argument) reach reports and logs: a
        # citizen is shown by kind only, never by its data.
        return f"Citizen(kind={self.kind!r}, <synthetic data not shown>)"

    @property
    def channel(self) -> str:
        """The channel registration offers first: SMS, else email, else a letter."""
        if self.mobile:
            return "sms"
        return "email" if self.email else "letter"

    def secrets(self) -> list[str]:
        """Everything about this citizen that must never appear in a report, log or guide, in
        every form the screens and forms write it: the whole name and each of its words, the
        birth date as the forms and screens write dates, and phone numbers with and without
        the country code and spaces."""
        born = self.birth_date
        values = [
            self.niss,
            self.password,
            self.new_password,
            self.email,
            self.address,
            *_address_parts(self.address),
            self.cmd_pin,
            *_phone_forms(self.mobile),
            *_phone_forms(self.cmd_mobile),
            *(born.strftime(form) for form in DATE_FORMS),
            self.name,
            *self.name.split(),
        ]
        return list(dict.fromkeys(v for v in values if v and len(v) > 2))


# Who a read-only flow runs as: nobody. It logs in as no one and types nothing personal.
NOBODY = Citizen(niss="", name="", birth_date=date(2000, 1, 1), password="")


# How the portal's forms and screens, and people, write a birth date.
DATE_FORMS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y%m%d", "%d%m%Y")


def _phone_forms(number: str | None) -> list[str]:
    """A mobile number as it is stored (+351912345678) and as people type or show it."""
    if not number:
        return []
    digits = number.lstrip("+")
    forms = [number, digits, "00" + digits]
    if number.startswith("+351") and len(digits) == 12:
        national = digits[3:]
        spaced = f"{national[:3]} {national[3:6]} {national[6:]}"
        forms += [national, spaced, f"+351 {spaced}"]
    return forms


def _address_parts(address: str | None) -> list[str]:
    """The lines of an address (street, postcode and town), each personal on its own."""
    if not address:
        return []
    parts = [p.strip() for p in address.replace("\n", ",").split(",")]
    return [p for p in parts if len(p) >= 5]


@dataclass
class Run:
    """One execution of a flow. ``channel`` chooses the verification channel where a flow
    asks (default: the one the citizen's contacts offer first)."""

    page: Page
    base_url: str
    citizen: Citizen
    codes: CodeSource
    channel: str | None = None
    timeout_ms: float = 10_000
    # Told of each screen the portal put in the way (the runner tells its observers).
    on_detour: Callable[[Detour], None] = field(default=lambda detour: None, repr=False)
    # The codes asked for, by purpose: shared by the flows of one journey, since activation
    # types the code that registration asked for.
    asked: dict[str, CodeRequest] = field(default_factory=dict, repr=False)
    # How the last code typed was delivered; the runner moves it into the step's result.
    delivery: CodeDelivery | None = field(default=None, repr=False)

    @property
    def chosen_channel(self) -> str:
        return self.channel or self.citizen.channel

    def ask_code(self, purpose: str, channel: str) -> None:
        """A click is about to ask the portal for a ``purpose`` code by ``channel``: from now
        on, a code that arrives is that one."""
        self.asked[purpose] = self._request(purpose, channel, time.time())

    def code_request(self, purpose: str) -> CodeRequest:
        """The code to wait for: the one a click of this journey asked for, else one asked
        before the run (by the channel the run chose; the Chave Móvel Digital's by SMS)."""
        if purpose in self.asked:
            return self.asked[purpose]
        return self._request(purpose, "sms" if purpose == "cmd" else self.chosen_channel, None)

    def _request(self, purpose: str, channel: str, asked_at: float | None) -> CodeRequest:
        c = self.citizen
        recipient = recipient_of(
            purpose, channel, email=c.email, mobile=c.mobile, cmd_mobile=c.cmd_mobile
        )
        return CodeRequest(c.niss, purpose, channel, recipient, asked_at)

    def take_delivery(self) -> CodeDelivery | None:
        delivery, self.delivery = self.delivery, None
        return delivery

    def detoured(self, detour: Detour) -> None:
        """A step passed a screen the portal put in its way (``flows.detours``)."""
        self.on_detour(detour)
