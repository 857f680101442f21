from __future__ import annotations

from pathlib import Path

import pytest

from runtime import browser
from runtime.browser import SENTINEL_DISABLED_FEATURES


def test_the_environment_variable_wins(tmp_path: Path) -> None:
    exe = tmp_path / "chrome"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    found = browser.find_chromium(
        {browser.ENV_VAR: str(exe)}, bundled=lambda: Path("/x"), system=lambda: Path("/y")
    )
    assert found == exe


def test_a_wrong_override_is_reported(tmp_path: Path) -> None:
    with pytest.raises(browser.BrowserNotFound, match="not an executable"):
        browser.find_chromium({browser.ENV_VAR: str(tmp_path / "missing")})


def test_playwrights_own_browser_comes_before_the_system_one() -> None:
    assert browser.find_chromium({}, bundled=lambda: Path("/pw"), system=lambda: Path("/y")) is None


def test_the_system_chromium_is_the_fallback() -> None:
    found = browser.find_chromium(
        {}, bundled=lambda: None, system=lambda: Path("/usr/bin/chromium")
    )
    assert found == Path("/usr/bin/chromium")


def test_no_browser_says_what_to_install() -> None:
    with pytest.raises(browser.BrowserNotFound, match="apt-get install chromium"):
        browser.find_chromium({}, bundled=lambda: None, system=lambda: None)


def test_root_needs_no_sandbox_and_every_run_stays_off_the_network() -> None:
    assert "--no-sandbox" in browser.launch_args(is_root=True)
    assert "--no-sandbox" not in browser.launch_args(is_root=False)
    assert "--disable-background-networking" in browser.launch_args(is_root=False)


def test_playwrights_cache_is_read_without_starting_playwright(tmp_path: Path) -> None:
    assert browser.playwright_chromium({"PLAYWRIGHT_BROWSERS_PATH": str(tmp_path)}) is None
    import json

    import playwright

    listing = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    browsers = json.loads(listing.read_text())["browsers"]
    revision = next(b["revision"] for b in browsers if b["name"] == "chromium")
    chrome = tmp_path / f"chromium-{revision}" / "chrome-linux64" / "chrome"
    chrome.parent.mkdir(parents=True)
    chrome.write_text("")
    assert browser.playwright_chromium({"PLAYWRIGHT_BROWSERS_PATH": str(tmp_path)}) == chrome


def test_a_browser_server_is_chosen_by_option_then_environment() -> None:
    assert browser.connect_endpoint("ws://a", {browser.CONNECT_ENV: "ws://b"}) == "ws://a"
    assert browser.connect_endpoint(None, {browser.CONNECT_ENV: "ws://b"}) == "ws://b"
    assert browser.connect_endpoint(None, {}) is None


def test_the_server_is_told_how_to_launch_in_its_own_names() -> None:
    import json

    headers = browser.connect_headers({"executable_path": "/usr/bin/chromium", "headless": True})
    assert json.loads(headers["x-playwright-launch-options"]) == {
        "executablePath": "/usr/bin/chromium",
        "headless": True,
    }


@pytest.mark.browser
def test_our_disabled_features_keep_every_one_playwright_disables(browser) -> None:
    # Chromium applies only the last --disable-features: ours must include Playwright's.
    switches = _command_line(browser)
    lists = [
        set(switch.split("=", 1)[1].split(","))
        for switch in switches
        if switch.startswith("--disable-features=")
    ]
    assert len(lists) == 2, "Playwright's own switch, then ours"
    playwrights, ours = lists
    assert playwrights <= ours, f"missing from ours: {sorted(playwrights - ours)}"
    assert set(SENTINEL_DISABLED_FEATURES) <= ours


def _command_line(browser) -> list[str]:
    """The arguments of this test's Chromium, read from /proc: Chromium reports them to CDP
    clients only under --enable-automation, which Playwright does not pass, but it does say
    which process is the browser (other Chromiums, such as a monitor's, may run beside it)."""
    processes = browser.new_browser_cdp_session().send("SystemInfo.getProcessInfo")
    [pid] = [p["id"] for p in processes["processInfo"] if p["type"] == "browser"]
    command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    return [part for part in command.split("\0") if part]
