"""``sentinel guide`` on a portal defect: nothing written for the guide whose flow failed, one
line saying so and why, the other guides written; exit 1; a traceback only with ``--debug``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.defects import NAMED, DefectivePortal, the_line
from tests.helpers import run_sentinel

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def guide(portal: DefectivePortal, out: Path, *extra: str):
    return run_sentinel(
        "guide", *portal.target(), "--lang", "en", "--format", "html,md", "--out", str(out), *extra
    )


def test_a_failed_flow_writes_no_guide_and_the_others_are_written(
    defective: DefectivePortal, tmp_path: Path
) -> None:
    out = tmp_path / "guides"
    done = guide(defective, out, "--flow", "registration-sms", "--flow", "cmd")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output
    [line] = done.stderr.strip().splitlines()
    assert "no guide written for registration-sms" in line, line
    for name in NAMED:
        assert name in line, line
    # Nothing at all of the failed guide: no page, manifest, pictures or folder.
    assert sorted(p.name for p in out.iterdir()) == [
        "cmd.en",
        "cmd.en.html",
        "cmd.en.json",
        "cmd.en.md",
    ]
    assert any((out / "cmd.en").iterdir())
    assert done.stdout.split() == [str(out / "cmd.en.html"), str(out / "cmd.en.md")]


def test_check_reports_a_failed_flow_instead_of_comparing(
    defective: DefectivePortal, tmp_path: Path
) -> None:
    out = tmp_path / "guides"
    done = guide(defective, out, "--flow", "registration-sms", "--check")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output
    line = the_line(output, "registration-sms")
    assert "no guide written for registration-sms" in line, line
    assert NAMED[1] in line, line
    assert "No changes" not in output
    assert not out.exists()


def test_debug_shows_the_traceback(defective: DefectivePortal, tmp_path: Path) -> None:
    done = guide(defective, tmp_path / "guides", "--flow", "registration-sms", "--debug")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" in done.stderr, done.stderr
    assert the_line(done.stderr, "no guide written for registration-sms", *NAMED)
