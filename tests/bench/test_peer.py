"""The Playwright Test peer of ``make bench``: the same Playwright, the same Chromium, and a
failure that names no citizen."""

from __future__ import annotations

import json
from pathlib import Path

import playwright

from bench.peer import PACKAGE, Peer, browser_settings, version
from flows.context import Citizen
from runtime.browser import launch_options
from sentinel.report import PROJECT_ROOT
from tests.security.leaks import ADDRESS, BIRTH_DATE, EMAIL, MOBILE, NAME, PASSWORD


def test_the_peer_is_the_playwright_of_the_python_driver() -> None:
    # The Python package runs a Node driver of its own: the npm package pinned for the peer is
    # that version, so the two drive Chromium the same way.
    driver = Path(playwright.__file__).parent / "driver" / "package" / "package.json"
    assert version(PROJECT_ROOT) == json.loads(driver.read_text())["version"]
    lock = json.loads((PROJECT_ROOT / "package-lock.json").read_text())
    assert lock["packages"][str(PACKAGE)]["version"] == version(PROJECT_ROOT)


def test_the_peer_launches_the_harness_chromium_with_its_switches() -> None:
    options, settings = launch_options(), browser_settings()
    assert settings["args"] == options["args"]
    assert settings.get("executablePath") == options.get("executable_path")
    assert settings["headless"] is True


def test_what_the_peer_says_when_it_fails_names_no_citizen_code_or_token(tmp_path: Path) -> None:
    citizen = Citizen(
        niss="12345678901",
        name=NAME,
        birth_date=BIRTH_DATE,
        password=PASSWORD,
        email=EMAIL,
        mobile=MOBILE,
        address=ADDRESS,
    )
    peer = Peer("http://127.0.0.1:9", "t0ken-of-the-test-api", 1, tmp_path, PROJECT_ROOT)
    peer.secrets.update(citizen.secrets())
    output = (
        f"Error: expect(locator).toBeVisible() failed for {citizen.niss} born "
        f"{BIRTH_DATE:%d-%m-%Y}, password {PASSWORD}, code 482913, {NAME} at {ADDRESS} "
        f"({EMAIL}, {MOBILE}); X-Test-Token: t0ken-of-the-test-api"
    )
    scrubbed = peer.scrub(output)
    assert "toBeVisible() failed" in scrubbed
    for secret in [*citizen.secrets(), "482913", "t0ken-of-the-test-api"]:
        assert secret not in scrubbed
