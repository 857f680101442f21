"""``make bench`` runs end to end (on small numbers): it must not break, whatever it measures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sentinel.report import PROJECT_ROOT
from tests.helpers import shell_environment

pytestmark = pytest.mark.slow


def test_the_benchmarks_run_and_write_their_figures(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    env = shell_environment()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--runs",
            "1",
            "--requests",
            "100",
            "--load-seconds",
            "1",
            "--monitor-checks",
            "12",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    figures = json.loads(out.read_text())
    assert set(figures["journey"]["ratios"]) == {
        "harness/bare",
        "harness+screenshots/bare",
        "harness+screenshot-per-step/bare",
        "http/bare",
    }
    assert all(load["errors"] == 0 for load in figures["portal"].values())
    registrations = figures["portal"]["registration form post"]
    assert registrations["stored"] == registrations["posted"] == 100
    assert registrations["requests"] == 100
    assert figures["monitor"]["checks"] == 12
    assert figures["cold_start"]["first_page_s"] > 0
    assert "journey (registration + activation)" in done.stdout
