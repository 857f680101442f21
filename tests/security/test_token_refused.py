"""A test token the portal refuses (401) is a setting to put right: said up front, in one line.

``sentinel run``, ``monitor --once`` and ``guide`` ask the portal once (``GET /__test__/``)
before anything runs and stop with exit 2, naming where a token comes from; pytest with the
plugin names its own options (it has no ``--test-token-file``). The wrong token is shown
nowhere; a token refused in the middle of a monitor's run is a setting error, not a bug of
ours nor the portal's downtime.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows.errors import HarnessDefect
from monitor.executor import reason_of
from monitor.history import History
from monitor.results import CheckResult
from runtime.mock_process import start_in_background
from runtime.testapi import TestApiError, TestControl, TokenRefused
from runtime.tokens import TOKEN_ENV
from sentinel.report import PROJECT_ROOT
from tests.helpers import run_pytest, shell_environment
from tests.security.leaks import Scanner

RIGHT = secrets.token_urlsafe(16)
WRONG = "wrong-" + secrets.token_urlsafe(16)  # well formed: only the portal can refuse it


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    mock = start_in_background(tmp_path_factory.mktemp("url-portal") / "portal.db", RIGHT)
    yield mock.url
    mock.stop()


def sentinel(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in shell_environment().items() if k != TOKEN_ENV}
    return subprocess.run(
        [sys.executable, "-m", "sentinel", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**env, TOKEN_ENV: WRONG},
        timeout=120,
        check=False,
    )


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    output = done.stdout + done.stderr
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert not Scanner([WRONG, RIGHT]).text(output, "output")
    return lines[0]


@pytest.mark.slow
@pytest.mark.parametrize("command", ["run", "monitor", "guide"])
def test_a_refused_token_stops_the_command_in_one_line_before_anything_runs(
    portal: str, tmp_path: Path, command: str
) -> None:
    out = tmp_path / "out"
    args = {
        "run": ["run", "--flow", "login", "--results", str(out), "--no-report"],
        "monitor": ["monitor", "--once", "--flow", "login", "--data", str(out)],
        "guide": ["guide", "--flow", "registration", "--format", "html", "--out", str(out)],
    }[command]
    done = sentinel(*args, "--target", portal)
    assert done.returncode == 2, done.stdout + done.stderr
    line = one_line(done)
    assert line == (
        f"sentinel {command}: the portal at {portal} refused the test token (401): check "
        f"--test-token-file, --test-token or ${TOKEN_ENV}"
    )
    # Nothing ran: no results, no history, no guide.
    assert not list(out.rglob("*-result.json"))
    assert not (out / "monitor.db").exists()
    assert not list(out.rglob("*.html"))


@pytest.mark.slow
def test_pytest_names_its_own_options_for_a_refused_token(portal: str, tmp_path: Path) -> None:
    done = run_pytest(
        "tests/e2e/test_flows.py",
        "--base-url",
        portal,
        "-k",
        "end_to_end and login",
        "--alluredir",
        str(tmp_path / "results"),
        env={TOKEN_ENV: WRONG},
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert f"--test-token or ${TOKEN_ENV}: the portal refused the test token (401)" in output
    assert "--test-token-file" not in output  # pytest has no such option
    assert not Scanner([WRONG, RIGHT]).text(output, "output")
    assert not Scanner([WRONG, RIGHT]).files(tmp_path / "results")


def test_the_client_says_the_token_was_refused(portal: str) -> None:
    with TestControl(portal, WRONG) as api, pytest.raises(TokenRefused) as refused:
        api.capabilities()
    assert isinstance(refused.value, TestApiError)  # what callers of the client catch
    assert str(refused.value) == "the portal refused the test token (401)"


def test_a_token_refused_mid_run_is_a_setting_error_not_downtime() -> None:
    refused = TokenRefused(401)
    assert reason_of(refused) == "setting_error"
    # As the runner hands it on when a code source's outbox call is refused.
    wrapped = HarnessDefect("cannot read the code", flow="activation", step="3", cause=refused)
    assert reason_of(wrapped) == "setting_error"
    result = CheckResult("login", datetime.now(UTC), "failure", 1.0, reason="setting_error")
    assert not result.counts_as_downtime


def test_uptime_does_not_count_a_refused_token_as_downtime(tmp_path: Path) -> None:
    history = History(tmp_path / "monitor.db")
    start = datetime(2026, 11, 23, 10, tzinfo=UTC)
    for minute, (outcome, reason) in enumerate(
        [("success", ""), ("failure", "setting_error"), ("failure", "portal_unavailable")]
    ):
        history.record(
            CheckResult("login", start + timedelta(minutes=minute), outcome, 1.0, reason=reason)
        )
    assert history.uptime("login", start) == 0.5  # the refused token is not counted
    history.close()
