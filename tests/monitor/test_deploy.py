from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

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


def test_the_shipped_alert_rules_fire_as_their_tests_say() -> None:
    """``alerts_test.yml``: PortalCodesNotArriving on a code that never came (the first one
    of a counter too), PortalCodeDeliverySlow on codes slower than a minute,
    PortalNewAccessibilityViolation on new serious or critical violations only, and
    PortalPoorWebVitals on a step poor for a citizen for half an hour."""
    tests = Path(__file__).with_name("alerts_test.yml")
    done = subprocess.run(
        ["promtool", "test", "rules", tests.name],
        cwd=tests.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
