"""Cold start: ``sentinel run`` from process start to report, and time to a first page."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST_PAGE = """
import sys, time
started = time.perf_counter()
from playwright.sync_api import sync_playwright
from runtime.browser import launch_options
with sync_playwright() as p:
    browser = p.chromium.launch(**launch_options())
    page = browser.new_page()
    page.goto(sys.argv[1])
    print(time.perf_counter() - started)
    browser.close()
"""


def measure(url: str, root: Path) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "allurerc.mjs"
        config.write_text(
            f'import base from "{root / "allurerc.mjs"}";\n'
            f'export default {{ ...base, historyPath: "{scratch}/h.jsonl" }};\n'
        )
        started = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "sentinel",
                "run",
                "--flow",
                "registration",
                "--results",
                f"{scratch}/results",
                "--output",
                f"{scratch}/report",
                "--config",
                str(config),
            ],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        run_s = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"sentinel run failed:\n{done.stdout[-2000:]}")
    first = subprocess.run(
        [sys.executable, "-c", FIRST_PAGE, url],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return {"sentinel_run_registration_s": run_s, "first_page_s": float(first.stdout.strip())}
