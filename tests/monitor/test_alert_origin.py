"""Every alert says where it comes from: the portal watched, the monitor's region, the step
that failed, and links to the check's section and the failure's evidence on the status page
(``--public-url``), so that among one monitor per region everyone can tell which fired."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest

from monitor.alerts import Alerter, AlertPolicy, Notification, Origin
from monitor.executor import CheckSpec
from monitor.history import History
from monitor.metrics import Metrics
from monitor.results import CheckResult, StepTiming
from monitor.service import Monitor, serve_http
from tests.helpers import dead_portal, monitor_dead_portal_once

# An hour ago: the status page lists the incidents of the last 30 days.
T0 = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=1)
SINCE = f"{T0:%Y-%m-%d %H:%M} UTC"
INCIDENT = f"check-login-incident-{T0:%Y%m%dT%H%M%SZ}"
FOLDER = f"{T0 + timedelta(minutes=5):%Y%m%dT%H%M%S%fZ}-login"
ORIGIN = Origin("https://staging.example.pt", "lisbon", "https://mon.example.org/")
LOGIN = "3. Entrar (Log in)"


class Scripted:
    """An executor that returns the results it was given, in turn."""

    def __init__(self, evidence_dir: Path, results: list[CheckResult]) -> None:
        self.evidence_dir = evidence_dir
        self.results = results

    def run(self, spec: CheckSpec) -> CheckResult:
        return self.results.pop(0)


def failed_at_login(minutes: int, evidence: Path | None) -> CheckResult:
    steps = [
        StepTiming("login", "1", 0.4, True, "1. Iniciar sessão (Log in)"),
        StepTiming("login", "3", 2.0, False, LOGIN),
    ]
    return CheckResult(
        "login",
        T0 + timedelta(minutes=minutes),
        "failure",
        2.4,
        reason="timeout",
        message="the screen did not follow",
        failed_step="3",
        evidence=str(evidence or ""),
        steps=steps,
    )


def watched(tmp_path: Path, results: list[CheckResult], sent: list[Notification]) -> Monitor:
    return Monitor(
        Scripted(tmp_path / "evidence", results),
        [CheckSpec("login")],
        History(tmp_path / "monitor.db"),
        Metrics(),
        Alerter(AlertPolicy(failures_to_alert=2, successes_to_recover=1)),
        notify=sent.append,
        origin=ORIGIN,
    )


def test_a_firing_alert_names_target_region_step_and_links_the_evidence(tmp_path: Path) -> None:
    folder = tmp_path / "evidence" / FOLDER
    folder.mkdir(parents=True)
    (folder / "screenshot.png").write_bytes(b"\x89PNG")
    (folder / "failure.txt").write_text("step: 3\n")
    sent: list[Notification] = []
    monitor = watched(tmp_path, [failed_at_login(0, None), failed_at_login(5, folder)], sent)
    monitor.run_once()
    assert sent == []
    monitor.run_once()
    [note] = sent
    assert note.text() == (
        "FIRING: login on https://staging.example.pt (region lisbon) fails (timeout at step "
        f"{LOGIN} of login) since {SINCE}. "
        f"Status: https://mon.example.org/#{INCIDENT} · evidence: "
        f"https://mon.example.org/evidence/{FOLDER}/screenshot.png"
    )
    # Kept for the status page's incidents, which say which outage alerted.
    [kept] = monitor.history.alerts("login", T0)
    assert (kept.kind, kept.reason) == ("firing", "timeout")
    payload = note.payload()
    assert payload["target"] == "https://staging.example.pt"
    assert payload["region"] == "lisbon"
    assert payload["failed_at"] == f"at step {LOGIN} of login"
    assert payload["status_url"] == f"https://mon.example.org/#{INCIDENT}"
    # The link leads somewhere: the status page has that incident's row.
    server = serve_http(monitor, "127.0.0.1", 0)
    try:
        port = server.server_address[1]
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=30).text
    finally:
        server.shutdown()
        server.server_close()
    assert f'id="{INCIDENT}"' in page.replace("'", '"')
    assert payload["evidence_url"].endswith("/screenshot.png")


def test_without_a_screenshot_the_note_is_linked_and_the_recovery_names_the_target(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "evidence" / FOLDER
    folder.mkdir(parents=True)
    (folder / "failure.txt").write_text("step: 3\n")
    worked = CheckResult("login", T0 + timedelta(minutes=10), "success", 2.0)
    sent: list[Notification] = []
    results = [failed_at_login(0, folder), failed_at_login(5, folder), worked]
    monitor = watched(tmp_path, results, sent)
    for _ in range(3):
        monitor.run_once()
    firing, resolved = sent
    assert firing.evidence_url().endswith(f"/{FOLDER}/failure.txt")
    assert resolved.text() == (
        "RESOLVED: login on https://staging.example.pt (region lisbon) works again (down "
        f"since {SINCE}). Status: https://mon.example.org/#{INCIDENT}"
    )
    assert resolved.payload()["evidence_url"] == ""


def test_without_a_public_url_or_region_an_alert_still_names_the_target() -> None:
    note = Notification(
        "firing", "portal", "portal_unavailable", T0, T0, origin=Origin("https://s.example.pt")
    )
    assert note.text() == (
        f"FIRING: portal on https://s.example.pt fails (portal_unavailable) since {SINCE}."
    )


@contextmanager
def webhook() -> Iterator[tuple[str, list[dict]]]:
    received: list[dict] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", received
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_the_monitor_posts_where_it_watches_from_to_the_webhook(tmp_path: Path) -> None:
    """A portal that does not answer, checked once with an alert at the first failure."""
    target = dead_portal()
    with webhook() as (url, received):
        done = monitor_dead_portal_once(
            tmp_path / "monitor",
            "--failures-to-alert",
            "1",
            "--alert-webhook",
            url,
            "--region",
            "porto",
            "--public-url",
            "https://mon.example.org/porto",
            target=target,
        )
    assert done.returncode == 1, done.stdout + done.stderr
    [alert] = received
    assert alert["status"] == "firing"
    assert alert["target"] == target
    assert alert["region"] == "porto"
    assert alert["failed_at"].startswith("at step 1. ")
    assert alert["text"].startswith(
        f"FIRING: portal on {target} (region porto) fails (portal_unavailable at step 1."
    )
    assert "Status: https://mon.example.org/porto/#check-portal-incident-" in alert["text"]
    folder = next((tmp_path / "monitor" / "evidence").iterdir()).name
    assert alert["evidence_url"].startswith(f"https://mon.example.org/porto/evidence/{folder}/")
