"""Codes by email, read over IMAP from a real Dovecot fed by a real SMTP receiver."""

from __future__ import annotations

import logging
import smtplib
import socket
import time
import uuid
from email.message import EmailMessage
from email.utils import formatdate

import pytest

from flows.codes import CodeNotFound, CodeRequest, CodeSourceError
from runtime.imap_codes import ImapCodes, parse_mailbox
from runtime.usage import UsageError
from tests.helpers import free_port
from tests.mailserver import MailServer

pytestmark = pytest.mark.slow


def address() -> str:
    """A citizen's address of its own for each test: the mailbox is shared by the session."""
    return f"ana.{uuid.uuid4().hex[:10]}@example.org"


def request(to: str, asked_at: float | None = None, purpose: str = "registration") -> CodeRequest:
    return CodeRequest("11115611236", purpose, "email", to, asked_at)


def codes(server: MailServer, timeout_s: float = 10.0) -> ImapCodes:
    return ImapCodes(server.imap_url, server.password, timeout_s=timeout_s, poll_s=0.1)


def mail(to: str, body: str, *, html: str | None = None, charset: str = "utf-8") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Seguranca Social Direta <nao-responder@seg-social.test>"
    message["To"] = to
    message["Subject"] = "Código de verificação"
    message["Date"] = formatdate()
    if html is not None:
        message.set_content(html, subtype="html", charset=charset, cte="base64")
    else:
        message.set_content(body, charset=charset, cte="quoted-printable")
    return message


def test_a_mailed_code_is_read_and_its_message_marked_seen(mail_server: MailServer) -> None:
    to, asked_at = address(), time.time()
    sent = mail_server.send(to=to, body="O seu código de verificação é 482913.")
    arrival = codes(mail_server).latest(request(to, asked_at))
    assert arrival.code == "482913"
    assert arrival.arrived_at is not None
    assert asked_at <= arrival.arrived_at <= time.time()
    assert mail_server.is_seen(sent)


def test_a_code_handed_out_is_never_handed_out_again(mail_server: MailServer) -> None:
    """The login code, then the contacts code asked for within the same second: the second
    request waits for its own mail (INTERNALDATE's one-second grain and the slack would let
    the login code's mail match it too)."""
    to, asked_at = address(), time.time()
    source = codes(mail_server, timeout_s=1.0)
    mail_server.send(to=to, body="Código de autenticação: 111111")
    assert source.latest(request(to, asked_at, purpose="login")).code == "111111"
    with pytest.raises(CodeNotFound):
        source.latest(request(to, time.time(), purpose="contacts"))
    mail_server.send(to=to, body="Código de validação: 222222")
    assert source.latest(request(to, time.time() - 0.5, purpose="contacts")).code == "222222"


def test_the_code_mailed_while_waiting_is_read(
    mail_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    to, asked_at = address(), time.time()
    pauses: list[float] = []
    pause = time.sleep

    def mail_after_the_first_look(seconds: float) -> None:
        if not pauses:
            mail_server.send(to=to, body="Código: 730215")
        pauses.append(seconds)
        pause(seconds)

    monkeypatch.setattr("runtime.imap_codes.time.sleep", mail_after_the_first_look)
    assert codes(mail_server).latest(request(to, asked_at)).code == "730215"
    assert pauses  # it had looked once before the mail came


def test_a_dropped_connection_is_reopened_while_waiting(
    mail_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    to, asked_at = address(), time.time()
    dropped: list[int] = []
    pause = time.sleep

    def drop_then_mail(seconds: float) -> None:
        if not dropped:
            dropped.append(mail_server.drop_connections())
            mail_server.send(to=to, body="Código: 518273")
        pause(seconds)

    monkeypatch.setattr("runtime.imap_codes.time.sleep", drop_then_mail)
    assert codes(mail_server).latest(request(to, asked_at)).code == "518273"
    assert dropped == [1]  # its own session was the one dropped


def test_a_message_from_before_the_request_is_not_taken(mail_server: MailServer) -> None:
    to = address()
    mail_server.plant(mail(to, "Código antigo: 111111"), received_at=time.time() - 600)
    asked_at = time.time()
    mail_server.send(to=to, body="Código novo: 222222")
    assert codes(mail_server).latest(request(to, asked_at)).code == "222222"


def test_only_an_older_message_is_no_code(mail_server: MailServer) -> None:
    to = address()
    mail_server.plant(mail(to, "Código antigo: 111111"), received_at=time.time() - 600)
    with pytest.raises(CodeNotFound, match="no code came: waited 1s for the registration code"):
        codes(mail_server, timeout_s=1).latest(request(to, time.time()))


def test_the_newest_message_wins(mail_server: MailServer) -> None:
    to, asked_at = address(), time.time()
    mail_server.send(to=to, body="Código: 111111")
    mail_server.send(to=to, body="Código: 222222")
    assert codes(mail_server).latest(request(to, asked_at)).code == "222222"


def test_a_message_to_another_address_is_ignored(mail_server: MailServer) -> None:
    to = address()
    asked_at = time.time()
    # Its address holds the citizen's as text: only a parsed address may match.
    mail_server.send(to=f"jo{to}", body="Código: 999999")
    with pytest.raises(CodeNotFound):
        codes(mail_server, timeout_s=1).latest(request(to, asked_at))


def test_the_address_matches_without_regard_to_case(mail_server: MailServer) -> None:
    to, asked_at = address(), time.time()
    mail_server.send(mail(f"Ana <{to.upper()}>", "Código: 314159"))
    assert codes(mail_server).latest(request(to, asked_at)).code == "314159"


def test_a_blind_copy_matches_by_its_delivery(mail_server: MailServer) -> None:
    to, asked_at = address(), time.time()
    host, port = mail_server.smtp.rsplit(":", 1)
    with smtplib.SMTP(host, int(port), timeout=10) as client:
        # The citizen is only in the envelope: the MTA's Delivered-To names the address.
        client.send_message(mail("lista@example.org", "Código: 271828"), to_addrs=[to])
    assert codes(mail_server).latest(request(to, asked_at)).code == "271828"


def test_the_code_is_found_in_html_in_base64_and_in_latin_1(mail_server: MailServer) -> None:
    to, asked_at = address(), time.time()
    html = (
        "<html><body><p>Em 2026-03-01, pedido 123.456.789; ligue +351 212345 678</p>"
        "<p>O seu c&oacute;digo &eacute; <b>605118</b></p></body></html>"
    )
    mail_server.send(mail(to, "", html=html, charset="iso-8859-1"))
    assert codes(mail_server).latest(request(to, asked_at)).code == "605118"


def test_a_date_and_a_number_before_the_code_are_not_taken(mail_server: MailServer) -> None:
    to, asked_at = address(), time.time()
    body = "Pedido 01.03.2026 10:15:00, ref. 2026/123456, +351 210000\nCódigo: 847361\n"
    mail_server.send(mail(to, body, charset="iso-8859-1"))
    assert codes(mail_server).latest(request(to, asked_at)).code == "847361"


def test_a_message_that_cannot_be_decoded_is_skipped(mail_server: MailServer) -> None:
    to, asked_at = address(), time.time()
    mail_server.send(to=to, body="Código: 192837")
    broken = (
        f"From: outro@example.org\r\nTo: {to}\r\nSubject: ?\r\n"
        "Content-Type: text/plain; charset=x-no-such-charset\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n!!!not base64 at all 555666\r\n"
    )
    host, port = mail_server.smtp.rsplit(":", 1)
    with smtplib.SMTP(host, int(port), timeout=10) as client:
        client.sendmail("outro@example.org", [to], broken.encode())
    assert codes(mail_server).latest(request(to, asked_at)).code == "192837"


def test_without_a_request_time_any_unseen_message_counts_once(mail_server: MailServer) -> None:
    to = address()
    mail_server.plant(mail(to, "Código: 424242"), received_at=time.time() - 3600)
    source = codes(mail_server, timeout_s=1)
    assert source.latest(request(to)).code == "424242"
    with pytest.raises(CodeNotFound):
        source.latest(request(to))  # marked seen: the code was taken


def test_no_message_is_code_not_found_naming_what_was_waited_for(
    mail_server: MailServer,
) -> None:
    to = address()
    with pytest.raises(CodeNotFound) as error:
        codes(mail_server, timeout_s=0.5).latest(request(to, time.time(), purpose="login"))
    message = str(error.value)
    assert "the login code by email to an address at example.org, asked at" in message
    assert f"qa@127.0.0.1:{mail_server.imap_port}/INBOX" in message
    assert to.split("@")[0] not in message


def test_a_mail_server_that_is_down_means_the_code_never_came(mail_server: MailServer) -> None:
    to, asked_at = address(), time.time()
    mail_server.stop_smtp()
    try:
        with pytest.raises(ConnectionRefusedError):
            mail_server.send(to=to, body="Código: 123123")  # the portal cannot send it
        with pytest.raises(CodeNotFound):  # the portal's failure, not the mailbox's
            codes(mail_server, timeout_s=0.5).latest(request(to, asked_at))
    finally:
        mail_server.start_smtp()


def test_a_wrong_password_names_the_mailbox_not_the_password(
    mail_server: MailServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "Wrong-Pa55word-xyzzy"
    source = ImapCodes(mail_server.imap_url, wrong, timeout_s=30)
    with pytest.raises(CodeSourceError) as error:
        source.latest(request(address(), time.time()))
    message = str(error.value)
    assert f"qa@127.0.0.1:{mail_server.imap_port}/INBOX refused the login" in message
    assert "SENTINEL_CODES_IMAP_PASSWORD" in message
    assert wrong not in message + caplog.text + repr(source)
    assert mail_server.password not in message


def test_a_mailbox_that_is_not_listening_is_the_harness_failure() -> None:
    port = free_port()
    source = ImapCodes(f"imap://qa@127.0.0.1:{port}/INBOX", "secret", timeout_s=30)
    with pytest.raises(CodeSourceError, match=r"cannot be reached \(Connection refused\)"):
        source.latest(request(address(), time.time()))


def test_a_mailbox_that_never_greets_fails_by_its_deadline() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # connections complete, and nothing is ever said on them
        port = silent.getsockname()[1]
        source = ImapCodes(f"imap://qa@127.0.0.1:{port}/INBOX", "secret", timeout_s=1)
        with pytest.raises(CodeSourceError, match="did not answer within 1s"):
            source.latest(request(address(), time.time()))


def test_imaps_to_a_plain_imap_port_says_tls_failed(mail_server: MailServer) -> None:
    url = f"imaps://qa@127.0.0.1:{mail_server.imap_port}/INBOX"
    source = ImapCodes(url, mail_server.password, timeout_s=5)
    with pytest.raises(CodeSourceError, match=r"TLS with the mailbox .* failed"):
        source.latest(request(address(), time.time()))


def test_a_folder_that_does_not_exist(mail_server: MailServer) -> None:
    url = mail_server.imap_url.replace("/INBOX", "/Codigos")
    with pytest.raises(CodeSourceError, match="has no folder 'Codigos'"):
        ImapCodes(url, mail_server.password, timeout_s=30).latest(request(address(), 0.0))


def test_imaps_with_the_mailbox_own_ca(mail_server: MailServer) -> None:
    if mail_server.imaps_url is None:
        pytest.skip("needs openssl for the mailbox's certificate")
    to, asked_at = address(), time.time()
    mail_server.send(to=to, body="Código: 583920")
    source = ImapCodes(
        mail_server.imaps_url, mail_server.password, timeout_s=10, ca_file=mail_server.ca_file
    )
    assert source.latest(request(to, asked_at)).code == "583920"


def test_imaps_with_a_certificate_not_trusted(mail_server: MailServer) -> None:
    if mail_server.imaps_url is None:
        pytest.skip("needs openssl for the mailbox's certificate")
    source = ImapCodes(mail_server.imaps_url, mail_server.password, timeout_s=30)
    with pytest.raises(CodeSourceError, match=r"does not trust .*SENTINEL_CODES_IMAP_CA"):
        source.latest(request(address(), time.time()))


def test_the_code_never_reaches_logs_or_messages(
    mail_server: MailServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    to, asked_at = address(), time.time()
    mail_server.send(to=to, body="Código: 660417")
    arrival = codes(mail_server).latest(request(to, asked_at))
    with pytest.raises(CodeNotFound) as error:
        codes(mail_server, timeout_s=0.3).latest(request(address(), time.time()))
    shown = caplog.text + str(error.value) + repr(arrival)
    assert arrival.code == "660417"
    assert "660417" not in shown
    assert to not in shown
    assert mail_server.password not in shown


@pytest.mark.parametrize(
    ("url", "refusal"),
    [
        ("imap://qa@mail.example.org/INBOX", "plain imap:// .* not to mail.example.org"),
        ("imaps://qa:hunter2@mail.example.org/INBOX", "holds a password"),
        ("imaps://mail.example.org/INBOX", "names no user"),
        ("pop3://qa@mail.example.org/", "must be an imaps:// URL"),
        ("imaps://qa@mail.example.org:99999/", "is not a URL"),
    ],
)
def test_a_mailbox_url_that_cannot_be_used_is_refused(url: str, refusal: str) -> None:
    with pytest.raises(UsageError, match=refusal) as error:
        ImapCodes(url, "pw")
    assert "hunter2" not in str(error.value)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "[::1]", "localhost"])
def test_plain_imap_is_allowed_on_loopback(host: str) -> None:
    assert not parse_mailbox(f"imap://qa@{host}:1143/INBOX").tls


def test_a_percent_encoded_user_and_the_defaults() -> None:
    mailbox = parse_mailbox("imaps://qa%40example.org@mail.example.org")
    assert (mailbox.user, mailbox.port, mailbox.folder) == ("qa@example.org", 993, "INBOX")
    assert str(mailbox) == "qa@example.org@mail.example.org:993/INBOX"
