"""What each entry point loads: the mock needs no browser, the runtime needs no pytest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("playwright", "allure", "pytest", "_pytest")


def loaded_modules(*args: str) -> set[str]:
    """The top-level modules a fresh interpreter imported to run ``args``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    # importtime writes "import time: self | cumulative | name" per module on stderr.
    rows = [line.rsplit("|", 1)[-1] for line in done.stderr.splitlines() if "|" in line]
    return {row.strip().split(".")[0] for row in rows}


def test_the_mock_command_loads_no_browser_report_or_test_framework() -> None:
    loaded = loaded_modules("-m", "sentinel", "mock", "--help")
    assert "mock_portal" in loaded  # the measurement saw the command's own imports
    assert sorted(set(HEAVY) & loaded) == []


def test_the_runtime_layer_loads_without_pytest() -> None:
    modules = sorted(p.stem for p in (ROOT / "runtime").glob("*.py") if p.stem != "__init__")
    code = "; ".join(f"import runtime.{name}" for name in modules)
    loaded = loaded_modules("-c", code)
    assert "runtime" in loaded
    assert sorted({"pytest", "_pytest", "allure"} & loaded) == []


def test_the_plugin_loads_no_portal_server() -> None:
    """The plugin starts the mock as a process: loading it loads neither the mock nor
    uvicorn."""
    loaded = loaded_modules("-c", "import fixtures.plugin")
    assert "fixtures" in loaded
    assert sorted({"mock_portal", "uvicorn"} & loaded) == []


def test_the_monitor_and_the_guides_load_no_test_framework() -> None:
    loaded = loaded_modules("-c", "import monitor.app, guides.app")
    assert {"monitor", "guides"} <= loaded
    assert sorted({"pytest", "_pytest", "allure", "mock_portal"} & loaded) == []
