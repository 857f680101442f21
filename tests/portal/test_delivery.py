"""``sentinel mock --smtp --sms-webhook``: codes sent for real, retried, resumed, withheld.

A real mock process sends to a real SMTP receiver (aiosmtpd) and a real HTTP receiver, both
in this test process; the portal is driven over HTTP as a citizen's browser would.
"""

from __future__ import annotations

import base64
import email
import email.policy
import queue
import re
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs

import httpx
import pytest
from aiosmtpd.controller import Controller
from faker import Faker

from mock_portal import delivery
from mock_portal.config import DEFAULT_MAIL_FROM, DeliverySettings
from mock_portal.delivery import LISBON
from sentinel.mock_server import delivery_lines
from tests.conftest import TOKEN
from tests.helpers import free_port, run_sentinel
from tests.portal import server as mock_server
from tests.portal.browserless import Screen
from tests.portal.conftest import OFFICIAL, PASSWORD, Citizen, citizen_maker, dmy, register
from tests.security.leaks import Scanner

pytestmark = pytest.mark.slow  # every test here starts servers of its own

T = TypeVar("T")
WAIT_S = 30.0  # for a real process to do what it must; a healthy run takes milliseconds
WEBHOOK_SECRET = "gw-key-5f1c9e"  # in the webhook's query, as gateways put their keys


# Receivers ------------------------------------------------------------------------------
class Mailbox:
    """An SMTP receiver (aiosmtpd) keeping every message it accepts."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.received: queue.Queue[tuple[list[str], EmailMessage]] = queue.Queue()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.put((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def next(self) -> tuple[list[str], EmailMessage]:
        try:
            return self.received.get(timeout=WAIT_S)
        except queue.Empty:
            raise AssertionError(f"no email came in {WAIT_S:.0f} s") from None

    def start(self) -> Mailbox:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


@dataclass
class Post:
    path: str
    content_type: str
    form: dict[str, list[str]]
    authorization: str | None = None


@dataclass
class Gateway:
    """An HTTP receiver for the SMS webhook: answers 503 ``failing`` times, then 200; with
    ``hold`` set, keeps each request waiting until it is released."""

    posts: queue.Queue[Post] = field(default_factory=queue.Queue)
    failing: int = 0
    hold: threading.Event | None = None
    holding: threading.Event = field(default_factory=threading.Event)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/sms/inbound?key={WEBHOOK_SECRET}"

    def start(self) -> Gateway:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                post = Post(
                    self.path,
                    self.headers.get("content-type", ""),
                    parse_qs(body.decode(), strict_parsing=True),
                    self.headers.get("authorization"),
                )
                if gateway.failing:
                    gateway.failing -= 1
                    status = 503
                else:
                    status = 200
                    gateway.posts.put(post)
                if gateway.hold is not None:
                    gateway.holding.set()
                    gateway.hold.wait(WAIT_S)
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def next(self) -> Post:
        try:
            return self.posts.get(timeout=WAIT_S)
        except queue.Empty:
            raise AssertionError(f"no SMS came in {WAIT_S:.0f} s") from None

    def stop(self) -> None:
        if self.hold is not None:
            self.hold.set()
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()


def eventually(probe: Callable[[], T | None], what: str) -> T:
    """``probe()``'s first true answer, asked until a deadline: the mock is another process,
    and how soon it records a delivery is its own business."""
    deadline = time.monotonic() + WAIT_S
    while True:
        answer = probe()
        if answer:
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"still not {what} after {WAIT_S:.0f} s")
        time.sleep(0.02)


# The portal -----------------------------------------------------------------------------
@dataclass
class Portal:
    server: mock_server.MockServer
    db: Path
    api: httpx.Client
    make: Callable[..., Citizen]
    browsers: list[httpx.Client] = field(default_factory=list)
    log_start: int = 0  # where this test's part of the mock's log begins

    def home(self) -> Screen:
        """The home page in a fresh browser (cookie jar)."""
        client = httpx.Client(base_url=self.server.url, follow_redirects=True, timeout=WAIT_S)
        self.browsers.append(client)
        return Screen(client, client.get("/"))

    def close_browsers(self) -> None:
        while self.browsers:
            self.browsers.pop().close()

    def outbox(self, niss: str) -> list[dict[str, Any]]:
        answer = self.api.get("/__test__/outbox", params={"niss": niss})
        answer.raise_for_status()
        return answer.json()

    def dispatched(self, niss: str, state: str) -> dict[str, Any]:
        """The newest message to ``niss`` once its delivery is in ``state``."""

        def probe() -> dict[str, Any] | None:
            newest = self.outbox(niss)[0]
            dispatch = newest["dispatch"] or {}
            return newest if dispatch.get("state") == state else None

        return eventually(probe, f"{state}")

    def log(self) -> str:
        """What the mock logged during this test."""
        with self.server.log.open("rb") as log:
            log.seek(self.log_start)
            return log.read().decode("utf-8")

    def new_test(self) -> None:
        self.log_start = self.server.log.stat().st_size

    def logged(self, fragment: str) -> str:
        """The mock's log once it has a line with ``fragment``: that line."""

        def probe() -> str | None:
            return next((line for line in self.log().splitlines() if fragment in line), None)

        return eventually(probe, f"logged {fragment!r}")


@contextmanager
def serving(folder: Path, *options: str) -> Iterator[Portal]:
    """``sentinel mock OPTIONS`` on a database in ``folder``, with its test-control API."""
    db = folder / "portal.db"
    server = mock_server.start_with_options(db, TOKEN, *options)
    try:
        with mock_server.api_client(server, TOKEN) as api:
            portal = Portal(server, db, api, citizen_maker(api, Faker("pt_PT")))
            try:
                yield portal
            finally:
                portal.close_browsers()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    receiver = Mailbox().start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="module")
def gateway() -> Iterator[Gateway]:
    receiver = Gateway().start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="module")
def sending(
    tmp_path_factory: pytest.TempPathFactory, mailbox: Mailbox, gateway: Gateway
) -> Iterator[Portal]:
    """One mock for the module, sending email and SMS codes; retries 0.1 s apart."""
    options = ("--smtp", mailbox.address, "--sms-webhook", gateway.url)
    with serving(
        tmp_path_factory.mktemp("sending"), *options, "--set=delivery_retry_ms=100"
    ) as mock:
        yield mock


@pytest.fixture
def mock(sending: Portal, mailbox: Mailbox, gateway: Gateway) -> Iterator[Portal]:
    """The module's sending mock, freshly reset, its receivers empty and healthy."""
    sending.api.post("/__test__/reset").raise_for_status()
    sending.new_test()
    for received in (mailbox.received, gateway.posts):
        while not received.empty():
            received.get_nowait()
    gateway.failing, gateway.hold = 0, None
    gateway.holding.clear()
    yield sending
    sending.close_browsers()


def leaks(text: str, citizen: Citizen, codes: list[str]) -> list[str]:
    """Every encoding of the citizen's data, the codes and the webhook's key found in
    ``text``."""
    values = [citizen["niss"], citizen["email"], citizen["mobile"], citizen["name"], *codes]
    values += [citizen["mobile"].removeprefix("+351"), WEBHOOK_SECRET]
    return [str(leak) for leak in Scanner(values).text(text, "the mock's log")]


# Email ----------------------------------------------------------------------------------
def test_a_registration_by_email_sends_one_email_with_the_outbox_code(
    mock: Portal, mailbox: Mailbox
) -> None:
    # A month ahead on the portal's clock: the body says until when, on that clock; the Date
    # header is the real time a mail server would see.
    mock.api.post("/__test__/clock", json={"advance_seconds": 30 * 24 * 3600})
    citizen = mock.make(email="ines.sousa+ss@exemplo.pt")
    done = register(mock.home(), citizen, "Email")
    assert done.status == 200, done.errors

    envelope_to, message = mailbox.next()
    [sent] = mock.outbox(citizen["niss"])
    assert envelope_to == [citizen["email"]]
    assert message["To"] == citizen["email"]
    assert message["From"] == DEFAULT_MAIL_FROM
    assert message["Subject"] == "Código de registo na Segurança Social Direta"
    assert message["Message-ID"].endswith("@seg-social.test>")
    assert abs(parsedate_to_datetime(message["Date"]) - datetime.now(UTC)) < timedelta(hours=1)
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    body = " ".join(message.get_content().split())  # as read: lines end in CRLF on the wire
    assert f": {sent['code']} O código" in body
    assert "concluir o registo na Segurança Social Direta" in body
    expires = datetime.fromisoformat(sent["expires_at"]).astimezone(LISBON)
    assert f"válido durante 60 minutos, até às {expires:%H:%M} de {expires:%d-%m-%Y}" in body
    assert expires.date() > (datetime.now(UTC) + timedelta(days=29)).date()
    # The outbox keeps working as before, and tells how the code went out.
    assert (sent["channel"], sent["to"], sent["delivered"]) == ("email", citizen["email"], True)
    sent = mock.dispatched(citizen["niss"], "sent")
    assert sent["dispatch"]["attempts"] == 1
    assert mailbox.received.empty()  # one email, not one per attempt or per process


# SMS ------------------------------------------------------------------------------------
def test_an_sms_code_is_posted_form_encoded_as_a_gateway_would(
    mock: Portal, gateway: Gateway
) -> None:
    citizen = mock.make()
    done = register(mock.home(), citizen, "SMS")
    assert done.status == 200, done.errors
    post = gateway.next()
    [sent] = mock.outbox(citizen["niss"])
    assert post.content_type == "application/x-www-form-urlencoded"
    assert post.path == f"/sms/inbound?key={WEBHOOK_SECRET}"  # the URL as given
    assert post.form["From"] == ["SegSocial"]
    assert post.form["To"] == [citizen["mobile"]]  # as stored: +351...
    [text] = post.form["Body"]
    assert f"o seu código de registo é {sent['code']}." in text
    assert "Válido durante 60 min." in text
    assert mock.dispatched(citizen["niss"], "sent")["dispatch"]["attempts"] == 1


def test_a_password_reset_code_by_sms_names_its_purpose(mock: Portal, gateway: Gateway) -> None:
    citizen = mock.make(account={"status": "active", "password": PASSWORD})
    form = mock.home().click("Iniciar sessão").click(OFFICIAL["ss_user"])
    form = form.click("Perdi a minha palavra-passe").submit(
        "Seguinte",
        fields={"NISS": citizen["niss"], "Data de nascimento": dmy(citizen["birth_date"])},
    )
    sent = form.submit("Pedir código de verificação", choices={"Canal de verificação": "SMS"})
    assert sent.heading == "Código enviado"
    [text] = gateway.next().form["Body"]
    code = mock.outbox(citizen["niss"])[0]["code"]
    assert f"o seu código de recuperação da palavra-passe é {code}." in text


def test_the_chave_movel_digital_code_goes_by_sms_to_its_number(
    mock: Portal, gateway: Gateway
) -> None:
    citizen = mock.make(mobile=None, cmd={"mobile": "913000111", "pin": "4821"})
    form = mock.home().click("Iniciar sessão").click("Autenticação.gov")
    form = form.click("Chave Móvel Digital").submit(
        "Continuar", fields={"Número de telemóvel": "913000111", "PIN": "4821"}
    )
    assert form.submit("Autorizar").heading == "Código de segurança"
    post = gateway.next()
    [sms] = mock.outbox(citizen["niss"])
    assert post.form["To"] == ["+351913000111"]
    [text] = post.form["Body"]
    assert text.startswith("Chave Móvel Digital: o seu código de segurança é ")
    assert f"é {sms['code']}. Válido durante 5 min." in text


def test_a_webhook_url_with_credentials_sends_them_as_basic_authentication(
    gateway: Gateway,
) -> None:
    port = gateway.url.split(":")[2].split("/")[0]
    settings = DeliverySettings(sms_webhook=f"http://acct:pa%3Ass@127.0.0.1:{port}/sms?k=1")
    delivery.post_sms(settings, "+351912345678", "Segurança Social Direta: teste")
    post = gateway.next()
    assert post.path == "/sms?k=1"
    assert post.authorization == "Basic " + base64.b64encode(b"acct:pa:ss").decode()
    assert post.form["Body"] == ["Segurança Social Direta: teste"]


def test_the_startup_lines_name_the_servers_without_the_webhook_secrets() -> None:
    settings = DeliverySettings(
        smtp=("::1", 2525), sms_webhook=f"https://acct:pw@gw.test:8443/in?key={WEBHOOK_SECRET}"
    )
    lines = delivery_lines(settings)
    assert lines == [
        "email codes: also sent through SMTP [::1]:2525",
        "SMS codes: also posted to the webhook at https://gw.test:8443",
    ]
    assert delivery_lines(None) == [
        "codes: in the outbox only (sent nowhere: no --smtp, no --sms-webhook)"
    ]


# Failures -------------------------------------------------------------------------------
def test_a_citizen_does_not_wait_for_the_gateway(mock: Portal, gateway: Gateway) -> None:
    """The page answers while the gateway still holds the POST: the code is sent after the
    request, not in it. (Sent in the request, the page would come only once the mock gave up
    on the gateway, and that attempt would have failed.)"""
    gateway.hold = threading.Event()
    citizen = mock.make()
    done = register(mock.home(), citizen, "SMS")
    assert done.status == 200, done.errors
    assert gateway.holding.wait(WAIT_S), "the mock never posted the SMS"
    assert mock.outbox(citizen["niss"])[0]["dispatch"]["state"] == "pending"
    gateway.hold.set()
    assert mock.dispatched(citizen["niss"], "sent")["dispatch"]["attempts"] == 1


def test_a_failing_gateway_is_retried_and_logged_without_the_code_or_number(
    mock: Portal, gateway: Gateway
) -> None:
    gateway.failing = 2
    citizen = mock.make()
    done = register(mock.home(), citizen, "SMS")
    assert done.status == 200, done.errors
    [text] = gateway.next().form["Body"]
    sent = mock.dispatched(citizen["niss"], "sent")
    assert sent["code"] in text
    assert sent["dispatch"]["attempts"] == 3
    server = gateway.url.split("/sms/")[0]
    first = mock.logged("(attempt 1 of 5)")
    assert "could not send the registration code of message " in first
    assert f"by sms through webhook {server} (attempt 1 of 5): HTTP 503; retrying in 0.1 s" in first
    assert "(attempt 2 of 5): HTTP 503; retrying in 0.2 s" in mock.logged("(attempt 2 of 5)")
    assert f"by sms through webhook {server} (attempt 3)" in mock.logged("sent the registration")
    assert leaks(mock.log(), citizen, [sent["code"]]) == []


def test_an_smtp_server_that_is_down_does_not_fail_the_citizen_and_is_given_up_on(
    tmp_path: Path,
) -> None:
    down = f"127.0.0.1:{free_port()}"  # nothing listens there
    options = ("--smtp", down, "--set=delivery_attempts=2", "--set=delivery_retry_ms=0")
    with serving(tmp_path, *options) as mock:
        citizen = mock.make()
        done = register(mock.home(), citizen, "Email")
        assert done.status == 200, done.errors
        assert "foi efetuado com sucesso" in done.text
        failed = mock.dispatched(citizen["niss"], "failed")
        assert failed["dispatch"]["attempts"] == 2
        assert failed["code"]
        assert failed["delivered"]
        first = mock.logged("(attempt 1 of 2)")
        assert f"through SMTP {down} (attempt 1 of 2): ConnectionRefusedError" in first
        given_up = mock.logged("gave up")
        assert "gave up sending the registration code of message " in given_up
        assert (
            f"by email through SMTP {down} after 2 attempts (ConnectionRefusedError): it stays "
            "in the outbox, undelivered"
        ) in given_up
        assert leaks(mock.log(), citizen, [failed["code"]]) == []


def test_a_restarted_portal_sends_what_was_pending(tmp_path: Path) -> None:
    port = free_port()
    # Retries a minute apart: only the restart can send it in time.
    options = ("--smtp", f"127.0.0.1:{port}", "--set=delivery_retry_ms=60000")
    with serving(tmp_path, *options) as first:
        citizen = first.make()
        register(first.home(), citizen, "Email")
        first.logged("(attempt 1 of 5): ConnectionRefusedError; retrying in 60.0 s")
        code = first.outbox(citizen["niss"])[0]["code"]
        first.server.stop(kill=True)
    mailbox = Mailbox(port).start()  # the mail server is back
    try:
        with serving(tmp_path, *options) as second:
            _, message = mailbox.next()
            assert message["To"] == citizen["email"]
            assert f": {code} O código" in " ".join(message.get_content().split())
            sent = second.dispatched(citizen["niss"], "sent")
            assert sent["dispatch"]["attempts"] == 2
    finally:
        mailbox.stop()


def test_two_processes_on_one_database_send_each_code_once(tmp_path: Path) -> None:
    port = free_port()
    options = ("--smtp", f"127.0.0.1:{port}", "--set=delivery_retry_ms=60000")
    with serving(tmp_path, *options) as first:  # queues the codes while the server is down
        pending = {"status": "pending", "channel": "email"}
        citizens = [first.make(account=pending) for _ in range(60)]
        expected = sorted((c["email"], first.outbox(c["niss"])[0]["code"]) for c in citizens)
        eventually(
            lambda: all(first.outbox(c["niss"])[0]["dispatch"]["attempts"] for c in citizens),
            "all tried once",
        )
        first.server.stop()
    mailbox = Mailbox(port).start()
    db = tmp_path / "portal.db"
    # Started together, both resume the same pending codes at once, and race for them.
    launched = [mock_server.launch(db, TOKEN, *options) for _ in range(2)]
    try:
        servers = [mock_server.announced(process, db) for process in launched]
        received = [mailbox.next() for _ in citizens]
        with mock_server.api_client(servers[0], TOKEN) as api:
            eventually(
                lambda: all(
                    api.get("/__test__/outbox", params={"niss": c["niss"]}).json()[0]["dispatch"][
                        "state"
                    ]
                    == "sent"
                    for c in citizens
                ),
                "all sent",
            )
        assert mailbox.received.empty()
    finally:
        for process in launched:
            process.terminate()
            process.wait(timeout=20)
            assert process.stdout is not None
            process.stdout.close()
        mailbox.stop()
    assert sorted((to, code_in(message)) for [to], message in received) == expected


def code_in(message: EmailMessage) -> str:
    found = re.search(r"código de verificação:\s+(\d{6})\s", message.get_content())
    assert found, "no code in the email"
    return found[1]


def test_without_smtp_or_webhook_nothing_is_dispatched(api, open_portal, make_citizen) -> None:
    citizen = make_citizen()
    register(open_portal(), citizen, "Email")
    [message] = api.get("/__test__/outbox", params={"niss": citizen["niss"]}).json()
    assert message["dispatch"] is None
    assert (message["withheld"], message["delivered"]) == (False, True)


# Withheld codes -------------------------------------------------------------------------
def test_withheld_codes_are_never_sent_nor_shown(
    mock: Portal, mailbox: Mailbox, gateway: Gateway
) -> None:
    answer = mock.api.post("/__test__/faults", json={"withhold_codes": True})
    assert answer.json()["faults"]["withhold_codes"] is True
    withheld = mock.make()
    for channel in ("Email", "SMS"):
        done = register(mock.home(), withheld, channel)
        assert done.status == 200, done.errors  # the citizen sees nothing wrong
    for message in mock.outbox(withheld["niss"]):
        assert message["withheld"] is True
        assert (message["code"], message["delivered"]) == (None, False)
        assert message["dispatch"]["state"] == "withheld"
    # Typed anyway (read from the database), a withheld code is a guess like any other.
    with sqlite3.connect(mock.db) as db:
        [(code,)] = db.execute(
            "SELECT code FROM messages WHERE niss = ? ORDER BY id DESC LIMIT 1",
            (withheld["niss"],),
        ).fetchall()
    form = (
        mock.home().click("Iniciar sessão").click(OFFICIAL["ss_user"]).click(OFFICIAL["activate"])
    )
    refused = form.submit(
        "Confirmar código de verificação",
        fields={"NISS": withheld["niss"], "Código de verificação": code},
    )
    assert refused.status == 400
    # Cleared, codes go out again; the one that comes is the new citizen's, in the order
    # the codes were made: the withheld ones never went.
    mock.api.delete("/__test__/faults").raise_for_status()
    after = mock.make()
    register(mock.home(), after, "Email")
    register(mock.home(), after, "SMS")
    assert mailbox.next()[0] == [after["email"]]
    assert gateway.next().form["To"] == [after["mobile"]]
    mock.dispatched(after["niss"], "sent")
    assert mailbox.received.empty()
    assert gateway.posts.empty()


def test_withhold_codes_must_be_true_or_false(mock: Portal) -> None:
    answer = mock.api.post("/__test__/faults", json={"withhold_codes": "yes"})
    assert answer.status_code == 422
    assert answer.json() == {"error": "withhold_codes must be true or false"}


# The contract without an outbox ---------------------------------------------------------
def test_the_mail_contract_provisions_citizens_and_has_no_outbox(tmp_path: Path) -> None:
    with (
        mock_server.running(tmp_path / "p.db", TOKEN, contract="mail") as server,
        mock_server.api_client(server, TOKEN) as api,
    ):
        assert api.get("/__test__/").json()["capabilities"] == ["citizens"]
        created = api.post(
            "/__test__/citizens", json={"name": "Rui Teste", "birth_date": "1980-05-02"}
        )
        assert created.status_code == 201, created.text
        answer = api.get("/__test__/outbox", params={"niss": created.json()["niss"]})
        assert answer.status_code == 404
        assert "offers only the mail contract (citizens)" in answer.json()["error"]


def test_the_help_offers_the_mail_contract_and_the_delivery_options() -> None:
    done = run_sentinel("mock", "--help", timeout=20)
    text = " ".join(done.stdout.split())
    assert "--contract {full,base,mail}" in text
    assert "codes go out only by email and SMS" in text
    for option in ("--smtp HOST:PORT", "--mail-from ADDR", "--sms-webhook URL"):
        assert option in text


# Bad options ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--smtp", "mail.test"), "argument --smtp: takes HOST:PORT"),
        (("--smtp", "mail.test:0"), "with a port from 1 to 65535, not 'mail.test:0'"),
        (("--smtp", "::1:25"), "argument --smtp: takes HOST:PORT"),
        (("--sms-webhook", "ftp://gw.test/hook?key=s3cr3t"), "--sms-webhook: takes an http://"),
        (("--sms-webhook", "https:///hook?key=s3cr3t"), "--sms-webhook: takes an http://"),
        (("--mail-from", "Portal <no-reply>"), "argument --mail-from: takes an email address"),
        (("--mail-from", "a@b.test\nBcc: x@y.test"), "argument --mail-from: takes one line"),
    ],
)
def test_bad_delivery_options_are_refused_in_one_line(args: tuple[str, ...], expected: str) -> None:
    try:
        done = run_sentinel("mock", "--port", "0", *args, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail(f"sentinel mock {' '.join(args)} started a portal instead of refusing")
    assert done.returncode == 2, done.stdout + done.stderr
    [line] = done.stderr.strip().splitlines()
    assert expected in line
    assert "s3cr3t" not in line  # a webhook's URL often carries its key
