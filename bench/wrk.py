"""Debian's ``wrk`` as the load generator: a C client that leaves the cores to the portal.

``wrk`` runs for a duration; a run that must end when a piece of work is done (every prepared
registration stored) is stopped early with SIGINT, on which ``wrk`` reports what it measured
up to then, over the time it really ran.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
DURATION = r"([\d.]+)(us|ms|s|m)\b"


def available() -> bool:
    return shutil.which("wrk") is not None


def run(
    url: str,
    *,
    concurrency: int,
    seconds: float,
    script: Path | None = None,
    env: dict[str, str] | None = None,
    done: Callable[[], bool] | None = None,
) -> dict:
    """Load ``url`` with ``concurrency`` connections on one thread (the portal is one process:
    a second client thread would only take a core from it).

    With ``done``, the run is stopped as soon as it answers True (checked every 20 ms), or
    after ``seconds`` at most.
    """
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--latency"]
    command += ["--timeout", "10s"]
    if script:
        command += ["-s", str(script)]
    process = subprocess.Popen(
        [*command, url],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    if done is not None:
        deadline = time.monotonic() + seconds
        while process.poll() is None and time.monotonic() < deadline and not done():
            time.sleep(0.02)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=seconds + 30)
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed ({process.returncode}):\n{output}")
    return parse(output)


def parse(output: str) -> dict:
    """The figures of one ``wrk --latency`` report."""
    requests = re.search(r"(\d+) requests in " + DURATION, output)
    if not requests:
        raise ValueError(f"not a wrk report:\n{output}")
    elapsed_ms = _ms(requests.group(2), requests.group(3))
    count = int(requests.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    http_errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests": count,
        "errors": (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0)
        + (int(http_errors.group(1)) if http_errors else 0),
        "per_second": count / (elapsed_ms / 1000) if elapsed_ms else 0.0,
        "p50_ms": _percentile(output, "50"),
        "p99_ms": _percentile(output, "99"),
        "client": "wrk",
    }


def _percentile(output: str, pct: str) -> float:
    found = re.search(rf"^\s+{pct}%\s+" + DURATION, output, re.MULTILINE)
    if not found:
        raise ValueError(f"no {pct}th percentile in the wrk report:\n{output}")
    return _ms(found.group(1), found.group(2))


def _ms(value: str, unit: str) -> float:
    return float(value) * UNITS[unit]
