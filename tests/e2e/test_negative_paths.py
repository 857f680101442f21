"""What a citizen meets when something is wrong, in a real browser.

On any portal: an error tied to its field (or shown as an alert), the screen not moving on, and
no code sent. The exact words of messages no guide documents are checked on the bundled mock
only, where we wrote them: a staging portal words its own.
"""

from __future__ import annotations

import re
from datetime import timedelta

import allure
import pytest
from playwright.sync_api import Locator, Page, expect

from flows.context import CodeRequest
from flows.errors import PortalDefect
from pages.activation import CodePage, PasswordPage
from pages.base import fill_date
from pages.registration import ChannelPage, IdentificationPage

pytestmark = allure.story("Negative paths")


@pytest.fixture
def our_words(sentinel_target) -> bool:
    """Whether the portal is the bundled mock, whose (undocumented) messages we wrote."""
    return sentinel_target.bundled


def expect_refused(page: Page, field: Locator) -> None:
    """The portal refused what was typed in ``field``: the field is marked invalid and says
    why, or an alert says it."""
    invalid = field.and_(page.locator("[aria-invalid='true']"))
    expect(invalid.or_(page.get_by_role("alert")).first).to_be_visible()


def expect_no_code(test_control, niss: str) -> None:
    assert test_control.outbox(niss) == []


def identify(page: Page, niss: str, birth_date) -> IdentificationPage:
    screen = IdentificationPage(page)
    screen.niss.fill(niss)
    fill_date(screen.birth_date, birth_date)
    screen.not_a_robot.check()
    screen.next.click()
    return screen


def expect_still_identifying(screen: IdentificationPage) -> None:
    screen.expect_loaded()
    expect(ChannelPage(screen.page).request_code).to_have_count(0)


@pytest.fixture
def at_identification(run_flow, citizen):
    """A citizen on the identification screen of registration (steps 1 to 6 done)."""
    person = citizen(channel="sms")
    run_flow("registration", person, until="6")
    return person


def test_a_wrong_niss_check_digit(page: Page, at_identification, test_control, our_words) -> None:
    wrong = at_identification.niss[:10] + str((int(at_identification.niss[10]) + 1) % 10)
    screen = identify(page, wrong, at_identification.birth_date)
    expect_refused(page, screen.niss)
    expect_still_identifying(screen)
    expect_no_code(test_control, at_identification.niss)
    if our_words:
        expect(page.get_by_role("alert")).to_contain_text("algarismo de controlo")
        expect(screen.niss).to_have_accessible_description(re.compile("não é válido"))


def test_niss_and_birth_date_that_do_not_match(
    page: Page, at_identification, test_control, our_words
) -> None:
    screen = identify(
        page, at_identification.niss, at_identification.birth_date - timedelta(days=1)
    )
    expect_refused(page, screen.birth_date)
    expect_still_identifying(screen)
    expect_no_code(test_control, at_identification.niss)
    if our_words:
        expect(screen.birth_date).to_have_accessible_description(
            re.compile("não corresponde ao NISS")
        )


def test_an_account_already_registered(
    page: Page, run_flow, citizen, test_control, our_words
) -> None:
    person = citizen(channel="email", account="active")
    sent = len(test_control.outbox(person.niss))
    run_flow("registration", person, until="6")
    screen = identify(page, person.niss, person.birth_date)
    expect_refused(page, screen.niss)
    expect_still_identifying(screen)
    assert len(test_control.outbox(person.niss)) == sent  # no new code
    if our_words:
        expect(screen.niss).to_have_accessible_description(re.compile("já tem registo"))


@pytest.mark.exclusive_portal
@pytest.mark.portal_capability("clock")
def test_an_expired_code_then_the_latest_code(
    run_flow, citizen, test_control, page, our_words
) -> None:
    person = citizen(channel="sms", account="pending")  # registered, the code sent
    test_control.advance_clock(61 * 60)
    with pytest.raises(PortalDefect, match="step 4"):
        run_flow("activation", person, prerequisites=False)
    expect_refused(page, CodePage(page).code)
    if our_words:
        expect(CodePage(page).code).to_have_accessible_description(
            re.compile("expirou.*código mais recente")
        )
    run_flow("registration", person)  # a new code
    assert run_flow("activation", person, prerequisites=False).passed


def test_wrong_codes_until_blocked(run_flow, citizen, page, codes, our_words) -> None:
    person = citizen(channel="sms", account="pending")
    run_flow("activation", person, until="2", prerequisites=False)
    screen = CodePage(page)
    right = codes.latest(CodeRequest(person.niss, "registration", person.channel)).code
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        screen.code.fill(wrong)
        screen.confirm.click()
        expect_refused(page, screen.code)
        screen.expect_loaded()
        if our_words:
            plural = "tentativa" if left == 1 else "tentativas"
            expect(screen.code).to_have_accessible_description(
                re.compile(f"Resta-lhe {left} {plural}")
            )
    screen.code.fill(wrong)
    screen.confirm.click()
    expect_refused(page, screen.code)
    # Blocked: even the right code is refused now.
    screen.code.fill(right)
    screen.confirm.click()
    expect_refused(page, screen.code)
    screen.expect_loaded()
    expect(PasswordPage(page).confirm).to_have_count(0)
    if our_words:
        expect(page.get_by_role("alert")).to_contain_text("bloqueada")


@pytest.fixture
def at_password(run_flow, citizen, page) -> PasswordPage:
    person = citizen(channel="sms", account="pending")
    run_flow("activation", person, until="4", prerequisites=False)
    return PasswordPage(page)


def test_the_password_rules_are_shown_and_applied(at_password: PasswordPage, our_words) -> None:
    expect(at_password.rules.first).to_be_visible()
    at_password.password.fill("Curta1!")
    at_password.confirmation.fill("Curta1!")
    at_password.confirm.click()
    expect_refused(at_password.page, at_password.password)
    at_password.expect_loaded()
    if our_words:
        expect(at_password.password).to_have_accessible_description(re.compile("pelo menos 9"))


def test_a_confirmation_that_does_not_match(at_password: PasswordPage, our_words) -> None:
    at_password.password.fill("Lisboa-Verao-2026")
    at_password.confirmation.fill("Lisboa-Verao-2027")
    at_password.confirm.click()
    expect_refused(at_password.page, at_password.confirmation)
    at_password.expect_loaded()
    if our_words:
        expect(at_password.confirmation).to_have_accessible_description(re.compile("não é igual"))
