"""Serving the bundled mock portal with uvicorn, on a socket bound before it is announced."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from dataclasses import dataclass
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
    print(f"{READY_PREFIX}{url_of(sock)}", flush=True)
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


READY_PREFIX = "Mock portal listening on "


@dataclass
class BackgroundMock:
    """A ``sentinel mock`` process started by the harness, with the URL it announced."""

    url: str
    process: subprocess.Popen[str]
    log: Path

    def stop(self, *, kill: bool = False) -> None:
        if self.process.poll() is None:
            self.process.kill() if kill else self.process.terminate()
            self.process.wait(timeout=20)
        if self.process.stdout:
            self.process.stdout.close()


def start_in_background(
    db: Path, token: str | None, *settings: str, log: Path | None = None
) -> BackgroundMock:
    """Start the mock portal in its own process on a free port; returns once it listens."""
    log = log or db.with_suffix(".log")
    args = [sys.executable, "-m", "sentinel", "mock", "--port", "0", "--db", str(db)]
    if token:
        args.append(f"--test-token={token}")  # a token may start with "-"
    for setting in settings:
        args.append(f"--set={setting}")
    # The token goes on the command line only; an inherited one must not enable the API.
    env = {k: v for k, v in os.environ.items() if k != "SENTINEL_TEST_TOKEN"}
    with log.open("a") as sink:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=sink, text=True, env=env)
    assert process.stdout is not None
    first = process.stdout.readline()
    if not first.startswith(READY_PREFIX):
        process.kill()
        process.wait(timeout=20)
        process.stdout.close()
        raise RuntimeError(f"the mock portal did not start; its log is {log}")
    return BackgroundMock(first[len(READY_PREFIX) :].strip(), process, log)
