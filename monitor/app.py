"""``sentinel monitor``: wiring the target, the checks, history, metrics, alerts and schedule."""

from __future__ import annotations

import contextlib
import logging
import re
import signal
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import sync_playwright

from flows import catalog
from monitor import startup
from monitor.alerts import Alerter, AlertPolicy, Origin
from monitor.executor import A11Y_MONITOR_MODES, CheckExecutor, CheckSpec, WarmBrowser
from monitor.history import History
from monitor.metrics import Metrics
from monitor.results import CheckResult, CodeTiming, Finding, StepTiming
from monitor.service import Monitor, StatusServer, listen_http, loop, serve_http
from runtime.accessibility import Baseline
from runtime.browser import blocks_production
from runtime.codes import CodeSettings, open_codes
from runtime.journey import needs_test_control
from runtime.network import Network, check_network
from runtime.targets import MOCK, Target, open_target, resolve_target
from runtime.tokens import TOKEN_ENV
from runtime.usage import UsageError

log = logging.getLogger("monitor")
DEFAULT_CHECKS = ("portal", "login")
_DURATION = re.compile(r"^(\d{1,30})\s*([smhd]?)$", re.ASCII)
MAX_DURATION_S = 366 * 86400


def parse_duration(text: str) -> int:
    """``90``, ``90s``, ``5m``, ``2h``, ``1d`` -> seconds; at most a year."""
    match = _DURATION.match(text.strip())
    if not match:
        raise UsageError(f"{text!r} is not a duration such as 30s, 5m or 1h")
    if int(match.group(1)) == 0:
        raise UsageError(f"{text!r} is zero: give a duration such as 30s, 5m or 1h")
    # Longer is a typo; timers and dates overflow (Python's too) somewhere past it.
    number = match.group(1)
    seconds = int(number) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    if seconds > MAX_DURATION_S:
        raise UsageError(f"{text!r} is longer than a year")
    return seconds


def parse_window(text: str) -> tuple[datetime, datetime]:
    """A maintenance window ``2026-11-30T01:00/2026-11-30T03:00`` (UTC when no offset)."""
    try:
        start, end = (datetime.fromisoformat(part) for part in text.split("/"))
    except ValueError:
        raise UsageError(f"{text!r} is not a window START/END in ISO time") from None
    # In UTC, as every time the monitor prints.
    start, end = (t.astimezone(UTC) if t.tzinfo else t.replace(tzinfo=UTC) for t in (start, end))
    if end <= start:
        raise UsageError(f"the maintenance window {text!r} ends before it starts")
    return start, end


@dataclass
class Options:
    target: str = "mock"
    flows: list[str] = field(default_factory=lambda: list(DEFAULT_CHECKS))
    every_s: int = 300
    metrics_host: str = "127.0.0.1"
    metrics_port: int = 9464
    webhooks: list[str] = field(default_factory=list)
    once: bool = False
    data: Path = Path("reports/monitor")
    test_token: str | None = field(default=None, repr=False)  # a repr is printed
    timeout_s: float = 120.0
    degraded_s: float = 30.0
    retries: int = 1
    # A working check whose slowest verification code took longer is degraded.
    code_delivery_degraded_s: float = 60.0
    policy: AlertPolicy = field(default_factory=AlertPolicy)
    maintenance: list[tuple[datetime, datetime]] = field(default_factory=list)
    connect: str | None = None  # a Playwright browser server instead of a local Chromium
    codes: CodeSettings = field(default_factory=CodeSettings)  # where the codes come from
    channel: str = "sms"  # how the checks' citizens get their codes: sms or email
    a11y: str = "report"  # off, or report (metrics, status page, alerts): A11Y_MONITOR_MODES
    a11y_baseline: Path | None = None  # the violations accepted (`sentinel audit`'s file)
    network: Network | None = None  # a slow or vanishing network the checks run on
    region: str = ""  # which monitor this is, among several: named in every alert
    public_url: str = ""  # the status page's public address, which alerts link to
    # With ``once``: a check that fails in a declared maintenance window exits 1 too.
    fail_in_maintenance: bool = False
    dry_run: bool = False  # check the settings, say what would run, start nothing

    def in_maintenance(self, now: datetime) -> bool:
        return any(start <= now < end for start, end in self.maintenance)

    def window_of(self, now: datetime) -> tuple[datetime, datetime] | None:
        """The declared maintenance window ``now`` is in, if any."""
        return next(((s, e) for s, e in self.maintenance if s <= now < e), None)

    def checks(self) -> list[CheckSpec]:
        return [
            CheckSpec(
                f,
                self.timeout_s,
                self.degraded_s,
                self.retries,
                code_delivery_degraded_s=self.code_delivery_degraded_s,
            )
            for f in self.flows
        ]


def validate(options: Options) -> None:
    if not options.target.strip():
        raise UsageError("--target is empty: give 'mock' or the portal's URL")
    unknown = [f for f in options.flows if f not in catalog.FLOWS]
    if unknown:
        raise UsageError(f"unknown flow {unknown[0]!r}; flows: {', '.join(catalog.FLOWS)}")
    if options.a11y not in A11Y_MONITOR_MODES:
        raise UsageError(f"--a11y takes {' or '.join(A11Y_MONITOR_MODES)}, not {options.a11y!r}")
    if options.a11y_baseline is not None and options.a11y == "off":
        raise UsageError("--a11y-baseline needs the audits that --a11y off turns off")
    if options.fail_in_maintenance and not options.once:
        raise UsageError(
            "--fail-in-maintenance is for --once: the running monitor never alerts on a "
            "failure inside a maintenance window"
        )
    _check_network(options)
    # Read as the browser will read it, and refused for checks that write on production,
    # before a port is bound or anything starts.
    options.target = resolve_target(options.target, catalog.with_prerequisites(options.flows))
    startup.check_port(options.target)
    # A setting, refused before any check rather than failing every one (the bundled mock
    # gets a token of its own).
    missing = needs_test_control(options.flows)
    if options.target != MOCK and not options.test_token and missing:
        raise UsageError(f"{missing}: set ${TOKEN_ENV} or pass --test-token-file")


def _check_network(options: Options) -> None:
    """An ``offline-after`` must cut the network in at least one check (each runs its flow
    after its prerequisites); the checks whose flows lack the step run online."""
    refusals = []
    for flow in options.flows:
        try:
            check_network(options.network, catalog.with_prerequisites([flow]))
        except UsageError as refused:
            refusals.append(refused)
        else:
            return
    if refusals:
        raise UsageError(f"--network {refusals[0]}")


def baseline(options: Options) -> Baseline:
    """The accessibility baseline the checks compare with: empty (every violation is new)
    without ``--a11y-baseline``; a file that is not one is refused, naming it."""
    if options.a11y_baseline is None:
        return Baseline()
    try:
        return Baseline.load(options.a11y_baseline)
    except ValueError as error:
        raise UsageError(f"--a11y-baseline: {error}") from None


def run(options: Options) -> int:
    """Run the monitor; with ``once``, each check once, exit code 1 when any failed."""
    validate(options)
    accepted = baseline(options)
    writable_folder(options.data)
    if options.dry_run:
        print(startup.describe(options))
        return 0
    with contextlib.ExitStack() as stack:
        # Bound before the mock or a browser starts: a port in use stops nothing half-started.
        server = None if options.once else _listen(options)
        if server is not None:
            stack.callback(server.server_close)
        # Read as the browser will read it; checks that write refuse the production portal.
        target = stack.enter_context(
            open_target(
                options.target,
                catalog.with_prerequisites(options.flows),
                token=options.test_token,
                database=options.data / "mock-portal.db",
                announce=lambda url: print(f"Bundled mock portal: {url}"),
            )
        )
        return _watch(options, target, server, stack, accepted)


def _watch(
    options: Options,
    target: Target,
    server: StatusServer | None,
    stack: contextlib.ExitStack,
    accepted: Baseline,
) -> int:
    """Watch an open target until stopped (or once); ``stack`` closes what is opened here."""
    # The production portal has no test-control API (only read-only checks watch it).
    api = stack.enter_context(target.test_control()) if target.has_test_control else None
    # Opened first, for the monitor's life: a mailbox that refuses the login or a webhook
    # port in use stops it at once; a webhook listens between the checks too (a late SMS is
    # then seen, not lost).
    codes = stack.enter_context(open_codes(options.codes, api))
    if api is not None:
        startup.preflight(options, target, api, codes)
    history = History(options.data / "monitor.db")
    stack.callback(history.close)
    metrics = Metrics()
    playwright = stack.enter_context(sync_playwright())
    browser = WarmBrowser(
        playwright,
        on_restart=metrics.browser_restarts.inc,
        endpoint=options.connect,
        block_production=blocks_production(target.url),
    )
    stack.callback(browser.close)
    monitor = Monitor(
        executor=CheckExecutor(
            browser,
            target.url,
            api,
            options.data / "evidence",
            codes_for=lambda _: codes,
            channel=options.channel,
            a11y=options.a11y,
            baseline=accepted,
            network=options.network,
        ),
        checks=options.checks(),
        history=history,
        metrics=metrics,
        alerter=Alerter(options.policy),
        webhooks=options.webhooks,
        in_maintenance=options.in_maintenance,
        origin=Origin(startup.shown(target), options.region, options.public_url),
    )
    monitor.restore()
    return _once(monitor, options) if options.once else _forever(monitor, options, server)


def _once(monitor: Monitor, options: Options) -> int:
    results = monitor.run_once()
    width = max(len(r.check) for r in results)
    excused = []  # failures inside a declared maintenance window
    for r in results:
        window = options.window_of(r.started_at)
        if not r.ok:
            detail = f"  {r.reason} {r.where}: {r.message}"
        else:
            detail = f"  {r.message}" if r.message else ""  # why it is degraded
        if window is not None and not r.ok:
            excused.append(r)
            detail = f"  in maintenance until {window[1]:%Y-%m-%d %H:%M} UTC;{detail}"
        print(f"{r.check:<{width}}  {r.outcome:<9} {r.duration_s:6.1f}s{detail}")
        for code in r.codes:
            tried = f" (try {code.attempt} of {r.attempts})" if r.attempts > 1 else ""
            print(f"{'':<{width}}  {_delivery_line(code)}{tried}")
        for line in _a11y_lines(r):
            print(f"{'':<{width}}  {line}")
    print(f"History: {monitor.history.path}")
    if excused:
        print(_maintenance_summary(len(excused), options.fail_in_maintenance))
    counted = [r for r in results if not r.ok]
    if not options.fail_in_maintenance:
        counted = [r for r in counted if options.window_of(r.started_at) is None]
    return 1 if counted else 0


def _maintenance_summary(count: int, counted: bool) -> str:
    """What became of the failures inside a declared maintenance window."""
    checks = f"{count} check{'' if count == 1 else 's'}"
    if counted:
        return f"In maintenance: {checks} failed inside a declared window (--fail-in-maintenance)."
    return (
        f"In maintenance: {checks} failed inside a declared window: not counted against "
        "uptime, no alert, exit 0 (--fail-in-maintenance to exit 1)."
    )


def _delivery_line(code: CodeTiming) -> str:
    """``the registration code by email (activation): 3.2 s``, or that it never came."""
    if not code.arrived:
        took = "never came"
    elif code.seconds is None:
        took = "arrived, not timed"
    else:
        took = f"{code.seconds:.1f} s"
    return f"the {code.purpose} code by {code.channel} ({code.flow}): {took}"


def _a11y_lines(result: CheckResult) -> list[str]:
    """What the check's audits found that the baseline does not accept, a line each."""
    return [_violation_line(step, finding) for step, finding in result.new_violations()]


def _violation_line(step: StepTiming, finding: Finding) -> str:
    """``new accessibility violation on the screen after step 5. ... of registration:
    image-alt (critical, 1 element) https://...``."""
    count = f"{finding.nodes} element{'' if finding.nodes == 1 else 's'}"
    return (
        f"new accessibility violation on the screen after step {step.title or step.step} of "
        f"{step.flow}: "
        f"{finding.rule} ({finding.impact}, {count}) {finding.help_url}".rstrip()
    )


def writable_folder(folder: Path) -> None:
    """Create ``--data`` if need be, and make sure the monitor can write in it, now rather
    than at its first check (an actual write: permissions alone do not say, for root)."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--data {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check-"):
            pass
    except OSError as error:
        raise UsageError(f"--data {folder} cannot be written: {error.strerror}") from None


def _listen(options: Options) -> StatusServer:
    try:
        return listen_http(options.metrics_host, options.metrics_port)
    except (OSError, OverflowError) as error:  # in use, a wrong host, a port out of range
        raise UsageError(
            f"cannot listen on --metrics-host {options.metrics_host} --metrics-port "
            f"{options.metrics_port}: {getattr(error, 'strerror', None) or error}"
        ) from None


def _forever(monitor: Monitor, options: Options, server: StatusServer | None = None) -> int:
    server = serve_http(monitor, options.metrics_host, options.metrics_port, server=server)
    host, port = server.server_address[:2]
    print(f"Status page: http://{host}:{port}/  metrics: http://{host}:{port}/metrics")
    print(f"History: {monitor.history.path}", flush=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        loop(monitor, options.every_s, stop)
    finally:
        server.shutdown()
    return 0
