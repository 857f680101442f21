"""The plugin's ``--a11y``, ``--a11y-baseline`` and ``--network``: what they are read as, and
the one line a wrong one stops the session with (test_a11y_option.py runs them in a suite)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fixtures.plugin import accessibility_failure, quality_settings
from runtime.accessibility import Baseline, Known, StepAudit, Violation, blocking
from runtime.network import PROFILES


class Options:
    """What ``quality_settings`` reads of a pytest config."""

    def __init__(self, **given: Any) -> None:
        self.given = {
            "sentinel_a11y": "report",
            "sentinel_a11y_baseline": None,
            "sentinel_network": None,
            "browser": [],
            **given,
        }

    def getoption(self, name: str, default: Any = None) -> Any:
        return self.given.get(name, default)


def settings(**given: Any):
    return quality_settings(Options(**given))  # type: ignore[arg-type]


def test_by_default_report_with_no_baseline_on_the_machine_s_network() -> None:
    found = settings()
    assert found.a11y == "report"
    assert found.baseline.known == set()
    assert found.network is None


def test_a_network_and_a_baseline_are_read(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    Baseline({Known("registration", "5", "label")}).save(path)
    found = settings(
        sentinel_a11y="fail", sentinel_a11y_baseline=str(path), sentinel_network="slow-3g"
    )
    assert found.network == PROFILES["slow-3g"]
    assert found.baseline.known == {Known("registration", "5", "label")}
    offline = settings(sentinel_network="offline-after=login:2").network
    assert offline is not None
    assert (offline.offline_flow, offline.offline_after) == ("login", "2")


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({"sentinel_network": "4g"}, "--network: unknown network '4g': use one of fast-3g"),
        (
            {"sentinel_network": "fast-3g", "browser": ["chromium", "webkit"]},
            "--network fast-3g: emulated through Chromium's DevTools protocol, so it needs "
            "--browser chromium, not webkit",
        ),
        (
            {"sentinel_network": "offline-after=logn:2"},
            "--network: offline-after=logn:2: no flow 'logn' in this run",
        ),
        (
            {"sentinel_network": "offline-after=9", "sentinel_flows": ["portal"]},
            "--network: offline-after=9: no step 9 in portal (portal: 1, 2, 2a",
        ),
        ({"sentinel_a11y_baseline": "no/such/file.json"}, "--a11y-baseline: cannot read"),
    ],
    ids=["network", "browser", "flow", "step", "missing-baseline"],
)
def test_a_wrong_setting_is_a_usage_error_in_one_line(given: dict[str, Any], said: str) -> None:
    with pytest.raises(pytest.UsageError) as raised:
        settings(**given)
    assert said in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_file_that_is_not_a_baseline_is_said_so(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text(json.dumps({"rules": []}), encoding="utf-8")
    with pytest.raises(pytest.UsageError, match="is not an accessibility baseline"):
        settings(sentinel_a11y_baseline=str(path))


def violation(rule: str, impact: str) -> Violation:
    return Violation(rule, impact, f"help of {rule}", f"https://example.org/{rule}", 1)


AUDITS = [
    StepAudit("registration", "5", "5. Li e aceito", (violation("image-alt", "critical"),)),
    StepAudit("registration", "6", "6. Tipo de conta", (violation("image-alt", "critical"),), "5"),
    StepAudit(
        "registration",
        "8",
        "8. Seguinte",
        (violation("color-contrast", "serious"), violation("region", "moderate")),
    ),
]


def test_a_failure_names_each_new_blocking_violation_once_per_screen() -> None:
    message = accessibility_failure(blocking(Baseline().new(AUDITS)))
    lines = message.splitlines()
    assert lines[0].startswith(
        "accessibility: 2 new serious or critical violations, first image-alt (critical) at "
        "step 5. Li e aceito of registration (--a11y fail;"
    )
    assert lines[1:] == [
        "- step 5. Li e aceito of registration: image-alt (critical, 1 element): help of "
        "image-alt https://example.org/image-alt",
        "- step 8. Seguinte of registration: color-contrast (serious, 1 element): help of "
        "color-contrast https://example.org/color-contrast",
    ]


def test_known_and_minor_violations_fail_nothing() -> None:
    accepted = Baseline(
        {Known("registration", "5", "image-alt"), Known("registration", "8", "color-contrast")}
    )
    assert accessibility_failure(blocking(accepted.new(AUDITS))) == ""
    partly = Baseline({Known("registration", "5", "image-alt")})
    assert "color-contrast" in accessibility_failure(blocking(partly.new(AUDITS)))
    assert "image-alt" not in accessibility_failure(blocking(partly.new(AUDITS)))
