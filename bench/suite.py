"""The end-to-end suite serially and on two workers: wall time and speed-up."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def measure(root: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    timings = {}
    for workers in ("0", "2"):
        started = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "tests/e2e",
                "-q",
                "-p",
                "no:cacheprovider",
                "-n",
                workers,
            ],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        timings[workers] = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"the suite failed with -n {workers}:\n{done.stdout[-2000:]}")
    return {
        "serial_s": timings["0"],
        "two_workers_s": timings["2"],
        "speed_up": timings["0"] / timings["2"],
    }
