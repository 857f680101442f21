"""The documented flows with their codes through real channels, the outbox turned off.

The bundled mock, serving a test-control API without an outbox (``--contract mail``), sends
each email code through SMTP to a real mail server that files it in a Dovecot mailbox, and
POSTs each SMS code to the harness's webhook, as a staging portal and its SMS gateway would.
The flows read their codes from that mailbox over IMAP and from that webhook: registration by
email and activation, login with its one-time code and the contacts' code, password reset,
and by SMS registration, login and the Chave Móvel Digital. Then what fails: a code the portal
never sends, a mail server that is down (the portal's failures), a wrong mailbox password (the
harness's), each within the codes' deadline.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from flows.codes import CodeDelivery, CodeSource, CodeSourceError, NoCodes
from flows.context import Citizen
from flows.errors import HarnessDefect, PortalDefect
from flows.flow import Step
from flows.runner import Observer, StepResult
from monitor.history import History
from runtime.citizens import provision, synthetic_faker
from runtime.codes import PASSWORD_VARIABLE, ByChannel, CodeSettings, open_codes
from runtime.imap_codes import ImapCodes
from runtime.journey import Journey, new_context
from runtime.mock_process import BackgroundMock, start_in_background
from runtime.testapi import TestControl
from runtime.tokens import TOKEN_ENV
from sentinel.report import PROJECT_ROOT
from tests.helpers import shell_environment
from tests.mailserver import MailServer, free_port
from tests.security.leaks import Scanner

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TOKEN = secrets.token_urlsafe(16)
DEADLINE_S = 30.0  # a code that is coming comes well within it
SHORT_S = 4.0  # for the codes that never come: how long a failure takes to be said


@dataclass
class Portal:
    mock: BackgroundMock
    api: TestControl
    mail: MailServer
    webhook: str  # HOST:PORT the harness listens on for the SMS gateway


@contextlib.contextmanager
def started(mail: MailServer, folder: Path, contract: str) -> Iterator[Portal]:
    """The mock sending its codes to ``mail`` and to a webhook the harness will listen on."""
    webhook = f"127.0.0.1:{free_port()}"
    mock = start_in_background(
        folder / "portal.db",
        TOKEN,
        "scrypt_n=1024",
        contract=contract,
        options=("--smtp", mail.smtp, "--sms-webhook", f"http://{webhook}/sms"),
    )
    try:
        with TestControl(mock.url, TOKEN) as api:
            yield Portal(mock, api, mail, webhook)
    finally:
        mock.stop()


@pytest.fixture(scope="module")
def portal(mail_server: MailServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """A staging-like portal: its test-control API provisions citizens, has no outbox."""
    with started(mail_server, tmp_path_factory.mktemp("mail-contract"), "mail") as running:
        yield running


@pytest.fixture(scope="module")
def faulty(mail_server: MailServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """A portal that can be told to withhold its codes (the full test-control API); the
    flows still read their codes from the mailbox and the webhook only."""
    with started(mail_server, tmp_path_factory.mktemp("full-contract"), "full") as running:
        yield running


def settings(portal: Portal, **changes: object) -> CodeSettings:
    given: dict[str, object] = {
        "imap": portal.mail.imap_url,
        "imap_password": portal.mail.password,
        "sms_webhook": portal.webhook,
        "timeout_s": DEADLINE_S,
    }
    return CodeSettings(**{**given, **changes})  # type: ignore[arg-type]


@pytest.fixture
def codes(portal: Portal) -> Iterator[CodeSource]:
    with open_codes(settings(portal), portal.api) as source:
        yield source


class Deliveries(Observer):
    """Every code's delivery, as the runner told it."""

    def __init__(self) -> None:
        self.seen: list[CodeDelivery] = []

    def step_finished(self, step: Step, run: object, result: StepResult) -> None:
        if result.code_delivery is not None:
            self.seen.append(result.code_delivery)


def journey(portal: Portal, codes: CodeSource, deliveries: Deliveries) -> Journey:
    return Journey(portal.mock.url, codes, [deliveries])


def citizen(portal: Portal, channel: str, **options: object) -> Citizen:
    return provision(portal.api, synthetic_faker(), channel=channel, **options)  # type: ignore[arg-type]


def test_the_mock_offers_no_outbox_here(portal: Portal) -> None:
    assert not portal.api.offers("outbox")
    assert portal.api.offers("citizens")


def test_every_flow_by_email_gets_its_codes_from_the_mailbox(
    portal: Portal, codes: CodeSource, browser: Browser
) -> None:
    person = citizen(portal, "email")
    deliveries = Deliveries()
    with new_context(browser) as context:
        page = context.new_page()
        trip = journey(portal, codes, deliveries)
        assert trip.run(page, "login", person).passed  # registration, activation, login
        assert trip.run(page, "password_reset", person, prerequisites=False).passed
    purposes = [(d.purpose, d.channel, d.arrived) for d in deliveries.seen]
    assert purposes == [
        ("registration", "email", True),
        ("login", "email", True),
        ("contacts", "email", True),
        ("password_reset", "email", True),
    ]
    # Each timed from the click that asked for it to its arrival in the mailbox.
    assert all(d.seconds is not None and 0 <= d.seconds < DEADLINE_S for d in deliveries.seen)


def test_every_flow_by_sms_gets_its_codes_from_the_webhook(
    portal: Portal, codes: CodeSource, browser: Browser
) -> None:
    person = citizen(portal, "sms", cmd=True)
    deliveries = Deliveries()
    with new_context(browser) as context:
        page = context.new_page()
        trip = journey(portal, codes, deliveries)
        assert trip.run(page, "login", person).passed
        assert trip.run(page, "cmd", person).passed
    purposes = [(d.purpose, d.channel, d.arrived) for d in deliveries.seen]
    assert purposes == [
        ("registration", "sms", True),
        ("login", "sms", True),
        ("contacts", "sms", True),
        ("cmd", "sms", True),
    ]
    assert all(d.seconds is not None for d in deliveries.seen)


def failure_of(portal: Portal, codes: CodeSource, browser: Browser, person: Citizen):
    """Run the activation (after the registration) and return how it failed."""
    deliveries = Deliveries()
    with new_context(browser) as context, pytest.raises((PortalDefect, HarnessDefect)) as failed:
        journey(portal, codes, deliveries).run(context.new_page(), "activation", person)
    return failed.value, deliveries.seen


@pytest.fixture
def short_codes(faulty: Portal) -> Iterator[CodeSource]:
    # Without the API: the outbox this portal has is not where the codes come from.
    with open_codes(settings(faulty, timeout_s=SHORT_S), None) as source:
        yield source


def test_a_code_the_portal_never_sends_is_the_portals_failure(
    faulty: Portal, short_codes: CodeSource, browser: Browser
) -> None:
    person = citizen(faulty, "email")
    faulty.api.set_faults(withhold_codes=True)
    try:
        error, seen = failure_of(faulty, short_codes, browser, person)
    finally:
        faulty.api.clear_faults()
    assert isinstance(error, PortalDefect)
    assert error.step == "3"  # the activation's code
    message = str(error)
    assert "registration code by email" in message
    assert "asked at" in message  # since when it was waited for
    assert person.email
    assert person.email not in message
    assert [(d.purpose, d.arrived) for d in seen] == [("registration", False)]


def test_a_mail_server_that_is_down_is_the_portals_failure(
    faulty: Portal, short_codes: CodeSource, browser: Browser
) -> None:
    person = citizen(faulty, "email")
    faulty.mail.stop_smtp()
    try:
        error, _ = failure_of(faulty, short_codes, browser, person)
    finally:
        faulty.mail.start_smtp()
    assert isinstance(error, PortalDefect)
    assert "registration code by email" in str(error)


def test_a_wrong_mailbox_password_is_the_harnesss_failure(
    faulty: Portal, browser: Browser, tmp_path: Path
) -> None:
    """Refused before the first flow (the mailbox is tried when the sources open), and the
    harness's failure when the mailbox refuses the login in the middle of a run."""
    wrong = "not-" + faulty.mail.password
    with (
        pytest.raises(CodeSourceError) as refused,
        open_codes(settings(faulty, imap_password=wrong, timeout_s=SHORT_S), None),
    ):
        pass
    monitor = sentinel(
        "monitor",
        "--once",
        "--target",
        faulty.mock.url,
        "--flow",
        "activation",
        "--data",
        str(tmp_path),
        "--codes-imap",
        faulty.mail.imap_url,
        env={TOKEN_ENV: TOKEN, PASSWORD_VARIABLE: wrong},
    )
    assert monitor.returncode == 2
    [line] = monitor.stderr.strip().splitlines()  # one line, before any check
    run = sentinel(
        "run",
        "--target",
        faulty.mock.url,
        "--results",
        str(tmp_path / "results"),
        "--codes-imap",
        faulty.mail.imap_url,
        env={TOKEN_ENV: TOKEN, PASSWORD_VARIABLE: wrong},
    )
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [line.replace("monitor", "run", 1)]  # no flow ran
    bad = ByChannel({"email": ImapCodes(faulty.mail.imap_url, wrong, timeout_s=SHORT_S)}, NoCodes())
    error, _ = failure_of(faulty, bad, browser, citizen(faulty, "email"))
    assert isinstance(error, HarnessDefect)
    for message in (str(refused.value), line, str(error)):
        assert "SENTINEL_CODES_IMAP_PASSWORD" in message
        assert wrong not in message
        assert faulty.mail.password not in message


def test_sentinel_run_reads_every_code_from_the_mailbox_and_the_webhook(
    portal: Portal, tmp_path: Path
) -> None:
    """As a user runs it against staging: every flow, codes by email (and the Chave Móvel
    Digital's by SMS), nothing of the codes, the addresses or the mailbox's password in the
    Allure results, the run's output or the portal's log."""
    before = mailed(portal.mail)
    results = tmp_path / "allure-results"
    ran = sentinel(
        "run",
        "--target",
        portal.mock.url,
        "--channel",
        "email",
        "--codes-imap",
        portal.mail.imap_url,
        "--codes-sms-webhook",
        portal.webhook,
        "--codes-timeout",
        str(DEADLINE_S),
        "--results",
        str(results),
        "--no-report",
        env={TOKEN_ENV: TOKEN, PASSWORD_VARIABLE: portal.mail.password},
    )
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert ran.stdout.count(" passed") >= 6, ran.stdout  # every flow, the portal's too
    sent = mailed(portal.mail) - before
    codes = {code for _, code in sent}
    addresses = {address for address, _ in sent}
    assert len(addresses) >= 4  # the citizens of registration, activation, login, reset
    scanner = Scanner([*codes, *addresses, portal.mail.password])
    leaks = [
        *scanner.files(results),
        *scanner.text(ran.stdout + ran.stderr, "sentinel run's output"),
        *scanner.bytes(portal.mock.log.read_bytes(), "the portal's log"),
    ]
    assert not leaks, "\n".join(map(str, leaks))


def mailed(mail: MailServer) -> set[tuple[str, str]]:
    """(address, code) of every message in the mailbox, read or not."""
    found = set()
    for path in (mail.root / "home" / "Maildir").glob("*/*"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        for code in re.findall(r"\b(\d{6})\b", text):
            found.add((str(message["To"]), code))
    return found


def test_the_monitor_and_the_guides_read_their_codes_from_the_mailbox(
    portal: Portal, tmp_path: Path
) -> None:
    """`sentinel monitor --once` times each code it read from the mailbox and keeps it in
    its history; `sentinel guide` gets its codes there too; neither leaves a code, an
    address or the mailbox's password in its output, history, evidence or guides."""
    before = mailed(portal.mail)
    common = ["--target", portal.mock.url, "--codes-imap", portal.mail.imap_url]
    watch = ["--channel", "email"]
    env = {TOKEN_ENV: TOKEN, PASSWORD_VARIABLE: portal.mail.password}
    data = tmp_path / "monitor"
    monitored = sentinel(
        "monitor", "--once", "--flow", "activation", "--data", str(data), *common, *watch, env=env
    )
    assert monitored.returncode == 0, monitored.stdout + monitored.stderr
    assert "the registration code by email (activation): " in monitored.stdout
    history = History(data / "monitor.db")
    try:
        [check] = history.recent("activation")
    finally:
        history.close()
    [code] = check.codes
    assert (code.purpose, code.channel, code.arrived) == ("registration", "email", True)
    assert code.seconds is not None
    guides = tmp_path / "guides"
    guided = sentinel(
        "guide",
        "--flow",
        "activation",
        "--format",
        "html,md",
        "--out",
        str(guides),
        *common,
        *watch,
        env=env,
    )
    assert guided.returncode == 0, guided.stdout + guided.stderr
    assert list(guides.rglob("*.html"))
    sent = mailed(portal.mail) - before
    assert len({address for address, _ in sent}) >= 2  # the monitor's citizen, the guide's
    scanner = Scanner([*(v for pair in sent for v in pair), portal.mail.password])
    leaks = [
        *scanner.files(data),
        *scanner.files(guides),
        *scanner.text(monitored.stdout + monitored.stderr, "sentinel monitor's output"),
        *scanner.text(guided.stdout + guided.stderr, "sentinel guide's output"),
    ]
    assert not leaks, "\n".join(map(str, leaks))


def sentinel(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``python -m sentinel ARGS`` as a user runs it, with ``env`` added to a shell's."""
    return subprocess.run(
        [sys.executable, "-m", "sentinel", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**shell_environment(), **env},
        timeout=600,
        check=False,
    )
