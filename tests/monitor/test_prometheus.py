"""A real Prometheus server scrapes the monitor and answers a query for probe_success."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("prometheus") is None, reason="needs Debian's prometheus"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def eventually(probe: Callable[[], object], seconds: float = 60.0) -> object:
    """Poll an outside server that has no way to notify us, until ``probe`` returns a truthy
    value or the time is up."""
    deadline = time.monotonic() + seconds
    pause = threading.Event()
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        pause.wait(0.5)
    raise AssertionError(f"nothing after {seconds}s")


def read_until(stream, marker: str) -> None:
    for line in stream:
        if marker in line:
            return
    raise AssertionError(f"the process ended before printing {marker!r}")


@pytest.fixture
def monitor_url(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sentinel",
            "monitor",
            "--target",
            "mock",
            "--flow",
            "portal",
            "--every",
            "5s",
            "--metrics-port",
            str(port),
            "--data",
            str(tmp_path / "monitor"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        read_until(process.stdout, "Status page:")
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()


@pytest.fixture
def prometheus(tmp_path: Path, monitor_url: str) -> Iterator[str]:
    port = free_port()
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\n"
        "scrape_configs:\n  - job_name: portal-sentinel\n"
        f"    static_configs:\n      - targets: ['{monitor_url}']\n"
    )
    process = subprocess.Popen(
        [
            "prometheus",
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        read_until(process.stderr, "Server is ready to receive web requests.")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()


def test_prometheus_scrapes_probe_success(prometheus: str) -> None:
    def query() -> list:
        response = httpx.get(f"{prometheus}/api/v1/query", params={"query": "probe_success"})
        return response.json()["data"]["result"]

    [series] = eventually(query)
    assert series["metric"]["check"] == "portal"
    assert series["metric"]["job"] == "portal-sentinel"
    assert series["value"][1] == "1"
