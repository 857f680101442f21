"""The sso markup: the single-sign-on page, a third set of paths and field names, submit
inputs and links, fields named by ``aria-labelledby``, and a cookie banner until answered."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup, Tag
from faker import Faker

from mock_portal import markup
from pages import labels as catalogue
from tests.conftest import TOKEN
from tests.portal import server as mock_server
from tests.portal.browserless import Screen
from tests.portal.conftest import OFFICIAL, PASSWORD, citizen_maker, dmy, latest_code
from tests.portal.test_paraphrase import JOURNEYS, Walk

SSO = markup.STYLES.index("sso")
SS_USER = OFFICIAL["ss_user"]


@pytest.fixture
def sso(api: httpx.Client) -> None:
    api.post("/__test__/markup", json={"style": "sso"}).raise_for_status()


@pytest.fixture
def open_browser(portal) -> Iterator[Callable[[], Screen]]:
    """A new browser each call (its own cookies), opened on the portal's home page."""
    clients: list[httpx.Client] = []

    def open_home() -> Screen:
        client = httpx.Client(base_url=portal.url, follow_redirects=True, timeout=30)
        clients.append(client)
        return Screen(client, client.get("/"))

    yield open_home
    for client in clients:
        client.close()


def path_of(screen: Screen) -> str:
    return urlsplit(screen.url).path


def banner(screen: Screen) -> Tag | None:
    return screen.soup.find(attrs={"role": "dialog"})


def answer_banner(screen: Screen, answer: str = "Aceitar todos") -> Screen:
    return screen.submit(answer)


# Paths and links -----------------------------------------------------------------------------
def test_every_screen_answers_on_each_markups_paths(portal, api, sso) -> None:
    with httpx.Client(base_url=portal.url, timeout=30) as client:
        for name, paths in markup.ROUTES.items():
            for path in paths:
                status = client.get(path).status_code
                assert status in (200, 303, 401), (name, path, status)


def test_pages_link_with_the_sso_paths(open_browser, sso) -> None:
    home = open_browser()
    assert home.soup.find("a", string="Iniciar sessão")["href"] == "/sso/login"
    choice = home.click("Iniciar sessão")
    assert path_of(choice) == "/sso/login"
    assert path_of(choice.click(SS_USER).click(OFFICIAL["register"])) == "/portal/adesao"


# The login form collapsed behind its choice ---------------------------------------------------
def collapsed(screen: Screen) -> bool:
    """Whether the screen is the login choice with its form hidden behind a disclosure link."""
    toggle = screen.soup.find("a", string=SS_USER)
    assert toggle is not None, f"no link {SS_USER!r} on {screen.url}"
    panel = screen.soup.find(id=toggle["aria-controls"])
    assert panel.find("input", attrs={"type": "password"}) is not None
    expanded = toggle["aria-expanded"] == "true"
    assert expanded != panel.has_attr("hidden")
    return not expanded


def test_the_login_form_opens_in_place_or_by_its_link(open_browser, sso) -> None:
    choice = open_browser().click("Iniciar sessão")
    assert collapsed(choice)
    assert choice.soup.find("a", string="Autenticação.gov") is not None
    opened = choice.click(SS_USER)  # without script: the same page, opened
    assert path_of(opened) == "/sso/login"
    assert not collapsed(opened)


def test_every_arrival_at_the_login_screen_finds_it_collapsed(
    open_browser, api, sso, make_citizen
) -> None:
    home = open_browser()
    assert collapsed(home.click("Iniciar sessão"))
    for paths in (markup.ROUTES["login_user"], markup.ROUTES["login_choice"]):
        for path in paths:  # a bookmark, or a link of another markup
            assert collapsed(Screen(home.client, home.client.get(path))), path
    citizen = make_citizen()
    opened = home.click("Iniciar sessão").click(SS_USER)
    terms = opened.click(OFFICIAL["register"])
    identified = terms.submit(OFFICIAL["accept_terms"]).submit(
        "Seguinte: Canal de verificação",
        fields={"NISS": citizen["niss"], "Data de nascimento": dmy(citizen["birth_date"])},
        choices={"Tipo de conta": "Cidadão"},
        checks=["Não sou robô"],
    )
    done = identified.submit("Pedir código de verificação", choices={"Canal de verificação": "SMS"})
    activation = done.click(OFFICIAL["activate"]).submit(
        "Confirmar código de verificação",
        fields={
            "NISS": citizen["niss"],
            "Código de verificação": latest_code(api, citizen["niss"], "registration"),
        },
    )
    activated = activation.submit(
        "Confirmar palavra-passe",
        fields={"Palavra-passe": PASSWORD, "Confirmação da palavra-passe": PASSWORD},
    )
    assert activated.status == 200, activated.errors
    assert collapsed(activated.click(catalogue.ACCESS_LINK.pt))


def test_a_login_refused_shows_the_form_open_with_its_errors(open_browser, sso) -> None:
    refused = open_browser().click("Iniciar sessão").click(SS_USER).submit("Entrar")
    assert refused.status == 400
    assert not collapsed(refused)
    assert refused.error_for("NISS") == "Indique o NISS."


# The cookie banner -----------------------------------------------------------------------------
def test_the_cookie_banner_is_a_modal_dialog_about_cookies(open_browser, sso) -> None:
    home = open_browser()
    dialog = banner(home)
    assert dialog is not None
    assert dialog["aria-modal"] == "true"
    name = home.soup.find(id=dialog["aria-labelledby"]).get_text(strip=True)
    assert "cookies" in name.lower()
    assert len(dialog.get_text(" ", strip=True)) > len(name) + 40  # it says what it asks
    actions = [i["value"] for i in dialog.find_all("input", attrs={"type": "submit"})]
    assert actions == ["Aceitar todos", "Rejeitar"]
    assert "cookie-backdrop" in dialog.parent["class"]


@pytest.mark.parametrize("answer", ["Aceitar todos", "Rejeitar"])
def test_an_answer_dismisses_the_banner_for_the_browser_session(open_browser, sso, answer) -> None:
    home = open_browser()
    terms = home.click("Iniciar sessão").click(SS_USER).click(OFFICIAL["register"])
    assert banner(terms) is not None  # until it is answered
    answered = answer_banner(terms, answer)
    assert path_of(answered) == path_of(terms)  # back where it was asked
    assert banner(answered) is None
    for screen in (
        answered.click(OFFICIAL["accept_terms"]),
        open_browser().click("Iniciar sessão"),
    ):
        assert (banner(screen) is None) == (screen.client is answered.client)


def test_the_banner_is_not_asked_again_after_logging_out(
    open_browser, api, sso, make_citizen
) -> None:
    citizen = make_citizen(account={"status": "active", "password": PASSWORD}, email=None)
    home = answer_banner(open_browser())
    channels = home.click("Iniciar sessão").click(SS_USER)
    code = channels.submit("Entrar", fields={"NISS": citizen["niss"], "Palavra-passe": PASSWORD})
    code = code.submit("Enviar código", choices={"Canal de verificação": "SMS"})
    contacts = code.submit(
        "Validar código",
        fields={"Código de autenticação": latest_code(api, citizen["niss"], "login")},
    )
    area = contacts.click("Lembrar mais tarde")
    left = area.submit("Terminar sessão")
    assert left.status == 200
    assert banner(left) is None
    assert banner(left.click("Voltar à página inicial")) is None


def test_an_answer_without_its_token_changes_nothing(open_browser, sso) -> None:
    home = open_browser()
    refused = home.submit("Aceitar todos", extra={"csrf_token": "stale"})
    assert refused.status == 403
    assert banner(refused) is not None
    assert banner(Screen(home.client, home.client.get("/"))) is not None


def test_an_answer_never_leads_to_another_site(open_browser, sso) -> None:
    home = open_browser()
    url, data = home.form_data("Aceitar todos")
    for elsewhere in ("https://example.org/", "//example.org/", "/\\example.org"):
        answer = home.client.post(url, data={**data, "voltar": elsewhere}, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/portal"


def test_the_other_markups_show_no_banner(open_browser, api) -> None:
    for style in ("classic", "modern"):
        api.post("/__test__/markup", json={"style": style}).raise_for_status()
        assert banner(open_browser()) is None


# Every screen of every flow, on the sso markup --------------------------------------------------
@pytest.fixture(scope="module")
def walked(portal) -> Iterator[Walk]:
    """Every screen of every flow with its errors, walked with the sso field names."""
    with mock_server.api_client(portal, TOKEN) as api:
        api.post("/__test__/reset").raise_for_status()
        api.post("/__test__/markup", json={"style": "sso"}).raise_for_status()
        with Walk(portal.url, api, citizen_maker(api, Faker("pt_PT")), OFFICIAL) as walk:
            for journey in JOURNEYS:
                journey(walk)
        yield walk
        api.post("/__test__/reset").raise_for_status()


def controls(soup: BeautifulSoup) -> list[Tag]:
    return [
        node
        for node in soup.find_all(["input", "select", "textarea"])
        if node.get("type") not in ("hidden", "submit", "button")
    ]


def test_every_flow_posts_with_the_sso_field_names(walked) -> None:
    sso_names = {names[SSO] for names in markup.FIELDS.values()}
    for screen in walked.seen:
        for control in controls(screen.soup):
            assert control["name"] in sso_names, (screen.url, control["name"])
    registered = walked.named["registered"]
    assert registered.status == 200
    assert registered.soup.find(attrs={"role": "status"}) is not None
    assert walked.named["contacts"].status == 200  # through the password and its code


def test_fields_are_named_by_the_elements_aria_labelledby_points_to(walked) -> None:
    for screen in walked.seen:
        soup = screen.soup
        assert soup.find("label") is None, screen.url
        for control in controls(soup):
            refs = control.get("aria-labelledby", "").split()
            names = [soup.find(id=ref) for ref in refs]
            assert refs, (screen.url, control)
            assert all(n is not None and n.get_text(strip=True) for n in names), control


def test_choices_are_fieldsets_with_a_legend(walked) -> None:
    for screen in walked.seen:
        for radio in screen.soup.find_all("input", attrs={"type": "radio"}):
            fieldset = radio.find_parent("fieldset")
            assert fieldset is not None, screen.url
            assert fieldset.find("legend").get_text(strip=True), screen.url


def test_actions_are_submit_inputs_or_links(walked) -> None:
    for screen in walked.seen:
        soup = screen.soup
        assert soup.find("button") is None, screen.url
        for action in soup.find_all("input", attrs={"type": "submit"}):
            assert action.get("value", "").strip(), screen.url


def test_errors_stay_tied_to_their_fields(walked) -> None:
    refused = [s for s in walked.seen if s.soup.select(".field-error")]
    assert len(refused) > 20
    for screen in refused:
        soup = screen.soup
        assert soup.find(attrs={"role": "alert"}) is not None, screen.url
        for error in soup.select(".field-error"):
            tied = soup.find(attrs={"aria-describedby": lambda v, e=error: e["id"] in (v or "")})
            assert tied is not None, (screen.url, error)
            if tied.name == "input":
                assert tied.get("aria-invalid") == "true"


# Field names ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("style", "names"), [("classic", SSO), ("sso", 0), ("modern", SSO)])
def test_a_form_is_read_by_any_markups_names(
    open_browser, api, make_citizen, style: str, names: int
) -> None:
    """A form posted with another markup's field names is read as well (a form from a page
    loaded before the portal changed its markup)."""
    api.post("/__test__/markup", json={"style": style}).raise_for_status()
    citizen = make_citizen()
    terms = open_browser().click("Iniciar sessão").click(SS_USER).click(OFFICIAL["register"])
    form = terms.click(OFFICIAL["accept_terms"])
    url, data = form.form_data("Seguinte: Canal de verificação")
    fields = {
        "account_type": "cidadao",
        "niss": citizen["niss"],
        "birth_date": dmy(citizen["birth_date"]),
        "robot": "sim",
    }
    data.update({markup.FIELDS[logical][names]: value for logical, value in fields.items()})
    channels = Screen(form.client, form.client.post(url, data=data))
    assert channels.status == 200, channels.errors
    channels.form_data("Pedir código de verificação")  # the next screen's action


def test_paths_and_field_names_have_a_third_set_each() -> None:
    for table in (markup.ROUTES, markup.FIELDS):
        assert all(len(names) == len(markup.STYLES) for names in table.values())
    sso_paths = [paths[SSO] for paths in markup.ROUTES.values()]
    assert len(set(sso_paths)) == len(sso_paths)
    assert markup.path("login_choice", "sso") == "/sso/login"
    assert markup.field("niss", "sso") == "username"
