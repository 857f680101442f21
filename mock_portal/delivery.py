"""Sending codes for real: email codes through SMTP, SMS codes to a gateway's webhook.

The outbox (``messages``) stays the record of every code. When the portal is started with
somewhere to send them (``config.DeliverySettings``: ``sentinel mock --smtp HOST:PORT
--sms-webhook URL``), each email or SMS code also gets a row in ``deliveries`` in the same
transaction as the code, and a ``Dispatcher`` thread sends it once that transaction commits,
never in the citizen's request. Because the state is in SQLite, nothing is lost:

- a failure (server down, refused, an HTTP answer that is not 2xx) is logged and retried
  ``delivery_attempts`` times in all, waiting ``delivery_retry_ms`` and then twice as long each
  time; then the code is given up as undelivered, and stays in the outbox;
- a restarted portal resumes the deliveries still pending, at once;
- several processes on one database never send a code twice: each claims a row in a write
  transaction before sending it, for a lease longer than a send can take.

Logs name the purpose, channel, message id, attempt, the error's class and the server, never
the code, the address or the number. Letters are never sent. A code whose validity ends
before it could be sent is not sent.

``POST /__test__/faults {"withhold_codes": true}`` makes the portal withhold every new code:
it is written to the outbox without its code (``"withheld": true``, never delivered), and
nothing is sent, so a test can show a code that never arrives.

    dispatcher = Dispatcher("portal.db", DeliverySettings(smtp=("127.0.0.1", 2525)), config)
    attach(conn, dispatcher)   # codes.send on ``conn`` now queues email codes
    dispatcher.start()
    ...
    dispatcher.stop()
"""

from __future__ import annotations

import base64
import json
import logging
import smtplib
import sqlite3
import threading
import time
import urllib.error
import urllib.request
import weakref
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from mock_portal import store
from mock_portal.config import DeliverySettings, PortalConfig
from mock_portal.timekeeping import iso, now, parse_iso

log = logging.getLogger("mock_portal.delivery")

# A short poll catches rows another process queued; this process's own commits wake the
# dispatcher at once.
FALLBACK_POLL_S = 0.25
MAX_RETRY_WAIT_S = 60.0
LISBON = ZoneInfo("Europe/Lisbon")

# What each purpose's code is for, in the portal's words.
SUBJECTS = {
    "registration": "Código de registo na Segurança Social Direta",
    "login": "Código de início de sessão na Segurança Social Direta",
    "contacts": "Código de confirmação dos contactos na Segurança Social Direta",
    "password_reset": "Código de recuperação da palavra-passe da Segurança Social Direta",
    "cmd": "Código de segurança da Chave Móvel Digital",
}
PURPOSES = {
    "registration": "concluir o registo na Segurança Social Direta e ativar a sua conta",
    "login": "concluir o início de sessão na Segurança Social Direta",
    "contacts": "confirmar os seus contactos na Segurança Social Direta",
    "password_reset": "recuperar a palavra-passe da Segurança Social Direta",
    "cmd": "autorizar a autenticação com a Chave Móvel Digital",
}
SMS_NAMES = {
    "registration": "o seu código de registo",
    "login": "o seu código de início de sessão",
    "contacts": "o seu código de confirmação dos contactos",
    "password_reset": "o seu código de recuperação da palavra-passe",
    "cmd": "o seu código de segurança",
}

_DISPATCHERS: weakref.WeakKeyDictionary[store.Connection, Dispatcher] = weakref.WeakKeyDictionary()


# Queueing, in the request's transaction ---------------------------------------------------
def attach(conn: sqlite3.Connection, dispatcher: Dispatcher) -> None:
    """Codes sent on ``conn`` (``codes.send``) are queued for ``dispatcher`` from now on."""
    if not isinstance(conn, store.Connection):
        raise TypeError("codes are sent only from a connection opened by store.connect")
    _DISPATCHERS[conn] = dispatcher


def enqueue(conn: sqlite3.Connection, message_id: int, purpose: str, channel: str) -> None:
    """Within the transaction that wrote message ``message_id``: withhold it, queue it for
    sending (the dispatcher wakes once the transaction commits), or leave it to the outbox."""
    if withholding(conn):
        conn.execute(
            "INSERT INTO deliveries (message_id, state) VALUES (?, 'withheld')", (message_id,)
        )
        log.info(
            "withheld the %s code of message %d by %s (withhold_codes)",
            purpose,
            message_id,
            channel,
        )
        return
    dispatcher = _DISPATCHERS.get(conn) if isinstance(conn, store.Connection) else None
    if dispatcher is None or channel not in dispatcher.channels:
        return
    conn.execute(
        "INSERT INTO deliveries (message_id, state, next_attempt_at) VALUES (?, 'pending', ?)",
        (message_id, time.time()),
    )
    store.after_commit(conn, dispatcher.wake)


def withholding(conn: sqlite3.Connection) -> bool:
    """Whether the test-control faults tell the portal to withhold new codes."""
    faults: dict[str, Any] | None = store.settings(conn).get("faults")
    return bool(faults and faults.get("withhold_codes"))


# What is sent --------------------------------------------------------------------------------
def validity(sent_at: str, expires_at: str) -> str:
    """How long a code is valid and until when, on the portal's clock, in Lisbon time."""
    sent, expires = parse_iso(sent_at), parse_iso(expires_at)
    minutes = max(1, round((expires - sent).total_seconds() / 60))
    length = f"{minutes} minuto" if minutes == 1 else f"{minutes} minutos"
    until = expires.astimezone(LISBON)
    return f"{length}, até às {until:%H:%M} de {until:%d-%m-%Y} (hora de Portugal continental)"


def email_message(settings: DeliverySettings, row: sqlite3.Row) -> EmailMessage:
    """The email the portal writes for a code: Portuguese, UTF-8, plain text."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = row["recipient"]
    message["Subject"] = SUBJECTS.get(row["purpose"], "Código de verificação")
    # Real time, as a mail server stamps it: the portal's clock only decides validity.
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid("codigo", domain=_domain(settings.mail_from))
    purpose = PURPOSES.get(row["purpose"], "concluir o seu pedido")
    body = (
        "Caro(a) utilizador(a),\n\n"
        f"Para {purpose}, indique o seguinte código de verificação:\n\n"
        f"    {row['code']}\n\n"
        f"O código é válido durante {validity(row['sent_at'], row['expires_at'])} e só pode "
        "ser usado uma vez. Se pediu mais do que um código, use o último que recebeu.\n\n"
        "Se não fez este pedido, ignore esta mensagem. A Segurança Social nunca lhe pede este "
        "código por telefone nem por email.\n\n"
        "Com os melhores cumprimentos,\n"
        "Segurança Social Direta\n\n"
        "Esta mensagem foi enviada automaticamente. Por favor, não responda.\n"
    )
    # Quoted-printable: readable as text (the code as it is) through any mail server.
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    return message


def sms_text(row: sqlite3.Row) -> str:
    """The SMS the portal sends for a code: short, the code and how long it is valid."""
    minutes = max(
        1, round((parse_iso(row["expires_at"]) - parse_iso(row["sent_at"])).total_seconds() / 60)
    )
    sender = "Chave Móvel Digital" if row["purpose"] == "cmd" else "Segurança Social Direta"
    name = SMS_NAMES.get(row["purpose"], "o seu código de verificação")
    return (
        f"{sender}: {name} é {row['code']}. Válido durante {minutes} min. Não partilhe este código."
    )


def _domain(address: str) -> str:
    return parseaddr(address)[1].rpartition("@")[2] or "localhost"


# How it is sent ----------------------------------------------------------------------------
class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A gateway answers a webhook itself: a redirect is an answer that is not 2xx."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# No proxies from the environment: the webhook is named by its URL, often on this machine.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


def send_email(settings: DeliverySettings, message: EmailMessage) -> None:
    assert settings.smtp is not None
    host, port = settings.smtp
    # An explicit EHLO name: the default (the machine's FQDN) may mean a slow DNS lookup.
    with smtplib.SMTP(
        host, port, local_hostname=_domain(settings.mail_from), timeout=settings.timeout_s
    ) as smtp:
        smtp.send_message(message)


def post_sms(settings: DeliverySettings, to: str, body: str) -> None:
    """POST ``From``, ``To`` and ``Body`` form-encoded, as inbound-SMS webhooks take them."""
    assert settings.sms_webhook is not None
    parts = urlsplit(settings.sms_webhook)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": "portal-sentinel-mock",
    }
    url = settings.sms_webhook
    if parts.username is not None:  # https://user:secret@gateway/...: basic authentication
        # Percent-encoded in the URL (a ":" or "@" in a password must be): decoded here.
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        host = parts.hostname or ""
        netloc = (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port else "")
        url = urlunsplit(parts._replace(netloc=netloc))
    data = urlencode({"From": settings.sms_sender, "To": to, "Body": body}).encode()
    # The URL's scheme is http or https: config.webhook_url checked it.
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
    with _OPENER.open(request, timeout=settings.timeout_s) as response:
        response.read(65536)
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(url, response.status, "not 2xx", response.headers, None)


def describe_error(error: BaseException) -> str:
    """An error as logs may show it: its class and status, never its message, which may
    quote the recipient (``SMTPRecipientsRefused``) or the URL with its secret."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.smtp_code}"
    if isinstance(error, urllib.error.URLError) and isinstance(error.reason, BaseException):
        return type(error.reason).__name__
    return type(error).__name__


# The dispatcher ----------------------------------------------------------------------------
class Dispatcher:
    """Sends the queued codes on a thread of its own, with a connection of its own."""

    def __init__(self, db_path: str | Path, settings: DeliverySettings, config: PortalConfig):
        if str(db_path) == ":memory:":
            raise ValueError("codes can be sent only by a portal whose database is a file")
        self.db_path = db_path
        self.settings = settings
        self.channels = settings.channels
        # The one parameter the queries take for "the channels this dispatcher sends".
        self._channels_json = json.dumps(sorted(self.channels))
        self.attempts = max(1, config.delivery_attempts)
        self.retry_s = config.delivery_retry_ms / 1000
        # Longer than a send can take, so no other process takes a code while it is sent.
        self.lease_s = 4 * settings.timeout_s + 5
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._conn: sqlite3.Connection | None = None

    def start(self) -> None:
        """Open the database (its errors are the caller's) and start sending, beginning with
        what a previous run left pending."""
        self._conn = store.connect(self.db_path)
        self._resume()
        self._thread = threading.Thread(target=self._run, name="code-delivery", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Finish the send in progress, if any, and stop."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self.lease_s)
        if self._conn is not None and (self._thread is None or not self._thread.is_alive()):
            self._conn.close()

    # The loop ------------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                wait = self._send_due()
            except sqlite3.Error as error:  # a locked or unwritable database: try again later
                log.error("code delivery could not read its queue: %s", type(error).__name__)
                wait = FALLBACK_POLL_S
            self._wake.wait(min(wait, FALLBACK_POLL_S))

    def _resume(self) -> None:
        """A fresh process tries the pending codes at once, rather than at the retry times
        a previous run had set (its servers may have been down, or wrong)."""
        conn = self._db()
        with store.transaction(conn):
            conn.execute(
                "UPDATE deliveries SET next_attempt_at = 0 WHERE state = 'pending' AND "
                "message_id IN (SELECT id FROM messages "
                "WHERE channel IN (SELECT value FROM json_each(?)))",
                (self._channels_json,),
            )

    def _send_due(self) -> float:
        """Send every code that is due; the seconds until the next one is."""
        while not self._stopping.is_set():
            row = self._claim()
            if row is None:
                return self._until_next()
            self._send(row)
        return 0.0

    def _db(self) -> sqlite3.Connection:
        assert self._conn is not None, "start() opens the database"
        return self._conn

    def _until_next(self) -> float:
        row = (
            self._db()
            .execute(
                "SELECT MIN(MAX(d.next_attempt_at, COALESCE(d.claimed_until, 0))) AS due "
                "FROM deliveries d JOIN messages m ON m.id = d.message_id "
                "WHERE d.state = 'pending' AND m.channel IN (SELECT value FROM json_each(?))",
                (self._channels_json,),
            )
            .fetchone()
        )
        if row["due"] is None:
            return FALLBACK_POLL_S
        return max(0.0, float(row["due"]) - time.time())

    def _claim(self) -> sqlite3.Row | None:
        """The next due code, claimed for this process (one write transaction, so two
        processes never claim the same); a code already past its validity is not sent."""
        conn = self._db()
        moment = time.time()
        query = (
            "SELECT m.id, m.purpose, m.channel, m.recipient, m.code, m.sent_at, m.expires_at,"
            " d.attempts FROM deliveries d JOIN messages m ON m.id = d.message_id "
            "WHERE d.state = 'pending' AND d.next_attempt_at <= ? "
            "AND COALESCE(d.claimed_until, 0) <= ? "
            "AND m.channel IN (SELECT value FROM json_each(?)) "
            "ORDER BY d.next_attempt_at, d.message_id LIMIT 1"
        )
        while True:
            with store.transaction(conn):
                row: sqlite3.Row | None = conn.execute(
                    query, (moment, moment, self._channels_json)
                ).fetchone()
                if row is None:
                    return None
                clock = now(store.settings(conn).get("clock_offset", 0))
                if row["expires_at"] <= iso(clock):
                    conn.execute(
                        "UPDATE deliveries SET state = 'expired', claimed_until = NULL "
                        "WHERE message_id = ?",
                        (row["id"],),
                    )
                    log.info(
                        "did not send the %s code of message %d by %s: it expired first",
                        row["purpose"],
                        row["id"],
                        row["channel"],
                    )
                    continue
                conn.execute(
                    "UPDATE deliveries SET attempts = attempts + 1, claimed_until = ? "
                    "WHERE message_id = ?",
                    (moment + self.lease_s, row["id"]),
                )
                return row

    def _send(self, row: sqlite3.Row) -> None:
        attempt = row["attempts"] + 1
        server = self._server(row["channel"])
        try:
            if row["channel"] == "email":
                send_email(self.settings, email_message(self.settings, row))
            else:
                post_sms(self.settings, row["recipient"], sms_text(row))
        except Exception as error:  # any failure is retried; what it was is logged
            self._failed(row, attempt, server, describe_error(error))
            return
        with store.transaction(self._db()):
            self._db().execute(
                "UPDATE deliveries SET state = 'sent', sent_at = ?, claimed_until = NULL, "
                "last_error = NULL WHERE message_id = ?",
                (iso(datetime.now(UTC)), row["id"]),
            )
        log.info(
            "sent the %s code of message %d by %s through %s (attempt %d)",
            row["purpose"],
            row["id"],
            row["channel"],
            server,
            attempt,
        )

    def _failed(self, row: sqlite3.Row, attempt: int, server: str, error: str) -> None:
        what = f"the {row['purpose']} code of message {row['id']} by {row['channel']}"
        conn = self._db()
        if attempt >= self.attempts:
            with store.transaction(conn):
                conn.execute(
                    "UPDATE deliveries SET state = 'failed', claimed_until = NULL, "
                    "last_error = ? WHERE message_id = ?",
                    (error, row["id"]),
                )
            log.error(
                "gave up sending %s through %s after %d attempts (%s): it stays in the outbox, "
                "undelivered",
                what,
                server,
                attempt,
                error,
            )
            return
        wait = min(self.retry_s * 2 ** (attempt - 1), MAX_RETRY_WAIT_S)
        with store.transaction(conn):
            conn.execute(
                "UPDATE deliveries SET next_attempt_at = ?, claimed_until = NULL, "
                "last_error = ? WHERE message_id = ?",
                (time.time() + wait, error, row["id"]),
            )
        log.warning(
            "could not send %s through %s (attempt %d of %d): %s; retrying in %.1f s",
            what,
            server,
            attempt,
            self.attempts,
            error,
            wait,
        )

    def _server(self, channel: str) -> str:
        if channel == "email":
            return f"SMTP {self.settings.smtp_server}"
        return f"webhook {self.settings.webhook_server}"
