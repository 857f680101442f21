"""``sentinel run --a11y`` and ``--a11y-baseline``: the suite audits as asked, a new serious
violation fails the flow under ``fail``, and a file that is not a baseline is refused in one
line before pytest starts."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from runtime.mock_process import BackgroundMock, start_in_background
from runtime.testapi import TestControl
from tests.helpers import run_sentinel

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def inaccessible(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BackgroundMock, Path]]:
    """A portal of this module's own whose registration identification screen breaks three
    rules (the mock's ``inaccessible`` fault), and the file holding its test token."""
    folder = tmp_path_factory.mktemp("inaccessible")
    token = secrets.token_urlsafe(16)
    mock = start_in_background(folder / "portal.db", token)
    try:
        with TestControl(mock.url, token) as api:
            api.set_faults(inaccessible=True)
        token_file = folder / "token"
        token_file.write_text(token, encoding="utf-8")
        yield mock, token_file
    finally:
        mock.stop()


def run_registration(portal: tuple[BackgroundMock, Path], results: Path, *options: str):
    mock, token_file = portal
    return run_sentinel(
        "run",
        *("--target", mock.url, "--test-token-file", str(token_file), "--flow", "registration"),
        *("--results", str(results), "--no-report", *options),
    )


def test_a_new_serious_violation_fails_the_flow_under_fail_naming_step_and_rule(
    inaccessible, tmp_path: Path
) -> None:
    done = run_registration(inaccessible, tmp_path / "results", "--a11y", "fail")
    assert done.returncode == 1, done.stdout + done.stderr
    [line] = [line for line in done.stdout.splitlines() if line.startswith("registration: ")]
    # One line says where to look: the first of the three rules, at the step of its screen.
    assert line.startswith("registration: failed: accessibility: 3 new serious or critical")
    assert re.search(r"first [a-z-]+ \((critical|serious)\) at step 5\. Li e aceito ", line)


def test_the_baseline_accepts_what_it_lists(inaccessible, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    known = [
        {"flow": "registration", "step": step, "rule": rule}
        for step in ("5", "6", "7")
        for rule in ("image-alt", "label", "color-contrast")
    ]
    baseline.write_text(json.dumps({"version": 1, "violations": known}), encoding="utf-8")
    done = run_registration(
        inaccessible, tmp_path / "results", "--a11y", "fail", "--a11y-baseline", str(baseline)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "registration: passed" in done.stdout


def test_a_file_that_is_not_a_baseline_is_one_line_and_exit_2(tmp_path: Path) -> None:
    wrong = tmp_path / "baseline.json"
    wrong.write_text("[]", encoding="utf-8")
    done = run_sentinel("run", "--flow", "portal", "--a11y-baseline", str(wrong))
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith(f"sentinel run: --a11y-baseline {wrong} is not an accessib")
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Running" not in done.stdout
