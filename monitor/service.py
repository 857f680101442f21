"""The monitor as a service: the schedule, the HTTP endpoint, and what happens per check."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import schedule
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from monitor import alerts, status
from monitor.alerts import Alerter, Notification
from monitor.executor import CheckExecutor, CheckSpec
from monitor.history import History
from monitor.metrics import Metrics
from monitor.results import CheckResult

log = logging.getLogger("monitor.service")


@dataclass
class Monitor:
    executor: CheckExecutor
    checks: list[CheckSpec]
    history: History
    metrics: Metrics
    alerter: Alerter
    webhooks: list[str] = field(default_factory=list)
    in_maintenance: Callable[[datetime], bool] = lambda now: False
    # How a notification leaves: to the webhooks unless replaced.
    notify: Callable[[Notification], None] | None = None

    def run_check(self, spec: CheckSpec, *, lag_s: float = 0.0) -> CheckResult:
        """Run one check and let history, metrics and alerts know. Never raises."""
        try:
            result = self.executor.run(spec)
        except Exception as error:
            # One line; the traceback (our own bug, most likely) with --debug.
            log.error("check %s could not run: %s: %s", spec.name, type(error).__name__, error)
            log.debug("check %s could not run", spec.name, exc_info=True)
            result = CheckResult(
                spec.name,
                datetime.now(UTC),
                "failure",
                0.0,
                reason="harness_error",
                message=str(error)[:500],
            )
        maintenance = self.in_maintenance(result.started_at)
        self.history.record(result, maintenance=maintenance)
        self.metrics.record(result, lag_s=lag_s)
        for note in self.alerter.observe(
            spec.name,
            result.ok or not result.counts_as_downtime,
            result.started_at,
            result.reason,
            maintenance=maintenance,
        ):
            log.warning(note.text())
            if self.notify is not None:
                self.notify(note)
            else:
                alerts.send(note, self.webhooks)
        log.info(
            "%s: %s in %.1fs%s",
            spec.name,
            result.outcome,
            result.duration_s,
            f" ({result.reason})" if result.reason else "",
        )
        return result

    def run_once(self) -> list[CheckResult]:
        return [self.run_check(spec) for spec in self.checks]

    def schedule(self, scheduler: schedule.Scheduler, every_s: int) -> None:
        """Every check every ``every_s`` seconds. Jobs run one at a time in this thread, so a
        check that overruns is never started twice, and how late each start is, is measured.

        A restarted monitor continues its schedule: a check that ran recently (in the
        history) next runs one interval after that run, any other at once.
        """
        now = datetime.now()
        for spec in self.checks:
            job = scheduler.every(every_s).seconds
            job.do(self._scheduled, spec=spec, job=job)
            last = self.history.last(spec.name)
            if last is None:
                job.next_run = now
            else:
                due = last.started_at.astimezone().replace(tzinfo=None) + timedelta(seconds=every_s)
                job.next_run = max(now, due)

    def _scheduled(self, spec: CheckSpec, job: schedule.Job) -> None:
        # schedule keeps naive local times; the job's next_run is still this run's due time.
        due = job.next_run
        lag = max(0.0, (datetime.now() - due).total_seconds()) if due else 0.0
        self.run_check(spec, lag_s=lag)


class StatusServer(ThreadingHTTPServer):
    """The status page and ``/metrics``: bound first, given its monitor once there is one."""

    monitor: Monitor | None = None


class _Handler(BaseHTTPRequestHandler):
    server: StatusServer

    def do_GET(self) -> None:
        monitor = self.server.monitor
        if monitor is None:  # bound, not serving yet
            self._send(503, "text/plain; charset=utf-8", b"starting\n")
        elif self.path.split("?")[0] == "/metrics":
            body = generate_latest(monitor.metrics.registry)
            self._send(200, CONTENT_TYPE_LATEST, body)
        elif self.path.startswith("/evidence/"):
            self._evidence(monitor, self.path.split("?")[0][len("/evidence/") :])
        elif self.path.split("?")[0] in ("/", "/index.html"):
            page = status.render(
                monitor.history, [c.name for c in monitor.checks], datetime.now(UTC)
            )
            self._send(200, "text/html; charset=utf-8", page.encode())
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found\n")

    def _evidence(self, monitor: Monitor, relative: str) -> None:
        """A failed check's screenshot, trace or note; nothing outside the evidence folder."""
        root = monitor.executor.evidence_dir.resolve()
        path = (root / relative).resolve()
        if not path.is_file() or root not in path.parents:
            self._send(404, "text/plain; charset=utf-8", b"not found\n")
            return
        kinds = {".png": "image/png", ".zip": "application/zip", ".txt": "text/plain"}
        self._send(200, kinds.get(path.suffix, "application/octet-stream"), path.read_bytes())

    def _send(self, code: int, content_type: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("http: " + format, *args)


def listen_http(host: str, port: int) -> StatusServer:
    """Bind the status and metrics socket without serving yet, so that a port in use (or a
    wrong host) is reported before anything else starts. Raises ``OSError``."""
    return StatusServer((host, port), _Handler)


def serve_http(
    monitor: Monitor, host: str, port: int, *, server: StatusServer | None = None
) -> StatusServer:
    """``/metrics`` for Prometheus and ``/`` for people, in a background thread (on
    ``server`` when one was bound already)."""
    server = server or listen_http(host, port)
    server.monitor = monitor
    threading.Thread(target=server.serve_forever, name="monitor-http", daemon=True).start()
    return server


def loop(monitor: Monitor, every_s: int, stop: threading.Event) -> None:
    """Run the schedule until ``stop`` is set, waking when the next check is due."""
    scheduler = schedule.Scheduler()
    monitor.schedule(scheduler, every_s)
    while not stop.is_set():
        scheduler.run_pending()
        idle = scheduler.idle_seconds
        stop.wait(timeout=min(max(idle or 0.0, 0.05), 1.0))
