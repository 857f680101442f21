"""Remote browsers: the suite and the monitor drive a real ``playwright run-server``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import free_port, run_pytest, run_sentinel, serving

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser_server() -> Iterator[str]:
    # --unsafe: the server takes the executable path and switches this machine's Chromium needs.
    command = [sys.executable, "-m", "playwright", "run-server", "--host", "127.0.0.1"]
    with serving([*command, "--port", str(free_port()), "--unsafe"], "Listening on ") as line:
        yield line.split("Listening on ", 1)[1]


def pytest_run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_pytest(
        "tests/e2e/test_flows.py", "-k", "end_to_end and activation and official", *args
    )


def test_the_suite_runs_in_a_remote_browser(browser_server: str) -> None:
    done = pytest_run("--connect", browser_server)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "1 passed" in done.stdout
    refused = pytest_run("--connect", "ws://127.0.0.1:9/nothing-here")
    assert refused.returncode != 0  # the option is honoured: no server, no browser


def test_the_monitor_checks_through_a_remote_browser(browser_server: str, tmp_path: Path):
    done = run_sentinel(
        "monitor",
        "--once",
        "--flow",
        "portal",
        "--data",
        str(tmp_path),
        "--connect",
        browser_server,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "portal" in done.stdout
    assert "success" in done.stdout
