from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from monitor.metrics import Metrics
from monitor.results import CheckResult, CodeTiming, StepTiming
from tests.monitor.sample_checks import registration

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


def exposition() -> str:
    metrics = Metrics()
    metrics.record(registration())
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


def step(flow: str, number: str, **more: str) -> frozenset[tuple[str, str]]:
    return frozenset({"flow": flow, "step": number, **more}.items())


def test_web_vitals_per_step_in_seconds_and_layout_shift_unitless() -> None:
    got = samples(exposition())
    vital = "portal_sentinel_step_web_vital_seconds"
    assert got[vital, step("registration", "5", metric="ttfb")] == 0.031
    assert got[vital, step("registration", "5", metric="fcp")] == 0.12
    assert got[vital, step("registration", "5", metric="lcp")] == 0.35
    # A step that only typed on the screen has its interaction, not the page load's figures.
    assert got[vital, step("registration", "6", metric="inp")] == 0.232
    assert (vital, step("registration", "6", metric="lcp")) not in got
    assert (vital, step("registration", "5", metric="inp")) not in got  # no interaction
    assert got["portal_sentinel_step_cumulative_layout_shift", step("registration", "6")] == 0.012
    assert got["portal_sentinel_step_requests", step("registration", "5")] == 3
    assert got["portal_sentinel_step_transfer_bytes", step("registration", "5")] == 12400


def test_accessibility_violations_per_step_and_impact_and_new_ones_per_flow() -> None:
    got = samples(exposition())
    rules = "portal_sentinel_a11y_violations"
    # Step 5 left the browser on the identification screen; 6 and 7 typed on it.
    for number in ("5", "6", "7"):
        assert got[rules, step("registration", number, impact="critical")] == 2
        assert got[rules, step("registration", number, impact="serious")] == 1
        assert got[rules, step("registration", number, impact="minor")] == 0
    assert got[rules, step("registration", "4", impact="critical")] == 0
    new = "portal_sentinel_a11y_new_violations"
    # Each rule once, on the screen where it was found, not again for each step on it.
    assert got[new, frozenset({"flow": "registration", "impact": "critical"}.items())] == 2
    assert got[new, frozenset({"flow": "registration", "impact": "serious"}.items())] == 1
    assert got[new, frozenset({"flow": "registration", "impact": "moderate"}.items())] == 0


def test_the_baseline_makes_known_violations_not_new() -> None:
    metrics = Metrics()
    metrics.record(registration(new=False))
    got = samples_of(metrics)
    labels = frozenset({"flow": "registration", "impact": "critical"}.items())
    assert got["portal_sentinel_a11y_new_violations", labels] == 0
    assert got["portal_sentinel_a11y_violations", step("registration", "5", impact="critical")] == 2


def samples_of(metrics: Metrics) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return samples(generate_latest(metrics.registry).decode())


def test_steps_a_check_did_not_reach_lose_their_series() -> None:
    """A check that failed at step 5 shows nothing of steps 6 and 7 (no old value), and no
    audit of the error page it stopped on; another check's series of the same flow stay."""
    metrics = Metrics()
    metrics.record(registration())
    metrics.record(registration(check="activation", until=4))
    metrics.record(registration(1, until=5))
    got = samples_of(metrics)
    names = {name for name, labels in got if dict(labels).get("step") in ("6", "7")}
    assert names == set()
    assert got["portal_sentinel_step_success", step("registration", "5")] == 0
    assert got["portal_sentinel_step_duration_seconds", step("registration", "5")] == 4.0
    assert (
        "portal_sentinel_a11y_violations",
        step("registration", "5", impact="serious"),
    ) not in got
    # Step 4 is kept: both checks reached it.
    assert got["portal_sentinel_step_duration_seconds", step("registration", "4")] == 0.9
    metrics.record(registration(2))
    got = samples_of(metrics)
    assert got["portal_sentinel_step_duration_seconds", step("registration", "7")] == 0.5


def test_checks_that_share_a_flow_keep_each_others_steps() -> None:
    metrics = Metrics()
    metrics.record(registration())
    metrics.record(registration(check="activation"))
    metrics.record(registration(1, until=5))  # registration now stops at step 5
    got = samples_of(metrics)
    # The activation check still ran steps 6 and 7 of registration last time.
    assert got["portal_sentinel_step_duration_seconds", step("registration", "7")] == 0.5


def test_without_audits_there_are_no_accessibility_series() -> None:
    metrics = Metrics()
    result = registration()
    result.steps = [
        StepTiming(s.flow, s.step, s.duration_s, s.passed, s.title, s.vitals) for s in result.steps
    ]
    metrics.record(result)
    text = generate_latest(metrics.registry).decode()
    assert "portal_sentinel_a11y_violations{" not in text
    assert "portal_sentinel_a11y_new_violations{" not in text


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
