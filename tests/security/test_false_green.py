"""``sentinel run`` succeeds only when every requested flow ran and passed: no false green."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from sentinel import report
from tests.helpers import run_sentinel


def unreachable_url() -> str:
    """A loopback port on which nothing listens: bound, then closed at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def run_against(target: str, flow: str, tmp_path: Path, *extra: str):
    done = run_sentinel(
        "run", "--target", target, "--flow", flow, "--results", str(tmp_path / "r"), *extra
    )
    assert "Traceback" not in done.stdout + done.stderr
    return done


def summary_line(flow: str, output: str) -> str:
    [line] = re.findall(rf"^{flow}: .*$", output, re.MULTILINE)
    return line


@pytest.mark.slow
def test_the_read_only_flow_against_nothing_fails_as_the_portal_unavailable(
    tmp_path: Path,
) -> None:
    done = run_against(unreachable_url(), "portal", tmp_path, "--no-report")
    assert done.returncode == 1, done.stdout + done.stderr
    line = summary_line("portal", done.stdout)
    assert line.startswith("portal: failed: "), line
    assert "cannot be reached" in line, line
    assert "skipped" not in done.stdout


@pytest.mark.slow
def test_a_writing_flow_without_a_token_fails_saying_a_token_is_needed(tmp_path: Path) -> None:
    done = run_against(unreachable_url(), "registration", tmp_path, "--no-report")
    assert done.returncode == 1, done.stdout + done.stderr
    line = summary_line("registration", done.stdout)
    assert line.startswith("registration: failed: "), line
    assert "--test-token" in line, line


@pytest.mark.slow
def test_a_writing_flow_with_a_token_against_nothing_fails_as_unreachable(
    tmp_path: Path,
) -> None:
    done = run_against(
        unreachable_url(), "registration", tmp_path, "--test-token", "t" * 20, "--no-report"
    )
    assert done.returncode == 1, done.stdout + done.stderr
    line = summary_line("registration", done.stdout)
    assert line.startswith("registration: failed: "), line
    assert "did not answer" in line, line


@pytest.mark.slow
def test_the_read_only_flow_passes_on_the_bundled_mock(tmp_path: Path) -> None:
    done = run_against("mock", "portal", tmp_path, "--no-report")
    assert done.returncode == 0, done.stdout + done.stderr
    assert summary_line("portal", done.stdout) == "portal: passed"


def write_result(folder: Path, flow: str, status: str, message: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    result = {
        "name": flow.title(),
        "status": status,
        "statusDetails": {"message": message, "trace": "Traceback ..."},
        "parameters": [{"name": "flow_name", "value": repr(flow)}],
    }
    name = f"{len(list(folder.iterdir())):08d}-0000-0000-0000-000000000000-result.json"
    (folder / name).write_text(json.dumps(result))


def test_every_requested_flow_is_summarised_and_only_passed_ones_count(tmp_path: Path) -> None:
    results = tmp_path / "results"
    write_result(results, "portal", "passed")
    write_result(results, "login", "skipped", "Skipped: no test token")
    write_result(results, "activation", "broken", "TestApiUnreachable: did not answer\nmore")
    outcomes = report.flow_outcomes(results, ["portal", "login", "activation", "cmd"])
    assert [(o.flow, o.passed) for o in outcomes] == [
        ("portal", True),
        ("login", False),
        ("activation", False),
        ("cmd", False),
    ]
    assert [o.line() for o in outcomes] == [
        "portal: passed",
        "login: skipped: no test token",
        "activation: failed: TestApiUnreachable: did not answer",
        "cmd: did not run (not collected or deselected)",
    ]
