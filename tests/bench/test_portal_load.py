"""The portal's load test: each registration posted once, each one stored, with or without wrk."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import pytest

from bench import portal_load, wrk
from tests.portal import server as mock_server

pytestmark = pytest.mark.slow
TOKEN = secrets.token_urlsafe(16)


@pytest.fixture(params=["wrk", "httpx"])
def client(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "wrk" and not wrk.available():
        pytest.skip("Debian's wrk is not installed (make setup installs it)")
    if request.param == "httpx":
        monkeypatch.setattr(wrk, "available", lambda: False)
    return request.param


def test_every_registration_posted_under_load_is_stored_once(client: str, tmp_path: Path) -> None:
    db = tmp_path / "portal.db"
    with mock_server.running(db, TOKEN) as portal:
        loads = portal_load.measure(portal.url, TOKEN, db, concurrency=8, requests=40, seconds=1)
    posts = loads["registration form post"]
    assert posts["client"] == client
    assert posts["requests"] == posts["posted"] == posts["stored"] == 40
    assert all(load["errors"] == 0 for load in loads.values())
    assert loads["home page"]["per_second"] > 0


def test_a_registration_the_portal_did_not_store_is_not_counted(tmp_path: Path) -> None:
    db = tmp_path / "portal.db"
    with mock_server.running(db, TOKEN) as portal:
        prepared = asyncio.run(portal_load.prepare(portal.url, TOKEN, 3, 2))
    # Identified, but the post that stores the registration was never sent.
    assert portal_load.stored(db, prepared) == 0
