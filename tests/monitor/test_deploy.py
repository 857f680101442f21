from __future__ import annotations

import shutil
import subprocess

import pytest

from sentinel.report import PROJECT_ROOT

pytestmark = pytest.mark.skipif(shutil.which("promtool") is None, reason="needs promtool")


@pytest.mark.parametrize(
    ("command", "path"),
    [("rules", "deploy/prometheus/alerts.yml"), ("config", "deploy/prometheus/scrape.yml")],
)
def test_the_example_prometheus_files_are_valid(command: str, path: str) -> None:
    done = subprocess.run(
        ["promtool", "check", command, str(PROJECT_ROOT / path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
