"""``sentinel run --network``: the suite runs on the network asked for, and a network that
names nothing is refused in one line before pytest starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_sentinel

pytestmark = pytest.mark.slow


def test_the_suite_runs_on_the_network_asked_for(tmp_path: Path) -> None:
    # The read-only flow, its network cut after its second step: the next step meets a portal
    # that cannot be reached, and says who cut it.
    done = run_sentinel(
        "run",
        *("--flow", "portal", "--network", "offline-after=portal:2"),
        *("--results", str(tmp_path / "results"), "--no-report"),
    )
    assert done.returncode == 1, done.stdout + done.stderr
    [line] = [line for line in done.stdout.splitlines() if line.startswith("portal: ")]
    assert line.startswith("portal: failed: [portal unavailable]")
    assert "the harness's network emulation cut the browser's network after step 2." in line
    assert "(--network offline-after=portal:2)" in line


@pytest.mark.parametrize(
    ("network", "said"),
    [
        ("4g", "sentinel run: argument --network: unknown network '4g': use one of fast-3g"),
        ("offline-after=login:99", "sentinel run: --network offline-after=login:99: no step 99"),
    ],
)
def test_a_network_that_names_nothing_is_one_line_and_exit_2(network: str, said: str) -> None:
    done = run_sentinel("run", "--flow", "login", "--network", network)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith(said)
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Running" not in done.stdout
