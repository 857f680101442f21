"""The portal's home page and the login screens."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator

from pages import labels
from pages.base import Screen


class HomePage(Screen):
    def open(self, base_url: str) -> Self:
        self.page.goto(base_url)
        return self

    @property
    def log_in(self) -> Locator:
        return self.action(labels.LOG_IN)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.log_in,)


class LoginChoicePage(Screen):
    """The choice of authentication: the portal's own user, or Autenticação.gov."""

    @property
    def user_login(self) -> Locator:
        return self.action(labels.SS_USER)

    @property
    def autenticacao_gov(self) -> Locator:
        return self.action(labels.GOV)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.autenticacao_gov,)


class LoginFormPage(Screen):
    """NISS and password, with the ways to register, activate and recover a password.

    On some portals it is a page of its own; on others the choice reveals it in place.
    """

    @property
    def niss(self) -> Locator:
        return self.field(labels.NISS)

    @property
    def password(self) -> Locator:
        return self.field(labels.PASSWORD)

    @property
    def enter(self) -> Locator:
        return self.action(labels.ENTER)

    @property
    def register(self) -> Locator:
        return self.action(labels.REGISTER)

    @property
    def activate(self) -> Locator:
        return self.action(labels.ACTIVATE)

    @property
    def lost_password(self) -> Locator:
        return self.action(labels.LOST_PASSWORD)

    def landmarks(self) -> tuple[Locator, ...]:
        # The password with Entrar: a new password's screen has the field, not the action.
        return (self.password, self.enter)


class SecondFactorPage(Screen):
    """After the password: choose where the one-time code goes, then type it."""

    def channel(self, label: labels.Label) -> Locator:
        return self.option(label)

    @property
    def send_code(self) -> Locator:
        return self.action(labels.SEND_CODE)

    @property
    def code(self) -> Locator:
        return self.field(labels.LOGIN_CODE)

    @property
    def validate(self) -> Locator:
        return self.action(labels.VALIDATE_CODE)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.send_code.or_(self.code),)


class ContactsPage(Screen):
    """The prompt to update and validate contacts after authentication."""

    @property
    def save(self) -> Locator:
        return self.action(labels.SAVE_CONTACTS)

    @property
    def remind_later(self) -> Locator:
        return self.action(labels.REMIND_LATER)

    def landmarks(self) -> tuple[Locator, ...]:
        # The heading's wording is ours (translated): its meaning, with the documented action.
        return (self.region("heading", labels.CONTACTS), self.save)


class ContactsCodePage(Screen):
    @property
    def code(self) -> Locator:
        return self.field(labels.CONTACTS_CODE)

    @property
    def validate(self) -> Locator:
        return self.action(labels.VALIDATE_CONTACTS)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.code,)


class PersonalAreaPage(Screen):
    """The citizen's area once authenticated."""

    @property
    def log_out(self) -> Locator:
        return self.action(labels.LOG_OUT)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.log_out,)
