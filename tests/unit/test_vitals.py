"""Web Vitals: what a step's figures are made of, how they read, how long a read may wait."""

from __future__ import annotations

from typing import Any

import pytest

from flows import catalog
from runtime.network import PROFILES, parse_network
from runtime.vitals import PAINT_WAIT_MS, StepVitals, paint_wait_ms, step_vitals

STEP = catalog.FLOWS["login"].steps[1]

# What the page's script hands back (milliseconds from the start of the navigation).
READ: dict[str, Any] = {
    "id": "a1",
    "ttfb": 12.4,
    "started": 30.0,
    "fcp": 40.0,
    "lcp": 52.0,
    "cls": 0.0125,
    "inp": 24.0,
    "requests": 3,
    "bytes": 12_400,
}


def test_a_read_becomes_seconds_for_the_documented_step() -> None:
    vitals = step_vitals("login", STEP, READ, loaded=True)
    assert vitals == StepVitals(
        flow="login",
        step="2",
        title="2. Iniciar sessão (Log In)",
        loaded=True,
        ttfb_s=pytest.approx(0.0124),
        fcp_s=0.040,
        lcp_s=0.052,
        cls=0.0125,
        inp_s=0.024,
        requests=3,
        transfer_bytes=12_400,
    )


def test_no_read_is_no_figures() -> None:
    """A page mid-navigation, crashed, or Chromium's own page for a load that failed."""
    vitals = step_vitals("login", STEP, None, loaded=False)
    assert (vitals.flow, vitals.step, vitals.loaded) == ("login", "2", False)
    assert vitals.seconds() == {}
    assert (vitals.ttfb_s, vitals.cls, vitals.requests) == (None, None, 0)


def test_on_an_emulated_network_the_first_byte_is_when_the_response_reached_the_page() -> None:
    """Chromium times ``responseStart`` in its network stack, before the emulation holds the
    response back for the network's latency: there the document's start says when it came."""
    slow = {**READ, "ttfb": 6.0, "started": 2061.0}
    assert step_vitals("login", STEP, slow, loaded=True, emulated=True).ttfb_s == 2.061
    assert step_vitals("login", STEP, slow, loaded=True).ttfb_s == 0.006
    # The document cannot start before its first byte; responseStart stays when later.
    late = {**READ, "ttfb": 80.0, "started": 60.0}
    assert step_vitals("login", STEP, late, loaded=True, emulated=True).ttfb_s == 0.080


def test_a_step_that_loaded_its_screen_has_the_loads_figures() -> None:
    vitals = step_vitals("login", STEP, READ, loaded=True)
    assert vitals.seconds() == {"ttfb": 0.0124, "fcp": 0.040, "lcp": 0.052, "inp": 0.024}
    assert vitals.text() == (
        "TTFB 12 ms · FCP 40 ms · LCP 52 ms · CLS 0.013 · INP 24 ms · 3 requests, 12.4 kB"
    )


def test_a_step_on_a_screen_an_earlier_step_loaded_has_only_its_own() -> None:
    """The fields keep the screen's load (``loaded`` says whose it is); the metrics and the
    report must not count one page load once per step on it."""
    vitals = step_vitals(
        "login", STEP, {**READ, "inp": None, "requests": 1, "bytes": 0}, loaded=False
    )
    assert vitals.lcp_s == 0.052
    assert vitals.seconds() == {}
    assert vitals.text() == "no page load · CLS 0.013 · 1 request, 0.0 kB"
    typed = step_vitals("login", STEP, {**READ, "requests": 0, "bytes": 0}, loaded=False)
    assert typed.seconds() == {"inp": 0.024}
    assert typed.text() == "no page load · CLS 0.013 · INP 24 ms · 0 requests, 0.0 kB"


def test_a_read_waits_for_the_first_paint_briefly_and_a_round_trip_longer_on_a_slow_network() -> (
    None
):
    assert paint_wait_ms(None) == PAINT_WAIT_MS <= 250
    assert paint_wait_ms(parse_network("offline-after=2")) == PAINT_WAIT_MS
    # The screen waits for its style sheet: asked for once the document came, a round trip.
    assert paint_wait_ms(PROFILES["slow-3g"]) == PAINT_WAIT_MS + 2 * 2000
