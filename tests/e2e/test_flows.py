"""Every documented flow end to end, on both wordings and both markups of the portal."""

from __future__ import annotations

from datetime import timedelta

import allure
import pytest
from playwright.sync_api import Page, expect

from flows import catalog
from flows.flow import Flow
from pages.portal import PersonalAreaPage
from runtime.accessibility import describe
from tests.e2e.conftest import VARIANTS
from tests.e2e.test_vitals import plausible


@allure.story("Documented steps on each wording and markup")
@pytest.mark.parametrize("portal_variant", VARIANTS, indirect=True)
@pytest.mark.parametrize("name", list(catalog.FLOWS))
def test_each_flow_end_to_end(
    run_flow,
    citizen,
    name,
    portal_variant,
    accessibility_observer,
    vitals_observer,
    sentinel_target,
) -> None:
    wording, markup = portal_variant
    allure.dynamic.title(f"{catalog.FLOWS[name].title}: {wording} wording, {markup} markup")
    flow = catalog.FLOWS[name]
    # The citizen starts where the flows this one requires would leave them, set up through
    # the test-control API: those flows are tested on their own, and running them again in
    # the browser before each one took half the suite's time. The whole journey in the
    # browser is test_after_login_the_citizen_is_in_the_personal_area.
    person = citizen(cmd=(name == "cmd"), account=starting_account(flow))
    result = run_flow(name, person, prerequisites=False)
    assert result.passed
    assert [s.step.number for s in result.steps] == [s.number for s in catalog.FLOWS[name].steps]
    # Every step has its Web Vitals, in the order a page load makes them.
    measured = vitals_observer.of_flow(name)
    assert [vitals.step for vitals in measured] == [step.number for step in flow.steps]
    assert measured[0].loaded, measured[0]  # every flow starts on a page it loads
    for vitals in measured:
        plausible(vitals)
    assert sum(vitals.loaded for vitals in measured) >= 2  # a click that led to another page
    if accessibility_observer is not None and sentinel_target.bundled:
        # The bundled mock passes the audit (axe-core, WCAG 2.0/2.1 A and AA) at every step, in
        # every wording and markup; a portal under test by URL is reported on, not judged here.
        audits = accessibility_observer.of_flow(name)
        assert [a.step for a in audits] == [s.number for s in flow.steps]
        assert [a for a in audits if not a.audited] == []
        assert [describe(a, v) for a in audits for v in a.violations] == []


def starting_account(flow: Flow) -> str | None:
    """The account the flows ``flow`` requires would have left: activated, or registered."""
    if "activation" in flow.requires:
        return "active"
    return "pending" if "registration" in flow.requires else None


@allure.story("Registration by each channel")
@pytest.mark.parametrize("channel", ["sms", "email"])
def test_the_code_goes_by_the_chosen_channel(run_flow, citizen, test_control, channel) -> None:
    person = citizen(channel="sms")  # both contacts registered: the citizen chooses
    run_flow("registration", person, channel=channel)
    [message] = test_control.outbox(person.niss)
    assert message["channel"] == channel
    assert message["to"] == (person.mobile if channel == "sms" else person.email)


@allure.story("Registration by each channel")
def test_a_foreign_mobile_receives_the_code(run_flow, citizen, test_control) -> None:
    person = citizen(channel="sms", foreign_mobile=True)
    assert not person.mobile.startswith("+351")
    run_flow("registration", person, channel="sms")
    assert test_control.outbox(person.niss)[0]["to"] == person.mobile
    run_flow("activation", person, prerequisites=False)


@allure.story("Registration by each channel")
@pytest.mark.exclusive_portal
@pytest.mark.portal_capability("clock")
def test_by_letter_once_the_clock_passes_delivery(run_flow, citizen, test_control) -> None:
    person = citizen(channel="letter")
    run_flow("registration", person, channel="letter")
    [letter] = test_control.outbox(person.niss)
    assert letter["delivered"] is False
    test_control.advance_clock(timedelta(days=12).total_seconds())
    result = run_flow("activation", person, prerequisites=False)
    assert result.passed


@allure.story("Registration by each channel")
def test_a_company_registers(run_flow, citizen, test_control) -> None:
    company = citizen(kind="company", channel="email")
    run_flow("registration", company)
    assert test_control.citizen(company.niss)["account"]["status"] == "pending"


@allure.story("Login")
def test_after_login_the_citizen_is_in_the_personal_area(run_flow, citizen, page: Page) -> None:
    person = citizen(channel="email")
    run_flow("login", person)  # registration, activation and login, all in the browser
    expect(PersonalAreaPage(page).log_out).to_be_visible()
