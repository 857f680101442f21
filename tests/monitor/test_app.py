from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.app import Options, UsageError, parse_duration, parse_window, validate


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90), ("30s", 30), ("5m", 300), ("2h", 7200), ("1d", 86400)]
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "5x", "-1m", "m"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(UsageError, match="duration"):
        parse_duration(text)


def test_maintenance_windows_are_utc_unless_told() -> None:
    start, end = parse_window("2026-11-30T01:00/2026-11-30T03:00+01:00")
    assert start == datetime(2026, 11, 30, 1, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 2, tzinfo=UTC)
    with pytest.raises(UsageError, match="ends before"):
        parse_window("2026-11-30T03:00/2026-11-30T01:00")
    with pytest.raises(UsageError, match="START/END"):
        parse_window("tonight")


def test_only_read_only_checks_may_watch_production() -> None:
    validate(Options(target="https://www.seg-social.pt", flows=["portal"]))
    with pytest.raises(UsageError, match="activation, login, registration against www"):
        validate(Options(target="https://www.seg-social.pt", flows=["portal", "login"]))
    with pytest.raises(UsageError, match="unknown flow"):
        validate(Options(flows=["nope"]))


def test_the_code_delivery_threshold_reaches_every_check() -> None:
    options = Options(flows=["registration", "login"], code_delivery_degraded_s=45.0)
    assert [spec.code_delivery_degraded_s for spec in options.checks()] == [45.0, 45.0]
    assert Options().checks()[0].code_delivery_degraded_s == 60.0
