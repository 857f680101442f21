"""A real Prometheus server scrapes the monitor and answers queries for probe_success, the
steps' Web Vitals and a new accessibility violation."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from sentinel.report import PROJECT_ROOT
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
def running_monitor(data: Path, *options: str) -> Iterator[str]:
    """``sentinel monitor`` checking the bundled mock every 5 s (``options``: other checks, or
    a target); yields its host:port."""
    port = free_port()
    command = [sys.executable, "-m", "sentinel", "monitor", "--flow", "portal", *options]
    command += ["--every", "5s", "--metrics-port", str(port), "--data", str(data)]
    with serving(command, "Status page:"):
        yield f"127.0.0.1:{port}"


@contextmanager
def running_prometheus(
    tmp_path: Path, targets: dict[str, str], *, rules: bool = False
) -> Iterator[str]:
    """A real Prometheus scraping each monitor every second, labelled with its region; with
    ``rules``, evaluating the shipped alert rules every second too."""
    port = free_port()
    config = tmp_path / "prometheus.yml"
    static = "".join(
        f"      - targets: ['{target}']\n        labels:\n          region: {region}\n"
        for region, target in targets.items()
    )
    alerts = PROJECT_ROOT / "deploy/prometheus/alerts.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        + (f"rule_files:\n  - {alerts}\n" if rules else "")
        + "scrape_configs:\n  - job_name: portal-sentinel\n"
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


def query(prometheus: str, promql: str, series: int = 1, seconds: float = 60.0) -> list:
    """The result of ``promql`` once it has at least ``series`` series."""

    def ask() -> list:
        response = httpx.get(f"{prometheus}/api/v1/query", params={"query": promql})
        found = response.json()["data"]["result"]
        return found if len(found) >= series else []

    return eventually(ask, seconds)


def probe_success(prometheus: str, series: int) -> list:
    return query(prometheus, "probe_success", series)


@pytest.mark.browser
@pytest.mark.exclusive_portal
def test_prometheus_scrapes_probe_success_web_vitals_and_new_violations(
    tmp_path: Path, sentinel_target, test_control, portal_access
) -> None:
    """The portal check, and a registration check on a portal whose identification screen
    breaks three accessibility rules (the mock's ``inaccessible`` fault)."""
    token = tmp_path / "token"
    token.write_text(sentinel_target.token)
    token.chmod(0o600)
    test_control.set_faults(inaccessible=True)
    target = ["--target", sentinel_target.url, "--test-token-file", str(token)]
    try:
        with (
            running_monitor(tmp_path / "monitor", *target, "--flow", "registration") as monitor,
            running_prometheus(tmp_path, {"lisbon": monitor}, rules=True) as prometheus,
        ):
            # The shipped rule sees them (pending: it waits a quarter of an hour to fire); once
            # registration's series are there, every other one is.
            alert = 'ALERTS{alertname="PortalNewAccessibilityViolation",alertstate="pending"}'
            pending = query(prometheus, alert, 2, seconds=120)
            new = query(prometheus, "portal_sentinel_a11y_new_violations > 0", 2)
            [success] = query(prometheus, 'probe_success{check="portal"}')
            lcp = query(prometheus, 'portal_sentinel_step_web_vital_seconds{metric="lcp"}', 5)
            shift = query(prometheus, "portal_sentinel_step_cumulative_layout_shift", 5)
            requests = query(prometheus, "portal_sentinel_step_transfer_bytes > 0", 5)
            rules = query(prometheus, 'portal_sentinel_a11y_violations{step="5"} > 0', 2)
            exposition = httpx.get(f"http://{monitor}/metrics").text
    finally:
        test_control.clear_faults()
    assert success["metric"]["job"] == "portal-sentinel"
    assert success["metric"]["region"] == "lisbon"
    assert success["value"][1] == "1"
    # Two critical rules and a serious one, new, in registration; the portal check's clean.
    assert sorted((s["metric"]["flow"], s["metric"]["impact"], s["value"][1]) for s in new) == [
        ("registration", "critical", "2"),
        ("registration", "serious", "1"),
    ]
    assert sorted((s["metric"]["flow"], s["metric"]["impact"]) for s in pending) == [
        ("registration", "critical"),
        ("registration", "serious"),
    ]
    assert {(s["metric"]["flow"], s["metric"]["impact"]) for s in rules} == {
        ("registration", "critical"),
        ("registration", "serious"),
    }
    assert {s["metric"]["flow"] for s in lcp} == {"portal", "registration"}
    assert all(float(s["value"][1]) > 0 for s in lcp)
    assert {s["metric"]["flow"] for s in shift + requests} == {"portal", "registration"}
    promtool = shutil.which("promtool")
    if promtool:
        checked = subprocess.run(
            [promtool, "check", "metrics"], input=exposition, text=True, capture_output=True
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr


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
