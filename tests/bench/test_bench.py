"""``make bench`` runs end to end (on small numbers): it must not break, whatever it measures.

One run of ``python -m bench`` on the least that still gives every figure: one journey of
each kind the targets need (the peer in Node, the bare script, the harness alone, with its
default screenshots, the audit, Web Vitals; and the HTTP posts), one journey of the parts, a
short load and one monitor check, without the cold start (``sentinel run`` has tests of its
own). The figures must all be there, never how fast they are.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.breakdown import PARTS
from bench.journey import PEER
from sentinel.report import PROJECT_ROOT
from tests.helpers import shell_environment

pytestmark = pytest.mark.slow

KINDS = (PEER, "bare", "harness", "harness+screenshots", "harness+a11y", "harness+vitals", "http")


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    """The figures and the table of one small run."""
    out = tmp_path_factory.mktemp("bench") / "latest.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--runs",
            "1",
            "--kinds",
            ",".join(KINDS),
            "--breakdown-runs",
            "1",
            "--requests",
            "40",
            "--load-seconds",
            "0.5",
            "--monitor-checks",
            "1",
            "--skip",
            "cold-start",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=shell_environment(),
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return json.loads(out.read_text()), done.stdout


def test_every_journey_kind_is_timed_the_playwright_test_peer_included(bench) -> None:
    figures, table = bench
    journey = figures["journey"]
    for kind in KINDS:
        assert journey[kind]["n"] == 1, kind
        assert journey[kind]["median"] > 0, kind
    assert journey["peer"]["journeys"] == 1
    assert journey["peer"]["version"].startswith("1.")
    assert journey["peer"]["start_to_first_journey_s"] > 0
    assert set(journey["ratios"]) == {
        "harness/bare",
        "harness+screenshots/bare",
        "http/bare",
        f"bare/{PEER}",
        f"harness/{PEER}",
        f"harness+screenshots/{PEER}",
        "harness+vitals/harness",
        "harness+a11y/harness",
    }
    assert all(ratio > 0 for ratio in journey["ratios"].values())
    assert "journey (registration + activation)" in table
    assert PEER in table


def test_the_cost_targets_are_assessed_step_by_step(bench) -> None:
    figures, table = bench
    journey = figures["journey"]
    assert set(journey["targets"]) == {
        "screenshots_vs_playwright_test",
        "vitals_added",
        "a11y_worst_step",
    }
    assert all(isinstance(target["met"], bool) for target in journey["targets"].values())
    # Beside the medians, the figures a busy machine disturbs least.
    assert journey["targets"]["screenshots_vs_playwright_test"]["best"] > 0
    assert {"best", "steps"} <= set(journey["targets"]["vitals_added"])
    # Every documented step of registration and activation, in each harness kind.
    steps = journey["steps"]
    assert len(steps) >= 10
    for kind, times in journey["step_kinds"].items():
        assert list(times) == list(steps), kind
        assert all(seconds > 0 for seconds in times.values()), kind
    # The audited steps: the home page and every screen the journey lands on.
    audited = journey["a11y_steps"]
    assert "registration 1" in audited
    assert len(audited) >= 5
    assert all(step["audit_s"] > 0 and step["ratio"] > 0 for step in audited.values())
    assert journey["targets"]["a11y_worst_step"]["step"] in audited
    parts = journey["breakdown"]["per_screen"]
    assert set(parts) == set(PARTS)
    assert all(seconds > 0 for seconds in parts.values())
    assert "cost targets:" in table


def test_the_other_parts_write_their_figures(bench) -> None:
    figures, table = bench
    assert all(load["errors"] == 0 for load in figures["portal"].values())
    registrations = figures["portal"]["registration form post"]
    assert registrations["stored"] == registrations["posted"] == 40
    assert registrations["requests"] == 40
    assert figures["monitor"]["checks"] == 1
    assert "cold_start" not in figures
    assert "monitor, 1 check:" in table
