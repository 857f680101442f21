"""The accessibility audit (axe-core, WCAG 2.0/2.1 A and AA) in a real Chromium, on the mock.

(That a clean mock passes it at every step of every flow in each wording and markup is
asserted by ``tests/e2e/test_flows.py``, which runs each of them there anyway.) The mock's
fault ``inaccessible`` is found at the one step that lands on its screen, with each rule's
impact, and a baseline of it hides those and catches a new one; what the audit keeps of a
screen that shows the citizen's data holds none of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict
from html import escape

import pytest
from playwright.sync_api import Page

from flows.context import Citizen, Run
from flows.flow import Flow, Step
from flows.runner import FlowResult, Observer, StepResult
from runtime.accessibility import (
    AccessibilityObserver,
    AuditCache,
    Baseline,
    StepAudit,
    audit_page,
)
from runtime.citizens import provision
from runtime.testapi import TestControl
from tests.security.leaks import Scanner, planted_faker, planted_values

pytestmark = pytest.mark.browser

# What the fault puts on the registration's identification screen, by axe rule.
FAULT = {"image-alt": "critical", "label": "critical", "color-contrast": "serious"}
# The step that lands there: accepting the terms. The next two type on the same screen.
LANDS = "5"
SAME_SCREEN = ("6", "7")


@pytest.fixture
def accessibility_observer(accessibility_cache: AuditCache) -> AccessibilityObserver:
    """The suite's observer, on whatever ``--a11y`` says and never failing a test itself:
    these tests assert what it found."""
    return AccessibilityObserver(accessibility_cache)


@pytest.fixture
def flow_observers(accessibility_observer: AccessibilityObserver) -> list[Observer]:
    """The audit alone: these tests look at what it found, not at the Allure report (whose
    screenshots of every step would double their time)."""
    return [accessibility_observer]


class Plant(Observer):
    """Adds markup to the screen a step of a flow leaves, before the audit looks at it: as a
    portal that writes new elements, or the citizen's data, into its pages would."""

    def __init__(self, flow: str, step: str, html: str) -> None:
        self.where = (flow, step)
        self.html = html
        self.flow = ""

    def flow_started(self, flow: Flow, run: Run) -> None:
        self.flow = flow.name

    def step_finished(self, step: Step, run: Run, result: StepResult) -> None:
        if (self.flow, step.number) == self.where:
            run.page.locator("main").evaluate(
                "(main, html) => main.insertAdjacentHTML('beforeend', html)", self.html
            )


def found(audits: list[StepAudit]) -> list[tuple[str, str, str, str]]:
    return [(a.flow, a.step, v.rule, v.impact) for a in audits for v in a.violations]


@pytest.fixture
def inaccessible(test_control: TestControl) -> Iterator[None]:
    test_control.set_faults(inaccessible=True)
    try:
        yield
    finally:
        test_control.clear_faults()


@pytest.mark.exclusive_portal
@pytest.mark.portal_capability("faults")
def test_the_inaccessible_screen_is_found_at_its_step_and_a_baseline_hides_it(
    run_flow: Callable[..., FlowResult],
    citizen: Callable[..., Citizen],
    accessibility_observer: AccessibilityObserver,
    flow_observers: list[Observer],
    page: Page,
    inaccessible: None,
) -> None:
    assert run_flow("registration", citizen()).passed  # the decoy input is in no one's way
    first = list(accessibility_observer.audits)
    assert found(first) == [
        ("registration", step, rule, impact)
        for step in (LANDS, *SAME_SCREEN)
        for rule, impact in sorted(FAULT.items())
    ]
    landing = next(a for a in first if a.step == LANDS)
    assert not landing.same_as
    assert all(v.nodes == 1 for v in landing.violations)
    assert [a.same_as for a in first if a.step in SAME_SCREEN] == [LANDS, LANDS]

    baseline = Baseline.of(first)
    assert baseline.new(first) == []
    # The next run breaks one more rule, on the channel screen: that one alone is new.
    flow_observers.insert(0, Plant("registration", "9", '<button class="vazio"></button>'))
    page.context.clear_cookies()
    assert run_flow("registration", citizen()).passed
    second = accessibility_observer.audits[len(first) :]
    assert [(a.step, v.rule, v.impact) for a, v in baseline.new(second)] == [
        ("9", "button-name", "critical")
    ]
    assert set(found(second)) >= set(found(first))


def test_the_audit_keeps_nothing_of_the_citizen_s_data(
    run_flow: Callable[..., FlowResult],
    test_control: TestControl,
    accessibility_observer: AccessibilityObserver,
    flow_observers: list[Observer],
    page: Page,
) -> None:
    person = provision(test_control, planted_faker())
    born = f"{person.birth_date:%d-%m-%Y}"
    # Once the NISS and birth date are typed, the screen also shows elements that break rules
    # and carry the citizen's data in their ids, classes and attributes, where axe's
    # selectors name them.
    planted = "".join(
        [
            f'<img id="{escape(person.name)}">',
            f'<img class="{escape(person.email or "")}">',
            f'<img src="/fotos/{person.niss}.png">',
            f'<input type="text" id="{person.niss}">',
            f'<input type="text" name="{escape(person.password)}">',
            f'<p id="nascido-{born}" style="color: #eee">{escape(person.address or "")}</p>',
            f'<a href="mailto:{escape(person.email or "")}" style="color: #eee">',
            f"{escape(person.name)}</a>",
        ]
    )
    flow_observers.insert(0, Plant("registration", "7", planted))
    assert run_flow("registration", person, until="7").passed
    audits = accessibility_observer.audits
    [typed] = [a for a in audits if a.step == "7"]
    assert {v.rule for v in typed.violations} >= {"image-alt", "label", "color-contrast"}
    assert sum(len(v.targets) for v in typed.violations) >= 7  # every planted element named
    # Looked for as they are and as CSS selectors write them (the browser's own CSS.escape:
    # "D\\'Ávila", "ines\\.avila\\+...").
    values = planted_values([person])
    escaped = page.evaluate("values => values.map((v) => CSS.escape(v))", values)
    scanner = Scanner({*values, *escaped})
    as_json = json.dumps([asdict(a) for a in audits], ensure_ascii=False)
    leaks = scanner.text(repr(audits), "repr") + scanner.text(as_json, "json")
    assert not leaks, "\n".join(map(str, leaks))


def test_a_page_s_own_axe_neither_replaces_the_audit_nor_is_replaced(page: Page) -> None:
    # A portal that bundles an axe of its own (or fakes one answering "no violations").
    page.set_content(
        """<!doctype html><html lang="pt-PT"><head><title>Portal</title></head><body><main>
        <script>window.axe = {version: '0.0.1', run: async () => ({violations: []})};</script>
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>"""
    )
    assert "image-alt" in {violation.rule for violation in audit_page(page)}
    assert page.evaluate("window.axe.version") == "0.0.1"  # the page's own, given back
