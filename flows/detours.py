"""Screens a portal may put between documented steps, and how each one is passed.

A documented step says which screen comes next; a portal may first show something else: a
cookie-consent banner on a session's first visit, the choice of authentication before the
login form (the single-sign-on page collapses the form behind it on every arrival), the prompt
to update contacts before the personal area, or a page saying the session expired. Each is
known by its documented or customary labels, passed the way a citizen would pass it, and
reported to the run's observers as a ``Detour``, so a report never hides what the portal asked.

``arrive(run, Screen)`` waits for the screen a step leads to, passing the detours on the way;
``cookie_consent(run)`` keeps a banner out of the way for a whole flow, whenever it shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from typing import Literal, TypeVar, get_args

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from flows.context import Run
from pages import labels
from pages.base import Screen
from pages.labels import Label
from pages.portal import ContactsPage, HomePage, LoginChoicePage, LoginFormPage, PersonalAreaPage

# More than this many detours before one screen is no longer a detour, but a loop.
MAX_DETOURS = 3


@dataclass(frozen=True)
class Detour:
    """Something the portal asked for on the way, and what was done about it. The notes may
    name what was chosen as ``{chosen}``: the portal's own words for it where they are known
    (``shown``), else the documented label."""

    name: str
    label: Label  # what was acted on, or what was seen
    note_en: str
    note_pt: str
    shown: str = ""  # the words of the element acted on, as the screen showed them

    def note(self, language: str) -> str:
        """The note in ``pt`` or ``en``, with what was chosen as the screen worded it."""
        chosen = self.shown or self.label.pt
        if language == "pt":
            return self.note_pt.format(chosen=chosen)
        gloss = "" if chosen == self.label.en else f" ({self.label.en})"
        return self.note_en.format(chosen=chosen + gloss)

    def as_shown(self, element: Locator) -> Detour:
        """This detour, naming what was acted on in the words ``element`` shows."""
        text = " ".join(str(element.evaluate(SHOWN_TEXT)).split())
        return replace(self, shown=text) if text else self


# The words a button, link or <input type=submit> shows.
SHOWN_TEXT = "e => e.innerText || e.value || e.getAttribute('aria-label') || ''"


COOKIE_CONSENT = Detour(
    "cookie_consent",
    labels.COOKIES_ACCEPT,
    "The portal asked for consent to cookies; they were accepted.",
    "O portal pediu consentimento para cookies; foram aceites.",
)
LOGIN_CHOICE = Detour(
    "login_choice",
    labels.SS_USER,
    "The portal showed the choice of authentication first; {chosen} was chosen.",
    "O portal mostrou primeiro a escolha do modo de autenticação; foi escolhido {chosen}.",
)
LOGIN_FORM_AT_ONCE = Detour(
    "login_form_at_once",
    labels.SS_USER,
    "The portal showed the login form at once: there was no choice of authentication to make.",
    "O portal mostrou logo o formulário de autenticação: não houve modo de autenticação a "
    "escolher.",
)
CONTACTS_PROMPT = Detour(
    "contacts_prompt",
    labels.REMIND_LATER,
    "The portal then asked to update the contacts; {chosen} was chosen.",
    "O portal pediu depois para atualizar os contactos; foi escolhido {chosen}.",
)
SESSION_EXPIRED = Detour(
    "session_expired",
    labels.SESSION_EXPIRED,
    "The portal said the session had expired: the flow started again from its first screen.",
    "O portal indicou que a sessão expirou: o percurso recomeçou no primeiro ecrã.",
)


class SessionExpired(Exception):
    """The portal shows that the session expired instead of the screen a step leads to."""


@dataclass(frozen=True)
class _Way:
    """A detour that can stand between a step and the screen it leads to."""

    detour: Detour
    sign: Callable[[Page], Locator]  # visible when the portal shows the detour
    towards: tuple[type[Screen], ...]  # the screens it may stand in front of
    passing: Callable[[Page], Locator] | None  # what to click; None: it cannot be passed


def _session_expired(page: Page) -> Locator:
    # A page about the expired session, by its heading: an alert beside a form may mention the
    # session for other reasons (an expired code: "start a new session").
    meaning = labels.SESSION_EXPIRED.pattern
    return page.get_by_role("heading", name=meaning).filter(visible=True).first


WAYS = (
    _Way(
        LOGIN_CHOICE,
        lambda page: LoginChoicePage(page).user_login,
        (LoginFormPage,),
        lambda page: LoginChoicePage(page).user_login,
    ),
    _Way(
        CONTACTS_PROMPT,
        lambda page: ContactsPage(page).remind_later,
        (PersonalAreaPage,),
        lambda page: ContactsPage(page).remind_later,
    ),
    _Way(SESSION_EXPIRED, _session_expired, (Screen,), None),
)

S = TypeVar("S", bound=Screen)


def arrive(run: Run, screen: type[S], *, unless: tuple[Detour, ...] = ()) -> S:
    """The screen a step leads to, once the detours in front of it are passed (each reported
    to the run's observers), except those ``unless`` names: a step that is itself about the
    contacts must not put their prompt off. Raises ``SessionExpired`` when the portal says
    the session expired, and fails as ``expect_loaded`` does when neither the screen nor a
    detour shows."""
    target = screen(run.page)
    ways = [
        way
        for way in WAYS
        if issubclass(screen, way.towards) and way.detour.name not in {d.name for d in unless}
    ]
    for _ in range(MAX_DETOURS):
        either = target.landmark()
        for way in ways:
            either = either.or_(way.sign(run.page))
        shown = either.filter(visible=True).first
        expect(shown, f"expected the screen {screen.__name__}").to_be_visible()
        if target.landmark().filter(visible=True).count():
            break
        shown_way = next((w for w in ways if w.sign(run.page).filter(visible=True).count()), None)
        if shown_way is None:
            continue  # the page changed between the two looks: look again
        if shown_way.passing is None:
            said = " ".join(shown_way.sign(run.page).inner_text().split())
            raise SessionExpired(f"the portal says the session expired: {said!r}")
        element = shown_way.passing(run.page).filter(visible=True).first
        detour = shown_way.detour.as_shown(element)
        element.click()
        run.detoured(detour)
    return target.expect_loaded()


def session_expired(page: Page) -> bool:
    """Does the page say, now, that the session expired?"""
    return _session_expired(page).is_visible()


def reach_login_form(run: Run) -> LoginFormPage:
    """From the portal's home page to the NISS and password form, whether the portal shows the
    choice of authentication first (documented: steps 2 and 3) or the form at once."""
    HomePage(run.page).open(run.base_url).expect_loaded().log_in.click()
    arrive_at_login(run)
    if not form_at_once(run):
        LoginChoicePage(run.page).user_login.click()
    return arrive(run, LoginFormPage)


def arrive_at_login(run: Run) -> None:
    """The login screen, as the choice of authentication or as the form itself."""
    choice, form = LoginChoicePage(run.page), LoginFormPage(run.page)
    shown = choice.landmark().or_(form.landmark()).filter(visible=True).first
    expect(shown, "expected the screen LoginChoicePage or LoginFormPage").to_be_visible()


def form_at_once(run: Run) -> bool:
    """Is the login form shown, with no choice of authentication to make first?"""
    form = LoginFormPage(run.page).landmark().filter(visible=True)
    choice = LoginChoicePage(run.page).user_login.filter(visible=True)
    return bool(form.count()) and not choice.count()


# Where a cookie banner lives, and what it is about.
BannerRole = Literal["alertdialog", "region", "complementary", "contentinfo", "banner", "form"]
BANNER_ROLES: tuple[BannerRole, ...] = get_args(BannerRole)
COOKIES = re.compile(r"cookie", re.IGNORECASE)


@contextmanager
def cookie_consent(run: Run) -> Iterator[None]:
    """While the block runs, a cookie-consent banner is accepted whenever it stands in the way
    (Playwright checks before each action and assertion), and reported."""
    pattern = labels.COOKIES_ACCEPT.pattern
    # Only an "Aceitar" in a banner about cookies: the same word may consent to other things.
    banner = run.page.get_by_role("dialog")
    for role in BANNER_ROLES:
        banner = banner.or_(run.page.get_by_role(role))
    banner = banner.filter(has_text=COOKIES)
    accept = (
        banner.get_by_role("button", name=pattern)
        .or_(banner.get_by_role("link", name=pattern))
        .filter(visible=True)
        .first
    )

    def handle(banner: Locator) -> None:
        banner.click()
        run.detoured(COOKIE_CONSENT)

    run.page.add_locator_handler(accept, handle)
    try:
        yield
    finally:
        with suppress(PlaywrightError):  # a page already closed keeps no handler
            run.page.remove_locator_handler(accept)
