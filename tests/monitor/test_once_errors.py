"""``sentinel monitor --once`` on a portal defect: one summary line per check, the failed
one carrying the one-line message; a traceback in the logs only with ``--debug``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.defects import NAMED, DefectivePortal, the_line
from tests.helpers import run_sentinel

pytestmark = pytest.mark.slow


def once(portal: DefectivePortal, tmp_path: Path, *extra: str):
    return run_sentinel(
        "monitor",
        "--once",
        *portal.target(),
        "--flow",
        "registration",
        "--flow",
        "portal",
        "--retries",
        "0",
        "--data",
        str(tmp_path / "monitor"),
        *extra,
    )


def summary(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if re.match(r"^(registration|portal) ", line)]


def test_each_check_has_one_summary_line_and_a_traceback_only_with_debug(
    defective: DefectivePortal, tmp_path: Path
) -> None:
    done = once(defective, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    failed, passed = summary(done.stdout)
    assert re.match(r"^registration\s+failure ", failed), failed
    for name in NAMED:
        assert name in failed, failed
    assert re.match(r"^portal\s+success ", passed), passed
    assert "Traceback" not in done.stdout + done.stderr

    debug = once(defective, tmp_path, "--debug")
    assert debug.returncode == 1, debug.stdout + debug.stderr
    assert "Traceback" in debug.stderr, debug.stderr
    assert "PortalDefect" in debug.stderr, debug.stderr
    assert the_line(debug.stdout, "registration ", *NAMED)
