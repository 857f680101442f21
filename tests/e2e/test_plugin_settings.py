"""The plugin's settings are checked once, before any test: one line, not an error per test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from runtime.mock_process import start_in_background

ROOT = Path(__file__).resolve().parents[2]
SUITE = """
def test_one(sentinel_target):
    assert sentinel_target.url

def test_two(sentinel_target):
    assert sentinel_target.url
"""


def run_pytest(tmp_path: Path, *args: str, env: dict[str, str] | None = None):
    (tmp_path / "test_user_suite.py").write_text(SUITE)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "--rootdir",
            str(tmp_path),
            str(tmp_path / "test_user_suite.py"),
            *args,
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_base_url_that_cannot_be_used_stops_the_session_in_one_line(tmp_path: Path) -> None:
    done = run_pytest(tmp_path, "--base-url", "ftp://portal.example")
    assert done.returncode == 4  # pytest's usage error
    output = done.stdout + done.stderr
    assert "ERROR: --base-url: the target must be an http or https URL" in output
    assert "at setup" not in output
    assert output.count("--base-url:") == 1


def test_a_token_in_the_environment_is_not_in_the_way_of_the_bundled_mock(
    tmp_path: Path,
) -> None:
    """The mock gets a token of its own; a malformed one left in the environment is unused."""
    done = run_pytest(tmp_path, env={"SENTINEL_TEST_TOKEN": "SENTINEL_TEST_TOKEN=abc def"})
    assert done.returncode == 0, done.stdout[-2000:]
    assert "2 passed" in done.stdout


def test_a_token_the_portal_refuses_stops_the_session_in_one_line(tmp_path: Path) -> None:
    mock = start_in_background(tmp_path / "portal.db", "the-right-token-of-22-c")
    try:
        done = run_pytest(
            tmp_path,
            "--base-url",
            mock.url,
            env={"SENTINEL_TEST_TOKEN": "a-wrong-token-of-22-chr"},
        )
    finally:
        mock.stop()
    output = done.stdout + done.stderr
    assert done.returncode == 4, output[-2000:]
    assert output.count("the portal refused the test token (401)") == 1
    assert "at setup" not in output
    assert "a-wrong-token-of-22-chr" not in output
