"""Codes sent by email, read from a real mailbox over IMAP.

A staging portal mails its codes to the synthetic citizens' addresses; they land in a
mailbox the harness can read (often one catch-all mailbox for a test domain)::

    codes = ImapCodes("imaps://qa%40example.org@mail.example.org/INBOX", password, timeout_s=60)
    arrival = codes.latest(CodeRequest(niss, "registration", "email", "ana@example.org", t))

``latest`` waits, polling the mailbox, for the newest message to the request's address
(its ``To``, ``Cc`` or ``Delivered-To``) that reached the mailbox at or after the request
(``INTERNALDATE``, with a second of slack: it has one second's resolution), takes the code
from its text, and marks the message seen. Without ``asked_at``, any unseen message to the
address counts.

TLS by default (the system's trusted CAs, or ``ca_file`` for a staging mailbox with its own
CA); plain ``imap://`` only on this machine's loopback, where nothing crosses a network.
A mailbox that cannot be used (login refused, unreachable, untrusted certificate, no such
folder) is a ``CodeSourceError``; no code by the deadline is ``CodeNotFound``. Neither names
the password, the code or the citizen's address.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import html
import imaplib
import ipaddress
import re
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flows.codes import CodeArrival, CodeNotFound, CodeRequest, CodeSourceError
from runtime.codes import PASSWORD_VARIABLE, URL_SETTING, arrival_time, find_code
from runtime.usage import UsageError

# INTERNALDATE has a resolution of one second: a message of the click's second is after it.
SLACK_S = 1.0
# No single network read waits longer than this, whatever the deadline.
SOCKET_TIMEOUT_S = 15.0
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')
UID = re.compile(rb"UID (\d+)")


@dataclass(frozen=True)
class Mailbox:
    """Where the codes are read: ``imaps://USER@HOST[:PORT]/MAILBOX`` taken apart."""

    tls: bool
    user: str
    host: str
    port: int
    folder: str

    def __str__(self) -> str:
        # The mailbox's user is configuration, not a citizen's data: it names the mailbox.
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.user}@{host}:{self.port}/{self.folder}"


def parse_mailbox(url: str) -> Mailbox:
    """``imaps://USER@HOST[:PORT]/MAILBOX`` (USER may be percent-encoded, MAILBOX defaults
    to INBOX); ``imap://`` only for a loopback HOST. Raises ``UsageError``, never quoting a
    password the URL may hold."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UsageError(
            f"{URL_SETTING} is not a URL: write imaps://USER@HOST[:PORT]/MAILBOX"
        ) from None
    if parts.scheme not in ("imap", "imaps"):
        raise UsageError(f"{URL_SETTING} must be an imaps:// URL (imaps://USER@HOST/MAILBOX)")
    if parts.password is not None:
        raise UsageError(
            f"{URL_SETTING} holds a password: leave it out of the URL (it would be on the "
            f"command line and in the process list) and set {PASSWORD_VARIABLE}"
        )
    if not parts.username:
        raise UsageError(f"{URL_SETTING} names no user: write imaps://USER@HOST/MAILBOX")
    if port == 0:
        raise UsageError(f"{URL_SETTING} needs a port from 1 to 65535, or none (993)")
    host = parts.hostname or ""
    if not host:
        raise UsageError(f"{URL_SETTING} names no host: write imaps://USER@HOST/MAILBOX")
    if parts.scheme == "imap" and not is_loopback(host):
        raise UsageError(
            f"{URL_SETTING}: plain imap:// sends the password in clear, allowed only to this "
            f"machine (127.0.0.1, ::1, localhost), not to {host}: use imaps://"
        )
    if parts.query or parts.fragment:
        raise UsageError(f"{URL_SETTING} has a ?query or #fragment: write only the mailbox")
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    if not folder.isascii() or any(ord(c) < 32 for c in folder) or '"' in folder or "\\" in folder:
        # IMAP names folders in ASCII (non-ASCII ones in its modified UTF-7, as it lists them).
        raise UsageError(
            f"{URL_SETTING} names a mailbox folder with quotes, control or non-ASCII "
            "characters: write it as the server lists it"
        )
    user = unquote(parts.username)
    if not user.isascii() or not user.isprintable():
        raise UsageError(f"{URL_SETTING} names a user IMAP cannot send (ASCII only)")
    default = 993 if parts.scheme == "imaps" else 143
    return Mailbox(parts.scheme == "imaps", user, host, port or default, folder)


def is_loopback(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ImapCodes:
    """A ``CodeSource`` reading codes sent by email from the mailbox at ``url``."""

    def __init__(
        self,
        url: str,
        password: str,
        *,
        timeout_s: float = 60.0,
        poll_s: float = 2.0,
        ca_file: str | Path | None = None,
        slack_s: float = SLACK_S,
    ):
        self.mailbox = parse_mailbox(url)
        # How much earlier than the click a message may be stamped and still count: the
        # stamp's resolution (and the mail server's clock, where it runs behind).
        self.slack_s = slack_s
        # The messages whose codes were handed out: INTERNALDATE's one-second grain and the
        # slack would otherwise hand the login code again to a contacts code asked 0.5 s later.
        self._taken: set[str] = set()
        self._password = password
        self.timeout_s = timeout_s
        self.poll_s = poll_s
        self.ca_file = Path(ca_file) if ca_file is not None else None

    def __repr__(self) -> str:
        return f"ImapCodes({self.mailbox})"

    def check(self) -> None:
        """Log in and select the folder once, now: a mailbox that is wrongly set, refuses the
        login or cannot be reached is a ``CodeSourceError`` before the first flow, not at its
        first code."""
        try:
            self._open(time.monotonic() + min(self.timeout_s, SOCKET_TIMEOUT_S)).close()
        except _Lost as error:
            raise CodeSourceError(
                f"the mailbox {self.mailbox} dropped the connection ({error})"
            ) from None

    def latest(self, request: CodeRequest) -> CodeArrival:
        if not request.recipient:
            raise CodeSourceError(
                f"the mailbox {self.mailbox} finds codes by the address they were sent to, "
                f"and none was given for {request.describe()}"
            )
        limit = request.waiting(self.timeout_s)
        deadline = time.monotonic() + limit
        session: _Session | None = None
        connected = False
        trouble: str | None = None
        try:
            while True:
                if session is None:
                    try:
                        session, connected = self._open(deadline), True
                    except CodeSourceError as error:
                        if not connected:
                            raise  # never usable: waiting would not mend it
                        trouble = str(error)  # it was: it may come back before the deadline
                    except _Lost as error:
                        trouble = f"the mailbox {self.mailbox} dropped the connection ({error})"
                if session is not None:
                    try:
                        found = session.newest_code(request, self.slack_s, self._taken)
                    except _Lost as error:
                        trouble = f"the mailbox {self.mailbox} dropped the connection ({error})"
                        session.close()
                        session = None
                    else:
                        if found is not None:
                            return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                time.sleep(min(self.poll_s, remaining))
        finally:
            if session is not None:
                session.close()
        waited = f"waited {limit:.3g}s for {request.describe()}"
        if request.asked_at is None:
            waited += " (any unseen message)"
        if session is None and trouble is not None:
            raise CodeSourceError(f"{trouble}; {waited}")
        raise CodeNotFound(f"no code came: {waited} in the mailbox {self.mailbox}")

    def _open(self, deadline: float) -> _Session:
        """A logged-in session with the folder selected. A mailbox that cannot be used at
        all is a ``CodeSourceError`` at once: waiting would not mend it."""
        connection = self._connect(deadline)
        if "LOGINDISABLED" in connection.capabilities:
            _close(connection)
            raise CodeSourceError(
                f"the mailbox {self.mailbox} takes no login without TLS: use imaps://"
            )
        try:
            connection.login(self.mailbox.user, self._password)
        except imaplib.IMAP4.abort as error:
            _close(connection)
            raise _Lost(f"closed at login: {_reason(error)}") from None
        except imaplib.IMAP4.error:
            _close(connection)
            raise CodeSourceError(
                f"the mailbox {self.mailbox} refused the login: check the user in {URL_SETTING} "
                f"and the password in {PASSWORD_VARIABLE}"
            ) from None
        except UnicodeEncodeError:
            _close(connection)
            raise CodeSourceError(
                f"the password in {PASSWORD_VARIABLE} has characters IMAP's LOGIN cannot send "
                f"to the mailbox {self.mailbox} (ASCII only)"
            ) from None
        except OSError as error:
            _close(connection)
            raise _Lost(f"broken at login: {_reason(error)}") from None
        status, _ = _guarded(lambda: connection.select(_quoted(self.mailbox.folder)))
        if status != "OK":
            _close(connection)
            raise CodeSourceError(
                f"the mailbox {self.mailbox} has no folder {self.mailbox.folder!r}: check the "
                f"folder at the end of {URL_SETTING} (INBOX when none is given)"
            )
        return _Session(connection, self.mailbox, deadline)

    def _connect(self, deadline: float) -> imaplib.IMAP4:
        where = self.mailbox
        timeout = max(0.5, min(SOCKET_TIMEOUT_S, deadline - time.monotonic()))
        try:
            if where.tls:
                return imaplib.IMAP4_SSL(
                    where.host, where.port, ssl_context=self._tls(), timeout=timeout
                )
            return imaplib.IMAP4(where.host, where.port, timeout=timeout)
        except ssl.SSLCertVerificationError as error:
            raise CodeSourceError(
                f"the mailbox {where} presented a certificate this machine does not trust "
                f"({error.verify_message}): give its CA's certificate in SENTINEL_CODES_IMAP_CA"
            ) from None
        except ssl.SSLError as error:
            raise CodeSourceError(
                f"TLS with the mailbox {where} failed ({error.reason or 'handshake'}): is "
                f"{where.port} its IMAPS port (993 by default)?"
            ) from None
        except TimeoutError:
            raise CodeSourceError(
                f"the mailbox {where} did not answer within {round(timeout, 1):g}s: check the "
                f"host and port in {URL_SETTING}"
            ) from None
        except imaplib.IMAP4.error as error:
            raise CodeSourceError(
                f"the mailbox {where} does not speak IMAP ({_reason(error)}): check the port "
                f"in {URL_SETTING}"
            ) from None
        except OSError as error:
            raise CodeSourceError(
                f"the mailbox {where} cannot be reached ({_reason(error)}): check that the "
                f"IMAP server runs and the host and port in {URL_SETTING}"
            ) from None

    def _tls(self) -> ssl.SSLContext:
        try:
            return ssl.create_default_context(
                cafile=str(self.ca_file) if self.ca_file is not None else None
            )
        except (OSError, ssl.SSLError) as error:
            raise CodeSourceError(
                f"the CA file for the mailbox {self.mailbox} cannot be used ({_reason(error)}): "
                "check SENTINEL_CODES_IMAP_CA"
            ) from None


class _Lost(Exception):
    """The connection dropped: reconnect, until the deadline."""


@dataclass
class _Candidate:
    uid: str
    received: float


class _Session:
    def __init__(self, connection: imaplib.IMAP4, mailbox: Mailbox, deadline: float):
        self.connection = connection
        self.mailbox = mailbox
        self.deadline = deadline

    def newest_code(
        self, request: CodeRequest, slack_s: float, taken: set[str]
    ) -> CodeArrival | None:
        """The code of the newest message for ``request`` not ``taken`` before (marked seen,
        and added to ``taken``), or None yet."""
        self._limit_reads()
        for candidate in self._candidates(request, slack_s):
            if candidate.uid in taken:
                continue
            message = self._message(candidate.uid)
            code = find_code(text_of(message)) if message is not None else None
            if code is None:
                continue  # another mail to the citizen (a welcome, a notice): not a code
            self._mark_seen(candidate.uid)
            taken.add(candidate.uid)
            return CodeArrival(code, arrival_time(candidate.received, request.asked_at))
        return None

    def _mark_seen(self, uid: str) -> None:
        self._call(lambda: self.connection.uid("STORE", uid, "+FLAGS", r"(\Seen)"))

    def _limit_reads(self) -> None:
        sock = getattr(self.connection, "sock", None)
        if sock is not None:
            sock.settimeout(max(0.5, min(SOCKET_TIMEOUT_S, self.deadline - time.monotonic())))

    def _candidates(self, request: CodeRequest, slack_s: float) -> Iterator[_Candidate]:
        """Messages to the request's address that came after it, newest first."""
        assert request.recipient is not None
        self._call(self.connection.noop)  # lets the server report what arrived since
        criteria = _criteria(request)
        _, found = self._call(lambda: self.connection.uid("SEARCH", *criteria))
        uids = b" ".join(part for part in found if isinstance(part, bytes)).split()
        if not uids:
            return
        _, data = self._call(
            lambda: self.connection.uid(
                "FETCH",
                b",".join(uids).decode(),
                "(INTERNALDATE BODY.PEEK[HEADER.FIELDS (TO CC DELIVERED-TO)])",
            )
        )
        since = request.asked_at - slack_s if request.asked_at is not None else None
        matches = [
            candidate
            for meta, headers in _fetched(data)
            if (candidate := _candidate(meta)) is not None
            and (since is None or candidate.received >= since)
            and _addressed_to(headers, request.recipient)
        ]
        yield from sorted(matches, key=lambda c: (c.received, int(c.uid)), reverse=True)

    def _message(self, uid: str) -> EmailMessage | None:
        # PEEK: read without marking seen; only the message whose code is taken is marked.
        _, data = self._call(lambda: self.connection.uid("FETCH", uid, "(BODY.PEEK[])"))
        for _meta, body in _fetched(data):
            parsed = email.message_from_bytes(body, policy=email.policy.default)
            if isinstance(parsed, EmailMessage):
                return parsed
        return None

    def _call(self, command: Callable[[], tuple[str, Any]]) -> tuple[str, list[Any]]:
        status, data = _guarded(command)
        if status != "OK":
            raise _Lost(f"the server answered {status}")
        return status, data

    def close(self) -> None:
        _close(self.connection)


def _guarded(command: Callable[[], tuple[str, Any]]) -> tuple[str, list[Any]]:
    """Runs an IMAP command; a dropped or broken connection is ``_Lost``."""
    try:
        status, data = command()
    except (imaplib.IMAP4.abort, OSError) as error:
        raise _Lost(_reason(error)) from None
    except imaplib.IMAP4.error:
        # Not its text: a server's complaint may quote the command, and so the address.
        raise _Lost("the server refused a command") from None
    return str(status), list(data or [])


def _criteria(request: CodeRequest) -> list[str]:
    """What the server can narrow down: the day (SINCE has a day's resolution, in the
    server's zone: a day earlier is safe) or unseen messages, and the address as text where
    IMAP can quote it (the exact address is checked here afterwards)."""
    assert request.recipient is not None
    if request.asked_at is not None:
        day = time.gmtime(request.asked_at - 86400)
        criteria = ["SINCE", f"{day.tm_mday}-{MONTHS[day.tm_mon - 1]}-{day.tm_year}"]
    else:
        criteria = ["UNSEEN"]
    address = request.recipient.strip()
    if address.isascii() and address.isprintable():
        quoted = _quoted(address)
        criteria += ["OR", "OR", "TO", quoted, "CC", quoted, "HEADER", "Delivered-To", quoted]
    return criteria


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fetched(data: list[Any]) -> Iterator[tuple[bytes, bytes]]:
    """(the FETCH line before the literal, the literal) for each message in a response."""
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            meta, literal = item
            if isinstance(meta, bytes) and isinstance(literal, bytes):
                yield meta, literal


def _candidate(meta: bytes) -> _Candidate | None:
    uid, date = UID.search(meta), INTERNALDATE.search(meta)
    if uid is None or date is None:
        return None
    received = internaldate(date.group(1).decode("ascii", "replace"))
    return _Candidate(uid.group(1).decode(), received) if received is not None else None


def internaldate(text: str) -> float | None:
    """``02-Dec-2026 04:03:52 +0000`` as seconds since the epoch (month names are IMAP's,
    English whatever this machine's locale)."""
    match = re.fullmatch(r"\s*(\d{1,2})-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-]\d{4})", text)
    if match is None or match.group(2).title() not in MONTHS:
        return None
    day, month, year, hour, minute, second, zone = match.groups()
    stamp = f"{year}-{MONTHS.index(month.title()) + 1:02d}-{int(day):02d}T{hour}:{minute}:{second}"
    try:
        return datetime.fromisoformat(f"{stamp}{zone[:3]}:{zone[3:]}").timestamp()
    except ValueError:
        return None


def _addressed_to(headers: bytes, recipient: str) -> bool:
    """Whether the citizen's address is among the message's recipients, by address (not as
    text: ``ana@x.org`` is not in ``joana@x.org``), without regard to case."""
    wanted = recipient.strip().lower()
    # Any mail can reach a shared mailbox: one whose headers cannot be read is not a match.
    with contextlib.suppress(Exception):
        parsed = email.message_from_bytes(headers, policy=email.policy.default)
        names = ("To", "Cc", "Delivered-To")
        fields = [str(value) for name in names for value in parsed.get_all(name, [])]
        return any(address.strip().lower() == wanted for _, address in getaddresses(fields))
    return False


def text_of(message: EmailMessage) -> str:
    """The message's words: its plain text, else its HTML without the markup; decoded from
    quoted-printable or base64 and from its charset."""
    plain = _part(message, "plain")
    if plain is not None:
        return plain
    markup = _part(message, "html")
    return _without_markup(markup) if markup is not None else ""


def _part(message: EmailMessage, subtype: str) -> str | None:
    for part in message.walk():
        if part.get_content_type() != f"text/{subtype}" or part.is_attachment():
            continue
        # A part that cannot be decoded (a charset Python does not know, a broken encoding)
        # is skipped: any mail can reach a shared mailbox.
        with contextlib.suppress(Exception):
            content = part.get_content()
            if isinstance(content, str):
                return content
    return None


def _without_markup(markup: str) -> str:
    text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", markup)
    return html.unescape(re.sub(r"(?s)<[^>]*>", " ", text))


def _reason(error: BaseException) -> str:
    """An error in a few words, without anything the server echoed back at length."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    text = str(error).strip()
    return text[:120] if text else type(error).__name__


def _close(connection: imaplib.IMAP4) -> None:
    with contextlib.suppress(Exception):
        connection.logout()
    with contextlib.suppress(Exception):
        connection.shutdown()
