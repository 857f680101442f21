from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from monitor.metrics import Metrics
from monitor.results import CheckResult, CodeTiming, StepTiming

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
            codes=[
                CodeTiming("activation", "registration", "email", True, 3.2),
                CodeTiming("login", "login", "sms", True, None),  # asked before the run
                CodeTiming("login", "contacts", "sms", False),
            ],
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


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of an exposition, by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def labelled(flow: str, purpose: str, channel: str, **more: str) -> frozenset[tuple[str, str]]:
    return frozenset({"flow": flow, "purpose": purpose, "channel": channel, **more}.items())


def test_code_delivery_by_flow_purpose_and_channel() -> None:
    got = samples(exposition())
    email = labelled("activation", "registration", "email")
    bucket = "portal_sentinel_code_delivery_seconds_bucket"
    assert got[bucket, labelled("activation", "registration", "email", le="2.0")] == 0
    assert got[bucket, labelled("activation", "registration", "email", le="5.0")] == 1
    assert got["portal_sentinel_code_delivery_seconds_sum", email] == 3.2
    assert got["portal_sentinel_code_delivery_last_seconds", email] == 3.2
    # A code that came exists in the missing counter at 0, so a first miss is an increase.
    assert got["portal_sentinel_codes_missing_total", email] == 0
    assert got["portal_sentinel_codes_missing_total", labelled("login", "contacts", "sms")] == 1
    # An unmeasured delivery is neither a time nor a missing code.
    login = labelled("login", "login", "sms")
    assert got["portal_sentinel_codes_missing_total", login] == 0
    assert ("portal_sentinel_code_delivery_seconds_count", login) not in got
    assert ("portal_sentinel_code_delivery_last_seconds", login) not in got


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
