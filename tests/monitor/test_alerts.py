from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from monitor.alerts import Alerter, AlertPolicy
from tests.monitor.sample_checks import REGION, TERMS, found, registration

T0 = datetime(2026, 11, 23, 10, tzinfo=UTC)


def feed(alerter: Alerter, outcomes: str, maintenance: str = "") -> list[tuple[int, str]]:
    """Outcomes as text, one per 5 minutes: F failed, S succeeded; returns (index, kind)."""
    sent = []
    for index, outcome in enumerate(outcomes):
        at = T0 + timedelta(minutes=5 * index)
        for note in alerter.observe(
            "registration",
            outcome == "S",
            at,
            reason="timeout",
            maintenance=index in {int(i) for i in maintenance.split()},
        ):
            sent.append((index, note.kind))
    return sent


def test_alert_after_n_failures_and_recover_after_m_successes() -> None:
    alerter = Alerter(AlertPolicy(failures_to_alert=3, successes_to_recover=2))
    assert feed(alerter, "SFFFFSS") == [(3, "firing"), (6, "resolved")]


def test_no_flapping_alerts_on_intermittent_failures() -> None:
    alerter = Alerter(AlertPolicy(failures_to_alert=3, successes_to_recover=2))
    assert feed(alerter, "FFSFFSFFS") == []


def test_one_success_is_not_a_recovery() -> None:
    alerter = Alerter(AlertPolicy(failures_to_alert=2, successes_to_recover=2))
    assert feed(alerter, "FFSFSS") == [(1, "firing"), (5, "resolved")]


def test_reminders_while_still_down_at_the_set_period() -> None:
    alerter = Alerter(AlertPolicy(failures_to_alert=1, reminder_every=timedelta(minutes=15)))
    assert feed(alerter, "FFFFFFF") == [(0, "firing"), (3, "reminder"), (6, "reminder")]


def test_nothing_during_maintenance() -> None:
    alerter = Alerter(AlertPolicy(failures_to_alert=2))
    assert feed(alerter, "FFFF", maintenance="0 1 2 3") == []


def test_the_message_names_the_check_reason_and_start() -> None:
    alerter = Alerter(AlertPolicy(failures_to_alert=1))
    [note] = alerter.observe("login", False, T0, reason="portal_unavailable")
    assert note.payload()["text"] == (
        "FIRING: login fails (portal_unavailable) since 2026-11-23 10:00 UTC."
    )
    assert note.payload()["status"] == "firing"


def test_webhooks_receive_json_with_slack_compatible_text() -> None:
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from monitor.alerts import send

    received: list[dict] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(json.loads(body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    [note] = Alerter(AlertPolicy(failures_to_alert=1)).observe("login", False, T0, "timeout")
    # The second webhook is down: it is logged, and the first still gets the alert.
    send(note, [f"http://127.0.0.1:{server.server_port}/hook", "http://127.0.0.1:9/down"])
    thread.join(timeout=10)
    server.server_close()
    assert received == [note.payload()]
    assert received[0]["text"].startswith("FIRING: login fails (timeout)")


# Accessibility: a new serious or critical violation alerts through the same policy, on its own.


def a11y_feed(alerter: Alerter, checks: list) -> list[tuple[int, str, str]]:
    """Feed check results; returns (index, kind, rule) of each notification."""
    return [
        (index, note.kind, note.violation.rule if note.violation else "")
        for index, result in enumerate(checks)
        for note in alerter.observe_accessibility(result)
    ]


def test_a_new_critical_violation_alerts_after_n_checks_naming_flow_step_and_rule() -> None:
    alerter = Alerter(AlertPolicy(failures_to_alert=2))
    assert a11y_feed(alerter, [registration(0)]) == []
    notes = alerter.observe_accessibility(registration(5))
    assert sorted((n.kind, n.violation.rule) for n in notes) == [
        ("firing", "color-contrast"),  # serious
        ("firing", "image-alt"),
        ("firing", "label"),
    ]
    [alt] = [n for n in notes if n.violation.rule == "image-alt"]
    assert alt.payload()["text"] == (
        "FIRING: registration: new critical accessibility violation image-alt on the screen "
        f"after step {TERMS} of registration since 2026-11-23 10:00 UTC, not in the baseline "
        "(the check itself works). https://dequeuniversity.com/rules/axe/4.10/image-alt"
    )
    payload = alt.payload()
    assert {k: payload[k] for k in ("check", "reason", "flow", "step", "rule", "impact")} == {
        "check": "registration",
        "reason": "accessibility",
        "flow": "registration",
        "step": "5",
        "rule": "image-alt",
        "impact": "critical",
    }
    # No repeat while it stays; the check's own alerts know nothing of it.
    assert a11y_feed(alerter, [registration(10)]) == []
    assert alerter.observe("registration", True, T0) == []


def test_violations_the_baseline_accepts_or_of_lesser_impact_never_alert() -> None:
    alerter = Alerter(AlertPolicy(failures_to_alert=1))
    assert a11y_feed(alerter, [registration(0, new=False)]) == []
    moderate = registration(5)
    moderate.steps[1] = replace(moderate.steps[1], a11y=found(REGION))
    assert a11y_feed(alerter, [moderate]) == []


def test_it_recovers_after_m_checks_that_audited_its_step_without_it() -> None:
    alerter = Alerter(AlertPolicy(failures_to_alert=1, successes_to_recover=2))
    checks = [
        registration(0),
        registration(5, until=4),  # failed before the screen: says nothing either way
        registration(10, inaccessible=False),
        registration(15, until=4),
        registration(20, inaccessible=False),
    ]
    sent = a11y_feed(alerter, checks)
    assert [(i, kind) for i, kind, rule in sent if rule == "image-alt"] == [
        (0, "firing"),
        (4, "resolved"),
    ]
    # Back again: alerted anew.
    again = alerter.observe_accessibility(registration(25))
    assert sorted((n.kind, n.violation.rule) for n in again) == [
        ("firing", "color-contrast"),
        ("firing", "image-alt"),
        ("firing", "label"),
    ]


def test_the_resolution_names_the_rule_and_where_it_was() -> None:
    alerter = Alerter(AlertPolicy(failures_to_alert=1, successes_to_recover=1))
    alerter.observe_accessibility(registration(0))
    notes = alerter.observe_accessibility(registration(5, new=False))  # now in the baseline
    [alt] = [n for n in notes if n.violation.rule == "image-alt"]
    assert alt.text() == (
        "RESOLVED: registration: the accessibility violation image-alt is gone from the screen "
        f"after step {TERMS} of registration (found since 2026-11-23 10:00 UTC)."
    )


def test_accessibility_alerts_wait_during_maintenance_and_remind_at_the_period() -> None:
    alerter = Alerter(AlertPolicy(failures_to_alert=1, reminder_every=timedelta(minutes=15)))
    assert alerter.observe_accessibility(registration(0), maintenance=True) == []
    sent = a11y_feed(alerter, [registration(5 * i) for i in range(1, 5)])
    assert [(i, kind) for i, kind, rule in sent if rule == "label"] == [
        (0, "firing"),
        (3, "reminder"),
    ]


def test_a_failing_webhook_is_logged_without_its_secret(caplog) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from monitor.alerts import send

    class Failing(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(500)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Failing)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    [note] = Alerter(AlertPolicy(failures_to_alert=1)).observe("login", False, T0, "timeout")
    hooks = [
        f"http://127.0.0.1:{server.server_port}/services/HOOKSECRET",
        "http://user:PASSSECRET@127.0.0.1:9/x?token=QUERYSECRET",
    ]
    with caplog.at_level("WARNING", logger="monitor.alerts"):
        send(note, hooks)
    thread.join(timeout=10)
    server.server_close()
    logged = caplog.text
    assert "alert webhook 1 (127.0.0.1) failed: it answered HTTP 500" in logged
    assert "alert webhook 2 (127.0.0.1) failed: ConnectError" in logged
    for secret in ("HOOKSECRET", "PASSSECRET", "QUERYSECRET", "user:"):
        assert secret not in logged
    assert len(caplog.records) == 2
    assert all("\n" not in r.getMessage() for r in caplog.records)
