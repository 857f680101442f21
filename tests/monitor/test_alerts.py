from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.alerts import Alerter, AlertPolicy

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
