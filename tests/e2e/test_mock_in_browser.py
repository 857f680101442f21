"""The mock portal in a real Chromium: roles, labels and the in-place login form."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_home_leads_to_the_login_choices(page: Page, portal, api) -> None:
    page.goto(portal.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Portal da Segurança Social")
    page.get_by_role("button", name="Iniciar sessão").click()
    expect(page.get_by_role("heading", name="Iniciar sessão")).to_be_visible()
    expect(
        page.get_by_role("button", name="Autenticação com o seu utilizador da Segurança Social")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Autenticação.gov")).to_be_visible()


def test_modern_markup_reveals_the_login_form_in_place(
    page: Page, portal, api: httpx.Client
) -> None:
    api.post("/__test__/markup", json={"style": "modern"}).raise_for_status()
    page.goto(portal.url)
    page.get_by_role("link", name="Iniciar sessão").click()
    choice = page.get_by_role(
        "button", name="Autenticação com o seu utilizador da Segurança Social"
    )
    expect(page.get_by_label("NISS")).to_be_hidden()
    url = page.url
    choice.click()
    expect(choice).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label("NISS")).to_be_focused()
    expect(page.get_by_label("Palavra-passe", exact=True)).to_be_visible()
    assert page.url == url  # revealed in place, no navigation
    expect(page.get_by_role("link", name="Registar")).to_have_attribute("href", re.compile("/app/"))


def test_field_errors_are_announced_with_their_field(page: Page, portal, api) -> None:
    page.goto(f"{portal.url}/registo")
    page.get_by_role("button", name="Li e aceito os termos e condições").click()
    page.get_by_role("button", name="Seguinte: Canal de verificação").click()
    expect(page.get_by_role("alert")).to_contain_text("Indique o NISS.")
    expect(page.get_by_label("NISS")).to_have_accessible_description(re.compile("Indique o NISS"))
