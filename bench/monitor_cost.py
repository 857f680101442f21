"""The monitor over many consecutive checks: overhead, memory and browser processes."""

from __future__ import annotations

import os
import time
from pathlib import Path

from playwright.sync_api import Playwright

from flows import catalog
from flows.context import NOBODY, NoCodes, Run
from flows.runner import Runner
from monitor.alerts import Alerter
from monitor.executor import CheckExecutor, CheckSpec, WarmBrowser
from monitor.history import History
from monitor.metrics import Metrics
from monitor.service import Monitor
from runtime.journey import context_options
from runtime.testapi import TestControl


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def browser_processes() -> int:
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"portal-sentinel-chromium-" in cmdline:
                count += 1
    return count


def measure(playwright: Playwright, url: str, api: TestControl, checks: int, data: Path) -> dict:
    warm = WarmBrowser(playwright)
    executor = CheckExecutor(warm, url, api, data / "evidence")
    monitor = Monitor(
        executor, [CheckSpec("portal")], History(data / "monitor.db"), Metrics(), Alerter()
    )
    # The bare flow in the same browser: the floor the monitor's work adds to.
    bare = []
    for _ in range(min(checks, 20)):
        # A fresh context each time, as every check has.
        started = time.perf_counter()
        context = warm.get().new_context(**context_options())
        page = context.new_page()
        Runner().run(catalog.PORTAL, Run(page, url, NOBODY, NoCodes()))
        context.close()
        bare.append(time.perf_counter() - started)
    durations, marks, processes = [], {}, []
    for index in range(1, checks + 1):
        started = time.perf_counter()
        result = monitor.run_check(CheckSpec("portal"))
        durations.append(time.perf_counter() - started)
        if not result.ok:
            raise RuntimeError(f"check {index} failed: {result.message}")
        processes.append(browser_processes())
        if index in (10, checks):
            # Chromium starts and ends helper processes (a spare renderer, utilities) as it
            # goes: the count over the ten checks up to here, not at one instant.
            window = processes[-10:]
            marks[index] = {
                "rss_mib": rss_mib(),
                "browser_processes": max(window),
                "browser_processes_min": min(window),
            }
    warm.close()
    bare_mean = sum(bare) / len(bare)
    check_mean = sum(durations) / len(durations)
    first, last = marks[min(10, checks)], marks[checks]
    return {
        "checks": checks,
        "bare_flow_s": bare_mean,
        "check_s": check_mean,
        "overhead": check_mean / bare_mean - 1,
        "at_check_10": first,
        f"at_check_{checks}": last,
        "memory_growth": last["rss_mib"] / first["rss_mib"] - 1,
        "pid": os.getpid(),
    }
