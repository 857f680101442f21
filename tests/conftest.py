"""Fixtures shared by every test folder: one real mock portal per test session."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import pytest

from tests.defects import DefectivePortal, portal_with_a_defect
from tests.portal import server as mock_server

# The mail server of the tests of codes by email: tests/mail_fixtures.py.
pytest_plugins = ["tests.mail_fixtures"]

TOKEN = secrets.token_urlsafe(16)


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[mock_server.MockServer]:
    """``sentinel mock`` in its own process, on a free port, with a random test token."""
    db = tmp_path_factory.mktemp("portal") / "portal.db"
    server = mock_server.start(db, TOKEN)
    yield server
    server.stop()


@pytest.fixture
def api(portal: mock_server.MockServer) -> Iterator[httpx.Client]:
    """The test-control API, on a portal reset to its freshly installed state."""
    with mock_server.api_client(portal, TOKEN) as client:
        client.post("/__test__/reset").raise_for_status()
        yield client


@pytest.fixture(scope="module")
def defective(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DefectivePortal]:
    """The bundled mock with a portal defect in it (``tests/defects.py``), for one module."""
    with portal_with_a_defect(tmp_path_factory.mktemp("defective")) as portal:
        yield portal
