"""The mock's sso markup in a real Chromium: the cookie banner blocks the page until it is
answered, and the login form is collapsed behind its choice on every arrival."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

SS_USER = "Autenticação com o seu utilizador da Segurança Social"


@pytest.fixture
def sso(api: httpx.Client) -> None:
    api.post("/__test__/markup", json={"style": "sso"}).raise_for_status()


def covered(page: Page, name: str) -> bool:
    """Whether a click at the middle of the link ``name`` would land on the cookie banner."""
    box = page.get_by_role("link", name=name).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return page.evaluate(
        "([x, y]) => !!document.elementFromPoint(x, y).closest('.cookie-backdrop')", [x, y]
    )


def test_the_banner_blocks_the_page_until_it_is_answered(page: Page, portal, sso) -> None:
    page.goto(portal.url)
    dialog = page.get_by_role("dialog", name=re.compile("cookies", re.IGNORECASE))
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Aceitar todos")).to_be_focused()
    assert covered(page, "Iniciar sessão")
    dialog.get_by_role("button", name="Aceitar todos").click()
    expect(dialog).to_be_hidden()
    assert not covered(page, "Iniciar sessão")
    page.get_by_role("link", name="Iniciar sessão").click()
    expect(page.get_by_role("link", name=SS_USER)).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_a_new_browser_session_is_asked_again(browser: Browser, portal, sso) -> None:
    for _ in range(2):
        context = browser.new_context()
        page = context.new_page()
        page.goto(portal.url)
        expect(page.get_by_role("dialog")).to_be_visible()
        page.get_by_role("button", name="Rejeitar").click()
        expect(page.get_by_role("dialog")).to_be_hidden()
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_role("dialog")).to_have_count(0)
        context.close()


def test_the_login_form_is_revealed_in_place_and_collapsed_on_arrival(
    page: Page, portal, sso
) -> None:
    page.goto(portal.url)
    page.get_by_role("button", name="Aceitar todos").click()
    for _ in range(2):  # opened once, it is collapsed again on the next arrival
        page.get_by_role("link", name="Iniciar sessão").click()
        choice = page.get_by_role("link", name=SS_USER)
        expect(choice).to_have_attribute("aria-expanded", "false")
        expect(page.get_by_label("NISS")).to_be_hidden()
        url = page.url
        choice.click()
        expect(choice).to_have_attribute("aria-expanded", "true")
        expect(page.get_by_label("NISS")).to_be_focused()
        expect(page.get_by_label("Palavra-passe", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Entrar")).to_have_attribute("type", "submit")
        assert page.url == url  # revealed in place, no navigation
        page.get_by_role("link", name="Segurança Social", exact=True).click()


def test_without_script_the_banner_and_the_choice_still_work(browser: Browser, portal, sso) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{portal.url}/sso/login")
    page.get_by_role("button", name="Aceitar todos").click()  # a form that comes back here
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/sso/login$"))
    page.get_by_role("link", name=SS_USER).click()  # the same page, opened
    expect(page).to_have_url(re.compile(r"/sso/login\?metodo=utilizador$"))
    expect(page.get_by_label("NISS")).to_be_visible()
    context.close()


def test_fields_and_choices_are_found_by_their_names(page: Page, portal, sso) -> None:
    page.goto(f"{portal.url}/portal/adesao")
    page.get_by_role("button", name="Aceitar todos").click()
    page.get_by_role("button", name="Li e aceito os termos e condições").click()
    page.get_by_role("group", name="Tipo de conta").get_by_role("radio", name="Cidadão").check()
    page.get_by_text("Não sou robô", exact=True).click()  # its name is clickable too
    expect(page.get_by_role("checkbox", name="Não sou robô")).to_be_checked()
    page.get_by_role("button", name="Seguinte: Canal de verificação").click()
    expect(page.get_by_role("alert")).to_contain_text("Indique o NISS.")
    expect(page.get_by_label("NISS")).to_have_accessible_description(re.compile("Indique o NISS"))
    expect(page.get_by_label("NISS")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("radio", name="Cidadão")).to_be_checked()


def test_the_keyboard_cannot_reach_the_page_behind_the_banner(page: Page, portal, sso) -> None:
    page.goto(portal.url)
    for _ in range(6):
        page.keyboard.press("Tab")
        inside = page.evaluate(
            "() => !document.activeElement || document.activeElement === document.body"
            " || !!document.activeElement.closest('[role=dialog]')"
        )
        assert inside
