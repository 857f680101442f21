"""Page objects find documented labels in markup they have never seen."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from pages import labels
from pages.base import Screen, fill_date
from pages.portal import LoginFormPage
from pages.registration import IdentificationPage

# A portal styled another way: ARIA roles on divs, aria-labelledby, no ids of the mock's.
FOREIGN_LOGIN = """
<main>
  <div role="heading" aria-level="1">Entrar</div>
  <span id="l1">NISS</span><input aria-labelledby="l1">
  <span id="l2">Palavra-passe</span><input type="password" aria-labelledby="l2">
  <div role="button" tabindex="0">Entrar</div>
  <a href="#r" class="btn btn-primary">Efetuar Registo</a>
  <div role="link" tabindex="0">Ativar a minha conta</div>
</main>
"""


def test_a_login_form_with_other_markup_and_wording(page: Page) -> None:
    page.set_content(FOREIGN_LOGIN)
    form = LoginFormPage(page).expect_loaded()
    form.niss.fill("11115611236")
    expect(form.niss).to_have_value("11115611236")
    expect(form.enter).to_be_visible()
    expect(form.register).to_have_text("Efetuar Registo")
    expect(form.activate).to_be_visible()


def test_date_fields_take_either_format(page: Page) -> None:
    page.set_content(
        "<label>Data de nascimento <input></label>"
        "<label for=d>Data de nascimento</label><input id=d type=date>"
    )
    text_field, date_field = page.get_by_label(labels.BIRTH_DATE.pattern).all()
    fill_date(text_field, date(1985, 3, 2))
    fill_date(date_field, date(1985, 3, 2))
    expect(text_field).to_have_value("02-03-1985")
    expect(date_field).to_have_value("1985-03-02")


def test_a_wrong_screen_fails_naming_the_screen(page: Page) -> None:
    page.set_content("<h1>Outra coisa</h1>")
    with pytest.raises(AssertionError, match="IdentificationPage"):
        IdentificationPage(page).expect_loaded()


def test_an_action_is_a_button_or_a_link(page: Page) -> None:
    page.set_content("<a href='#'>Registar</a><button>Ativar conta</button>")
    screen = Screen(page)
    expect(screen.action(labels.REGISTER)).to_have_count(1)
    expect(screen.action(labels.ACTIVATE)).to_have_count(1)
