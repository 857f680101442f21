"""Web Vitals of every documented step, measured in a real Chromium.

That every step of every flow has plausible figures in each wording and markup is asserted
by ``tests/e2e/test_flows.py`` (with ``plausible`` here), which runs each of them anyway. The
bundled mock neither shifts its layout nor keeps a click busy, so a small page of our own,
served through ``page.route``, shows that a layout shift and a slow interaction are counted.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from playwright.sync_api import Locator, Page, expect

from flows.context import NOBODY, NoCodes, Run
from flows.flow import Flow, Step
from flows.runner import Observer, Runner
from flows.steps import click, see
from pages import labels
from runtime.vitals import StepVitals, VitalsObserver


@pytest.fixture
def flow_observers(vitals_observer: VitalsObserver) -> list[Observer]:
    """The Web Vitals observer alone: what these tests are about, and nothing that costs."""
    return [vitals_observer]


def plausible(vitals: StepVitals) -> None:
    """What every step's figures must be: the screen's load present (repeated on a step that
    loaded none), in the order a page load makes them, and what it fetched."""
    assert vitals.cls is not None, vitals
    assert vitals.cls >= 0, vitals
    assert vitals.ttfb_s is not None, vitals
    assert vitals.fcp_s is not None, vitals
    assert vitals.lcp_s is not None, vitals
    if vitals.loaded:
        assert vitals.lcp_s >= vitals.fcp_s >= vitals.ttfb_s > 0, vitals
        assert vitals.requests >= 1, vitals
        assert vitals.transfer_bytes > 0, vitals
    else:
        assert set(vitals.seconds()) <= {"inp"}, vitals


PORTAL = "http://vitals.test/"
SHIFTING = """<!doctype html><html lang="pt-PT"><head><title>Portal</title></head><body>
<div id="banner"></div>
<main><h1>Portal da Segurança Social</h1><p>Bem-vindo.</p><button>Iniciar sessão</button></main>
<script>
  // After the first paint, a banner pushes the page down: a shift no input caused.
  requestAnimationFrame(() => setTimeout(() => {
    document.getElementById("banner").style.height = "200px";
    requestAnimationFrame(() => setTimeout(() => { document.body.dataset.shifted = "yes"; }));
  }, 50));
  // A click that keeps the page busy: an interaction of 120 ms and more.
  document.querySelector("button").addEventListener("click", () => {
    const end = performance.now() + 120;
    while (performance.now() < end) {}
  });
</script></body></html>"""


def open_shifting(run: Run, elements: Sequence[Locator]) -> None:
    run.page.goto(PORTAL)
    expect(run.page.locator("body[data-shifted=yes]")).to_be_attached()


def test_a_layout_shift_and_a_slow_interaction_are_counted_at_their_step(page: Page) -> None:
    page.route(PORTAL, lambda route: route.fulfill(body=SHIFTING, content_type="text/html"))
    log_in = click("2", labels.LOG_IN, lambda run: run.page.get_by_role("button"))
    flow = Flow(
        "demo",
        "Demo",
        "Demo",
        (
            Step("1", labels.PORTAL, "open", lambda run: [], open_shifting),
            log_in,
            see("3", labels.LOG_IN, lambda run: [run.page.get_by_role("button")]),
        ),
        writes=False,
    )
    vitals = VitalsObserver()
    run = Run(page=page, base_url=PORTAL, citizen=NOBODY, codes=NoCodes())
    assert Runner([vitals]).run(flow, run).passed
    opened, clicked, seen = vitals.steps
    assert opened.loaded
    assert opened.cls is not None
    assert opened.cls > 0
    assert opened.inp_s is None  # nothing was clicked yet
    assert not clicked.loaded
    assert clicked.inp_s is not None
    assert clicked.inp_s >= 0.12
    assert clicked.cls == opened.cls  # the screen's, so far: the click shifted nothing
    assert seen.inp_s is None  # the click was the step before's
