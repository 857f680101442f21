"""The end-to-end suite serially and on two workers: wall time, speed-up, and the cores used.

Two workers can at most halve the time of a suite that keeps one core busy; a serial run that
already keeps more than one core busy (Chromium's processes, the mock portal and pytest work
side by side) leaves less to gain. The busy cores, read from /proc/stat, say how much.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measure(root: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    runs = {}
    for workers in ("0", "2"):
        busy_before, started = busy_seconds(), time.perf_counter()
        # Allure results written as a plain run writes them, but to a folder of its own:
        # the user's reports/allure-results is neither emptied nor in the way.
        with tempfile.TemporaryDirectory(prefix="sentinel-bench-allure-") as results:
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
                    "--alluredir",
                    results,
                ],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"the suite failed with -n {workers}:\n{done.stdout[-2000:]}")
        runs[workers] = {"wall_s": wall, "busy_cores": (busy_seconds() - busy_before) / wall}
    cpus = os.cpu_count() or 1
    return {
        "serial_s": runs["0"]["wall_s"],
        "two_workers_s": runs["2"]["wall_s"],
        "speed_up": runs["0"]["wall_s"] / runs["2"]["wall_s"],
        "serial_busy_cores": runs["0"]["busy_cores"],
        "two_workers_busy_cores": runs["2"]["busy_cores"],
        # The most two workers could give if the work parallelised perfectly.
        "speed_up_bound": min(2.0, cpus / runs["0"]["busy_cores"]),
    }


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (Linux)."""
    with open("/proc/stat") as stat:
        fields = [int(n) for n in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")
