from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor import app
from monitor.app import Options, UsageError, parse_duration, parse_window, validate
from runtime.accessibility import Baseline, Known
from runtime.network import parse_network
from tests.monitor.sample_checks import TERMS, registration


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


def test_accessibility_settings_are_checked_before_anything_starts(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--a11y takes off or report, not 'fail'"):
        validate(Options(a11y="fail"))
    baseline = tmp_path / "baseline.json"
    with pytest.raises(UsageError, match="--a11y-baseline needs the audits"):
        validate(Options(a11y="off", a11y_baseline=baseline))
    with pytest.raises(UsageError, match=f"--a11y-baseline: cannot read the baseline {baseline}"):
        app.baseline(Options(a11y_baseline=baseline))
    baseline.write_text('{"not": "a baseline"}')
    with pytest.raises(UsageError, match="is not an accessibility baseline"):
        app.baseline(Options(a11y_baseline=baseline))
    Baseline({Known("registration", "5", "label")}).save(baseline)
    assert app.baseline(Options(a11y_baseline=baseline)).known == {
        Known("registration", "5", "label")
    }
    assert app.baseline(Options()).known == set()  # without one, every violation is new


def test_once_names_each_new_violation_where_it_was_found() -> None:
    assert app._a11y_lines(registration(new=False)) == []
    first, *_ = app._a11y_lines(registration())
    assert first == (
        f"new accessibility violation on the screen after step {TERMS} of registration: "
        "image-alt (critical, 1 element) https://dequeuniversity.com/rules/axe/4.10/image-alt"
    )


def test_a_network_cut_must_cut_some_check() -> None:
    # The login check reaches step 2 of login; the portal check runs online.
    validate(Options(flows=["portal", "login"], network=parse_network("offline-after=login:2")))
    with pytest.raises(UsageError, match=r"^--network offline-after=login:2: no flow .login."):
        validate(Options(flows=["portal"], network=parse_network("offline-after=login:2")))


def test_a_window_with_an_offset_is_kept_in_utc() -> None:
    start, end = parse_window("2026-12-08T03:00+01:00/2026-12-08T05:00+01:00")
    assert (start.isoformat(), end.isoformat()) == (
        "2026-12-08T02:00:00+00:00",
        "2026-12-08T04:00:00+00:00",
    )
