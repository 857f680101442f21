"""Starting the mock portal as a real uvicorn process, the way users start it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from runtime.lifetime import dies_with_parent
from runtime.mock_process import READY_PREFIX
from runtime.mock_process import BackgroundMock as MockServer
from runtime.mock_process import start_in_background as start
from runtime.tokens import TOKEN_ENV

__all__ = [
    "MockServer",
    "announced",
    "api_client",
    "launch",
    "running",
    "start",
    "start_with_options",
]


@contextmanager
def running(db: Path, token: str | None, *settings: str, **options: str) -> Iterator[MockServer]:
    """A mock for the block; ``options``: ``contract``, ``wording`` or ``markup`` at startup."""
    server = start(db, token, *settings, **options)
    try:
        yield server
    finally:
        server.stop()


def start_with_options(db: Path, token: str, *options: str) -> MockServer:
    """``sentinel mock OPTIONS`` on a free port (``--smtp HOST:PORT``, ``--set ...``), as
    ``start`` starts it but with any option; its stderr (the log) goes to ``db``'s ``.log``."""
    return announced(launch(db, token, *options), db)


def launch(db: Path, token: str, *options: str) -> subprocess.Popen[str]:
    """Start ``sentinel mock OPTIONS`` without waiting for it (``announced`` waits), so that
    several can start at once."""
    args = [sys.executable, "-m", "sentinel", "mock", "--port", "0", "--db", str(db), *options]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTINEL_MOCK_")}
    env[TOKEN_ENV] = token
    with db.with_suffix(".log").open("a") as sink:
        return subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=sink,
            text=True,
            env=env,
            preexec_fn=dies_with_parent(signal.SIGTERM),
        )


def announced(process: subprocess.Popen[str], db: Path) -> MockServer:
    """The mock ``launch`` started, once it listens; killed if it does not start."""
    assert process.stdout is not None
    first = process.stdout.readline()
    log = db.with_suffix(".log")
    if not first.startswith(READY_PREFIX):
        process.kill()
        process.wait(timeout=20)
        raise AssertionError(f"the mock did not start: {log.read_text()[-2000:]}")
    return MockServer(first[len(READY_PREFIX) :].strip(), process, log)


def api_client(server: MockServer, token: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"X-Test-Token": token}, timeout=30)
