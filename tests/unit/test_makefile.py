"""The Makefile's service targets take the overrides their README lines give: the command
`make` would run is read with ``make -n`` and run with ``--dry-run`` (settings checked,
nothing started)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from sentinel.report import PROJECT_ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def command_of(target: str, *assignments: str) -> list[str]:
    """The ``sentinel`` command ``make TARGET ASSIGNMENTS`` runs (its set-up aside)."""
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", target, *assignments],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    joined = done.stdout.replace("\\\n", " ")
    [line] = [ln for ln in joined.splitlines() if "bin/sentinel " in ln]
    return shlex.split(line)


def dry_run(argv: list[str], tmp_path: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTINEL_")}
    env["SENTINEL_TEST_TOKEN"] = "a-staging-token-of-32-characters"
    done = subprocess.run(
        [*argv, "--data", str(tmp_path), "--dry-run"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_monitor_takes_a_port_a_target_and_options(tmp_path: Path) -> None:
    argv = command_of(
        "monitor",
        "PORT=9500",
        "TARGET=https://staging.example.pt",
        "EVERY=1m",
        "MONITOR_ARGS=--flow portal --region porto",
    )
    said = dry_run(argv, tmp_path)
    assert "checks portal of https://staging.example.pt, every 1m." in said
    assert "http://127.0.0.1:9500/" in said
    assert "region porto" in said


def test_make_monitor_defaults_to_the_bundled_mock_on_9464(tmp_path: Path) -> None:
    said = dry_run(command_of("monitor"), tmp_path)
    assert "checks portal, login of the bundled mock, every 5m." in said
    assert "http://127.0.0.1:9464/" in said


def test_the_mock_keeps_its_own_port_when_the_monitor_is_given_none() -> None:
    argv = command_of("mock")
    assert argv[argv.index("--port") + 1] == "8000"
    argv = command_of("mock", "PORT=8080")
    assert argv[argv.index("--port") + 1] == "8080"
