"""The journey: which flows a run goes through, and what it refuses before the first."""

from __future__ import annotations

from typing import cast

import pytest
from playwright.sync_api import Page

from flows.context import NOBODY, NoCodes
from flows.errors import ProductionRefused
from runtime.journey import CONTEXT_DEFAULTS, Journey, context_options


def test_a_flow_runs_after_the_flows_it_requires() -> None:
    journey = Journey("http://127.0.0.1:1", NoCodes())
    assert [f.name for f in journey.flows("login")] == ["registration", "activation", "login"]
    assert [f.name for f in journey.flows("login", prerequisites=False)] == ["login"]
    last = journey.flows("activation", until="3")[-1]
    assert [s.number for s in last.steps][-1] == "3"


def test_production_is_refused_naming_every_flow_that_writes() -> None:
    """Before any page is touched (there is none here): the refusal names the whole journey,
    not only the first flow the runner would have stopped at."""
    journey = Journey("https://www.seg-social.pt", NoCodes())
    with pytest.raises(ProductionRefused, match="activation, login, registration against www"):
        journey.run(cast(Page, None), "login", NOBODY)


def test_every_context_starts_portuguese_in_lisbon_with_one_viewport() -> None:
    assert CONTEXT_DEFAULTS["locale"] == "pt-PT"
    assert CONTEXT_DEFAULTS["timezone_id"] == "Europe/Lisbon"
    assert context_options(viewport={"width": 1024, "height": 768})["viewport"] == {
        "width": 1024,
        "height": 768,
    }
    assert context_options()["viewport"] == {"width": 1280, "height": 900}
