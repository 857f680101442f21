"""Remote browsers: the suite and the monitor drive a real ``playwright run-server``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sentinel.report import PROJECT_ROOT
from tests.helpers import run_sentinel, shell_environment

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser_server() -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # --unsafe: the server takes the executable path and switches this machine's Chromium needs.
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "playwright",
            "run-server",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--unsafe",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        # Its own process group: `python -m playwright` runs the server in a child (node)
        # that outlives a signal to the parent alone.
        start_new_session=True,
    )
    try:
        for line in process.stdout:
            if line.startswith("Listening on "):
                yield line.split("Listening on ", 1)[1].strip()
                break
        else:
            raise AssertionError("playwright run-server did not start")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        process.stdout.close()


def pytest_run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/e2e/test_flows.py",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "-k",
            "end_to_end and activation and official",
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=shell_environment(),
        timeout=300,
        check=False,
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
