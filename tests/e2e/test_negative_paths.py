"""What a citizen meets when something is wrong, in a real browser."""

from __future__ import annotations

import re
from datetime import timedelta

import allure
import pytest
from playwright.sync_api import Page, expect

from flows.errors import PortalDefect
from pages.activation import CodePage, PasswordPage
from pages.base import fill_date
from pages.registration import IdentificationPage

pytestmark = allure.story("Negative paths")


def identify(page: Page, niss: str, birth_date) -> IdentificationPage:
    screen = IdentificationPage(page)
    screen.niss.fill(niss)
    fill_date(screen.birth_date, birth_date)
    screen.not_a_robot.check()
    screen.next.click()
    return screen


@pytest.fixture
def at_identification(run_flow, citizen):
    """A citizen on the identification screen of registration (steps 1 to 6 done)."""
    person = citizen(channel="sms")
    run_flow("registration", person, until="6")
    return person


def test_a_wrong_niss_check_digit(page: Page, at_identification) -> None:
    wrong = at_identification.niss[:10] + str((int(at_identification.niss[10]) + 1) % 10)
    screen = identify(page, wrong, at_identification.birth_date)
    expect(page.get_by_role("alert")).to_contain_text("algarismo de controlo")
    expect(screen.niss).to_have_accessible_description(re.compile("não é válido"))


def test_niss_and_birth_date_that_do_not_match(page: Page, at_identification) -> None:
    screen = identify(
        page, at_identification.niss, at_identification.birth_date - timedelta(days=1)
    )
    expect(screen.birth_date).to_have_accessible_description(re.compile("não corresponde ao NISS"))


def test_an_account_already_registered(page: Page, run_flow, citizen) -> None:
    person = citizen(channel="email", account="active")
    run_flow("registration", person, until="6")
    screen = identify(page, person.niss, person.birth_date)
    expect(screen.niss).to_have_accessible_description(re.compile("já tem registo"))


@pytest.mark.exclusive_portal
def test_an_expired_code_then_the_latest_code(run_flow, citizen, test_control, page) -> None:
    person = citizen(channel="sms", account="pending")  # registered, the code sent
    test_control.advance_clock(61 * 60)
    with pytest.raises(PortalDefect, match="step 4"):
        run_flow("activation", person, prerequisites=False)
    expect(CodePage(page).code).to_have_accessible_description(
        re.compile("expirou.*código mais recente")
    )
    run_flow("registration", person)  # a new code
    assert run_flow("activation", person, prerequisites=False).passed


def test_wrong_codes_until_blocked(run_flow, citizen, page, codes) -> None:
    person = citizen(channel="sms", account="pending")
    run_flow("activation", person, until="2", prerequisites=False)
    screen = CodePage(page)
    right = codes.latest(person.niss, "registration")
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        screen.code.fill(wrong)
        screen.confirm.click()
        plural = "tentativa" if left == 1 else "tentativas"
        expect(screen.code).to_have_accessible_description(re.compile(f"Resta-lhe {left} {plural}"))
    screen.code.fill(wrong)
    screen.confirm.click()
    expect(page.get_by_role("alert")).to_contain_text("bloqueada")
    screen.code.fill(right)
    screen.confirm.click()
    expect(page.get_by_role("alert")).to_contain_text("bloqueada")


@pytest.fixture
def at_password(run_flow, citizen, page) -> PasswordPage:
    person = citizen(channel="sms", account="pending")
    run_flow("activation", person, until="4", prerequisites=False)
    return PasswordPage(page)


def test_the_password_rules_are_shown_and_applied(at_password: PasswordPage) -> None:
    expect(at_password.rules).to_be_visible()
    at_password.password.fill("Curta1!")
    at_password.confirmation.fill("Curta1!")
    at_password.confirm.click()
    expect(at_password.password).to_have_accessible_description(re.compile("pelo menos 9"))


def test_a_confirmation_that_does_not_match(at_password: PasswordPage) -> None:
    at_password.password.fill("Lisboa-Verao-2026")
    at_password.confirmation.fill("Lisboa-Verao-2027")
    at_password.confirm.click()
    expect(at_password.confirmation).to_have_accessible_description(re.compile("não é igual"))
