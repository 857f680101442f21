"""The flow tests, run as against a staging portal: by URL, on a portal worded and marked up as
this project never showed its page objects, whose test-control API offers only the base
contract (citizens, outbox). Everything that can run there passes; the rest skips, naming the
capability it lacks.
"""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sentinel.mock_server import start_in_background
from tests.helpers import run_pytest

FLOW_TESTS = ("tests/e2e/test_flows.py", "tests/e2e/test_negative_paths.py")
# Every flow test that needs more than the base contract, and what it needs.
NEEDS = {
    "test_by_letter_once_the_clock_passes_delivery": "clock",
    "test_an_expired_code_then_the_latest_code": "clock",
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """Each flow test's outcome (passed, skipped, failed) and message, on such a portal."""
    folder = tmp_path_factory.mktemp("staging")
    token = secrets.token_urlsafe(16)
    mock = start_in_background(
        folder / "portal.db", token, contract="base", wording="paraphrase", markup="sso"
    )
    report = folder / "junit.xml"
    try:
        run = run_pytest(
            *FLOW_TESTS,
            f"--base-url={mock.url}",
            f"--junitxml={report}",
            env={"SENTINEL_TEST_TOKEN": token},
            timeout=900,
        )
    finally:
        mock.stop()
    assert report.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    return read_junit(report)


def read_junit(report: Path) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    # Written by the suite run just above, not by anyone else.
    for case in ET.parse(report).getroot().iter("testcase"):  # noqa: S314
        outcome, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = "skipped" if child.tag == "skipped" else "failed"
                message = child.get("message", "") + (child.text or "")[:2000]
        found[case.get("name", "")] = (outcome, message)
    return found


def test_every_flow_test_passes_or_skips_naming_a_capability(outcomes) -> None:
    failed = {name: message for name, (outcome, message) in outcomes.items() if outcome == "failed"}
    assert failed == {}
    for name, (outcome, message) in outcomes.items():
        if outcome == "skipped":
            assert "does not offer" in message, (name, message)


def test_each_flow_runs_end_to_end_there(outcomes) -> None:
    ran = [
        name
        for name, (outcome, _) in outcomes.items()
        if name.startswith("test_each_flow_end_to_end") and outcome == "passed"
    ]
    assert len(ran) == 6, sorted(outcomes)  # registration ... portal, once each


def test_what_needs_an_extension_skips_naming_it(outcomes) -> None:
    for test, capability in NEEDS.items():
        [(outcome, message)] = [v for k, v in outcomes.items() if k.startswith(test)]
        assert outcome == "skipped"
        assert f"does not offer {capability}" in message
    variants = [v for k, v in outcomes.items() if k.startswith("test_each_flow_end_to_end")]
    assert any("does not offer wording, markup" in message for _, message in variants)
