from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from prometheus_client import generate_latest

from monitor.metrics import Metrics
from monitor.results import CheckResult, StepTiming

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


def exposition() -> str:
    metrics = Metrics()
    metrics.record(
        CheckResult(
            "login",
            NOW,
            "success",
            3.2,
            steps=[StepTiming("registration", "4", 0.2, True, "4. Registar")],
        )
    )
    metrics.record(
        CheckResult("portal", NOW, "failure", 1.0, reason="documentation_drift"), lag_s=0.5
    )
    return generate_latest(metrics.registry).decode()


def test_blackbox_style_names_and_values() -> None:
    text = exposition()
    assert 'probe_success{check="login"} 1.0' in text
    assert 'probe_success{check="portal"} 0.0' in text
    assert 'probe_duration_seconds{check="login"} 3.2' in text
    assert 'portal_sentinel_step_duration_seconds{flow="registration",step="4"} 0.2' in text
    assert (
        'portal_sentinel_check_failures_total{check="portal",reason="documentation_drift"} 1.0'
        in text
    )
    assert 'portal_sentinel_schedule_lag_seconds{check="portal"} 0.5' in text
    assert "portal_sentinel_up 1.0" in text


def test_labels_carry_no_step_titles_or_personal_data() -> None:
    text = exposition()
    assert "Registar" not in text


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_promtool_accepts_the_metrics() -> None:
    done = subprocess.run(
        ["promtool", "check", "metrics"],
        input=exposition(),
        text=True,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
