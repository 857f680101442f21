"""The Allure observer in a real browser: which steps get a picture (masking: test_masking.py)."""

from __future__ import annotations

import re
from datetime import date

import allure
import pytest
from playwright.sync_api import Page

from fixtures.allure_observer import AllureObserver
from flows.context import Citizen, NoCodes, Run
from flows.flow import Flow
from flows.runner import Runner
from flows.steps import click, fill
from pages import labels
from pages.base import Screen

PERSON = Citizen(niss="11115611236", name="Teste", birth_date=date(1980, 1, 1), password="x")
FORM = (
    "<main><h1>Portal</h1><label>NISS <input id=n></label>"
    "<button onclick=\"document.querySelector('h1').textContent='Seguinte'\">Iniciar sessão"
    "</button></main>"
)


@pytest.fixture
def pictures(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    taken: list[str] = []
    monkeypatch.setattr(allure, "attach", lambda body, name, attachment_type: taken.append(name))
    return taken


def numbers(pictures: list[str]) -> list[str]:
    """The step numbers the pictures name ("Screen after step 3": 3)."""
    return [
        re.fullmatch(r"Screen (?:after|when) step (\d+)(?: failed)?", name)[1] for name in pictures
    ]


def flow() -> Flow:
    niss = fill("1", labels.NISS, lambda r: r.page.get_by_label("NISS"), lambda r: PERSON.niss)
    log_in = click("2", labels.LOG_IN, lambda r: Screen(r.page).action(labels.LOG_IN))
    again = fill("3", labels.NISS, lambda r: r.page.get_by_label("NISS"), lambda r: "1")
    return Flow("demo", "Demo", "Demo", (niss, log_in, again))


def run_of(page: Page) -> Run:
    return Run(page=page, base_url="about:blank", citizen=PERSON, codes=NoCodes(), timeout_ms=2000)


def test_by_default_a_picture_as_each_screen_is_left_and_at_the_end(
    page: Page, pictures: list[str]
) -> None:
    page.set_content(FORM)
    Runner([AllureObserver()]).run(flow(), run_of(page))
    assert numbers(pictures) == ["1", "3"]


def test_a_failed_step_always_has_its_picture(page: Page, pictures: list[str]) -> None:
    page.set_content("<main><label>NISS <input></label></main>")  # no button: step 2 fails
    Runner([AllureObserver()]).run(flow(), run_of(page), raise_on_failure=False)
    assert numbers(pictures) == ["1", "2"]
    assert pictures[1] == "Screen when step 2 failed"


def test_every_step_and_no_step(page: Page, pictures: list[str]) -> None:
    page.set_content(FORM)
    Runner([AllureObserver(screenshots="every")]).run(flow(), run_of(page))
    assert numbers(pictures) == ["1", "2", "3"]
    pictures.clear()
    page.set_content("<main><label>NISS <input></label></main>")
    Runner([AllureObserver(screenshots="off")]).run(flow(), run_of(page), raise_on_failure=False)
    assert pictures == []
