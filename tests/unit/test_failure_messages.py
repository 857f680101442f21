"""The one line a failed step is told in: what the portal answered, and where it is documented."""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from flows import catalog
from flows.errors import PortalDefect, PortalUnavailable
from flows.runner import classify

FLOW = catalog.REGISTRATION
STEP = FLOW.steps[3]  # 4. Registar, documented in the portal's guide
MISSING = AssertionError("expected the screen TermsPage")


def test_a_missing_screen_after_a_refused_page_names_the_status() -> None:
    error = classify(MISSING, FLOW, STEP, 404)
    assert isinstance(error, PortalDefect)
    assert "the portal answered HTTP 404; expected the screen TermsPage" in str(error)
    assert f"(documented in {STEP.label.source})" in str(error)


def test_a_missing_screen_after_a_page_that_loaded_names_no_status() -> None:
    error = classify(PlaywrightTimeout("Timeout 10000ms exceeded."), FLOW, STEP, 200)
    assert "HTTP" not in str(error)
    assert str(error).endswith("follow: Timeout 10000ms exceeded.")


def test_a_server_error_says_where_the_step_is_documented() -> None:
    error = classify(MISSING, FLOW, STEP, 503)
    assert isinstance(error, PortalUnavailable)
    assert str(error) == (
        f"[portal unavailable] step {STEP.title} of registration "
        f"(documented in {STEP.label.source}): the portal answered HTTP 503"
    )
