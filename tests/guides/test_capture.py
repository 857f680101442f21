"""The guide observer quotes the screen: what a button says, and how a portal labels a field
whose documented label is only our translation."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page

from flows.context import Citizen, NoCodes, Run
from flows.flow import Flow, Step
from flows.runner import Runner
from flows.steps import choose, click, fill
from guides.capture import GuideObserver
from pages import labels
from pages.base import Screen

pytestmark = pytest.mark.browser

PERSON = Citizen(niss="11115611236", name="Teste", birth_date=date(1980, 1, 1), password="x")


def shown_for(page: Page, html: str, label: labels.Label) -> str:
    page.set_content(f"<main>{html}</main>")
    step = fill("3", label, lambda r: Screen(r.page).field(label), lambda r: "123456")
    observer = GuideObserver()
    run = Run(page=page, base_url="about:blank", citizen=PERSON, codes=NoCodes(), timeout_ms=2000)
    Runner([observer]).run(Flow("demo", "Demo", "Demo", (step,), writes=False), run)
    return observer.steps[0].shown


def test_a_translated_field_label_is_quoted_as_the_screen_words_it(page: Page) -> None:
    html = "<span id=l>Código recebido</span><input aria-labelledby=l>"
    assert shown_for(page, html, labels.VERIFICATION_CODE) == "Código recebido"


def test_a_quoted_field_label_keeps_its_documented_wording(page: Page) -> None:
    html = "<label>Palavra-passe: <input type=password></label>"
    assert shown_for(page, html, labels.PASSWORD) == "Palavra-passe"


def test_an_input_submit_is_quoted_by_its_value(page: Page) -> None:
    page.set_content(
        "<main><form onsubmit='return false'>"
        "<input type=submit value='Li e aceito os termos e condições do serviço'></form></main>"
    )
    step = click("5", labels.ACCEPT_TERMS, lambda r: Screen(r.page).action(labels.ACCEPT_TERMS))
    observer = GuideObserver()
    run = Run(page=page, base_url="about:blank", citizen=PERSON, codes=NoCodes(), timeout_ms=2000)
    Runner([observer]).run(Flow("demo", "Demo", "Demo", (step,), writes=False), run)
    assert observer.steps[0].shown == "Li e aceito os termos e condições do serviço"


def shown_for_step(page: Page, html: str, step_of_page: Step) -> str:
    page.set_content(f"<main>{html}</main>")
    observer = GuideObserver()
    run = Run(page=page, base_url="about:blank", citizen=PERSON, codes=NoCodes(), timeout_ms=2000)
    Runner([observer]).run(Flow("demo", "Demo", "Demo", (step_of_page,), writes=False), run)
    return observer.steps[0].shown


def test_a_translated_choice_is_quoted_by_its_group_as_the_screen_words_it(page: Page) -> None:
    html = (
        "<fieldset><legend>Natureza da conta</legend>"
        "<label><input type=radio name=t> Cidadão</label></fieldset>"
    )
    step = choose("6", labels.ACCOUNT_TYPE, lambda r: Screen(r.page).option(labels.CITIZEN))
    assert shown_for_step(page, html, step) == "Natureza da conta"


# Registration's step 7 as the catalogue has it: a whole screen of fields.
IDENTIFICATION_STEP = Step(
    "7",
    labels.IDENTIFICATION,
    "fill",
    lambda r: [Screen(r.page).field(labels.NISS), Screen(r.page).field(labels.BIRTH_DATE)],
    lambda r, elements: None,
)


def test_a_translated_screen_step_is_quoted_by_the_screen_heading(page: Page) -> None:
    html = (
        "<h1>Identificação do utente</h1><label>NISS <input></label>"
        "<label>Data de nascimento <input></label>"
    )
    assert shown_for_step(page, html, IDENTIFICATION_STEP) == "Identificação do utente"


def test_a_screen_that_words_it_otherwise_keeps_the_documented_label(page: Page) -> None:
    html = (
        "<h1>Passo seguinte</h1><label>NISS <input></label>"
        "<label>Data de nascimento <input></label>"
    )
    assert shown_for_step(page, html, IDENTIFICATION_STEP) == labels.IDENTIFICATION.pt
