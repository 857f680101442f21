"""``sentinel monitor --once`` inside a declared maintenance window: a failing check is
reported "in maintenance" and the run exits 0, as the running monitor sends no alert for it;
``--fail-in-maintenance`` exits 1 as outside a window."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers import monitor_dead_portal_once

pytestmark = pytest.mark.slow


def window(start_minutes: int, end_minutes: int) -> str:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    start, end = now + timedelta(minutes=start_minutes), now + timedelta(minutes=end_minutes)
    return f"{start:%Y-%m-%dT%H:%M}/{end:%Y-%m-%dT%H:%M}"


def test_a_failure_inside_the_window_is_in_maintenance_and_exits_0(tmp_path: Path) -> None:
    declared = window(-60, 60)
    done = monitor_dead_portal_once(tmp_path / "monitor", "--maintenance", declared)
    assert done.returncode == 0, done.stdout + done.stderr
    end = declared.split("/")[1].replace("T", " ")
    assert re.search(
        rf"^portal\s+failure .*in maintenance until {end} UTC;\s+portal_unavailable at step 1",
        done.stdout,
        re.MULTILINE,
    ), done.stdout
    assert (
        "In maintenance: 1 check failed inside a declared window: not counted against uptime, "
        "no alert, exit 0 (--fail-in-maintenance to exit 1)." in done.stdout
    )


def test_fail_in_maintenance_exits_1_all_the_same(tmp_path: Path) -> None:
    done = monitor_dead_portal_once(
        tmp_path / "monitor", "--maintenance", window(-60, 60), "--fail-in-maintenance"
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "in maintenance until" in done.stdout


def test_a_window_that_is_over_changes_nothing(tmp_path: Path) -> None:
    done = monitor_dead_portal_once(tmp_path / "monitor", "--maintenance", window(-120, -60))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "maintenance" not in done.stdout
