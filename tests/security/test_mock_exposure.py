"""``sentinel mock`` exposes its test-control API only deliberately, behind a long token, and
no token travels on a command line (``ps`` and ``/proc/<pid>/cmdline`` are public).

Servers bound to all interfaces here are only ever contacted on 127.0.0.1, and stopped at once.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from runtime.mock_process import READY_PREFIX, start_in_background
from sentinel import cli
from sentinel.report import PROJECT_ROOT
from tests.helpers import shell_environment

EXPOSED_HOSTS = ["0.0.0.0", "::"]  # noqa: S104 - the addresses under test


def environment(token: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in shell_environment().items() if k != "SENTINEL_TEST_TOKEN"}
    if token is not None:
        env["SENTINEL_TEST_TOKEN"] = token
    return env


def mock(tmp_path: Path, *args: str, env: dict[str, str] | None = None):
    """``sentinel mock ARGS`` that must stop at once with an error (a server that starts
    instead is killed by the timeout, which fails the test)."""
    command = [sys.executable, "-m", "sentinel", "mock", "--port", "0"]
    command += ["--db", str(tmp_path / "portal.db"), *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env or environment(),
        timeout=20,
        check=False,
    )


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@contextmanager
def serving(tmp_path: Path, *args: str) -> Iterator[tuple[str, list[str]]]:
    """A ``sentinel mock ARGS`` that starts: its URL and what it printed on stderr first."""
    command = [sys.executable, "-m", "sentinel", "mock", "--port", "0"]
    command += ["--db", str(tmp_path / "portal.db"), *args]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
        env=environment(),
    )
    try:
        yield read_until_ready(process)
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()
        process.stderr.close()


def read_until_ready(process: subprocess.Popen[str], timeout: float = 20) -> tuple[str, list[str]]:
    """Lines of stderr until stdout announces the URL, within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    errors: list[str] = []
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ, "out")
        selector.register(process.stderr, selectors.EVENT_READ, "err")
        while (left := deadline - time.monotonic()) > 0:
            for key, _ in selector.select(left):
                line = key.fileobj.readline()
                if key.data == "err":
                    errors.append(line)
                elif line.startswith(READY_PREFIX):
                    return line[len(READY_PREFIX) :].strip(), errors
                elif not line:
                    raise AssertionError(f"the mock ended: {''.join(errors)}")
    raise AssertionError(f"the mock did not start in {timeout}s: {''.join(errors)}")


def on_loopback(url: str) -> str:
    """The same port on 127.0.0.1: the only address these tests send anything to."""
    return f"http://127.0.0.1:{url.rsplit(':', 1)[1]}"


# Short tokens --------------------------------------------------------------------------
def test_a_short_token_on_the_command_line_is_refused(tmp_path: Path) -> None:
    done = mock(tmp_path, "--test-token", "x" * 15)
    assert done.returncode == 2
    assert "16" in one_line(done.stderr)


def test_a_short_token_from_the_environment_is_refused(tmp_path: Path) -> None:
    done = mock(tmp_path, env=environment("secret"))
    assert done.returncode == 2
    assert "at least 16" in one_line(done.stderr)


def test_a_short_token_from_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("short\n")
    done = mock(tmp_path, "--test-token-file", str(tmp_path / "token"))
    assert done.returncode == 2
    assert "at least 16" in one_line(done.stderr)


def test_the_portal_application_refuses_a_short_token() -> None:
    from mock_portal.app import create_app

    with pytest.raises(ValueError, match="at least 16"):
        create_app(":memory:", test_token="secret")


def test_start_in_background_refuses_a_short_token(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 16"):
        start_in_background(tmp_path / "portal.db", "short")


# Binding beyond loopback ---------------------------------------------------------------
@pytest.mark.parametrize("host", EXPOSED_HOSTS)
def test_a_network_address_without_a_token_is_refused(tmp_path: Path, host: str) -> None:
    done = mock(tmp_path, "--host", host)
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert "--host 127.0.0.1" in line
    assert "token" in line


def test_a_network_address_with_a_long_token_warns(tmp_path: Path) -> None:
    token = secrets.token_urlsafe(16)
    (tmp_path / "token").write_text(token + "\n")
    exposed = ["--host", "0.0.0.0", "--test-token-file", str(tmp_path / "token")]  # noqa: S104
    with serving(tmp_path, *exposed) as (url, errors):
        warning = "".join(errors)
        assert "reachable from the network" in warning
        assert "test-control API" in warning
        answer = httpx.post(f"{on_loopback(url)}/__test__/reset", headers={"X-Test-Token": token})
        assert answer.status_code == 200


def test_loopback_addresses_need_no_token_and_print_no_warning(tmp_path: Path) -> None:
    with serving(tmp_path, "--host", "127.0.0.1") as (url, errors):
        assert not any("reachable from the network" in line for line in errors)
        assert httpx.get(f"{url}/healthz").text == "ok"


# Tokens off command lines --------------------------------------------------------------
def test_the_token_file_enables_the_api(tmp_path: Path) -> None:
    token = secrets.token_urlsafe(16)
    (tmp_path / "token").write_text(f"  {token}\n")
    with serving(tmp_path, "--test-token-file", str(tmp_path / "token")) as (url, _):
        answer = httpx.post(f"{url}/__test__/reset", headers={"X-Test-Token": token})
        assert answer.status_code == 200


def test_a_missing_token_file_is_one_line(tmp_path: Path) -> None:
    done = mock(tmp_path, "--test-token-file", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert "token file" in one_line(done.stderr)


def test_a_background_mock_has_no_token_on_its_command_line(tmp_path: Path) -> None:
    token = secrets.token_urlsafe(16)
    server = start_in_background(tmp_path / "portal.db", token)
    try:
        pid = server.process.pid
        assert token.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()
        assert f"SENTINEL_TEST_TOKEN={token}".encode() in Path(f"/proc/{pid}/environ").read_bytes()
        answer = httpx.post(f"{server.url}/__test__/reset", headers={"X-Test-Token": token})
        assert answer.status_code == 200
    finally:
        server.stop()


def test_a_background_mock_without_a_token_ignores_an_inherited_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SENTINEL_TEST_TOKEN", secrets.token_urlsafe(16))
    server = start_in_background(tmp_path / "portal.db", None)
    try:
        assert httpx.post(f"{server.url}/__test__/reset").status_code == 404  # API disabled
    finally:
        server.stop()


def test_sentinel_run_hands_the_token_to_pytest_in_its_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = secrets.token_urlsafe(16)
    started: list[tuple[list[str], dict[str, str]]] = []

    def pytest_process(args, **kwargs):
        started.append((list(args), dict(kwargs.get("env") or os.environ)))
        return subprocess.CompletedProcess(args, 0)

    def quiet_pytest_process(args, **kwargs):
        # Without --debug the session is started with its output read, not shown.
        pytest_process(args, **kwargs)
        return contextlib.nullcontext(SimpleNamespace(stdout=iter(()), returncode=0))

    monkeypatch.setattr(cli.subprocess, "run", pytest_process)
    monkeypatch.setattr(cli.subprocess, "Popen", quiet_pytest_process)
    cli.main(
        [
            "run",
            "--target",
            "http://127.0.0.1:9",
            "--flow",
            "portal",
            "--test-token",
            token,
            "--no-report",
            "--results",
            str(tmp_path / "results"),
        ]
    )
    ((args, env),) = started
    assert not any(token in arg for arg in args)
    assert env["SENTINEL_TEST_TOKEN"] == token


@pytest.mark.parametrize("command", ["run", "monitor", "guide"])
def test_every_command_takes_its_token_from_a_file(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = secrets.token_urlsafe(16)
    (tmp_path / "token").write_text(f"{token}\n")
    seen = {}

    def handler(args) -> int:
        seen["token"] = args.test_token
        return 0

    name = {"run": "run_flows", "monitor": "run_monitor", "guide": "run_guide"}[command]
    monkeypatch.setattr(cli, name, handler)
    assert cli.main([command, "--test-token-file", str(tmp_path / "token")]) == 0
    assert seen["token"] == token


@pytest.mark.parametrize("command", ["run", "monitor", "guide", "mock"])
def test_an_empty_token_file_is_refused_in_one_line(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "token").write_text("\n")
    assert cli.main([command, "--test-token-file", str(tmp_path / "token")]) == 2
    assert one_line(capsys.readouterr().err) == (
        f"sentinel {command}: the test token file {tmp_path / 'token'} is empty"
    )
