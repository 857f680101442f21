"""Every documented flow, written once.

Step numbers and wordings follow the portal's English page (``000``): registration has its 10
steps, activation its 8, the Chave Móvel Digital its 3 (the third split as the screens ask).
Login and password reset follow the screens, since no guide numbers them. Sequences that two
flows share (reaching the login form; a code then a new password) are written once below.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from playwright.sync_api import Locator

from flows.context import Run
from flows.detours import (
    CONTACTS_PROMPT,
    LOGIN_FORM_AT_ONCE,
    arrive,
    arrive_at_login,
    form_at_once,
    reach_login_form,
)
from flows.flow import Flow, Step, committing
from flows.steps import (
    asking_code,
    channel_label,
    choose,
    click,
    fill,
    fill_code,
    open_portal,
    see,
)
from pages import labels
from pages.activation import AccessPage, CodePage, PasswordPage, ResetSentPage, ResetStartPage
from pages.base import fill_date
from pages.gov import CmdAuthorisePage, CmdCodePage, CmdCredentialsPage, GovChoicePage
from pages.portal import (
    ContactsCodePage,
    ContactsPage,
    HomePage,
    LoginChoicePage,
    LoginFormPage,
    PersonalAreaPage,
    SecondFactorPage,
)
from pages.registration import ChannelPage, IdentificationPage, RegistrationDonePage, TermsPage


# Shared sequences ------------------------------------------------------------------------
def _to_login_form() -> tuple[Step, ...]:
    """Steps 1-3 of the guide: the portal, Iniciar sessão, the portal's own user. A portal
    that shows the form at once skips step 3's choice, and the report says so."""
    return (
        open_portal("1"),
        Step("2", labels.LOG_IN, "click", lambda r: [HomePage(r.page).log_in], _log_in),
        Step("3", labels.SS_USER, "click", lambda r: [LoginChoicePage(r.page).user_login], _user),
    )


def _log_in(run: Run, elements: Sequence[Locator]) -> None:
    elements[0].click()
    arrive_at_login(run)


def _user(run: Run, elements: Sequence[Locator]) -> None:
    if form_at_once(run):
        run.detoured(LOGIN_FORM_AT_ONCE)
        return
    elements[0].click()
    arrive(run, LoginFormPage)


def _code_then_password(
    first: int, purpose: str, password: Callable[[Run], str]
) -> tuple[Step, ...]:
    """NISS and code, then a password and its confirmation, then the way back in: the
    activation's steps 2-8, which the password reset repeats."""
    n = [str(number) for number in range(first, first + 7)]
    return (
        fill(n[0], labels.NISS, lambda r: CodePage(r.page).niss, lambda r: r.citizen.niss),
        fill_code(
            n[1],
            labels.VERIFICATION_CODE,
            lambda r: CodePage(r.page).code,
            purpose,
        ),
        committing(
            click(n[2], labels.CONFIRM_CODE, lambda r: CodePage(r.page).confirm, PasswordPage)
        ),
        fill(n[3], labels.PASSWORD, lambda r: PasswordPage(r.page).password, password, secret=True),
        fill(
            n[4],
            labels.PASSWORD_CONFIRMATION,
            lambda r: PasswordPage(r.page).confirmation,
            password,
            secret=True,
        ),
        click(n[5], labels.CONFIRM_PASSWORD, lambda r: PasswordPage(r.page).confirm, AccessPage),
        click(n[6], labels.ACCESS_LINK, lambda r: AccessPage(r.page).access_link, LoginFormPage),
    )


# Registration ----------------------------------------------------------------------------
def _account_type(run: Run) -> Locator:
    kind = labels.CITIZEN if run.citizen.kind == "person" else labels.COMPANY
    return IdentificationPage(run.page).account_type(kind)


def _identification(run: Run) -> list[Locator]:
    screen = IdentificationPage(run.page)
    return [screen.niss, screen.birth_date, screen.not_a_robot]


def _fill_identification(run: Run, elements: Sequence[Locator]) -> None:
    niss, birth_date, robot = elements
    niss.fill(run.citizen.niss)
    fill_date(birth_date, run.citizen.birth_date)
    robot.check()


REGISTRATION = Flow(
    name="registration",
    title_pt="Registo na Segurança Social Direta",
    title_en="Registration on the Social Security Portal",
    source=f"{labels.GUIDE_000}, registration steps 1-10",
    steps=(
        *_to_login_form(),
        click("4", labels.REGISTER, lambda r: LoginFormPage(r.page).register, TermsPage),
        click("5", labels.ACCEPT_TERMS, lambda r: TermsPage(r.page).accept, IdentificationPage),
        choose("6", labels.ACCOUNT_TYPE, _account_type),
        Step("7", labels.IDENTIFICATION, "fill", _identification, _fill_identification),
        click("8", labels.NEXT_CHANNEL, lambda r: IdentificationPage(r.page).next, ChannelPage),
        choose("9", labels.CHANNEL, lambda r: ChannelPage(r.page).channel(channel_label(r))),
        committing(
            asking_code(
                click(
                    "10",
                    labels.REQUEST_CODE,
                    lambda r: ChannelPage(r.page).request_code,
                    RegistrationDonePage,
                ),
                "registration",
            )
        ),
    ),
)

ACTIVATION = Flow(
    name="activation",
    title_pt="Ativar conta",
    title_en="Activate account",
    source=f"{labels.GUIDE_000}, activation steps 1-8",
    requires=("registration",),
    steps=(
        click("1", labels.ACTIVATE, lambda r: reach_login_form(r).activate, CodePage),
        *_code_then_password(2, "registration", lambda r: r.citizen.password),
    ),
)


# Login -----------------------------------------------------------------------------------
def _credentials(run: Run) -> list[Locator]:
    form = LoginFormPage(run.page)
    return [form.niss, form.password]


def _fill_credentials(run: Run, elements: Sequence[Locator]) -> None:
    niss, password = elements
    niss.fill(run.citizen.niss)
    password.fill(run.citizen.password)


def _contacts_channel(run: Run) -> str:
    """The contacts kept as they are, their code goes to the mobile when there is one."""
    return "sms" if run.citizen.mobile else "email"


LOGIN = Flow(
    name="login",
    title_pt="Iniciar sessão com NISS e palavra-passe",
    title_en="Log in with NISS and password",
    source="the portal's screens (one-time code since 2026; contacts after authentication)",
    requires=("registration", "activation"),
    steps=(
        *_to_login_form(),
        Step("4", labels.NISS, "fill", _credentials, _fill_credentials, secret=True),
        click("5", labels.ENTER, lambda r: LoginFormPage(r.page).enter, SecondFactorPage),
        choose("6", labels.CHANNEL, lambda r: SecondFactorPage(r.page).channel(channel_label(r))),
        asking_code(
            click(
                "7",
                labels.SEND_CODE,
                lambda r: SecondFactorPage(r.page).send_code,
                SecondFactorPage,
            ),
            "login",
        ),
        fill_code(
            "8",
            labels.LOGIN_CODE,
            lambda r: SecondFactorPage(r.page).code,
            "login",
        ),
        click("9", labels.VALIDATE_CODE, lambda r: SecondFactorPage(r.page).validate, ContactsPage),
        committing(
            asking_code(
                click(
                    "10",
                    labels.SAVE_CONTACTS,
                    lambda r: ContactsPage(r.page).save,
                    ContactsCodePage,
                ),
                "contacts",
                _contacts_channel,
            )
        ),
        fill_code(
            "11",
            labels.CONTACTS_CODE,
            lambda r: ContactsCodePage(r.page).code,
            "contacts",
        ),
        # The contacts are this flow's subject: their prompt again is a failure, not a detour.
        click(
            "12",
            labels.VALIDATE_CONTACTS,
            lambda r: ContactsCodePage(r.page).validate,
            PersonalAreaPage,
            unless=(CONTACTS_PROMPT,),
        ),
    ),
)


# Password reset --------------------------------------------------------------------------
def _reset_identity(run: Run) -> list[Locator]:
    screen = ResetStartPage(run.page)
    return [screen.niss, screen.birth_date]


def _fill_reset_identity(run: Run, elements: Sequence[Locator]) -> None:
    niss, birth_date = elements
    niss.fill(run.citizen.niss)
    fill_date(birth_date, run.citizen.birth_date)


PASSWORD_RESET = Flow(
    name="password_reset",
    title_pt="Perdi a minha palavra-passe",
    title_en="I forgot my password",
    source=f"{labels.GUIDE_001}, activation note 5, and the portal's screens",
    requires=("registration", "activation"),
    steps=(
        click(
            "1", labels.LOST_PASSWORD, lambda r: reach_login_form(r).lost_password, ResetStartPage
        ),
        Step("2", labels.BIRTH_DATE, "fill", _reset_identity, _fill_reset_identity),
        click("3", labels.NEXT, lambda r: ResetStartPage(r.page).next, ChannelPage),
        choose("4", labels.CHANNEL, lambda r: ChannelPage(r.page).channel(channel_label(r))),
        asking_code(
            click(
                "5", labels.REQUEST_CODE, lambda r: ChannelPage(r.page).request_code, ResetSentPage
            ),
            "password_reset",
        ),
        click("6", labels.ENTER_CODE, lambda r: ResetSentPage(r.page).enter_code, CodePage),
        *_code_then_password(7, "password_reset", lambda r: r.citizen.new_password),
    ),
)


# Autenticação.gov with the Chave Móvel Digital -------------------------------------------
def _gov_option(run: Run) -> Locator:
    HomePage(run.page).log_in.click()
    return LoginChoicePage(run.page).expect_loaded().autenticacao_gov


def _cmd_credentials(run: Run) -> list[Locator]:
    screen = CmdCredentialsPage(run.page)
    return [screen.mobile, screen.pin]


def _fill_cmd_credentials(run: Run, elements: Sequence[Locator]) -> None:
    mobile, pin = elements
    mobile.fill(run.citizen.cmd_mobile or "")
    pin.fill(run.citizen.cmd_pin or "")


CMD = Flow(
    name="cmd",
    title_pt="Registo com a Chave Móvel Digital",
    title_en="Registration with the Digital Mobile Key",
    source=f"{labels.GUIDE_000}, Digital Mobile Key steps 1-3",
    steps=(
        open_portal("1"),
        click("2", labels.GOV, _gov_option, GovChoicePage),
        click(
            "3a",
            labels.CMD,
            lambda r: GovChoicePage(r.page).chave_movel_digital,
            CmdCredentialsPage,
        ),
        Step("3b", labels.PIN, "fill", _cmd_credentials, _fill_cmd_credentials, secret=True),
        click(
            "3c", labels.CONTINUE, lambda r: CmdCredentialsPage(r.page).continue_, CmdAuthorisePage
        ),
        asking_code(
            click(
                "3d", labels.AUTHORISE, lambda r: CmdAuthorisePage(r.page).authorise, CmdCodePage
            ),
            "cmd",
            lambda r: "sms",
        ),
        fill_code(
            "3e",
            labels.SECURITY_CODE,
            lambda r: CmdCodePage(r.page).code,
            "cmd",
        ),
        # Back in the portal, authenticated: a first visit may ask for the contacts on the way.
        committing(
            click("3f", labels.CONFIRM, lambda r: CmdCodePage(r.page).confirm, PersonalAreaPage)
        ),
    ),
)

# A read-only look at the entry screens: creates nothing, so it may watch production too.
PORTAL = Flow(
    name="portal",
    title_pt="Portal e ecrãs de entrada",
    title_en="Portal and entry screens",
    source=f"{labels.GUIDE_000}, registration steps 1-5",
    writes=False,
    steps=(
        *_to_login_form()[:2],
        see(
            "2a",
            labels.SS_USER,
            lambda r: [
                LoginChoicePage(r.page).user_login,
                LoginChoicePage(r.page).autenticacao_gov,
            ],
        ),
        click("3", labels.SS_USER, lambda r: LoginChoicePage(r.page).user_login, LoginFormPage),
        see(
            "3a",
            labels.REGISTER,
            lambda r: [
                LoginFormPage(r.page).register,
                LoginFormPage(r.page).activate,
                LoginFormPage(r.page).lost_password,
            ],
        ),
        click("4", labels.REGISTER, lambda r: LoginFormPage(r.page).register, TermsPage),
        see("5", labels.ACCEPT_TERMS, lambda r: [TermsPage(r.page).accept]),
    ),
)

FLOWS: dict[str, Flow] = {
    flow.name: flow for flow in (REGISTRATION, ACTIVATION, LOGIN, PASSWORD_RESET, CMD, PORTAL)
}


def with_prerequisites(names: Sequence[str]) -> list[Flow]:
    """The named flows preceded by those they require, each once, in a runnable order."""
    ordered: list[Flow] = []

    def add(name: str) -> None:
        flow = FLOWS[name]
        for required in flow.requires:
            add(required)
        if flow not in ordered:
            ordered.append(flow)

    for name in names:
        add(name)
    return ordered
