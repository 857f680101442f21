"""The flow tests, run as against a staging portal: by URL, on a portal worded and marked up as
this project never showed its page objects, whose test-control API offers only the base
contract (citizens, outbox). Everything that can run there passes; the rest skips, naming the
capability it lacks. The monitor and the guides run there too.
"""

from __future__ import annotations

import re
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from flows import catalog
from guides.make import GUIDES
from runtime.mock_process import start_in_background
from tests.helpers import run_pytest, run_sentinel

FLOW_TESTS = ("tests/e2e/test_flows.py", "tests/e2e/test_negative_paths.py")
# Every flow test that needs more than the base contract, and what it needs.
NEEDS = {
    "test_by_letter_once_the_clock_passes_delivery": "clock",
    "test_an_expired_code_then_the_latest_code": "clock",
}


@dataclass(frozen=True)
class Staging:
    url: str
    token: str
    folder: Path

    def target(self) -> tuple[str, ...]:
        token_file = self.folder / "token"
        token_file.write_text(self.token, encoding="utf-8")
        return ("--target", self.url, "--test-token-file", str(token_file))


@pytest.fixture(scope="module")
def staging(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Staging]:
    """The bundled mock, playing a staging portal we never wrote."""
    folder = tmp_path_factory.mktemp("staging")
    token = secrets.token_urlsafe(16)
    mock = start_in_background(
        folder / "portal.db", token, contract="base", wording="paraphrase", markup="sso"
    )
    try:
        yield Staging(mock.url, token, folder)
    finally:
        mock.stop()


@pytest.fixture(scope="module")
def outcomes(staging: Staging) -> dict[str, tuple[str, str]]:
    """Each flow test's outcome (passed, skipped, failed) and message, on such a portal."""
    report = staging.folder / "junit.xml"
    run = run_pytest(
        *FLOW_TESTS,
        f"--base-url={staging.url}",
        f"--junitxml={report}",
        env={"SENTINEL_TEST_TOKEN": staging.token},
        timeout=900,
    )
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


def test_the_monitor_checks_every_flow_there(staging: Staging, tmp_path: Path) -> None:
    flows = [arg for name in catalog.FLOWS for arg in ("--flow", name)]
    done = run_sentinel(
        "monitor", "--once", *staging.target(), *flows, "--data", str(tmp_path / "monitor")
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for name in catalog.FLOWS:
        assert re.search(rf"^{name}\s+success", done.stdout, re.M), done.stdout


def test_every_guide_is_written_there_with_what_the_portal_asked(
    staging: Staging, tmp_path: Path
) -> None:
    out = tmp_path / "guides"
    done = run_sentinel("guide", *staging.target(), "--format", "html", "--out", str(out))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    written = {path.name for path in out.glob("*.html")}
    assert written == {f"{guide.name}.{lang}.html" for guide in GUIDES for lang in ("pt", "en")}
    # The banner of a session's first visit, and the login choice after activation's step 8.
    registration = (out / "registration-sms.en.html").read_text(encoding="utf-8")
    assert "The portal asked for consent to cookies" in registration
    activation = (out / "activation.en.html").read_text(encoding="utf-8")
    assert "The portal showed the choice of authentication first" in activation
