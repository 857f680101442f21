"""``sentinel monitor`` tries once, before the first check, what its checks that write need of
the portal: a synthetic citizen from the test-control API, and a source for their codes. A
portal that cannot give them is a setting to change, refused in one line (exit 2), never a
monitor that starts and files every check as its own bug."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import run_sentinel, serving

pytestmark = pytest.mark.slow
TOKEN = "a-staging-token-of-32-characters"


@contextmanager
def mock_portal(tmp_path: Path, *options: str) -> Iterator[str]:
    """``sentinel mock`` on a free port with ``options``; yields its URL."""
    command = [sys.executable, "-m", "sentinel", "mock", "--port", "0"]
    command += ["--db", str(tmp_path / "portal.db"), *options]
    with serving(command, "Mock portal listening on") as line:
        yield line.rsplit(" ", 1)[-1]


def monitor_once(url: str, tmp_path: Path, *options: str):
    return run_sentinel(
        "monitor", "--once", "--target", url, "--data", str(tmp_path / "monitor"), *options
    )


def test_a_portal_without_a_test_control_api_is_refused_before_any_check(tmp_path: Path) -> None:
    """The portal serves no /__test__/ API (started without a token), yet the monitor is given
    one: every login check would fail making its citizen."""
    with mock_portal(tmp_path) as url:
        done = monitor_once(url, tmp_path, "--flow", "login", "--test-token", TOKEN)
    assert done.returncode == 2, done.stdout + done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(
        f"sentinel monitor: a synthetic citizen for the login check comes from the "
        f"test-control API of {url}, which did not make one (POST /__test__/citizens: 404"
    ), line
    assert line.endswith("or watch the portal with --flow portal, which needs none")
    assert TOKEN not in line
    assert "harness_error" not in done.stdout + done.stderr
    assert not (tmp_path / "monitor" / "monitor.db").exists()


def test_a_portal_whose_codes_no_source_can_read_is_refused_before_any_check(
    tmp_path: Path,
) -> None:
    """A portal that sends its codes for real (no outbox) and no mailbox, webhook or command
    to read them: the login check could never type its code."""
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN)
    with mock_portal(tmp_path, "--contract", "mail", "--test-token-file", str(token_file)) as url:
        done = monitor_once(url, tmp_path, "--flow", "login", "--test-token-file", str(token_file))
    assert done.returncode == 2, done.stdout + done.stderr
    [line] = done.stderr.strip().splitlines()
    assert re.match(r"sentinel monitor: the login check cannot get codes by sms: ", line), line
    assert "--codes-sms-webhook" in line
    assert not (tmp_path / "monitor" / "monitor.db").exists()


def test_the_read_only_check_needs_neither(tmp_path: Path) -> None:
    with mock_portal(tmp_path) as url:
        done = monitor_once(url, tmp_path, "--flow", "portal")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^portal\s+success", done.stdout, re.MULTILINE)
