"""``sentinel run`` on a portal defect: one line per failed flow, no pytest session output
and no traceback unless ``--debug``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.defects import NAMED, PYTEST_NOISE, DefectivePortal, the_line
from tests.helpers import run_sentinel

pytestmark = pytest.mark.slow


def run(portal: DefectivePortal, tmp_path: Path, *extra: str):
    return run_sentinel(
        "run",
        *portal.target(),
        "--flow",
        "registration",
        "--flow",
        "portal",
        "--results",
        str(tmp_path / "results"),
        "--no-report",
        *extra,
    )


def test_a_portal_defect_is_one_line_naming_flow_step_expectation_and_guide(
    defective: DefectivePortal, tmp_path: Path
) -> None:
    done = run(defective, tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    line = the_line(output, *NAMED)
    assert line.startswith("registration: failed: [portal defect] "), line
    assert the_line(output, "portal: ") == "portal: passed"
    assert "Traceback" not in output
    assert not PYTEST_NOISE.search(output), output


def test_debug_shows_the_pytest_session_and_its_traceback(
    defective: DefectivePortal, tmp_path: Path
) -> None:
    done = run(defective, tmp_path, "--debug")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" in output or "flows/runner.py" in output, output
    assert PYTEST_NOISE.search(output), output
    assert the_line(output, "registration: failed: ", *NAMED)
