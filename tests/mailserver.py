"""A real mail server for the tests: SMTP in, a Maildir, Dovecot serving it over IMAP.

Mail sent to ``server.smtp`` (an aiosmtpd receiver, as the portal's mail relay would be) is
delivered, whatever its recipient, into one catch-all mailbox, with the ``Delivered-To`` and
``Received`` headers a real MTA adds; a private Dovecot instance (Debian's ``dovecot-imapd``)
serves that mailbox on 127.0.0.1, over plain IMAP and, where ``openssl`` can make a
certificate, over IMAPS with a CA of its own::

    with running() as server:
        server.send(to="ana@example.org", subject="Código", body="O seu código: 123456")
        codes = ImapCodes(server.imap_url, server.password, timeout_s=5)

``server.stop_smtp()`` and ``server.start_smtp()`` make the mail server go down and come
back; the mailbox stays up. Nothing here needs a system service: Dovecot runs in the
foreground from a configuration file in a temporary folder, and dies with this process.
"""

from __future__ import annotations

import contextlib
import email.utils
import imaplib
import logging
import os
import pwd
import secrets
import shutil
import signal
import smtplib
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from runtime.lifetime import dies_with_parent

DOVECOT = Path("/usr/sbin/dovecot")
# aiosmtpd logs every line of every message at DEBUG: codes and citizens' addresses. Like a
# real mail server's log, it stays out of the tests' logs (and so out of their reports).
logging.getLogger("mail.log").setLevel(logging.WARNING)
USER = "qa"
STARTUP_S = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Accounts:
    """Who Dovecot's processes and the mailbox's files run as. Dovecot refuses root for
    its login processes and for a mailbox's owner: as root, unprivileged system users;
    otherwise everything runs as the current user."""

    login: str
    internal: str
    mail_uid: int
    mail_gid: int

    @staticmethod
    def here() -> Accounts:
        if os.geteuid() != 0:
            me = pwd.getpwuid(os.geteuid()).pw_name
            return Accounts(me, me, os.geteuid(), os.getegid())
        nobody = pwd.getpwnam("nobody")
        return Accounts(
            login=_existing_user("dovenull", "nobody"),
            internal=_existing_user("dovecot", "nobody"),
            mail_uid=nobody.pw_uid,
            mail_gid=nobody.pw_gid,
        )


def _existing_user(*names: str) -> str:
    for name in names:
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name).pw_name
    raise RuntimeError(f"none of the users {', '.join(names)} exists")


class MaildirDelivery:
    """The aiosmtpd handler: every recipient's copy goes into one Maildir, as an MTA's
    local delivery would write it (tmp/, then new/)."""

    def __init__(self, maildir: Path, accounts: Accounts):
        self.maildir = maildir
        self.accounts = accounts
        self.delivered = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        for recipient in envelope.rcpt_tos:
            self.deliver(self._traced(content, recipient, session, envelope))
        return "250 OK: delivered"

    def _traced(self, content: bytes, recipient: str, session: Session, env: Envelope) -> bytes:
        peer = session.peer[0] if isinstance(session.peer, tuple) else "unknown"
        trace = (
            f"Return-Path: <{env.mail_from or ''}>\n"
            f"Delivered-To: {recipient}\n"
            f"Received: from {session.host_name or 'unknown'} ([{peer}])\n"
            f"\tby mail.test (aiosmtpd) with SMTP; {email.utils.formatdate()}\n"
        )
        # Maildir files hold LF line ends; SMTP carries CRLF.
        return trace.encode() + content.replace(b"\r\n", b"\n")

    def deliver(self, message: bytes, received_at: float | None = None) -> Path:
        """Write ``message`` into the Maildir; Dovecot takes the file's time as the time the
        message arrived (``received_at``, default now)."""
        with self._lock:
            self.delivered += 1
            name = f"{time.time_ns()}.P{os.getpid()}Q{self.delivered}.mail.test"
        temporary = self.maildir / "tmp" / name
        temporary.write_bytes(message)
        if received_at is not None:
            os.utime(temporary, (received_at, received_at))
        os.chown(temporary, self.accounts.mail_uid, self.accounts.mail_gid)
        final = self.maildir / "new" / name
        os.rename(temporary, final)
        return final


@dataclass
class MailServer:
    root: Path
    password: str = field(repr=False)
    imap_port: int
    smtp_port: int
    imaps_port: int | None
    ca_file: Path | None
    delivery: MaildirDelivery
    dovecot: subprocess.Popen[bytes] | None = None
    controller: Controller | None = None
    user: str = USER

    @property
    def smtp(self) -> str:
        return f"127.0.0.1:{self.smtp_port}"

    @property
    def imap_url(self) -> str:
        return f"imap://{self.user}@127.0.0.1:{self.imap_port}/INBOX"

    @property
    def imaps_url(self) -> str | None:
        if self.imaps_port is None:
            return None
        return f"imaps://{self.user}@127.0.0.1:{self.imaps_port}/INBOX"

    @property
    def log(self) -> Path:
        return self.root / "dovecot.log"

    def start_smtp(self) -> None:
        if self.controller is None:
            self.controller = Controller(self.delivery, hostname="127.0.0.1", port=self.smtp_port)
            self.controller.start()

    def stop_smtp(self) -> None:
        """The mail server goes down: connections to ``smtp`` are refused."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def send(self, message: EmailMessage | None = None, **fields: str) -> str:
        """Send ``message`` by SMTP, or one made of ``to``, ``subject``, ``body`` (and
        ``sender``); returns its Message-ID."""
        if message is None:
            message = EmailMessage()
            message["From"] = fields.get("sender", "Seguranca Social <nao-responder@test>")
            message["To"] = fields["to"]
            message["Subject"] = fields.get("subject", "Código de verificação")
            message["Date"] = email.utils.formatdate()
            message["Message-ID"] = email.utils.make_msgid(domain="portal.test")
            message.set_content(fields.get("body", ""))
        if "Message-ID" not in message:
            message["Message-ID"] = email.utils.make_msgid(domain="portal.test")
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=10) as client:
            client.send_message(message)
        return str(message["Message-ID"])

    def plant(self, message: EmailMessage, received_at: float) -> None:
        """Put ``message`` in the mailbox as if it had arrived at ``received_at``: mail that
        was there before a test's request."""
        recipient = str(message["To"])
        self.delivery.deliver(
            f"Delivered-To: {recipient}\n".encode() + message.as_bytes(), received_at
        )

    def imap(self) -> imaplib.IMAP4:
        """A logged-in IMAP session on the mailbox, for tests to look at what a source did."""
        client = imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=10)
        client.login(self.user, self.password)
        client.select("INBOX")
        return client

    def is_seen(self, message_id: str) -> bool:
        """Whether the message ``send`` returned ``message_id`` for is marked seen."""
        client = self.imap()
        try:
            _, found = client.uid("SEARCH", "HEADER", "Message-ID", _quoted(message_id))
            uids = found[0].split()
            if len(uids) != 1:
                raise AssertionError(f"{len(uids)} messages with the Message-ID {message_id}")
            _, data = client.uid("FETCH", uids[0], "(FLAGS)")
            return b"\\Seen" in _joined(data)
        finally:
            client.logout()

    def drop_connections(self) -> int:
        """End every IMAP session, as a mailbox that restarts or times clients out does:
        Dovecot's ``imap`` processes (one per session), by pid. Returns how many."""
        assert self.dovecot is not None
        dropped = 0
        for pid in _children(self.dovecot.pid):
            with contextlib.suppress(OSError):
                if Path(f"/proc/{pid}/comm").read_text().strip() == "imap":
                    os.kill(pid, signal.SIGKILL)
                    dropped += 1
        return dropped

    def stop(self) -> None:
        self.stop_smtp()
        if self.dovecot is not None:
            self.dovecot.terminate()
            try:
                self.dovecot.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.dovecot.kill()
                self.dovecot.wait(timeout=10)
            self.dovecot = None
        shutil.rmtree(self.root, ignore_errors=True)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _joined(data: list[object]) -> bytes:
    parts: list[bytes] = []
    for item in data:
        if isinstance(item, tuple):
            parts.extend(part for part in item if isinstance(part, bytes))
        elif isinstance(item, bytes):
            parts.append(item)
    return b" ".join(parts)


def start(*, tls: bool = True) -> MailServer:
    """Start the mail server; ``stop()`` it. Raises RuntimeError (with Dovecot's log) when
    Dovecot does not come up."""
    accounts = Accounts.here()
    # Not pytest's tmp_path: its parents are private to root, and the mailbox's owner must
    # be able to reach the mailbox.
    root = Path(tempfile.mkdtemp(prefix="sentinel-mail-"))
    root.chmod(0o711)
    maildir = root / "home" / "Maildir"
    for part in ("cur", "new", "tmp"):
        (maildir / part).mkdir(parents=True)
    for folder in (root / "home", maildir, *(maildir / p for p in ("cur", "new", "tmp"))):
        os.chown(folder, accounts.mail_uid, accounts.mail_gid)
        folder.chmod(0o700)
    certificate = _certificate(root) if tls else None
    server = MailServer(
        root=root,
        password=secrets.token_urlsafe(12),
        imap_port=free_port(),
        smtp_port=free_port(),
        imaps_port=free_port() if certificate else None,
        ca_file=certificate[0] if certificate else None,
        delivery=MaildirDelivery(maildir, accounts),
    )
    try:
        _start_dovecot(server, accounts, certificate)
        server.start_smtp()
    except BaseException:
        server.stop()
        raise
    return server


@contextlib.contextmanager
def running(*, tls: bool = True) -> Iterator[MailServer]:
    server = start(tls=tls)
    try:
        yield server
    finally:
        server.stop()


def _certificate(root: Path) -> tuple[Path, Path] | None:
    """A self-signed certificate for 127.0.0.1 and localhost (it is its own CA), or None
    without ``openssl``."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def _config(server: MailServer, accounts: Accounts, tls: tuple[Path, Path] | None) -> str:
    root = server.root
    home = root / "home"
    ssl = "ssl = no\n"
    imaps = "  inet_listener imaps {\n    port = 0\n  }\n"
    if tls is not None:
        cert, key = tls
        ssl = f"ssl = yes\nssl_cert = <{cert}\nssl_key = <{key}\n"
        if Path("/usr/share/dovecot/dh.pem").exists():
            ssl += "ssl_dh = </usr/share/dovecot/dh.pem\n"
        imaps = (
            "  inet_listener imaps {\n"
            f"    address = 127.0.0.1\n    port = {server.imaps_port}\n    ssl = yes\n  }}\n"
        )
    return (
        f"base_dir = {root}/run\n"
        f"state_dir = {root}/state\n"
        f"instance_name = sentinel-mail-{server.imap_port}\n"
        "protocols = imap\n"
        "listen = 127.0.0.1\n"
        f"log_path = {server.log}\n"
        f"{ssl}"
        # Plain IMAP on loopback, as the harness allows it there.
        "disable_plaintext_auth = no\n"
        "auth_mechanisms = plain login\n"
        # Tests try wrong passwords on purpose: no delay for them, nor for the next login
        # (anvil's penalty for an address that failed, off without its socket).
        "auth_failure_delay = 0\n"
        f"default_login_user = {accounts.login}\n"
        f"default_internal_user = {accounts.internal}\n"
        f"first_valid_uid = {min(accounts.mail_uid, 500)}\n"
        "mail_location = maildir:~/Maildir\n"
        "passdb {\n  driver = passwd-file\n"
        f"  args = scheme=PLAIN {root}/users\n}}\n"
        "userdb {\n  driver = static\n"
        f"  args = uid={accounts.mail_uid} gid={accounts.mail_gid} home={home}\n}}\n"
        "service imap-login {\n"
        f"  inet_listener imap {{\n    address = 127.0.0.1\n    port = {server.imap_port}\n  }}\n"
        f"{imaps}"
        # No chroot: an unprivileged instance cannot, and it is not needed on loopback.
        "  chroot =\n"
        "}\n"
        "service anvil {\n  chroot =\n"
        "  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}\n"
    )


def _start_dovecot(server: MailServer, accounts: Accounts, tls: tuple[Path, Path] | None) -> None:
    (server.root / "users").write_text(f"{server.user}:{{PLAIN}}{server.password}\n")
    (server.root / "users").chmod(0o644)
    config = server.root / "dovecot.conf"
    config.write_text(_config(server, accounts, tls))
    with (server.root / "dovecot.err").open("wb") as errors:
        server.dovecot = subprocess.Popen(
            [str(DOVECOT), "-c", str(config), "-F"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            preexec_fn=dies_with_parent(signal.SIGTERM),
        )
    _wait_for_greeting(server)


def _wait_for_greeting(server: MailServer) -> None:
    """Dovecot says nothing when it is ready: ask its port until it greets (a real
    external process, polled with a deadline)."""
    assert server.dovecot is not None
    deadline = time.monotonic() + STARTUP_S
    pause = threading.Event()
    while time.monotonic() < deadline:
        if server.dovecot.poll() is not None:
            raise RuntimeError(f"dovecot exited {server.dovecot.returncode}: {_logs(server)}")
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", server.imap_port), timeout=2) as sock,
        ):
            if sock.recv(64).startswith(b"* OK"):
                return
        pause.wait(0.05)
    raise RuntimeError(
        f"dovecot did not greet on {server.imap_port} in {STARTUP_S}s: {_logs(server)}"
    )


def _logs(server: MailServer) -> str:
    text = ""
    for name in ("dovecot.err", "dovecot.log"):
        with contextlib.suppress(OSError):
            text += (server.root / name).read_text(errors="replace")[-2000:]
    return text.strip() or "no log"


def main() -> None:
    """``python -m tests.mailserver``: a test mail server of your own, to try the codes by
    email by hand (``sentinel mock --smtp``, ``sentinel run --codes-imap``) until Ctrl-C."""
    with running() as server:
        print(f"SMTP (for sentinel mock --smtp): {server.smtp}")
        print(f"IMAP (for --codes-imap): {server.imap_url}")
        if server.imaps_url:
            print(f"IMAPS: {server.imaps_url}  (SENTINEL_CODES_IMAP_CA={server.ca_file})")
        print(f"export SENTINEL_CODES_IMAP_PASSWORD='{server.password}'", flush=True)
        stop = threading.Event()
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: stop.set())
        stop.wait()


if __name__ == "__main__":
    main()
