"""Helpers for tests that start the project's commands as users do."""

from __future__ import annotations

import os
import subprocess
import sys

from sentinel.report import PROJECT_ROOT


def shell_environment() -> dict[str, str]:
    """The environment of a shell: without this pytest session's (or xdist worker's)
    variables, which would make an inner pytest act as part of this one."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}


def run_sentinel(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m sentinel ARGS`` from the project root, as a user types it in a shell."""
    return subprocess.run(
        [sys.executable, "-m", "sentinel", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=shell_environment(),
        timeout=timeout,
        check=False,
    )
