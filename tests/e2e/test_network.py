"""Slow and vanishing networks, emulated in a real Chromium through its DevTools protocol."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from flows import catalog
from flows.context import NOBODY, NoCodes, Run
from flows.errors import PortalUnavailable
from flows.flow import Step
from flows.runner import Observer, StepResult
from runtime.journey import Journey
from runtime.network import PROFILES, check_network, parse_network
from runtime.vitals import VitalsObserver

pytestmark = pytest.mark.usefixtures("portal_access")


class Results(Observer):
    def __init__(self) -> None:
        self.results: list[StepResult] = []

    def step_finished(self, step: Step, run: Run, result: StepResult) -> None:
        self.results.append(result)


def test_on_slow_3g_the_first_byte_and_the_paint_come_seconds_later(
    page: Page, base_url: str
) -> None:
    """The first two steps of login, each a page load (opened, clicked): on slow 3G every
    response is held back at least DevTools' 2 s of latency, and the screen is painted after
    it. The same page afterwards, in a journey without a network, is fast again: the
    emulation was given back."""
    slow, fast = VitalsObserver(), VitalsObserver()
    network = PROFILES["slow-3g"]
    Journey(base_url, NoCodes(), [slow], network=network).run(
        page, "login", NOBODY, prerequisites=False, until="2"
    )
    Journey(base_url, NoCodes(), [fast]).run(page, "login", NOBODY, prerequisites=False, until="2")
    latency_s = network.latency_ms / 1000
    assert [v.step for v in slow.steps] == [v.step for v in fast.steps] == ["1", "2"]
    for throttled, unthrottled in zip(slow.steps, fast.steps, strict=True):
        assert throttled.loaded, throttled
        assert unthrottled.loaded, unthrottled
        assert throttled.ttfb_s is not None, throttled
        assert throttled.lcp_s is not None, throttled
        assert unthrottled.ttfb_s is not None, unthrottled
        assert unthrottled.lcp_s is not None, unthrottled
        assert throttled.lcp_s >= throttled.ttfb_s >= latency_s, throttled
        assert unthrottled.ttfb_s < throttled.ttfb_s, (unthrottled, throttled)
        assert unthrottled.lcp_s < throttled.lcp_s, (unthrottled, throttled)


def test_offline_after_a_step_fails_the_next_as_the_portal_unavailable_saying_why(
    page: Page, base_url: str
) -> None:
    network = parse_network("offline-after=login:2")
    check_network(network, catalog.with_prerequisites(["login"]))
    results, vitals = Results(), VitalsObserver()
    journey = Journey(base_url, NoCodes(), [vitals, results], network=network)
    with pytest.raises(PortalUnavailable) as unavailable:
        journey.run(page, "login", NOBODY, prerequisites=False)
    error = unavailable.value
    assert (error.flow, error.step) == ("login", "3")
    message = str(error)
    assert message.startswith(f"[portal unavailable] step {catalog.FLOWS['login'].steps[2].title}")
    assert (
        "the portal cannot be reached (net::ERR_INTERNET_DISCONNECTED): the harness's " in message
    )
    assert (
        "network emulation cut the browser's network after step 2. Iniciar sessão (Log In) of "
        "login (--network offline-after=login:2)"
    ) in message
    # What the reports and the monitor were told is the same failure.
    assert [r.passed for r in results.results] == [True, True, False]
    assert results.results[-1].error is error
    # Chromium's page for the load that failed is not the portal's: it has no vitals.
    cut = vitals.steps[-1]
    assert (cut.step, cut.loaded, cut.ttfb_s) == ("3", False, None)
    # The journey over, the page has its network back.
    response = page.goto(base_url)
    assert response is not None
    assert response.ok
