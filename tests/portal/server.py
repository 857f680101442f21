"""Starting the mock portal as a real uvicorn process, the way users start it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from runtime.mock_process import BackgroundMock as MockServer
from runtime.mock_process import start_in_background as start

__all__ = ["MockServer", "api_client", "running", "start"]


@contextmanager
def running(db: Path, token: str | None, *settings: str, **options: str) -> Iterator[MockServer]:
    """A mock for the block; ``options``: ``contract``, ``wording`` or ``markup`` at startup."""
    server = start(db, token, *settings, **options)
    try:
        yield server
    finally:
        server.stop()


def api_client(server: MockServer, token: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"X-Test-Token": token}, timeout=30)
