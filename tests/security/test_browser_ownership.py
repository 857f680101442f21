"""The monitor's own Chromium dies with the monitor, even when the monitor is killed with
SIGKILL, and what an earlier monitor left behind is cleaned up when the next one starts."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from runtime import owned_chromium
from runtime.browser import find_chromium, launch_args
from sentinel.report import PROJECT_ROOT

pytestmark = pytest.mark.browser

MONITOR_LIKE = """
import sys
from playwright.sync_api import sync_playwright
from monitor.executor import WarmBrowser
with sync_playwright() as playwright:
    warm = WarmBrowser(playwright)
    warm.get()
    print(warm.pid, warm.profile, flush=True)
    sys.stdin.read()
"""


def gone(pid: int, deadline_s: float = 20.0) -> bool:
    """Whether the process ends within the deadline (waited on through a pidfd, which
    becomes readable when the process exits, child of ours or not)."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        readable, _, _ = select.select([handle], [], [], deadline_s)
        return bool(readable)
    finally:
        os.close(handle)


def test_the_browser_dies_when_its_owner_is_killed() -> None:
    owner = subprocess.Popen(
        [sys.executable, "-c", MONITOR_LIKE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    try:
        pid, profile = owner.stdout.readline().split()
        browser = owned_chromium._processes_using(Path(profile))
        assert int(pid) in browser
        assert len(browser) > 1, "the browser's helper processes are counted too"
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=20)
        for process in browser:
            assert gone(process), "the browser outlived the monitor that owned it"
        assert not owned_chromium._processes_using(Path(profile))
        # Its folder is all that is left, until a new monitor starts.
        assert Path(profile).is_dir()
        assert Path(profile) in owned_chromium.reap_stale()
        assert not Path(profile).exists()
    finally:
        if owner.poll() is None:
            owner.kill()
        owner.stdout.close()
        owner.stdin.close()


def test_a_survivor_of_a_dead_owner_is_killed_and_its_profile_removed(tmp_path: Path) -> None:
    profile = tmp_path / (owned_chromium.PROFILE_PREFIX + "left-behind")
    profile.mkdir()
    # An owner that has died: no process has this pid and start time.
    (profile / owned_chromium.OWNER_FILE).write_text(f"{os.getpid() + 10**6} 1")
    executable = find_chromium() or "chromium"
    # A browser started as an older monitor did: without dying with its owner.
    headless = ["--headless", "--remote-debugging-port=0", *launch_args(), "about:blank"]
    survivor = subprocess.Popen(
        [str(executable), f"--user-data-dir={profile}", *headless],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert any("DevTools listening" in line for line in survivor.stderr)
        live = tmp_path / (owned_chromium.PROFILE_PREFIX + "in-use")
        live.mkdir()
        (live / owned_chromium.OWNER_FILE).write_text(owned_chromium._identity(os.getpid()))
        assert owned_chromium.reap_stale(tmp_path) == [profile]
        assert survivor.wait(timeout=20) == -signal.SIGKILL
        assert not profile.exists()
        assert live.is_dir(), "the folder of a live owner was removed"
    finally:
        if survivor.poll() is None:
            survivor.kill()
            survivor.wait()
        survivor.stderr.close()
