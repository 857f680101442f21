"""Registration screens: terms, identification, verification channel, confirmation."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages import labels
from pages.base import Screen


class TermsPage(Screen):
    @property
    def accept(self) -> Locator:
        return self.action(labels.ACCEPT_TERMS)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.accept,)


class IdentificationPage(Screen):
    def account_type(self, label: labels.Label) -> Locator:
        return self.option(label)

    @property
    def niss(self) -> Locator:
        return self.field(labels.NISS)

    @property
    def birth_date(self) -> Locator:
        return self.field(labels.BIRTH_DATE)

    @property
    def not_a_robot(self) -> Locator:
        return self.checkbox(labels.NOT_A_ROBOT)

    @property
    def next(self) -> Locator:
        return self.action(labels.NEXT_CHANNEL)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.next,)


class ChannelPage(Screen):
    """The choice of channel for a verification code (registration and password reset)."""

    def channel(self, label: labels.Label) -> Locator:
        return self.option(label)

    @property
    def request_code(self) -> Locator:
        return self.action(labels.REQUEST_CODE)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.request_code,)


class RegistrationDonePage(Screen):
    """The request is made. No guide quotes its Portuguese, so the screen is known by a
    success message in a status region together with the next documented action."""

    @property
    def message(self) -> Locator:
        return self.region("status", labels.REGISTRATION_DONE)

    @property
    def activate(self) -> Locator:
        return self.action(labels.ACTIVATE)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.message, self.activate)
