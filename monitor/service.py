"""The monitor as a service: the schedule, the HTTP endpoint, and what happens per check."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import schedule
import uvicorn
from schedule import Job, Scheduler  # by name: in the monitor's class, schedule is a method

from monitor import alerts, web
from monitor.alerts import Alerter, Failed, Notification, Origin
from monitor.executor import CheckExecutor, CheckSpec
from monitor.history import History
from monitor.metrics import Metrics
from monitor.results import CheckResult
from monitor.timeline import incident_id, section_id

log = logging.getLogger("monitor.service")
SHUTDOWN_S = 5  # a request still running after this is cancelled when the monitor stops
# A restarted monitor replays this many of each check's last results through the alert
# policy: enough to know whether an outage was alerted already, for any sane streak setting.
REPLAYED = 500
# The evidence an alert links to, the first kept: the picture, else the note of the step.
ALERT_EVIDENCE = ("screenshot.png", "failure.txt")


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
    # What every notification says of where it comes from (the target, region, links).
    origin: Origin | None = None

    def __post_init__(self) -> None:
        self.metrics.watch_maintenance(self.in_maintenance)

    def restore(self) -> None:
        """Continue from the history a previous monitor left: each check's last result is in
        the metrics again (``probe_success`` and the rest, with when it ran), and the alert
        policy knows each check's streak, so a restart neither leaves ``/metrics`` empty
        until the next check nor alerts again for an outage it alerted already."""
        for spec in self.checks:
            replayed = self.history.tail(spec.name, REPLAYED)
            for result, maintenance in replayed:
                self._observe(result, maintenance)  # what it would notify was sent then
            if replayed:
                last, _ = replayed[-1]
                self.metrics.restore(last, last_success=self.history.last_success(spec.name))

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
        for note in self._observe(result, maintenance):
            log.warning(note.text())
            self.history.record_alert(note)  # the status page's incidents say what alerted
            if self.notify is not None:
                self.notify(note)
            else:
                alerts.send(note, self.webhooks)
        log.info(
            "%s: %s in %.1fs%s%s",
            spec.name,
            result.outcome,
            result.duration_s,
            f" ({result.reason})" if result.reason else "",
            " in a declared maintenance window: no alert, no downtime" if maintenance else "",
        )
        if not result.ok and not result.counts_as_downtime:
            # Ours to fix, and never alerted as the portal's: the journal says what it is.
            log.warning("%s: %s: %s", spec.name, result.reason, result.message)
        return result

    def _observe(self, result: CheckResult, maintenance: bool) -> list[Notification]:
        """Feed a result to the alert policy; what to notify, saying where it comes from."""
        notes = self.alerter.observe(
            result.check,
            result.ok or not result.counts_as_downtime,
            result.started_at,
            result.reason,
            maintenance=maintenance,
        )
        failed = _failed(result)
        # Each links to its incident's row on the status page, whose id is the outage's start.
        notes = [
            replace(n, origin=self.origin, failed=failed, anchor=incident_id(n.check, n.since))
            for n in notes
        ]
        # New serious or critical accessibility violations: alerts of their own, whatever
        # the check's outcome (the steps it reached were audited).
        found = self.alerter.observe_accessibility(result, maintenance=maintenance)
        section = section_id(result.check)
        return notes + [replace(note, origin=self.origin, anchor=section) for note in found]

    def run_once(self) -> list[CheckResult]:
        return [self.run_check(spec) for spec in self.checks]

    def schedule(self, scheduler: Scheduler, every_s: int) -> None:
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

    def _scheduled(self, spec: CheckSpec, job: Job) -> None:
        # schedule keeps naive local times; the job's next_run is still this run's due time.
        due = job.next_run
        lag = max(0.0, (datetime.now() - due).total_seconds()) if due else 0.0
        self.run_check(spec, lag_s=lag)


def _failed(result: CheckResult) -> Failed:
    """Where a failed check failed and the evidence to link to (none for one that worked)."""
    if result.ok:
        return Failed()
    folder = Path(result.evidence) if result.evidence else None
    kept = [name for name in ALERT_EVIDENCE if folder is not None and (folder / name).is_file()]
    name = folder.name if folder is not None else ""
    return Failed(result.failed_at, name if kept else "", kept[0] if kept else "")


class StatusServer:
    """The status page and ``/metrics``: a socket bound first (``listen_http``), served by
    uvicorn in a background thread once there is a monitor (``serve_http``)."""

    def __init__(self, sock: socket.socket) -> None:
        self.socket = sock
        self.server_address: tuple[str, int] = sock.getsockname()
        self._uvicorn: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def serve(self, monitor: Monitor) -> None:
        config = uvicorn.Config(
            web.create_app(monitor),
            lifespan="off",
            # The monitor's logging stays as it is: no uvicorn handlers, no startup lines.
            log_config=None,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=SHUTDOWN_S,
        )
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._uvicorn.run, args=([self.socket],), name="monitor-http", daemon=True
        )
        self._thread.start()

    def shutdown(self) -> None:
        """Stop serving, and return once the server has stopped."""
        if self._uvicorn is None or self._thread is None:
            return
        self._uvicorn.should_exit = True
        self._thread.join()

    def server_close(self) -> None:
        self.socket.close()


def listen_http(host: str, port: int) -> StatusServer:
    """Bind the status and metrics socket without serving yet, so that a port in use (or a
    wrong host) is reported before anything else starts. Raises ``OSError`` (``OverflowError``
    for a port out of range)."""
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY on accepted connections only then, and
    # without it a response written in two parts waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    return StatusServer(sock)


def serve_http(
    monitor: Monitor, host: str, port: int, *, server: StatusServer | None = None
) -> StatusServer:
    """``/metrics`` for Prometheus and ``/`` for people, in a background thread (on
    ``server`` when one was bound already)."""
    server = server or listen_http(host, port)
    server.serve(monitor)
    return server


def loop(monitor: Monitor, every_s: int, stop: threading.Event) -> None:
    """Run the schedule until ``stop`` is set, waking when the next check is due."""
    scheduler = schedule.Scheduler()
    monitor.schedule(scheduler, every_s)
    while not stop.is_set():
        scheduler.run_pending()
        idle = scheduler.idle_seconds
        stop.wait(timeout=min(max(idle or 0.0, 0.05), 1.0))
