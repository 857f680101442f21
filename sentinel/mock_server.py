"""Serving the bundled mock portal with uvicorn, on a socket bound before it is announced."""

from __future__ import annotations

import ipaddress
import logging
import socket
import sqlite3
import sys
from pathlib import Path

import uvicorn

from mock_portal.app import create_app
from mock_portal.config import DeliverySettings, PortalConfig
from runtime.mock_process import READY_PREFIX
from runtime.tokens import MIN_TOKEN_LENGTH, TokenError, check_token


class ServeError(ValueError):
    """The mock portal cannot start with these settings; the message says what to change."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only. A name other than
    ``localhost`` is not looked up (it could resolve anywhere): it counts as the network."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, token: str | None) -> str | None:
    """None on a loopback address. On any other, refuse without a test token, else the
    warning to print: the portal and its test-control API are reachable from the network."""
    try:
        check_token(token)
    except TokenError as error:
        raise ServeError(str(error)) from None
    if is_loopback(host):
        return None
    if not token:
        raise ServeError(
            f"refusing to listen on {host}, which other machines can reach, without a test "
            f"token: use --host 127.0.0.1, or give a token of at least {MIN_TOKEN_LENGTH} "
            "characters (--test-token-file or $SENTINEL_TEST_TOKEN)"
        )
    return (
        f"warning: listening on {host}: the mock portal and its test-control API "
        "(/__test__/, which reads and changes every synthetic citizen) are reachable from the "
        "network; anyone with the test token controls them. Use --host 127.0.0.1 unless "
        "other machines must reach it."
    )


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; port 0 picks a free one. Listening before the URL is printed means
    a client that reads the URL can connect at once."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted connections only when
    # the listening socket names its protocol, and without it every response whose headers
    # and body go out in two writes waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def serve(
    *,
    host: str,
    port: int,
    db: Path,
    config: PortalConfig,
    test_token: str | None,
    log_level: str = "info",
    contract: str = "full",
    wording: str | None = None,
    markup: str | None = None,
    delivery: DeliverySettings | None = None,
) -> None:
    """Run the portal until interrupted. Prints its URL as the first line of output.

    ``contract``, ``wording``, ``markup`` and ``delivery`` as for ``open_app``.

    ``ServeError`` when the settings are wrong (a short token, an exposed address without
    a token, a database that cannot be opened); ``OSError`` when it cannot listen.
    """
    warning = exposure_warning(host, test_token)
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(name)s %(message)s")
    # The database first: a bad --db must not be reported as a socket that cannot listen.
    app = open_app(
        db,
        config,
        test_token,
        contract=contract,
        wording=wording,
        markup=markup,
        delivery=delivery,
    )
    try:
        sock = bind(host, port)
    except OSError:
        _stop_delivery(app)
        raise
    if warning:
        print(warning, file=sys.stderr, flush=True)
    print(f"{READY_PREFIX}{url_of(sock)}", flush=True)
    print(f"  database: {db.resolve()}", flush=True)
    api = "disabled (no test token)"
    if test_token:
        api = f"enabled (header X-Test-Token), {contract} contract"
    print(f"  test-control API: {api}", flush=True)
    for name, value in (("wording", wording), ("markup", markup)):
        if value:
            print(f"  {name}: {value} (set at startup)", flush=True)
    for line in delivery_lines(delivery):
        print(f"  {line}", flush=True)
    server = uvicorn.Server(
        uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="off")
    )
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        _stop_delivery(app)
        sys.stdout.flush()


def delivery_lines(delivery: DeliverySettings | None) -> list[str]:
    """Where codes go, as the startup output says it (the webhook without its path, query
    or credentials: they often hold the gateway account's secret)."""
    if delivery is None or not delivery.channels:
        return ["codes: in the outbox only (sent nowhere: no --smtp, no --sms-webhook)"]
    lines = []
    if delivery.smtp:
        lines.append(f"email codes: also sent through SMTP {delivery.smtp_server}")
    if delivery.sms_webhook:
        lines.append(f"SMS codes: also posted to the webhook at {delivery.webhook_server}")
    return lines


def _stop_delivery(app) -> None:
    dispatcher = getattr(app.state, "delivery", None)
    if dispatcher is not None:
        dispatcher.stop()


def open_app(
    db: Path,
    config: PortalConfig,
    test_token: str | None,
    *,
    contract: str = "full",
    wording: str | None = None,
    markup: str | None = None,
    delivery: DeliverySettings | None = None,
):
    """The portal's application on the database at ``db`` (created, with its folder, when
    missing), or a ``ServeError`` naming the database and why it cannot be used.

    ``contract``: what the test-control API offers, ``full``, ``base`` (citizens and outbox
    only, as a staging portal may) or ``mail`` (citizens only); ``wording`` and ``markup``: the
    portal's profile and style from the start (None: as stored, else the defaults);
    ``delivery``: where email and SMS codes are also sent (None: nowhere).
    """
    if db.is_dir():
        raise ServeError(f"cannot use the database {db}: it is a folder; name a file in it")
    blocking = next((p for p in db.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise ServeError(f"cannot open the database {db}: {blocking} is a file, not a folder")
    try:
        return create_app(
            db,
            config=config,
            test_token=test_token,
            contract=contract,
            wording=wording,
            markup=markup,
            delivery=delivery,
        )
    except (OSError, sqlite3.Error) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        hint = (
            "it is not a SQLite database: move it away or name another file"
            if isinstance(error, sqlite3.DatabaseError) and "not a database" in str(error)
            else "its folder must exist or be creatable, and be writable"
        )
        raise ServeError(f"cannot open the database {db}: {reason} ({hint})") from None
