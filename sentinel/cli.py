"""The ``sentinel`` command line.

sentinel mock --host 127.0.0.1 --port 8000 --db reports/mock-portal/portal.db
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from mock_portal import config as mock_config
from mock_portal import contract as mock_contract
from mock_portal import markup as mock_markup
from mock_portal import wording as mock_wording
from mock_portal.config import ConfigError, PortalConfig, parse_assignments
from runtime.masking import SCREENSHOT_POLICIES, masked_urls
from runtime.tokens import TOKEN_ENV, TokenError, check_characters, read_token_file
from runtime.usage import UsageError

if TYPE_CHECKING:  # the test API client loads the flows and Playwright: not for `mock`
    from runtime.results import FolderLock
    from runtime.testapi import TokenRefused

DEFAULT_DB = Path("reports/mock-portal/portal.db")


class FlowNames:
    """The documented flows' names, read from the catalogue when first asked: the catalogue
    loads the page objects and Playwright, which ``sentinel mock`` has no need of."""

    def _names(self) -> list[str]:
        from flows.catalog import FLOWS

        return list(FLOWS)

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __str__(self) -> str:
        return ", ".join(self._names())


FLOW_NAMES = FlowNames()


class GuideNames(FlowNames):
    """What ``sentinel guide --flow`` takes: each guide's name, and each flow that has a
    guide (for all its guides); read from the guides when first asked, as the flows are."""

    def _names(self) -> list[str]:
        from guides.make import GUIDES

        names = [guide.name for guide in GUIDES]
        flows = dict.fromkeys(guide.flow for guide in GUIDES)
        return names + [flow for flow in flows if flow not in names]


GUIDE_NAMES = GuideNames()


class OneLineParser(argparse.ArgumentParser):
    """Argument errors in one line naming the option, as every other setting error is: the
    usage block argparse prints first would bury the line that says what is wrong."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def whole_number(text: str) -> int:
    """Ports and counts: ASCII digits, not whatever ``int()`` reads ("５", "1_0", "+5" and
    " 5" are 5, 10, 5 and 5 to it). A minus sign is let through for the range checks, which
    name the negative value refused."""
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        raise argparse.ArgumentTypeError(f"takes a whole number in digits 0-9, not {text!r}")
    if len(digits) > 18:  # int() refuses thousands of digits with a message of its own
        raise argparse.ArgumentTypeError(f"is far too large ({len(digits)} digits)")
    return int(text)


def database_file(text: str) -> Path:
    """``--db``: a file. ``Path()`` drops a trailing slash (and a last "."), so the folder a
    user named would become a FILE of that name."""
    last = text.replace(os.sep, "/").rsplit("/", 1)[-1]
    if last in ("", ".", ".."):
        raise argparse.ArgumentTypeError(
            f"the database {text} names a folder; name a file in it, "
            f"such as {Path(text) / 'portal.db'}"
        )
    return Path(text)


def checked_by(check: Callable[[str], object]) -> Callable[[str], object]:
    """An argparse type from a ``mock_portal.config`` check: its ``ConfigError`` is the
    option's one-line error."""

    def convert(text: str) -> object:
        try:
            return check(text)
        except ConfigError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = check.__name__
    return convert


def add_delivery_options(mock: argparse.ArgumentParser) -> None:
    """``sentinel mock --smtp --mail-from --sms-webhook``: the codes sent for real. Each
    defaults to its environment variable (``delivery_of``)."""
    env = mock_config.DELIVERY_ENV
    mock.add_argument(
        "--smtp",
        type=checked_by(mock_config.smtp_address),
        metavar="HOST:PORT",
        help="also send each email code as a real email through this SMTP server (plain "
        f"SMTP, no login, as a test mail server takes it); default ${env['smtp']}, else "
        "none: codes stay in the outbox",
    )
    mock.add_argument(
        "--mail-from",
        type=checked_by(mock_config.mail_from),
        metavar="ADDR",
        help=f"the From of those emails (default: ${env['mail_from']}, else "
        f"'{mock_config.DEFAULT_MAIL_FROM}')",
    )
    mock.add_argument(
        "--sms-webhook",
        type=checked_by(mock_config.webhook_url),
        metavar="URL",
        help="also POST each SMS code to this http(s) URL as an SMS gateway would: "
        "form-encoded From, To and Body; default "
        f"${env['sms_webhook']}, else none. A failed send is retried "
        "(--set delivery_attempts, delivery_retry_ms) and never blocks the citizen",
    )


def delivery_of(
    args: argparse.Namespace, environ: Mapping[str, str] | None = None
) -> mock_config.DeliverySettings | None:
    """Where ``sentinel mock`` sends codes: the options, else their environment variables
    (checked as the options are; a ``ConfigError`` names the variable). None: nowhere."""
    environ = os.environ if environ is None else environ
    checks = {
        "smtp": mock_config.smtp_address,
        "mail_from": mock_config.mail_from,
        "sms_webhook": mock_config.webhook_url,
    }
    chosen: dict[str, Any] = {}
    for name, check in checks.items():
        value = getattr(args, name)
        variable = mock_config.DELIVERY_ENV[name]
        if value is None and environ.get(variable):
            try:
                value = check(environ[variable])
            except ConfigError as error:
                raise ConfigError(f"${variable} {error}") from None
        chosen[name] = value
    if not chosen["smtp"] and not chosen["sms_webhook"]:
        return None
    return mock_config.DeliverySettings(
        smtp=chosen["smtp"],
        mail_from=chosen["mail_from"] or mock_config.DEFAULT_MAIL_FROM,
        sms_webhook=chosen["sms_webhook"],
    )


def unexpected_in_one_line(handler: Callable[[argparse.Namespace], int]):
    """What no handler expected (our own bug, most likely) is one line too, pointing to
    ``--debug``, which shows its traceback."""

    @functools.wraps(handler)
    def handle(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except Exception as error:
            if args.debug:
                raise
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            print(
                f"sentinel {args.command}: unexpected error: {type(error).__name__}"
                f"{': ' + first if first else ''} (run again with --debug for the traceback)",
                file=sys.stderr,
            )
            return 1

    return handle


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="sentinel",
        description="Test harness and synthetic monitor for the Segurança Social Direta portal.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    mock = commands.add_parser(
        "mock",
        help="serve the bundled mock portal",
        description="Serve the bundled mock of the portal (uvicorn, SQLite).",
    )
    mock.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    mock.add_argument(
        "--port",
        type=whole_number,
        default=8000,
        help="port; 0 picks a free one (default: %(default)s)",
    )
    mock.add_argument(
        "--db",
        type=database_file,
        default=DEFAULT_DB,
        help="the SQLite file of the portal's records, accounts, codes and sessions, kept "
        "across restarts (default: %(default)s)",
    )
    add_token_options(mock, "enable the /__test__/ API with this token, 16 characters or more")
    mock.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a portal rule, e.g. --set code_ttl_minutes=10 (repeatable; also "
        "$SENTINEL_MOCK_<NAME>): "
        + ", ".join(
            f"{f.name} ({str(f.default).lower()})"
            for f in dataclasses.fields(mock_config.PortalConfig)
        ),
    )
    mock.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help="how much the portal logs; info logs each request's method, path, status and "
        "time (default: %(default)s)",
    )
    # Read from the portal itself, so a profile or style added there is offered here.
    mock.add_argument(
        "--contract",
        choices=list(mock_contract.CONTRACTS),
        default=mock_contract.DEFAULT,
        help="what the /__test__/ API offers: "
        + "; ".join(f"{name} ({said})" for name, said in mock_contract.DESCRIPTIONS.items())
        + ". GET /__test__/ lists it (default: %(default)s)",
    )
    mock.add_argument(
        "--wording",
        choices=list(mock_wording.PROFILES),
        help="the wording profile to start with, as POST /__test__/wording sets it "
        f"(default: the stored one, else {mock_wording.DEFAULT})",
    )
    mock.add_argument(
        "--markup",
        choices=list(mock_markup.STYLES),
        help="the markup style to start with, as POST /__test__/markup sets it "
        f"(default: the stored one, else {mock_markup.DEFAULT})",
    )
    add_delivery_options(mock)

    run = commands.add_parser(
        "run",
        help="run the documented flows once and build the Allure report",
        description="Run the documented flows in a real browser and build the Allure report.",
    )
    run.add_argument(
        "--target",
        default="mock",
        help="'mock' (start the bundled mock portal) or a staging URL (default: %(default)s)",
    )
    run.add_argument(
        "--flow",
        dest="flows",
        action="append",
        choices=FLOW_NAMES,
        metavar="NAME",
        help="a flow to run, repeatable: %(choices)s (default: all)",
    )
    add_token_options(run, "the test-control API token of a URL target")
    run.add_argument("--headed", action="store_true", help="show the browser")
    run.add_argument(
        "--step-screenshots",
        choices=SCREENSHOT_POLICIES,
        default="screens",
        help="masked screenshots in the report: each screen as it is left (screens), after "
        "every step (every) or none (off); a failed step always has one (default: %(default)s)",
    )
    add_connect(run)
    add_code_options(run)
    add_channel(run)
    add_network(run)
    run.add_argument(
        "--a11y",
        choices=("off", "report", "fail"),
        default="report",
        help="the accessibility audit of every screen (axe-core, WCAG 2.0/2.1 A and AA): off, "
        "in the report (report), or also failing a flow that reaches a new serious or "
        "critical violation (fail) (default: %(default)s)",
    )
    run.add_argument(
        "--a11y-baseline",
        type=Path,
        metavar="FILE",
        help="the violations already accepted, by flow, step and rule (written by `sentinel "
        "audit --update-baseline`); only the others are new",
    )
    add_debug(run, "the test session's own output and tracebacks")
    run.add_argument("--no-report", action="store_true", help="write results, skip the HTML")
    add_report_paths(run)

    add_monitor_parser(commands)
    add_guide_parser(commands)
    add_audit_parser(commands)

    report = commands.add_parser(
        "report",
        help="build the Allure HTML report from reports/allure-results",
        description="Build reports/allure-report/index.html (Allure Report 3) from the results.",
    )
    add_report_paths(report)
    return parser


class ExamplesFormatter(argparse.HelpFormatter):
    """argparse's wrapped help, with an epilog of examples kept as written (command lines
    and their comments lose their meaning when rewrapped)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("examples:"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


MONITOR_EXAMPLES = """\
examples:
  sentinel monitor                                  # the bundled mock, status page on :9464
  sentinel monitor --target https://staging.example.pt --test-token-file /etc/ps/token \\
      --flow portal --flow login --every 5m --region lisbon --public-url https://mon.example.org/
  sentinel monitor --target https://www.seg-social.pt --flow portal --once    # from cron
  sentinel monitor --maintenance 2026-12-24T22:00/2026-12-25T02:00 ...   # UTC unless an offset

environment: SENTINEL_TEST_TOKEN (the test token), SENTINEL_ALERT_WEBHOOK (webhook URLs,
separated by spaces), SENTINEL_REGION, SENTINEL_PUBLIC_URL, SENTINEL_CODES_* (see
verification codes); an option wins over its variable.
"""


def add_monitor_parser(commands: argparse._SubParsersAction) -> None:
    monitor = commands.add_parser(
        "monitor",
        help="scheduled synthetic checks with Prometheus metrics, alerts and a status page",
        description="Run the documented flows on a schedule; serve /metrics and a status page. "
        "Every setting is checked before anything starts: a wrong one is refused in one line "
        "(exit 2) that says what to change.",
        epilog=MONITOR_EXAMPLES,
        formatter_class=ExamplesFormatter,
    )
    monitor.add_argument(
        "--target",
        default="mock",
        help="'mock' (start the bundled mock portal) or the portal's URL (default: mock)",
    )
    monitor.add_argument(
        "--flow",
        dest="flows",
        action="append",
        choices=FLOW_NAMES,
        metavar="NAME",
        help="a check to run, repeatable: %(choices)s; each runs its flow after the flows it "
        "requires; portal is read-only, the others need the test-control API "
        "(default: portal and login)",
    )
    monitor.add_argument(
        "--once",
        action="store_true",
        help="run each check once, print a summary and exit: 1 if any failed (outside a "
        "declared maintenance window), else 0; for cron",
    )
    monitor.add_argument(
        "--dry-run",
        action="store_true",
        help="check every setting, say what would run, and exit (0, or 2 on a wrong setting) "
        "without starting a portal, a browser or a check",
    )
    monitor.add_argument(
        "--data",
        type=Path,
        default=Path("reports/monitor"),
        metavar="FOLDER",
        help="where the history (monitor.db) and each failure's evidence are kept; a "
        "restarted monitor continues from it (default: %(default)s)",
    )
    add_token_options(monitor, "the test-control API token of a URL target")

    timing = monitor.add_argument_group("schedule and limits (durations: 90, 90s, 5m, 2h, 1d)")
    timing.add_argument(
        "--every",
        default="5m",
        metavar="DURATION",
        help="from the end of a check to its next start (default: 5m)",
    )
    timing.add_argument(
        "--timeout",
        default="2m",
        metavar="DURATION",
        help="a check's time limit; past it the check fails as timeout (default: 2m)",
    )
    timing.add_argument(
        "--degraded",
        default="30s",
        metavar="DURATION",
        help="a working check slower than this is degraded: up, but slow (default: 30s)",
    )
    timing.add_argument(
        "--code-delivery-degraded",
        default="60s",
        metavar="DURATION",
        help="a verification code slower than this to arrive makes a working check degraded "
        "(default: 60s)",
    )
    timing.add_argument(
        "--retries",
        type=whole_number,
        default=1,
        metavar="N",
        help=f"tries again (0 to {MAX_RETRIES}) before a check counts as failed (default: 1)",
    )
    timing.add_argument(
        "--maintenance",
        action="append",
        default=[],
        metavar="START/END",
        help="a declared maintenance window in ISO time, UTC unless it has an offset, e.g. "
        "2026-12-24T22:00/2026-12-25T02:00 or 2026-12-24T22:00+00:00/2026-12-25T02:00+00:00 "
        "(repeatable): failures inside it alert nobody and do not count against uptime",
    )
    timing.add_argument(
        "--fail-in-maintenance",
        action="store_true",
        help="with --once: exit 1 for a check that fails inside a maintenance window too "
        "(default: such a failure is reported 'in maintenance' and exits 0)",
    )

    alerting = monitor.add_argument_group("alerts")
    alerting.add_argument(
        "--alert-webhook",
        dest="webhooks",
        action="append",
        default=None,
        metavar="URL",
        help="POST each alert here as JSON, Slack-compatible (repeatable; default: the URLs "
        "in $SENTINEL_ALERT_WEBHOOK, separated by spaces, else none: alerts only in the log)",
    )
    alerting.add_argument(
        "--failures-to-alert",
        type=whole_number,
        default=3,
        metavar="N",
        help=f"consecutive failures before an alert fires (1 to {MAX_STREAK}; default: 3)",
    )
    alerting.add_argument(
        "--successes-to-recover",
        type=whole_number,
        default=2,
        metavar="N",
        help="consecutive successes before a firing alert resolves "
        f"(1 to {MAX_STREAK}; default: 2)",
    )
    alerting.add_argument(
        "--reminder",
        default="1h",
        metavar="DURATION",
        help="repeat a firing alert this often while the check still fails (default: 1h)",
    )
    alerting.add_argument(
        "--region",
        default=None,
        metavar="NAME",
        help="which monitor this is among several (letters, digits, '.', '_', '-'), named in "
        "every alert (default: $SENTINEL_REGION, else none)",
    )
    alerting.add_argument(
        "--public-url",
        default=None,
        metavar="URL",
        help="the address where people reach this monitor's status page, e.g. "
        "https://mon.example.org/: every alert links to its incident on the status page "
        "and to the failure's evidence there (default: $SENTINEL_PUBLIC_URL, else no links)",
    )

    serving = monitor.add_argument_group("status page and /metrics")
    serving.add_argument(
        "--metrics-host",
        default="127.0.0.1",
        metavar="HOST",
        help="address to listen on; 0.0.0.0 for every interface (default: %(default)s)",
    )
    serving.add_argument(
        "--metrics-port",
        type=whole_number,
        default=9464,
        metavar="PORT",
        help="port of the status page, /api/status, /metrics and the evidence "
        "(default: %(default)s)",
    )
    add_connect(monitor)
    add_code_options(monitor)
    add_channel(monitor)
    add_monitor_audits(monitor)
    add_debug(monitor, "debug logs, with the traceback of each failed check")


def add_monitor_audits(monitor: argparse.ArgumentParser) -> None:
    """The monitor's accessibility audits and network (``run_monitor`` reads them)."""
    group = monitor.add_argument_group("accessibility and network")
    group.add_argument(
        "--a11y",
        type=monitor_a11y,
        default="report",
        metavar="off|report",
        help="audit every screen with axe-core (WCAG 2.1 A and AA): report the violations in "
        "the metrics and on the status page, and alert on new serious or critical ones; a "
        "check never fails for them (default: report)",
    )
    group.add_argument(
        "--a11y-baseline",
        type=Path,
        metavar="FILE",
        help="the violations accepted (sentinel audit --update-baseline writes it); only "
        "others are new (default: none, every violation is new)",
    )
    group.add_argument(
        "--network",
        metavar="PROFILE",
        help="run the checks on fast-3g or slow-3g (their time limits scale with it), or "
        "offline-after=[FLOW:]STEP (default: this machine's network)",
    )


def monitor_a11y(text: str) -> str:
    """``--a11y``: off or report. ``fail`` is the test suite's: a check's outcome is whether
    citizens can use the portal, and a violation alerts on its own."""
    if text == "fail":
        raise argparse.ArgumentTypeError(
            "fail is for the test suite (pytest, sentinel run): the monitor never fails a "
            "check for accessibility, its uptime is the portal working; report (the default) "
            "alerts on new serious or critical violations"
        )
    if text not in ("off", "report"):
        raise argparse.ArgumentTypeError(f"takes off or report, not {text!r}")
    return text


def monitor_network(text: str | None):  # -> runtime.network.Network | None
    """``--network``, refused in one line naming the option when it names no network."""
    from runtime.network import parse_network

    try:
        return parse_network(text)
    except ValueError as error:
        raise UsageError(f"--network {error}") from None


def add_guide_parser(commands: argparse._SubParsersAction) -> None:
    guide = commands.add_parser(
        "guide",
        help="step-by-step screenshot guides in Portuguese and English",
        description="Run the flows and write illustrated guides (HTML, Markdown, PDF).",
    )
    guide.add_argument(
        "--target",
        default="mock",
        help="'mock' (start the bundled mock portal) or a staging URL (default: %(default)s)",
    )
    guide.add_argument(
        "--flow",
        dest="flows",
        action="append",
        default=[],
        metavar="NAME",
        choices=GUIDE_NAMES,
        help="a guide, or a flow for all its guides, repeatable: %(choices)s "
        "(default: every guide)",
    )
    guide.add_argument(
        "--lang",
        dest="languages",
        action="append",
        choices=["pt", "en"],
        help="a language, repeatable (default: pt and en)",
    )
    guide.add_argument(
        "--format",
        default="html,md,pdf",
        help="comma-separated: html, md, pdf (default: %(default)s)",
    )
    guide.add_argument(
        "--out",
        type=Path,
        default=Path("reports/guides"),
        help="the folder the guides are written to, and --check compares with "
        "(default: %(default)s)",
    )
    guide.add_argument(
        "--check",
        action="store_true",
        help="compare a new run with the guides in --out; exit 1 on changes",
    )
    add_token_options(guide, "the test-control API token of a URL target")
    add_connect(guide)
    add_code_options(guide)
    add_channel(guide)
    add_debug(guide, "the traceback of each failed flow")
    guide.add_argument(
        "--wording", choices=["official", "guide"], default=None, help=argparse.SUPPRESS
    )  # the bundled mock's wording, for testing


@unexpected_in_one_line
def run_guide(args: argparse.Namespace) -> int:
    from flows.codes import CodeSourceError
    from flows.context import TargetUnreachable
    from flows.errors import PortalUnavailable, ProductionRefused
    from guides import app
    from runtime.testapi import TestApiError, TokenRefused

    formats = {f.strip() for f in args.format.split(",") if f.strip()}
    unknown = formats - set(app.FORMATS)
    if unknown or not formats:
        print(f"sentinel guide: formats are html, md and pdf, not {args.format!r}", file=sys.stderr)
        return 2
    options = app.Options(
        target=args.target,
        flows=args.flows,
        languages=args.languages or ["pt", "en"],
        formats=formats,
        out=args.out,
        check=args.check,
        test_token=args.test_token,
        wording=args.wording,
        connect=args.connect,
        debug=args.debug,
    )
    try:
        options.codes = code_settings(args)
        options.channel = args.channel
        return app.run(options)
    except TokenRefused as refused:
        return say_token_refused("guide", args.target, refused)
    except (UsageError, CodeSourceError) as error:
        print(f"sentinel guide: {error}", file=sys.stderr)
        return 2
    except ProductionRefused as error:
        print(f"sentinel guide: {error}", file=sys.stderr)
        return 1
    except (TargetUnreachable, PortalUnavailable) as error:
        # Nothing to show of a portal that does not answer: say so, not where we noticed it.
        print(
            masked_urls(f"sentinel guide: the portal at {args.target} cannot be reached: {error}"),
            file=sys.stderr,
        )
        return 1
    except TestApiError as error:
        print(
            masked_urls(f"sentinel guide: the test-control API of {args.target}: {error}"),
            file=sys.stderr,
        )
        return 1


@unexpected_in_one_line
def run_monitor(args: argparse.Namespace) -> int:
    import logging
    from datetime import timedelta

    from flows.codes import CodeSourceError
    from monitor import app, settings
    from monitor.alerts import AlertPolicy
    from runtime.testapi import TokenRefused

    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.INFO,
        format="%(asctime)s %(name)s %(message)s",
    )
    # httpx logs every request with its query string, which can hold an NISS.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    try:
        options = app.Options(
            target=args.target,
            flows=args.flows or list(app.DEFAULT_CHECKS),
            every_s=monitor_duration("--every", args.every),
            metrics_host=args.metrics_host,
            metrics_port=monitor_number("--metrics-port", args.metrics_port, 0, 65535),
            webhooks=settings.webhooks(args.webhooks, os.environ),
            region=settings.region(args.region, os.environ),
            public_url=settings.public_url(args.public_url, os.environ),
            once=args.once,
            data=args.data,
            test_token=args.test_token,
            timeout_s=monitor_duration("--timeout", args.timeout),
            degraded_s=monitor_duration("--degraded", args.degraded),
            retries=monitor_number("--retries", args.retries, 0, MAX_RETRIES),
            policy=AlertPolicy(
                failures_to_alert=monitor_number(
                    "--failures-to-alert", args.failures_to_alert, 1, MAX_STREAK
                ),
                successes_to_recover=monitor_number(
                    "--successes-to-recover", args.successes_to_recover, 1, MAX_STREAK
                ),
                reminder_every=timedelta(seconds=monitor_duration("--reminder", args.reminder)),
            ),
            maintenance=[app.parse_window(w) for w in args.maintenance],
            fail_in_maintenance=args.fail_in_maintenance,
            dry_run=args.dry_run,
            connect=args.connect,
            codes=code_settings(args),
            channel=args.channel,
            code_delivery_degraded_s=monitor_duration(
                "--code-delivery-degraded", args.code_delivery_degraded
            ),
            a11y=args.a11y,
            a11y_baseline=args.a11y_baseline,
            network=monitor_network(args.network),
        )
        return app.run(options)
    except TokenRefused as refused:
        return say_token_refused("monitor", args.target, refused)
    except (UsageError, CodeSourceError) as error:
        print(masked_urls(f"sentinel monitor: {error}"), file=sys.stderr)
        return 2


# Beyond these a setting is a typo, not a policy: a check tried 11 times takes half an hour.
MAX_RETRIES = 10
MAX_STREAK = 1000


def monitor_duration(option: str, text: str) -> int:
    """A monitor duration in seconds; a wrong one is refused naming its option."""
    from monitor import app

    try:
        return app.parse_duration(text)
    except UsageError as error:
        raise UsageError(f"{option} {error}") from None


def monitor_number(option: str, value: int, low: int, high: int) -> int:
    """Refused, not clamped: a silently changed setting is not the one the operator chose."""

    if not low <= value <= high:
        raise UsageError(f"{option} must be between {low} and {high}, not {value}")
    return value


def add_code_options(parser: argparse.ArgumentParser) -> None:
    """Where the flows' verification codes come from (``code_settings``): each option
    defaults to its ``$SENTINEL_CODES_*`` variable, the mailbox's password only from one."""
    codes = parser.add_argument_group(
        "verification codes",
        "Default: the test-control API's outbox. Email and SMS may each have a source of "
        "their own; the other channels use --codes-command, else the outbox.",
    )
    codes.add_argument(
        "--codes-imap",
        metavar="URL",
        help="read codes sent by email from this mailbox: imaps://USER@HOST[:PORT]/MAILBOX "
        "(imap:// on this machine only), its password in $SENTINEL_CODES_IMAP_PASSWORD "
        "(default: $SENTINEL_CODES_IMAP)",
    )
    codes.add_argument(
        "--codes-sms-webhook",
        metavar="HOST:PORT",
        help="listen here for the SMS gateway's inbound webhook (form-encoded From, To, Body) "
        "for codes sent by SMS (default: $SENTINEL_CODES_SMS_WEBHOOK)",
    )
    codes.add_argument(
        "--codes-command",
        metavar="COMMAND",
        help="a command printing the latest code, with {niss} and {purpose} "
        "(default: $SENTINEL_CODES_COMMAND)",
    )
    codes.add_argument(
        "--codes-timeout",
        metavar="SECONDS",
        help="how long to wait for each code (default: $SENTINEL_CODES_TIMEOUT, else 60)",
    )


def code_settings(args: argparse.Namespace):  # -> runtime.codes.CodeSettings
    """The code sources the options and the environment give; ``UsageError`` when one is
    wrong (it names the option or variable, never the mailbox's password)."""
    from runtime.codes import CodeSettings

    return CodeSettings.from_options(
        os.environ,
        imap=args.codes_imap,
        sms_webhook=args.codes_sms_webhook,
        command=args.codes_command,
        timeout_s=args.codes_timeout,
    )


def add_channel(parser: argparse.ArgumentParser) -> None:
    """``--channel``: the contacts the synthetic citizens get, so the channel their codes take."""
    parser.add_argument(
        "--channel",
        choices=("sms", "email"),
        default="sms",
        help="how the synthetic citizens get their codes: by sms (they have a mobile and an "
        "email; the portal offers SMS first) or by email (an email only) (default: sms)",
    )


def add_connect(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--connect",
        default=os.environ.get("SENTINEL_BROWSER_WS"),
        metavar="WS_URL",
        help="use a Playwright browser server (playwright run-server) instead of launching "
        "Chromium (default: $SENTINEL_BROWSER_WS)",
    )


def add_debug(parser: argparse.ArgumentParser, shows: str) -> None:
    parser.add_argument(
        "--debug",
        action="store_true",
        help=f"show {shows}; without it a failure is one line naming the flow, the step, "
        "what was expected and the guide that documents it",
    )


def add_report_paths(parser: argparse.ArgumentParser) -> None:
    from sentinel.report import REPORT, RESULTS

    parser.add_argument(
        "--results",
        type=Path,
        default=None,
        help=f"Allure results folder (default: {RESULTS} under the project root, where "
        "pytest writes them from any folder)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help=f"HTML report folder (default: {REPORT} under the project root)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="the Allure Report 3 configuration file (default: the project's allurerc.mjs)",
    )


def report_paths(args: argparse.Namespace) -> None:
    """``--results`` and ``--output`` made absolute: a path given from the current folder, as
    a shell means it; a default under the project root, where pytest writes its results from
    whichever folder it is started (its rootdir), and not under the current folder."""
    from sentinel.report import PROJECT_ROOT, REPORT, RESULTS

    args.results = PROJECT_ROOT / RESULTS if args.results is None else args.results.resolve()
    args.output = PROJECT_ROOT / REPORT if args.output is None else args.output.resolve()


def add_token_options(parser: argparse.ArgumentParser, meaning: str) -> None:
    parser.add_argument(
        "--test-token",
        default=os.environ.get(TOKEN_ENV),
        help=f"{meaning} (default: $SENTINEL_TEST_TOKEN); every user of the machine can read "
        "a command line, so prefer the variable or --test-token-file",
    )
    parser.add_argument(
        "--test-token-file",
        type=Path,
        metavar="PATH",
        help="read the test token from this file (surrounding spaces and newlines ignored)",
    )


def test_token(args: argparse.Namespace) -> str | None:
    """The token of ``--test-token-file``, else of ``--test-token`` or the environment;
    refused when it is not one word (it would go into a header, and its error into logs)."""
    if getattr(args, "test_token_file", None) is not None:
        return read_token_file(args.test_token_file)
    if getattr(args, "target", None) == "mock":
        # The bundled mock gets a fresh token of its own: whatever the environment holds is
        # not used, so it cannot be in the way either.
        return None
    token = getattr(args, "test_token", None) or None
    if token:
        check_characters(token, f"the test token (--test-token or ${TOKEN_ENV})")
    return token


def refuses_the_token(url: str, token: str | None) -> TokenRefused | None:
    """How the portal at ``url`` refuses ``token`` (401, 403), if it does: asked once before
    the session starts, as opening the target asks it for the monitor and the guides (refused
    in the session, every flow would fail on it). Any other answer is the session's to report."""
    from runtime.targets import open_target
    from runtime.testapi import TokenRefused

    try:
        with open_target(url, token=token):
            return None
    except TokenRefused as refused:
        return refused


def say_token_refused(command: str, target: str, refused: TokenRefused) -> int:
    """A wrong token is a setting: one line naming where the token comes from; exit 2."""
    print(
        f"sentinel {command}: the portal at {masked_urls(target)} refused the test token "
        f"({refused.status}): check "
        f"--test-token-file, --test-token or ${TOKEN_ENV}",
        file=sys.stderr,
    )
    return 2


def run_mock(args: argparse.Namespace) -> int:
    from sentinel.mock_server import ServeError, serve

    try:
        config = PortalConfig.from_env().with_overrides(parse_assignments(args.settings))
        delivery = delivery_of(args)
    except ConfigError as error:
        print(f"sentinel mock: {error}", file=sys.stderr)
        return 2
    if not 0 <= args.port <= 65535:
        print("sentinel mock: --port must be between 0 and 65535", file=sys.stderr)
        return 2
    try:
        serve(
            host=args.host,
            port=args.port,
            db=args.db,
            config=config,
            test_token=args.test_token or None,
            log_level=args.log_level,
            contract=args.contract,
            wording=args.wording,
            markup=args.markup,
            delivery=delivery,
        )
    except ServeError as error:
        print(f"sentinel mock: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"sentinel mock: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


@unexpected_in_one_line
def run_flows(args: argparse.Namespace) -> int:
    from flows.catalog import with_prerequisites
    from runtime.targets import TargetError, resolve_target
    from sentinel import report

    names = args.flows or list(FLOW_NAMES)
    try:
        # Read as the browser will read it; flows that write (prerequisites too) refuse
        # the production portal, read-only ones may watch it.
        args.target = resolve_target(args.target, with_prerequisites(names))
        checked_network(args.network, names)
        checked_baseline(args.a11y_baseline)
    except (TargetError, UsageError) as error:
        print(f"sentinel run: {error}", file=sys.stderr)
        return 2
    refused = refuses_the_token(args.target, args.test_token) if args.target != "mock" else None
    if refused is not None:
        return say_token_refused("run", args.target, refused)
    from flows.codes import CodeSourceError
    from runtime.codes import open_codes

    try:
        # Checked here, in one line, before pytest starts: the settings, a mailbox that
        # refuses the login, a webhook port in use (freed again for the session).
        with open_codes(code_settings(args)):
            pass
    except (UsageError, CodeSourceError) as error:
        print(f"sentinel run: {error}", file=sys.stderr)
        return 2
    from runtime.results import HELD_ENV, command_line

    results = args.results.resolve()
    try:
        # Locked until the report is built, so that no other run empties the folder under
        # this one; only an earlier run's results go (the history is kept apart).
        lock = report.take_results(results, command_line(["sentinel", *sys.argv[1:]]))
    except report.FolderInUse as error:
        print(
            f"sentinel run: --results {error}: wait for it to end, or give this run a "
            "folder of its own with --results DIR",
            file=sys.stderr,
        )
        return 2
    except report.ReportError as error:
        print(f"sentinel run: --results {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"sentinel run: --results {results}: {error.strerror}", file=sys.stderr)
        return 2
    with lock:
        return run_session(args, names, results, lock, {HELD_ENV: str(results)})


def run_session(
    args: argparse.Namespace,
    names: list[str],
    results: Path,
    lock: FolderLock,
    held: dict[str, str],
) -> int:
    """The session of ``sentinel run``, in a folder it holds (``held``: the variable that
    tells the session so), its line per flow, and the report."""
    from sentinel import flow_suite, report

    pytest_args = [
        sys.executable,
        "-m",
        "pytest",
        flow_suite.__file__,
        "--alluredir",
        str(results),
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(report.PROJECT_ROOT),
        # The whole story is in the Allure results, and one line per flow here; --debug
        # shows the session as pytest tells it, tracebacks and all.
        *(["--tb=long"] if args.debug else ["-v", "--tb=no", "--color=no"]),
        *(f"--flow={name}" for name in names),
    ]
    if args.target != "mock":
        pytest_args.append(f"--base-url={args.target}")
    # The token goes in the environment (the plugin reads it), never on a command line. The
    # target is the one given here: an inherited pytest base URL or options must not replace
    # it (past the target's checks).
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_BASE_URL", "PYTEST_ADDOPTS")}
    env.update(held)
    if args.test_token:
        env["SENTINEL_TEST_TOKEN"] = args.test_token
    if args.headed:
        pytest_args.append("--headed")
    if args.connect:
        pytest_args.append(f"--connect={args.connect}")
    pytest_args.append(f"--step-screenshots={args.step_screenshots}")
    pytest_args.append(f"--channel={args.channel}")
    if args.network is not None:
        pytest_args.append(f"--network={args.network.name}")
    pytest_args.append(f"--a11y={args.a11y}")
    if args.a11y_baseline is not None:
        pytest_args.append(f"--a11y-baseline={args.a11y_baseline.resolve()}")
    for option in ("codes_imap", "codes_sms_webhook", "codes_command", "codes_timeout"):
        if getattr(args, option) is not None:  # the environment's, pytest reads itself
            pytest_args.append(f"--{option.replace('_', '-')}={getattr(args, option)}")
    print(f"Running {', '.join(names)} against {masked_urls(args.target)}...", flush=True)
    # A process of its own: pytest must import (and rewrite) the harness's modules itself.
    if args.debug:
        code = subprocess.run(
            pytest_args, cwd=report.PROJECT_ROOT, env=env, check=False, preexec_fn=session_dies()
        )
        code, output = code.returncode, ""
    else:
        code, output = run_quietly(pytest_args, env, len(names))
    lock.end_run(code)
    if not any(results.glob("*-result.json")):
        # Not one flow got as far as a result: the session itself failed (a crash, an
        # option it refused). Its last words say why; --debug shows the rest.
        line = report.session_failure(code, output, shown=args.debug)
        print(f"sentinel run: {line}", file=sys.stderr)
        print(f"Allure results: {results}")
        return code or 1
    # Green only if every flow asked for ran and passed: a skipped, failed or missing one is not.
    outcomes = report.flow_outcomes(results, names)
    for outcome in outcomes:
        print(outcome.line())
    if not all(outcome.passed for outcome in outcomes):
        code = code or 1
    print(f"Allure results: {results}")
    if not args.no_report:
        built = render_report(args)
        return code or built
    return code


def session_dies() -> Callable[[], None] | None:
    """The session ends with ``sentinel run``, even one killed with SIGKILL: left running, it
    would write results into the folder whose lock died with ``sentinel run``, under the next
    run. (Started from the main thread, which lives as long as the process.)"""
    import signal

    from runtime.lifetime import dies_with_parent

    return dies_with_parent(signal.SIGTERM)


def run_quietly(pytest_args: list[str], env: dict[str, str], count: int) -> tuple[int, str]:
    """Run the session with its output kept (for when it fails as a whole), showing only
    that each flow is done, as it is done. Returns its exit code and output."""
    from sentinel import report

    kept: list[str] = []
    with subprocess.Popen(
        pytest_args,
        cwd=report.PROJECT_ROOT,
        env={**env, "PYTHONIOENCODING": "utf-8"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        preexec_fn=session_dies(),
    ) as session:
        assert session.stdout is not None
        finished: list[str] = []
        for line in session.stdout:
            kept.append(line)
            flow = report.finished_flow(line)
            if flow and flow not in finished:  # a teardown error is a second line of it
                finished.append(flow)
                print(f"  [{len(finished)}/{count}] {flow} finished", flush=True)
    return session.returncode, "".join(kept)


def build_report(args: argparse.Namespace) -> int:
    """``sentinel report``: which run it renders, in one line, then the report; the folder
    locked meanwhile. Results a later run did not replace, or a run still writing, are
    refused."""
    from sentinel import report

    results = args.results.resolve()
    try:
        with report.reading(results):
            print(report.rendering(results), flush=True)
            return render_report(args)
    except report.FolderInUse as error:
        print(f"sentinel report: {error}: render it once that run has ended", file=sys.stderr)
    except report.ReportError as error:
        print(f"sentinel report: {error}", file=sys.stderr)
    return 1


def render_report(args: argparse.Namespace) -> int:
    from sentinel import report

    try:
        index = report.build(args.results.resolve(), args.output.resolve(), config=args.config)
    except report.ReportError as error:
        print(f"sentinel {args.command}: {error}", file=sys.stderr)
        return 1
    print(f"Allure report:  {index}")
    return 0


# -- sentinel audit, and the network of `run` and `audit` ----------------------------------


def add_network(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--network",
        type=network_option,
        metavar="PROFILE",
        help="run the flows on a slow or vanishing network, as a citizen on a phone: fast-3g, "
        "slow-3g, or offline-after=[FLOW:]STEP (Chromium only; the step time limits scale "
        "with it; default: this machine's network)",
    )


def network_option(text: str):  # -> runtime.network.Network | None
    """``--network``: refused in one line when it names no network (read lazily: the network
    module loads Playwright, which ``sentinel mock`` has no need of)."""
    from runtime.network import parse_network

    try:
        return parse_network(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def checked_baseline(path: Path | None) -> None:
    """``--a11y-baseline``: a file that is not a baseline is refused in one line, before any
    flow runs."""
    if path is None:
        return
    from runtime.accessibility import Baseline

    try:
        Baseline.load(path)
    except ValueError as error:
        raise UsageError(f"--a11y-baseline {error}") from None


def checked_network(network, names: Sequence[str]) -> None:
    """An ``offline-after`` step the flows ``names`` (with their prerequisites) never reach
    is refused before anything runs (``UsageError`` naming the option)."""
    from flows.catalog import with_prerequisites
    from runtime.network import check_network

    try:
        check_network(network, with_prerequisites(list(names)))
    except UsageError as error:
        raise UsageError(f"--network {error}") from None


def add_audit_parser(commands: argparse._SubParsersAction) -> None:
    audit = commands.add_parser(
        "audit",
        help="audit the accessibility (WCAG 2.1 A and AA) and Web Vitals of every documented step",
        description="Run the documented flows, audit every screen with axe-core (WCAG 2.0 and "
        "2.1, A and AA) and measure its Web Vitals; write an HTML and a JSON report. Exit 1 "
        "when a screen has a violation the baseline does not accept, 0 otherwise, 2 on a "
        "wrong setting.",
    )
    audit.add_argument(
        "--target",
        default="mock",
        help="'mock' (start the bundled mock portal) or a staging URL (default: %(default)s)",
    )
    audit.add_argument(
        "--flow",
        dest="flows",
        action="append",
        choices=FLOW_NAMES,
        metavar="NAME",
        help="a flow to audit, repeatable: %(choices)s (default: all)",
    )
    audit.add_argument(
        "--out",
        type=Path,
        default=Path("reports/audit"),
        help="folder of the reports, index.html and audit.json (default: %(default)s)",
    )
    audit.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="the violations already accepted, by flow, step and rule (default: "
        "accessibility-baseline.json in --out, when it is there)",
    )
    audit.add_argument(
        "--update-baseline",
        action="store_true",
        help="write what this audit finds as the baseline (the entries of flows not audited "
        "are kept) and exit 0",
    )
    add_network(audit)
    add_token_options(audit, "the test-control API token of a URL target")
    add_connect(audit)
    add_code_options(audit)
    add_channel(audit)
    add_debug(audit, "the traceback of an unexpected error")


@unexpected_in_one_line
def run_audit(args: argparse.Namespace) -> int:
    from flows.codes import CodeSourceError
    from flows.context import TargetUnreachable
    from flows.errors import PortalUnavailable
    from runtime.testapi import TestApiError, TokenRefused
    from sentinel import audit

    options = audit.Options(
        target=args.target,
        flows=args.flows or [],
        baseline=args.baseline,
        update_baseline=args.update_baseline,
        out=args.out,
        network=args.network,
        test_token=args.test_token,
        connect=args.connect,
        channel=args.channel,
    )
    try:
        checked_network(args.network, options.names)
        options.codes = code_settings(args)
        return audit.run(options)
    except TokenRefused as refused:
        return say_token_refused("audit", args.target, refused)
    except (UsageError, CodeSourceError) as error:
        print(f"sentinel audit: {error}", file=sys.stderr)
        return 2
    except (TargetUnreachable, PortalUnavailable) as error:
        print(
            masked_urls(f"sentinel audit: the portal at {args.target} cannot be reached: {error}"),
            file=sys.stderr,
        )
        return 1
    except TestApiError as error:
        print(
            masked_urls(f"sentinel audit: the test-control API of {args.target}: {error}"),
            file=sys.stderr,
        )
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.test_token = test_token(args)
    except TokenError as error:
        print(f"sentinel {args.command}: {error}", file=sys.stderr)
        return 2
    if hasattr(args, "results"):
        report_paths(args)
    handlers = {
        "mock": run_mock,
        "run": run_flows,
        "monitor": run_monitor,
        "guide": run_guide,
        "report": build_report,
        "audit": run_audit,
    }
    return handlers[args.command](args)
