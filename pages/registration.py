"""Registration screens: terms, identification, verification channel, confirmation."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages import labels
from pages.base import Screen


class TermsPage(Screen):
    @property
    def accept(self) -> Locator:
        return self.action(labels.ACCEPT_TERMS)

    def landmark(self) -> Locator:
        return self.accept


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

    def landmark(self) -> Locator:
        return self.next


class ChannelPage(Screen):
    """The choice of channel for a verification code (registration and password reset)."""

    def channel(self, label: labels.Label) -> Locator:
        return self.option(label)

    @property
    def request_code(self) -> Locator:
        return self.action(labels.REQUEST_CODE)

    def landmark(self) -> Locator:
        return self.request_code


class RegistrationDonePage(Screen):
    @property
    def message(self) -> Locator:
        return self.text(labels.REGISTRATION_DONE)

    def landmark(self) -> Locator:
        return self.message
