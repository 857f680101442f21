"""Starting the mock portal as a real uvicorn process, the way users start it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

READY_PREFIX = "Mock portal listening on "


@dataclass
class MockServer:
    url: str
    process: subprocess.Popen[str]
    log: Path

    def stop(self, *, kill: bool = False) -> None:
        if self.process.poll() is None:
            self.process.kill() if kill else self.process.terminate()
            self.process.wait(timeout=20)
        if self.process.stdout:
            self.process.stdout.close()


def start(db: Path, token: str | None, *settings: str, log: Path | None = None) -> MockServer:
    """Start ``sentinel mock`` on a free port and wait for the URL it announces."""
    log = log or db.with_suffix(".log")
    args = [sys.executable, "-m", "sentinel", "mock", "--port", "0", "--db", str(db)]
    if token:
        args += ["--test-token", token]
    for setting in settings:
        args += ["--set", setting]
    with log.open("a") as sink:
        process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=sink, text=True, env=_env_without_token()
        )
    assert process.stdout is not None
    first = process.stdout.readline()
    if not first.startswith(READY_PREFIX):
        process.kill()
        raise RuntimeError(f"mock portal did not start: {first!r}\n{log.read_text()}")
    return MockServer(first[len(READY_PREFIX) :].strip(), process, log)


def _env_without_token() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "SENTINEL_TEST_TOKEN"}


@contextmanager
def running(db: Path, token: str | None, *settings: str) -> Iterator[MockServer]:
    server = start(db, token, *settings)
    try:
        yield server
    finally:
        server.stop()


def api_client(server: MockServer, token: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"X-Test-Token": token}, timeout=30)
