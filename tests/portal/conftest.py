"""Fixtures for the portal's HTTP tests: one real server per test session, reset per test."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from faker import Faker

from mock_portal import niss as niss_rules
from pages import labels as catalogue
from tests.portal import server as mock_server
from tests.portal.browserless import Screen

PASSWORD = "Verao-Lisboa-2025"
Citizen = dict[str, Any]


@pytest.fixture(params=["classic", "modern", "sso"])
def markup(request: pytest.FixtureRequest, api: httpx.Client) -> str:
    api.post("/__test__/markup", json={"style": request.param}).raise_for_status()
    return request.param


@pytest.fixture
def open_portal(
    portal: mock_server.MockServer, api: httpx.Client
) -> Iterator[Callable[[], Screen]]:
    """A fresh cookie jar (a citizen's browser); calling it opens the portal's home page."""
    with httpx.Client(base_url=portal.url, follow_redirects=True, timeout=30) as client:
        yield lambda: Screen(client, client.get("/"))


@pytest.fixture
def faker() -> Faker:
    return Faker("pt_PT")


@pytest.fixture
def make_citizen(api: httpx.Client, faker: Faker) -> Callable[..., Citizen]:
    """Provision a person in the records through the test-control API."""
    return citizen_maker(api, faker)


def citizen_maker(api: httpx.Client, faker: Faker) -> Callable[..., Citizen]:
    """What ``make_citizen`` gives, for a fixture of a wider scope than a test's."""

    def make(**overrides: Any) -> Citizen:
        body: dict[str, Any] = {
            "name": faker.name(),
            "birth_date": faker.date_of_birth(minimum_age=18, maximum_age=90).isoformat(),
            "email": faker.email(),
            "mobile": "+3519" + "".join(str(secrets.randbelow(10)) for _ in range(8)),
            "address": faker.address().replace("\n", ", "),
        }
        body.update(overrides)
        body = {k: v for k, v in body.items() if v is not None}
        response = api.post("/__test__/citizens", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    return make


def dmy(iso_date: str) -> str:
    year, month, day = iso_date.split("-")
    return f"{day}-{month}-{year}"


def latest_code(api: httpx.Client, niss: str, purpose: str) -> str:
    messages = [
        m
        for m in api.get("/__test__/outbox", params={"niss": niss}).json()
        if m["purpose"] == purpose
    ]
    assert messages, f"no {purpose} message for this citizen"
    assert messages[0]["code"], "the newest message is not delivered yet"
    return messages[0]["code"]


def other_valid_niss(kind: str = "person") -> str:
    return niss_rules.generate(kind)


# Journeys several test modules build on -------------------------------------------------
def open_registration(home: Screen, wording: dict[str, str] | None = None) -> Screen:
    labels = wording or OFFICIAL
    # On the modern markup the choice opens the form in place; on the classic, a new page.
    screen = home.click("Iniciar sessão").click(labels["ss_user"])
    return screen.click(labels["register"]).click(labels["accept_terms"])


def identify(screen: Screen, citizen: Citizen, account_type: str = "Cidadão", **over) -> Screen:
    fields = {"NISS": citizen["niss"], "Data de nascimento": dmy(citizen["birth_date"])}
    fields.update(over)
    return screen.submit(
        "Seguinte: Canal de verificação",
        fields=fields,
        choices={"Tipo de conta": account_type},
        checks=["Não sou robô"],
    )


def register(home: Screen, citizen: Citizen, channel: str = "SMS") -> Screen:
    channels = identify(open_registration(home), citizen)
    assert channels.status == 200, channels.errors
    return channels.submit("Pedir código de verificação", choices={"Canal de verificação": channel})


def activate(home: Screen, api: httpx.Client, citizen: Citizen, password: str = PASSWORD) -> Screen:
    form = home.click("Iniciar sessão").click(OFFICIAL["ss_user"]).click(OFFICIAL["activate"])
    code = latest_code(api, citizen["niss"], "registration")
    chosen = form.submit(
        "Confirmar código de verificação",
        fields={"NISS": citizen["niss"], "Código de verificação": code},
    )
    assert chosen.status == 200, chosen.errors
    return chosen.submit(
        "Confirmar palavra-passe",
        fields={"Palavra-passe": password, "Confirmação da palavra-passe": password},
    )


def log_in(home, citizen, password: str = PASSWORD):
    screen = home.click("Iniciar sessão")
    if screen.soup.find("button", string=OFFICIAL["ss_user"]) or screen.soup.find(
        string=OFFICIAL["ss_user"]
    ):
        screen = screen.click(OFFICIAL["ss_user"])
    return screen.submit("Entrar", fields={"NISS": citizen["niss"], "Palavra-passe": password})


# The catalogue's wordings: the mock must show what the documentation says.
OFFICIAL = {
    "ss_user": catalogue.SS_USER.pt,
    "register": catalogue.REGISTER.pt,
    "activate": catalogue.ACTIVATE.pt,
    "accept_terms": catalogue.ACCEPT_TERMS.pt,
}
GUIDE = {
    "ss_user": catalogue.SS_USER.variants[0],
    "register": catalogue.REGISTER.variants[0],
    "activate": catalogue.ACTIVATE.variants[0],
    "accept_terms": catalogue.ACCEPT_TERMS.variants[0],
}
# The paraphrase profile words every sentence of ours otherwise, and shows the documented
# labels as the relocation guide (seed 001) and the single-sign-on page word them.
PARAPHRASE = dict(GUIDE)
