"""Activation screens, also used by the password reset: code, password, the way in."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages import labels
from pages.base import Screen


class CodePage(Screen):
    """NISS and verification code."""

    @property
    def niss(self) -> Locator:
        return self.field(labels.NISS)

    @property
    def code(self) -> Locator:
        return self.field(labels.VERIFICATION_CODE)

    @property
    def confirm(self) -> Locator:
        return self.action(labels.CONFIRM_CODE)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.confirm,)


class PasswordPage(Screen):
    """The new password, its confirmation, and the formation rules beside them."""

    @property
    def password(self) -> Locator:
        return self.field(labels.PASSWORD)

    @property
    def confirmation(self) -> Locator:
        return self.field(labels.PASSWORD_CONFIRMATION)

    @property
    def rules(self) -> Locator:
        return self.text(labels.PASSWORD_RULES)

    @property
    def confirm(self) -> Locator:
        return self.action(labels.CONFIRM_PASSWORD)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.confirm,)


class AccessPage(Screen):
    """The end of activation or reset: the link to log in with the new password."""

    @property
    def access_link(self) -> Locator:
        return self.page.get_by_role("link", name=labels.ACCESS_LINK.pattern)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.access_link,)


class ResetStartPage(Screen):
    """Perdi a minha palavra-passe: NISS and birth date."""

    @property
    def niss(self) -> Locator:
        return self.field(labels.NISS)

    @property
    def birth_date(self) -> Locator:
        return self.field(labels.BIRTH_DATE)

    @property
    def next(self) -> Locator:
        return self.action(labels.NEXT)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.next,)


class ResetSentPage(Screen):
    @property
    def enter_code(self) -> Locator:
        return self.action(labels.ENTER_CODE)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.enter_code,)
