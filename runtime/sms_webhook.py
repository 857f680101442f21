"""Codes sent by SMS, posted to the harness by an SMS gateway's inbound webhook.

A staging portal texts its codes to numbers an SMS gateway holds (Twilio, Vonage and the
like); the gateway posts each message it receives to a URL. ``SmsWebhook`` is that URL: a
small HTTP server that takes a form-encoded POST on any path, with Twilio's ``From``, ``To``,
``Body`` or Vonage's ``msisdn``, ``to``, ``text`` (also as JSON), and answers an empty TwiML
``<Response/>``::

    with SmsWebhook("0.0.0.0", 8025, timeout_s=60) as webhook:
        arrival = webhook.latest(CodeRequest(niss, "login", "sms", "+351 912 345 678", t))

``latest`` waits (woken by each message, not polling) for the newest message to the
request's number that arrived at or after the request, and takes the code from its text.
Numbers match however they are written: ``+351 912 345 678``, ``00351912345678`` and
``912345678`` are one number. The server keeps the last ``keep`` messages, in memory only,
and never logs one.
"""

from __future__ import annotations

import contextlib
import errno
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs

from flows.codes import CodeArrival, CodeNotFound, CodeRequest, CodeSourceError
from runtime.codes import WEBHOOK_SETTING, find_code

MAX_BODY = 16 * 1024  # an SMS webhook's form is a few hundred bytes
EMPTY_TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response/>'
# Field names of the gateways' webhooks: Twilio's, then Vonage's (and lower-case variants).
RECIPIENT_FIELDS = ("To", "to")
TEXT_FIELDS = ("Body", "body", "text", "Text")
SENDER_FIELDS = ("From", "from", "msisdn")
PORTUGAL = "351"


def normalise_number(number: str) -> str:
    """A phone number as its international digits: ``+351 912 345 678``, ``00351912345678``
    and the national ``912345678`` are all ``351912345678``."""
    digits = "".join(c for c in number if c.isdigit())
    if number.strip().startswith("+"):
        return digits
    if digits.startswith("00"):
        return digits[2:]
    if len(digits) == 9 and digits[0] in "29":
        return PORTUGAL + digits  # a Portuguese number written nationally
    return digits


@dataclass(frozen=True, repr=False)
class Sms:
    """A message the gateway posted. Not in a repr: it holds a code and a citizen's number."""

    to: str  # normalised
    text: str = field(repr=False)
    arrived_at: float

    def __repr__(self) -> str:
        return "Sms(<not shown>)"


class SmsWebhook:
    """The webhook server, and a ``CodeSource`` of the messages it received."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, timeout_s: float = 60.0, keep: int = 200
    ):
        self.host = host
        self.port = port
        self.timeout_s = timeout_s
        self._messages: deque[Sms] = deque(maxlen=keep)
        self._arrived = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"SmsWebhook({self.address})"

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        """Where the gateway posts (any path will do)."""
        return f"http://{self.address}/sms"

    def start(self) -> SmsWebhook:
        """Listen on ``host:port`` (port 0: a free one, then ``port`` says which). Raises
        ``CodeSourceError`` when it cannot."""
        server_class = _server_class(self.host)
        try:
            server = server_class((self.host, self.port), _handler(self))
        except OSError as error:
            raise CodeSourceError(self._cannot_listen(error)) from None
        self._server = server
        self.port = int(server.server_address[1])
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        self._thread.start()
        return self

    def _cannot_listen(self, error: OSError) -> str:
        if error.errno == errno.EADDRINUSE:
            return (
                f"the SMS webhook cannot listen on {self.address}: the port is in use (by "
                "another program, or another run; under pytest-xdist every worker would try "
                f"to listen on it: run the tests that need {WEBHOOK_SETTING} with -n 0)"
            )
        return f"the SMS webhook cannot listen on {self.address}: {error.strerror or error}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SmsWebhook:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def received(self, to: str, text: str) -> None:
        """Keep a message the gateway posted, and wake whoever waits for one."""
        with self._arrived:
            self._messages.append(Sms(normalise_number(to), text, time.time()))
            self._arrived.notify_all()

    def latest(self, request: CodeRequest) -> CodeArrival:
        if not request.recipient or not normalise_number(request.recipient):
            raise CodeSourceError(
                f"the SMS webhook finds codes by the number they were sent to, and none was "
                f"given for {request.describe()}"
            )
        number = normalise_number(request.recipient)
        limit = request.waiting(self.timeout_s)
        deadline = time.monotonic() + limit
        with self._arrived:
            while True:
                found = self._newest(number, request.asked_at)
                if found is not None:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._arrived.wait(remaining)
        raise CodeNotFound(
            f"no code came: waited {limit:.3g}s for {request.describe()} at the SMS "
            f"webhook on {self.address}"
        )

    def _newest(self, number: str, asked_at: float | None) -> CodeArrival | None:
        for sms in reversed(self._messages):
            if sms.to != number or (asked_at is not None and sms.arrived_at < asked_at):
                continue
            code = find_code(sms.text)
            if code is not None:
                return CodeArrival(code, sms.arrived_at)
        return None


def _server_class(host: str) -> type[ThreadingHTTPServer]:
    return _Server6 if ":" in host else _Server


class _Server(ThreadingHTTPServer):
    # SO_REUSEADDR (the default) lets a restart take its port back from TIME_WAIT; on Linux
    # it never lets two servers listen on one port: a port in use is still refused.
    daemon_threads = True
    # A gateway may post a burst at once: the default backlog of 5 resets the rest.
    request_queue_size = 128


class _Server6(_Server):
    address_family = socket.AF_INET6


class BadForm(ValueError):
    """A post that is not a message from a gateway; the text is the answer's."""


def read_message(content_type: str, body: bytes) -> tuple[str, str]:
    """``(to, text)`` of a gateway's post: a form (or JSON object) with the number it was sent
    to and its text. Raises ``BadForm``."""
    media = content_type.split(";", 1)[0].strip().lower()
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadForm("the body is not UTF-8") from None
    fields: dict[str, str] = {}
    if media == "application/json":
        try:
            parsed = json.loads(decoded)
        except (ValueError, RecursionError):  # nested deeper than Python's parser goes
            raise BadForm("the body is not JSON") from None
        if not isinstance(parsed, dict):
            raise BadForm("the JSON body is not an object")
        fields = {k: v for k, v in parsed.items() if isinstance(v, str)}
    elif media in ("application/x-www-form-urlencoded", ""):
        try:
            form = parse_qs(decoded, strict_parsing=bool(decoded), max_num_fields=100)
        except ValueError:
            raise BadForm("the body is not a form (application/x-www-form-urlencoded)") from None
        fields = {name: values[-1] for name, values in form.items()}
    else:
        raise BadForm("send the message as application/x-www-form-urlencoded or JSON")
    to = next((fields[name] for name in RECIPIENT_FIELDS if fields.get(name)), None)
    text = next((fields[name] for name in TEXT_FIELDS if name in fields), None)
    if to is None or text is None:
        raise BadForm("a message needs To (the number it was sent to) and Body (its text)")
    if not normalise_number(to):
        raise BadForm("To is not a phone number")
    return to, text


def _handler(webhook: SmsWebhook) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # A client that stops sending holds a thread for this long at most.
        timeout = 10
        server_version = "portal-sentinel-sms-webhook"
        sys_version = ""

        def do_POST(self) -> None:
            length = self.headers.get("Content-Length")
            if length is None or not length.isdigit():
                self._answer(HTTPStatus.LENGTH_REQUIRED, b"Content-Length is required\n")
                return
            if int(length) > MAX_BODY:
                self.close_connection = True  # the rest of the body is never read
                self._answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"the message is too large\n")
                return
            try:
                body = self.rfile.read(int(length))
                to, text = read_message(self.headers.get("Content-Type", ""), body)
            except BadForm as error:
                self._answer(HTTPStatus.BAD_REQUEST, f"{error}\n".encode())
                return
            except OSError:
                self.close_connection = True
                return
            webhook.received(to, text)
            self._answer(HTTPStatus.OK, EMPTY_TWIML, "text/xml")

        def _refuse(self) -> None:
            self._answer(HTTPStatus.METHOD_NOT_ALLOWED, b"POST the gateway's message\n")

        do_GET = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse

        def do_HEAD(self) -> None:
            self._answer(HTTPStatus.METHOD_NOT_ALLOWED, b"")

        def _answer(
            self, status: HTTPStatus, body: bytes, content_type: str = "text/plain; charset=utf-8"
        ) -> None:
            self.send_response(status)
            if status == HTTPStatus.METHOD_NOT_ALLOWED:
                self.send_header("Allow", "POST")
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                with contextlib.suppress(OSError):
                    self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            # Never logged: a request line or a body may hold a number or a code.
            return

    return Handler
