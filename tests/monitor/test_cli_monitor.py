"""``sentinel monitor --once`` as cron runs it: a summary, an exit code, no personal data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import dead_portal, run_sentinel

pytestmark = pytest.mark.slow


def test_once_prints_a_summary_and_logs_no_personal_data(tmp_path: Path) -> None:
    done = run_sentinel(
        "monitor",
        "--once",
        "--flow",
        "portal",
        "--flow",
        "activation",
        "--data",
        str(tmp_path / "monitor"),
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert re.search(r"^portal\s+success", done.stdout, re.MULTILINE)
    assert re.search(r"^activation\s+success", done.stdout, re.MULTILINE)
    assert (tmp_path / "monitor" / "monitor.db").exists()
    assert not re.search(r"(?<![\w.-])\d{11}(?![\w.-])", output)  # no NISS anywhere


def test_once_exits_1_when_a_check_fails(tmp_path: Path) -> None:
    done = run_sentinel(
        "monitor",
        "--once",
        "--target",
        dead_portal(),
        "--flow",
        "portal",
        "--retries",
        "0",
        "--data",
        str(tmp_path / "monitor"),
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"^portal\s+failure .*portal_unavailable at step 1", done.stdout, re.MULTILINE)


def test_flows_that_write_refuse_production() -> None:
    done = run_sentinel(
        "monitor", "--once", "--target", "https://www.seg-social.pt", "--flow", "login"
    )
    assert done.returncode == 2
    assert "only read-only checks (portal) may watch the production portal" in done.stderr


def test_checks_that_write_without_a_token_are_refused_before_any_check(tmp_path: Path) -> None:
    """A missing token is a setting, not a failure of every check filed as our bug."""
    done = run_sentinel(
        "monitor",
        "--once",
        "--target",
        dead_portal(),
        "--flow",
        "login",
        "--data",
        str(tmp_path / "monitor"),
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip().splitlines() == [
        "sentinel monitor: registration, activation, login create or change accounts, so a "
        "synthetic citizen is made through the portal's test-control API, which needs a test "
        "token: set $SENTINEL_TEST_TOKEN or pass --test-token-file"
    ]
    assert not (tmp_path / "monitor" / "monitor.db").exists()
