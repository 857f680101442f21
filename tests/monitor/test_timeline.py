"""The status page's history views: heartbeats, the duration chart, incidents (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor import timeline
from monitor.alerts import AlertPolicy
from monitor.history import Beat, History, SentAlert
from monitor.timeline import duration_chart, heartbeats, incidents
from tests.monitor import sample_history as sample
from tests.monitor.sample_history import NOW, a_month

T0 = datetime(2026, 12, 8, 10, 15, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def beat(minutes: int = 0, outcome: str = "success", reason: str = "", **fields: object) -> Beat:
    seconds = fields.pop("duration_s", 4.0)
    return Beat(T0 + minutes * MINUTE, outcome, seconds, reason, **fields)


def down(minutes: int, reason: str = "timeout", **fields: object) -> Beat:
    return beat(minutes, "failure", reason, failed_step="3", **fields)


@pytest.fixture
def month(tmp_path: Path) -> tuple[History, sample.Month]:
    history = History(tmp_path / "monitor.db")
    yield history, a_month(history, tmp_path / "evidence")
    history.close()


# --- a beat in words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "status", "name"),
    [
        (down(0), "down", "2026-12-08 10:15 UTC: down (timeout at step 3)"),
        (beat(0, duration_s=4.25), "up", "2026-12-08 10:15 UTC: up, 4.2 s"),
        (
            beat(0, "degraded", duration_s=34.0),
            "degraded",
            "2026-12-08 10:15 UTC: degraded, 34.0 s",
        ),
        (
            beat(0, "failure", "harness_error"),
            "error",
            "2026-12-08 10:15 UTC: monitor error (not downtime)"
            " (harness_error before the first step)",
        ),
        (
            beat(0, "failure", "setting_error"),
            "error",
            "2026-12-08 10:15 UTC: monitor error (not downtime)"
            " (setting_error before the first step)",
        ),
        (
            down(0, "portal_unavailable", maintenance=True),
            "maintenance",
            "2026-12-08 10:15 UTC: maintenance (the check: portal_unavailable at step 3)",
        ),
        (
            beat(0, maintenance=True),
            "maintenance",
            "2026-12-08 10:15 UTC: maintenance (the check: success, 4.0 s)",
        ),
    ],
)
def test_each_beat_says_when_how_it_went_and_why(one: Beat, status: str, name: str) -> None:
    assert timeline.status_of(one) == status
    assert timeline.describe(one) == name


def test_the_time_shown_is_the_checks_without_its_accessibility_audits() -> None:
    audited = beat(0, duration_s=34.0, audit_s=6.0)
    assert audited.portal_s == 28.0
    assert timeline.describe(audited).endswith("up, 28.0 s")


# --- incidents ----------------------------------------------------------------------------


def test_a_run_of_failures_is_one_incident_from_its_first_to_the_check_that_worked() -> None:
    beats = [beat(-5), down(0), down(5), down(10, "portal_unavailable"), beat(15), beat(20)]
    [incident] = incidents("login", beats, T0 + 60 * MINUTE, AlertPolicy())
    assert incident.kind == "portal"
    assert (incident.start, incident.end) == (T0, T0 + 15 * MINUTE)
    assert incident.duration(T0 + 60 * MINUTE) == timedelta(minutes=15)
    assert incident.reasons == ["timeout", "portal_unavailable"]
    assert incident.id == "check-login-incident-20261208T101500Z"
    # Not recorded: the policy alerts at the third failure in a row.
    assert incident.alert == timeline.Alert("firing", T0 + 10 * MINUTE, recorded=False)
    assert incident.alert_text() == "yes, at 10:25 UTC (3rd failure)"


def test_a_short_run_sends_no_alert_and_says_why() -> None:
    beats = [down(0), down(5), beat(10)]
    [incident] = incidents("login", beats, T0 + 60 * MINUTE, AlertPolicy(failures_to_alert=3))
    assert incident.alert is None
    assert incident.alert_text() == "no (2 failed checks; alerts after 3)"
    [one] = incidents("login", [down(0), beat(5)], T0 + 60 * MINUTE, AlertPolicy())
    assert one.alert_text() == "no (1 failed check; alerts after 3)"


def test_a_recorded_alert_is_the_one_shown() -> None:
    beats = [down(0), down(5), down(10), down(15), beat(20)]
    sent = [SentAlert("firing", "timeout", T0, T0 + 15 * MINUTE)]  # e.g. a stricter setting then
    [incident] = incidents("login", beats, T0 + 60 * MINUTE, AlertPolicy(), sent)
    assert incident.alert == timeline.Alert("firing", T0 + 15 * MINUTE, recorded=True)
    assert incident.alert_text() == "sent 10:30 UTC"


def test_a_recorded_alert_before_the_run_is_its_alert_only_if_still_firing() -> None:
    beats = [down(0), beat(5)]
    fired = SentAlert("firing", "timeout", T0 - 60 * MINUTE, T0 - 50 * MINUTE)
    resolved = SentAlert("resolved", "timeout", T0 - 60 * MINUTE, T0 - 30 * MINUTE)
    [over] = incidents("login", beats, T0 + 60 * MINUTE, AlertPolicy(), [fired, resolved])
    assert over.alert is None
    [firing] = incidents("login", beats, T0 + 60 * MINUTE, AlertPolicy(), [fired])
    assert firing.alert == timeline.Alert("continued", T0 - 50 * MINUTE, recorded=True)


def test_an_ongoing_incident_lasts_until_now() -> None:
    beats = [beat(0), down(5), down(10)]
    now = T0 + 42 * MINUTE
    [incident] = incidents("login", beats, now, AlertPolicy(failures_to_alert=2))
    assert incident.end is None
    assert incident.duration(now) == timedelta(minutes=37)
    assert incident.alert is not None


def test_our_own_errors_are_a_run_of_their_own_that_never_alerts() -> None:
    beats = [
        down(0),
        down(5),
        beat(10, "failure", "harness_error"),
        beat(15, "failure", "setting_error"),
        down(20),
        beat(25),
    ]
    later, ours, first = incidents("login", beats, T0 + 60 * MINUTE, AlertPolicy())
    assert [i.kind for i in (first, ours, later)] == ["portal", "monitor", "portal"]
    assert ours.id == "check-login-error-20261208T102500Z"
    assert (ours.start, ours.end) == (T0 + 10 * MINUTE, T0 + 20 * MINUTE)
    assert ours.reasons == ["harness_error", "setting_error"]
    assert ours.alert_text() == "never (not the portal's)"
    # The policy counts our errors as working: neither run of two reached three.
    assert (first.alert, later.alert) == (None, None)


def test_a_maintenance_window_neither_ends_nor_joins_a_run() -> None:
    beats = [
        down(0),
        down(5),
        down(10, maintenance=True),
        beat(15, maintenance=True),
        down(20),
        beat(25),
    ]
    [incident] = incidents("login", beats, T0 + 60 * MINUTE, AlertPolicy())
    assert [b.started_at for b in incident.failures] == [T0, T0 + 5 * MINUTE, T0 + 20 * MINUTE]
    assert incident.end == T0 + 25 * MINUTE
    # As the alert policy does: the streak goes on after the window, and reaches three.
    assert incident.alert == timeline.Alert("firing", T0 + 20 * MINUTE, recorded=False)


def test_a_failure_in_maintenance_is_no_incident() -> None:
    beats = [beat(0), down(5, maintenance=True), beat(10)]
    assert incidents("login", beats, T0 + 60 * MINUTE, AlertPolicy()) == []


def test_the_months_incidents(month: tuple[History, sample.Month]) -> None:
    history, recorded = month
    beats = history.beats("login", since=NOW - timedelta(days=30))
    found = incidents("login", beats, NOW, AlertPolicy())
    portal = [i for i in found if i.kind == "portal"]
    ours = [i for i in found if i.kind == "monitor"]
    timeouts, outage, drift = portal  # newest first
    at = recorded.at
    assert (timeouts.start, timeouts.end) == (at(sample.TIMEOUTS[0]), at(sample.TIMEOUTS[-1] - 5))
    assert timeouts.alert == timeline.Alert("firing", at(sample.TIMEOUTS[-1]), recorded=False)
    assert (outage.start, outage.end, outage.alert) == (
        at(sample.OUTAGE),
        at(sample.OUTAGE - 5),
        None,
    )
    drift_start = NOW - timedelta(days=sample.DRIFT_DAYS) + sample.EVERY
    assert (drift.start, len(drift.failures)) == (drift_start, 5)
    assert drift.duration(NOW) == 5 * sample.EVERY
    [harness] = ours
    assert harness.start == at(sample.HARNESS)
    # The failure in the maintenance window is in none of them.
    failing = {b.started_at for i in found for b in i.failures}
    assert at(sample.MAINTENANCE_FAILURE) not in failing


# --- heartbeats ---------------------------------------------------------------------------


def test_heartbeats_link_failures_to_their_incident_and_list_their_evidence() -> None:
    beats = [beat(0), down(5, evidence="/data/evidence/F1"), beat(10, "degraded", message="slow")]
    found = incidents("login", beats, T0 + 60 * MINUTE, AlertPolicy())
    asked: list[str] = []

    def kept(folder: str) -> list[tuple[str, str]]:
        asked.append(folder)
        return [("screenshot.png", "screenshot")]

    up, failed, slow = heartbeats(beats, found, kept)
    assert asked == ["/data/evidence/F1"]  # only a failure's evidence is looked for
    assert (up.status, up.incident, up.evidence, up.detail) == ("up", "", (), "")
    assert failed.incident == "check-login-incident-20261208T102000Z"
    assert failed.evidence == (("screenshot.png", "screenshot"),)
    assert (slow.status, slow.detail, slow.incident) == ("degraded", "slow", "")


def test_a_phone_shows_the_newest_beats() -> None:
    beats = [beat(n) for n in range(timeline.BEATS)]
    bar = heartbeats(beats)
    narrow = [b for b in bar if b.narrow]
    assert len(narrow) == timeline.NARROW_BEATS
    assert narrow[0].beat is beats[-timeline.NARROW_BEATS]
    assert all(b.narrow for b in heartbeats(beats[:10]))


def test_a_long_message_is_shortened_in_the_tip() -> None:
    [one] = heartbeats([down(0, message="word " * 100)])
    assert len(one.detail) == timeline.DETAIL_CHARS
    assert one.detail.endswith("…")


def test_the_tally_counts_each_outcome() -> None:
    beats = [
        beat(0),
        beat(5),
        down(10),
        beat(15, "failure", "harness_error"),
        beat(20, maintenance=True),
    ]
    assert timeline.tally(heartbeats(beats)) == (
        "Last 5 checks: 2 up, 1 down, 1 monitor error (not downtime), 1 maintenance"
    )


# --- the duration chart -------------------------------------------------------------------


def test_the_threshold_is_drawn_where_its_seconds_are() -> None:
    until = T0 + 12 * 60 * MINUTE
    chart = duration_chart([beat(0, duration_s=12.0)], until, 30.0, height=200)
    assert chart.top_s == 50.0  # the threshold is on the scale, with room above
    assert chart.threshold_y == 200 * (1 - 30 / 50)
    assert [t.label for t in chart.y_ticks] == ["0 s", "10 s", "20 s", "30 s", "40 s", "50 s"]
    assert chart.y_ticks[3].at == chart.threshold_y
    [point] = chart.points
    assert point.x == 50.0  # twelve hours into the day
    assert point.y == 200 * (1 - 12 / 50)
    assert point.label == "10:15 UTC: 12.0 s, up"


def test_points_are_by_outcome_and_a_failure_beyond_the_scale_is_at_its_top() -> None:
    beats = [
        beat(0, duration_s=3.0),
        beat(5, "degraded", duration_s=41.0),
        down(10, duration_s=120.0),
        beat(15, "failure", "harness_error", duration_s=0.0),
        beat(20, maintenance=True),
    ]
    chart = duration_chart(beats, T0 + 60 * MINUTE, 30.0, height=100)
    assert [p.status for p in chart.points] == ["up", "degraded", "down", "error", "maintenance"]
    assert chart.top_s == 50.0  # from the slowest check that worked, not the failure's
    assert chart.points[2].y == 0.0
    assert chart.points[2].label == "10:25 UTC: 120.0 s, down (timeout at step 3)"
    assert chart.beyond == 1
    assert chart.points[3].y == 100.0


def test_without_a_threshold_the_scale_is_the_checks() -> None:
    chart = duration_chart([beat(0, duration_s=4.2)], T0 + MINUTE, None)
    assert (chart.top_s, chart.threshold_y) == (5.0, None)
    assert chart.summary.endswith("at 10:15 UTC.")


def test_checks_older_than_the_window_are_left_out() -> None:
    chart = duration_chart([beat(0), beat(60 * 25)], T0 + 26 * 60 * MINUTE, 30.0)
    assert [b.started_at for b in chart.beats] == [T0 + 25 * 60 * MINUTE]


def test_the_time_axis_has_every_third_hour_and_midnight_by_its_date() -> None:
    chart = duration_chart([], datetime(2026, 12, 8, 12, 0, tzinfo=UTC), 30.0)
    labels = [t.label for t in chart.x_ticks]
    assert labels == [
        "12:00",
        "15:00",
        "18:00",
        "21:00",
        "8 Dec",
        "03:00",
        "06:00",
        "09:00",
        "12:00",
    ]
    assert [t.at for t in chart.x_ticks] == [100 * n / 8 for n in range(9)]
    assert [t.label for t in chart.x_ticks if not t.minor] == [
        "12:00",
        "18:00",
        "8 Dec",
        "06:00",
        "12:00",
    ]


def test_the_summary_says_the_chart_in_words(month: tuple[History, sample.Month]) -> None:
    history, _ = month
    day = history.beats("login", since=NOW - timeline.DAY)
    chart = duration_chart(day, NOW, sample.DEGRADED_S)
    durations = sorted(b.portal_s for b in day)
    median = (durations[143] + durations[144]) / 2
    assert len(day) == 288
    slowest = max(sample.SLOW, key=lambda minutes: sample.SLOW[minutes])
    assert chart.summary == (
        f"Duration of the last 24 h: 288 checks, median {median:.1f} s, slowest 41.5 s at"
        f" {NOW - slowest * MINUTE:%H:%M} UTC; 3 failed checks slower than the scale's 50 s,"
        f" drawn at its top (up to 62.0 s at {NOW - sample.TIMEOUTS[0] * MINUTE:%H:%M} UTC);"
        " degraded above 30 s: 2 working checks above it."
    )  # the three timeouts are drawn at the top, and were down, not slow: the two slow ones


def test_no_checks_is_said() -> None:
    assert duration_chart([], T0, 30.0).summary == "No checks in the last 24 h."


def test_a_chart_of_many_checks_keeps_every_peak_and_failure() -> None:
    every_30s = [
        Beat(T0 + n * timedelta(seconds=30), "success", 4.0 + (n % 10) / 10) for n in range(2880)
    ]
    every_30s[1000] = Beat(every_30s[1000].started_at, "failure", 9.0, "timeout")
    every_30s[2000] = Beat(every_30s[2000].started_at, "success", 28.0)
    until = every_30s[-1].started_at
    chart = duration_chart(every_30s, until, 30.0)
    assert len(chart.points) <= timeline.MAX_POINTS
    assert len(chart.beats) == 2880  # the summary and the JSON have them all
    assert [p.status for p in chart.points].count("down") == 1
    assert min(p.y for p in chart.points if p.status == "up") == round(180 * (1 - 28 / 50), 1)


@pytest.mark.parametrize(
    ("value", "top", "ticks"),
    [
        (4.2, 5.0, [0, 1, 2, 3, 4, 5]),
        (12.1, 20.0, [0, 5, 10, 15, 20]),
        (30.0, 50.0, [0, 10, 20, 30, 40, 50]),
        (95.0, 100.0, [0, 20, 40, 60, 80, 100]),
        (120.0, 200.0, [0, 50, 100, 150, 200]),
        (0.3, 2.0, [0, 0.5, 1, 1.5, 2]),  # a chart's scale goes to 2 s at least
    ],
)
def test_the_scale_ends_on_a_round_figure(value: float, top: float, ticks: list[float]) -> None:
    chart = duration_chart([beat(0, duration_s=value)], T0 + MINUTE, None, height=100)
    assert chart.top_s == top
    assert [float(t.label.removesuffix(" s")) for t in chart.y_ticks] == ticks


@pytest.mark.parametrize(("value", "top"), [(0.5, 1.0), (0.96, 2.0), (9.5, 10.0), (23.0, 25.0)])
def test_a_round_top_is_at_least_five_percent_above(value: float, top: float) -> None:
    assert timeline.nice_top(value) == top


# --- words --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "said"),
    [
        (timedelta(seconds=45), "45 s"),
        (timedelta(minutes=12, seconds=59), "12 min"),
        (timedelta(hours=1, minutes=5), "1 h 05 min"),
        (timedelta(days=2, hours=3, minutes=7), "2 d 3 h"),
    ],
)
def test_spans(delta: timedelta, said: str) -> None:
    assert timeline.span(delta) == said


@pytest.mark.parametrize(
    ("n", "said"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (22, "22nd")]
)
def test_ordinals(n: int, said: str) -> None:
    assert timeline.ordinal(n) == said


def test_an_alert_on_another_day_than_its_incidents_start_gives_its_date() -> None:
    # 23:55, 00:00, 00:05: the alert is sent the next day.
    beats = [beat(-20), down(60 * 13 + 40), down(60 * 13 + 45), down(60 * 13 + 50), beat(60 * 14)]
    [incident] = incidents("login", beats, T0 + 60 * 15 * MINUTE, AlertPolicy())
    assert incident.alert_text() == "yes, at 2026-12-09 00:05 UTC (3rd failure)"
    sent = [SentAlert("firing", "timeout", incident.start, T0 + (60 * 13 + 45) * MINUTE)]
    [recorded] = incidents("login", beats, T0 + 60 * 15 * MINUTE, AlertPolicy(), sent)
    assert recorded.alert_text() == "sent 2026-12-09 00:00 UTC"


def test_a_run_after_too_short_a_recovery_is_under_the_alert_still_firing() -> None:
    # Three down (alerted), one up (recovery needs two), two down: no new alert.
    beats = [down(0), down(5), down(10), beat(15), down(20), down(25), beat(30), beat(35)]
    later, first = incidents("login", beats, T0 + 60 * MINUTE, AlertPolicy())
    assert first.alert_text() == "yes, at 10:25 UTC (3rd failure)"
    assert later.alert == timeline.Alert("continued", T0 + 10 * MINUTE, recorded=False)
    assert later.alert_text() == "no new one: the alert of 10:25 UTC was still firing"
    # Once it recovered, the next run is on its own again.
    recovered = [*beats, down(40), beat(45)]
    [again, *_] = incidents("login", recovered, T0 + 60 * MINUTE, AlertPolicy())
    assert again.alert is None
