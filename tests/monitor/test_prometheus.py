"""A real Prometheus server scrapes the monitor and answers a query for probe_success."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.helpers import free_port, serving

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("prometheus") is None, reason="needs Debian's prometheus"),
]


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


@contextmanager
def running_monitor(data: Path) -> Iterator[str]:
    """``sentinel monitor`` checking the bundled mock every 5 s; yields its host:port."""
    port = free_port()
    command = [sys.executable, "-m", "sentinel", "monitor", "--target", "mock", "--flow"]
    command += ["portal", "--every", "5s", "--metrics-port", str(port), "--data", str(data)]
    with serving(command, "Status page:"):
        yield f"127.0.0.1:{port}"


@contextmanager
def running_prometheus(tmp_path: Path, targets: dict[str, str]) -> Iterator[str]:
    """A real Prometheus scraping each monitor every second, labelled with its region."""
    port = free_port()
    config = tmp_path / "prometheus.yml"
    static = "".join(
        f"      - targets: ['{target}']\n        labels:\n          region: {region}\n"
        for region, target in targets.items()
    )
    config.write_text(
        "global:\n  scrape_interval: 1s\n"
        "scrape_configs:\n  - job_name: portal-sentinel\n"
        f"    static_configs:\n{static}"
    )
    command = [
        "prometheus",
        f"--config.file={config}",
        f"--storage.tsdb.path={tmp_path / 'tsdb'}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]
    with serving(command, "Server is ready to receive web requests.", on_stderr=True):
        yield f"http://127.0.0.1:{port}"


def probe_success(prometheus: str, series: int) -> list:
    def query() -> list:
        response = httpx.get(f"{prometheus}/api/v1/query", params={"query": "probe_success"})
        found = response.json()["data"]["result"]
        return found if len(found) >= series else []

    return eventually(query)


def test_prometheus_scrapes_probe_success(tmp_path: Path) -> None:
    with (
        running_monitor(tmp_path / "monitor") as monitor,
        running_prometheus(tmp_path, {"lisbon": monitor}) as prometheus,
    ):
        [series] = probe_success(prometheus, 1)
    assert series["metric"]["check"] == "portal"
    assert series["metric"]["job"] == "portal-sentinel"
    assert series["metric"]["region"] == "lisbon"
    assert series["value"][1] == "1"


def test_one_prometheus_tells_monitors_in_two_regions_apart(tmp_path: Path) -> None:
    with (
        running_monitor(tmp_path / "lisbon") as lisbon,
        running_monitor(tmp_path / "porto") as porto,
        running_prometheus(tmp_path, {"lisbon": lisbon, "porto": porto}) as prometheus,
    ):
        found = probe_success(prometheus, 2)
    by_region = {series["metric"]["region"]: series for series in found}
    assert set(by_region) == {"lisbon", "porto"}
    assert by_region["lisbon"]["metric"]["instance"] == lisbon
    assert by_region["porto"]["metric"]["instance"] == porto
    assert all(series["value"][1] == "1" for series in found)
