"""Screens a portal puts between documented steps: passed by their labels, and reported.

A small portal of our own is served through ``page.route`` so that each test shows exactly the
screen in between it is about (the bundled mock's markups show them too: test_flows.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import allure
import pytest
from playwright.sync_api import Page, Route

from fixtures.allure_observer import AllureObserver
from flows import catalog, detours
from flows.context import Citizen, NoCodes, Run
from flows.detours import Detour
from flows.errors import PortalDefect
from flows.flow import Flow, Step, committing
from flows.runner import Observer, Runner
from flows.steps import click, open_portal
from pages import labels
from pages.activation import AccessPage
from pages.base import Screen
from pages.gov import CmdCodePage
from pages.portal import HomePage, LoginChoicePage, LoginFormPage, PersonalAreaPage

PORTAL = "http://portal.test"
PERSON = Citizen(niss="11115611236", name="Teste", birth_date=date(1980, 1, 1), password="x")

HOME = "<main><h1>Portal</h1><a href='/login'>Iniciar sessão</a></main>"
BANNER = (
    "<div role='dialog' aria-modal='true' aria-label='Cookies' style='position:fixed;inset:0;"
    "background:rgba(0,0,0,.5)'><p>Este sítio usa cookies.</p>"
    "<button onclick=\"this.closest('[role=dialog]').remove()\">Aceitar todos</button></div>"
)
CHOICE = (
    "<main><h1>Entrar</h1><button aria-expanded='false' onclick=\"document.getElementById('f')"
    ".hidden=false;this.setAttribute('aria-expanded','true')\">Autenticar com utilizador da "
    "Segurança Social</button><a href='/gov'>Autenticação.gov</a><form id='f' hidden>"
    "<label>NISS <input></label><label>Palavra-passe <input type='password'></label>"
    "<button type='button'>Entrar</button></form></main>"
)
EXPIRED = "<main><h1>A sua sessão expirou</h1><p role='alert'>Recomece.</p></main>"
ACCESS = "<main><p>Já <a href='/login'>pode efetuar o acesso na Segurança Social Direta com a sua palavra-passe</a>.</p></main>"  # noqa: E501
CONFIRM = (
    "<main><label>Código de segurança <input></label><a href='/contactos'>Confirmar</a></main>"
)
CONTACTS = (
    "<main><h1>Confirme os seus contactos</h1><button>Guardar e validar</button>"
    "<a href='/area'>Lembrar mais tarde</a></main>"
)
AREA = "<main><h1>Área pessoal</h1><button>Terminar sessão</button></main>"


class Portal:
    """Answers each path with its page; ``pages[path]`` may be a list, one per visit."""

    def __init__(self, page: Page, pages: dict[str, str | list[str]]):
        self.pages = pages
        page.route(f"{PORTAL}/**", self.answer)

    def answer(self, route: Route) -> None:
        path = "/" + route.request.url.removeprefix(PORTAL).lstrip("/")
        body = self.pages.get(path, "<h1>Não encontrado</h1>")
        if isinstance(body, list):
            body = body.pop(0) if len(body) > 1 else body[0]
        html = f"<!doctype html><html lang='pt'><body>{body}</body></html>"
        route.fulfill(body=html, content_type="text/html; charset=utf-8")


class Seen(Observer):
    def __init__(self) -> None:
        self.detours: list[tuple[str, str]] = []
        self.started: list[str] = []

    def step_started(self, step: Step, run: Run, elements: Sequence) -> None:
        self.started.append(step.number)

    def detour(self, step: Step, run: Run, detour: Detour) -> None:
        self.detours.append((step.number, detour.name))


def run_of(page: Page) -> Run:
    return Run(page=page, base_url=PORTAL, citizen=PERSON, codes=NoCodes(), timeout_ms=3000)


def flow_of(*steps: Step) -> Flow:
    return Flow("demo", "Demo", "Demo", steps, writes=False)


def opened(step: Step) -> Flow:
    """Open the portal's first page, then ``step``."""
    goto = Step("1", labels.PORTAL, "open", lambda r: [], lambda r, _: r.page.goto(PORTAL))
    return flow_of(goto, step)


def to_login() -> Flow:
    return flow_of(
        open_portal("1"),
        click("2", labels.LOG_IN, lambda r: HomePage(r.page).log_in, LoginChoicePage),
    )


def test_a_cookie_banner_in_the_way_is_accepted_and_reported(page: Page) -> None:
    Portal(page, {"/": HOME + BANNER, "/login": CHOICE})
    seen = Seen()
    assert Runner([seen]).run(to_login(), run_of(page)).passed
    assert [d for _, d in seen.detours] == [detours.COOKIE_CONSENT.name]


def test_without_its_label_a_banner_blocks_the_step(page: Page) -> None:
    # The banner is real: a portal whose banner the harness did not know would stop the flow.
    Portal(page, {"/": HOME + BANNER.replace("Aceitar todos", "Compreendi"), "/login": CHOICE})
    result = Runner().run(to_login(), run_of(page), raise_on_failure=False)
    assert not result.passed
    assert result.error is not None
    assert result.error.step == "2"


def test_the_choice_shown_before_the_login_form_is_passed_by_its_label(page: Page) -> None:
    Portal(page, {"/": ACCESS, "/login": CHOICE})
    link = click("8", labels.ACCESS_LINK, lambda r: AccessPage(r.page).access_link, LoginFormPage)
    seen = Seen()
    flow = opened(link)
    assert Runner([seen]).run(flow, run_of(page)).passed
    assert seen.detours == [("8", detours.LOGIN_CHOICE.name)]
    assert LoginFormPage(page).password.is_visible()


def test_the_contacts_prompt_before_the_personal_area_is_put_off(page: Page) -> None:
    Portal(page, {"/": CONFIRM, "/contactos": CONTACTS, "/area": AREA})
    confirm = click("3f", labels.CONFIRM, lambda r: CmdCodePage(r.page).confirm, PersonalAreaPage)
    seen = Seen()
    flow = opened(confirm)
    assert Runner([seen]).run(flow, run_of(page)).passed
    assert seen.detours == [("3f", detours.CONTACTS_PROMPT.name)]


def test_an_expired_session_starts_the_flow_again_once(page: Page) -> None:
    Portal(page, {"/": HOME, "/login": [EXPIRED, CHOICE]})
    seen = Seen()
    result = Runner([seen]).run(to_login(), run_of(page))
    assert result.passed
    assert seen.detours == [("2", detours.SESSION_EXPIRED.name)]
    assert seen.started == ["1", "2", "1", "2"]
    assert [s.step.number for s in result.steps] == ["1", "2"]


def test_a_session_that_expires_again_is_the_portals_failure(page: Page) -> None:
    Portal(page, {"/": HOME, "/login": EXPIRED})
    with pytest.raises(PortalDefect, match="session expired"):
        Runner().run(to_login(), run_of(page))


def test_the_allure_report_shows_each_detour_inside_its_step(
    page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    titles: list[str] = []
    real_step: Callable = allure.step
    monkeypatch.setattr(allure, "step", lambda title: titles.append(title) or real_step(title))
    monkeypatch.setattr(allure, "attach", lambda *args, **kwargs: None)
    Portal(page, {"/": ACCESS, "/login": CHOICE})
    link = click("8", labels.ACCESS_LINK, lambda r: AccessPage(r.page).access_link, LoginFormPage)
    flow = opened(link)
    Runner([AllureObserver()]).run(flow, run_of(page))
    step = titles.index(link.title)
    assert titles[step + 1] == (
        "Detour: The portal showed the choice of authentication first; Autenticar com "
        "utilizador da Segurança Social (Authentication with your Social Security user "
        "account) was chosen."
    )


FORM_AT_ONCE = (
    "<main><h1>Entrar</h1><form><label>NISS <input></label><label>Palavra-passe "
    "<input type='password'></label><button type='button'>Entrar</button></form>"
    "<a href='/registo'>Efetuar registo</a></main>"
)
TERMS = "<main><h1>Termos</h1><button>Li e aceito os termos e condições</button></main>"


def test_a_portal_that_shows_the_login_form_at_once_skips_the_choice(page: Page) -> None:
    Portal(page, {"/": HOME, "/login": FORM_AT_ONCE, "/registo": TERMS})
    seen = Seen()
    run = run_of(page)
    result = Runner([seen]).run(catalog.REGISTRATION.until("4"), run)
    assert result.passed
    assert seen.detours == [("3", detours.LOGIN_FORM_AT_ONCE.name)]


def test_the_contacts_prompt_after_validating_the_contacts_is_a_failure(page: Page) -> None:
    # Login's step 12 is about the contacts: their prompt again means they were not saved.
    validate = catalog.LOGIN.steps[-1]
    Portal(
        page,
        {
            "/": "<main><button onclick=\"location='/contactos'\">Validar contactos"
            "</button></main>",
            "/contactos": CONTACTS,
            "/area": AREA,
        },
    )
    result = Runner().run(opened(validate), run_of(page), raise_on_failure=False)
    assert not result.passed
    assert result.error is not None
    assert result.error.step == "12"


def test_an_expiry_after_a_step_that_wrote_does_not_start_the_flow_again(page: Page) -> None:
    request = click(
        "10",
        labels.REQUEST_CODE,
        lambda r: Screen(r.page).action(labels.REQUEST_CODE),
        PersonalAreaPage,
    )
    flow = flow_of(
        open_portal("1"),
        committing(request),
        click("11", labels.LOG_OUT, lambda r: PersonalAreaPage(r.page).log_out, LoginChoicePage),
    )
    Portal(
        page,
        {
            "/": "<main><a href='/pedido'>Iniciar sessão</a><button onclick=\"location="
            "'/pedido'\">Pedir código de verificação</button></main>",
            "/pedido": AREA.replace("<button>", "<button onclick=\"location='/login'\">"),
            "/login": EXPIRED,
        },
    )
    seen = Seen()
    result = Runner([seen]).run(flow, run_of(page), raise_on_failure=False)
    assert seen.started.count("10") == 1  # never asked twice
    assert seen.detours == []
    assert result.error is not None
    assert "session expired" in str(result.error)


def test_an_aceitar_that_is_no_cookie_banner_is_left_alone(page: Page) -> None:
    Portal(
        page,
        {
            "/": HOME + "<p><button onclick=\"this.textContent='aceite'\">Aceitar</button>"
            " as condições</p>",
            "/login": CHOICE,
        },
    )
    seen = Seen()
    assert Runner([seen]).run(to_login(), run_of(page)).passed
    assert seen.detours == []  # the step acts only past a banner about cookies
