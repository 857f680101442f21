"""Serving the bundled mock portal with uvicorn, on a socket bound before it is announced."""

from __future__ import annotations

import logging
import socket
import sys
from pathlib import Path

import uvicorn

from mock_portal.app import create_app
from mock_portal.config import PortalConfig


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
) -> None:
    """Run the portal until interrupted. Prints its URL as the first line of output."""
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(name)s %(message)s")
    sock = bind(host, port)
    app = create_app(db, config=config, test_token=test_token)
    print(f"Mock portal listening on {url_of(sock)}", flush=True)
    print(f"  database: {db.resolve()}", flush=True)
    api = "enabled (header X-Test-Token)" if test_token else "disabled (no test token)"
    print(f"  test-control API: {api}", flush=True)
    server = uvicorn.Server(
        uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="off")
    )
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        sys.stdout.flush()
