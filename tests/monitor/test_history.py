from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.history import History
from monitor.results import CheckResult, StepTiming

T0 = datetime(2026, 11, 23, 10, tzinfo=UTC)


def result(outcome: str = "success", reason: str = "", minutes: int = 0) -> CheckResult:
    return CheckResult(
        "login",
        T0 + timedelta(minutes=minutes),
        outcome,
        2.5,
        reason=reason,
        steps=[StepTiming("registration", "4", 0.2, True, "4. Registar (Register)")],
    )


def test_history_survives_a_restart(tmp_path: Path) -> None:
    first = History(tmp_path / "monitor.db")
    first.record(result("failure", "timeout"))
    first.close()
    again = History(tmp_path / "monitor.db")
    last = again.last("login")
    assert last is not None
    assert (last.outcome, last.reason) == ("failure", "timeout")
    assert last.steps == [StepTiming("registration", "4", 0.2, True, "4. Registar (Register)")]


def test_uptime_ignores_our_own_errors_and_maintenance(tmp_path: Path) -> None:
    history = History(tmp_path / "monitor.db")
    history.record(result("success", minutes=1))
    history.record(result("degraded", minutes=2))
    history.record(result("failure", "portal_unavailable", minutes=3))
    history.record(result("failure", "harness_error", minutes=4))
    history.record(result("failure", "portal_unavailable", minutes=5), maintenance=True)
    assert history.uptime("login", T0) == 2 / 3
    assert history.uptimes("login", T0 + timedelta(hours=1))["24h"] == 2 / 3
    assert history.uptime("portal", T0) is None
