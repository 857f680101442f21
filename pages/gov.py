"""Autenticação.gov screens for the Chave Móvel Digital."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages import labels
from pages.base import Screen


class GovChoicePage(Screen):
    @property
    def chave_movel_digital(self) -> Locator:
        return self.action(labels.CMD)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.chave_movel_digital,)


class CmdCredentialsPage(Screen):
    @property
    def mobile(self) -> Locator:
        return self.field(labels.CMD_MOBILE)

    @property
    def pin(self) -> Locator:
        return self.field(labels.PIN)

    @property
    def continue_(self) -> Locator:
        return self.action(labels.CONTINUE)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.continue_,)


class CmdAuthorisePage(Screen):
    @property
    def authorise(self) -> Locator:
        return self.action(labels.AUTHORISE)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.authorise,)


class CmdCodePage(Screen):
    @property
    def code(self) -> Locator:
        return self.field(labels.SECURITY_CODE)

    @property
    def confirm(self) -> Locator:
        return self.action(labels.CONFIRM)

    def landmarks(self) -> tuple[Locator, ...]:
        return (self.confirm, self.code)
