"""``GET /__test__/``: what the test-control API offers; and the base contract a staging portal
may offer instead (citizens and outbox only), whose refusals change nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import TOKEN
from tests.portal import server as mock_server

PERSON = {"name": "Maria Teste", "birth_date": "1980-05-17"}
CONTRACT = "portal-sentinel test-control"
EVERY_CAPABILITY = [
    "citizens",
    "outbox",
    "accounts",
    "clock",
    "faults",
    "wording",
    "markup",
    "reset",
]
# Every call outside the base contract, with a body it would take on the full contract.
EXTENSIONS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/__test__/clock", None),
    ("POST", "/__test__/clock", {"advance_seconds": 3600}),
    ("POST", "/__test__/faults", {"maintenance": True}),
    ("DELETE", "/__test__/faults", None),
    ("POST", "/__test__/wording", {"profile": "official"}),
    ("POST", "/__test__/markup", {"style": "classic"}),
    ("POST", "/__test__/reset", None),
    # A method the full contract does not take either: still no sign the extension exists.
    ("GET", "/__test__/faults", None),
]


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("base") / "portal.db"


@pytest.fixture(scope="module")
def base_portal(base_db: Path) -> Iterator[mock_server.MockServer]:
    with mock_server.running(
        base_db, TOKEN, contract="base", wording="guide", markup="modern"
    ) as server:
        yield server


@pytest.fixture
def base_api(base_portal: mock_server.MockServer) -> Iterator[httpx.Client]:
    with mock_server.api_client(base_portal, TOKEN) as client:
        yield client


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the portal's database, read beside the running server."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
        tables = [row[0] for row in conn.execute(query)]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}")) for t in tables}  # noqa: S608


# The full contract ----------------------------------------------------------------------
def test_the_full_mock_lists_every_capability(api: httpx.Client) -> None:
    answer = api.get("/__test__/")
    assert answer.status_code == 200
    assert answer.json() == {"contract": CONTRACT, "version": 1, "capabilities": EVERY_CAPABILITY}


@pytest.mark.parametrize("headers", [{}, {"X-Test-Token": "wrong"}, {"X-Test-Token": ""}])
def test_listing_capabilities_needs_the_token(portal, api, headers) -> None:
    answer = httpx.get(f"{portal.url}/__test__/", headers=headers)
    assert answer.status_code == 401
    assert "X-Test-Token" in answer.json()["error"]


def test_without_a_token_there_are_no_capabilities_to_list(tmp_path: Path) -> None:
    with mock_server.running(tmp_path / "p.db", None) as server:
        answer = httpx.get(f"{server.url}/__test__/", headers={"X-Test-Token": TOKEN})
    assert answer.status_code == 404
    assert answer.json() == {"error": "not found"}  # the API's own answer, as for every call


# The base contract ----------------------------------------------------------------------
def test_the_base_contract_lists_citizens_and_outbox_only(base_api: httpx.Client) -> None:
    answer = base_api.get("/__test__/")
    assert answer.status_code == 200
    assert answer.json() == {
        "contract": CONTRACT,
        "version": 1,
        "capabilities": ["citizens", "outbox"],
    }


def test_the_base_contract_still_needs_the_token(base_portal) -> None:
    answer = httpx.get(f"{base_portal.url}/__test__/", headers={"X-Test-Token": "wrong"})
    assert answer.status_code == 401
    answer = httpx.post(f"{base_portal.url}/__test__/clock", json={"advance_seconds": 1})
    assert answer.status_code == 401


@pytest.mark.parametrize(("method", "path", "body"), EXTENSIONS)
def test_every_extension_is_404_on_the_base_contract(
    base_db: Path, base_api: httpx.Client, method: str, path: str, body: dict[str, Any] | None
) -> None:
    before = snapshot(base_db)
    answer = base_api.request(method, path, json=body)
    assert answer.status_code == 404
    assert "only the base contract" in answer.json()["error"]
    assert snapshot(base_db) == before


def test_the_base_contract_serves_citizens_with_cmd_and_their_outbox(
    base_api: httpx.Client,
) -> None:
    created = base_api.post(
        "/__test__/citizens", json={**PERSON, "cmd": {"mobile": "912345678", "pin": "1234"}}
    )
    assert created.status_code == 201, created.text
    record = created.json()
    assert record["cmd"] == {"mobile": "+351912345678"}
    assert base_api.get(f"/__test__/citizens/{record['niss']}").json() == record
    outbox = base_api.get("/__test__/outbox", params={"niss": record["niss"]})
    assert outbox.status_code == 200
    assert outbox.json() == []


@pytest.mark.parametrize(
    "account",
    [
        {"status": "active", "password": "Verao-Lisboa-2025"},
        {"status": "pending", "channel": "sms"},
    ],
)
def test_account_seeding_is_an_unknown_field_and_creates_nothing(
    base_db: Path, base_api: httpx.Client, account: dict[str, str]
) -> None:
    niss = "11115611236"
    before = snapshot(base_db)
    refused = base_api.post(
        "/__test__/citizens",
        json={**PERSON, "niss": niss, "mobile": "912345678", "account": account},
    )
    assert refused.status_code == 422
    assert refused.json() == {"error": "unknown fields: account"}
    assert base_api.get(f"/__test__/citizens/{niss}").status_code == 404
    assert snapshot(base_db) == before


def test_refused_extensions_leave_the_startup_wording_and_markup(
    base_portal, base_api: httpx.Client
) -> None:
    assert base_api.post("/__test__/markup", json={"style": "classic"}).status_code == 404
    assert base_api.post("/__test__/wording", json={"profile": "official"}).status_code == 404
    with httpx.Client(base_url=base_portal.url, follow_redirects=True) as browser:
        login = browser.get("/login")  # a classic path still answers: the links tell the markup
        assert 'href="/app/registo/termos"' in login.text
        assert "Efetuar Registo" in login.text
