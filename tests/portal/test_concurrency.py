"""Simultaneous requests never produce two accounts nor lose one, even across processes."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.conftest import TOKEN
from tests.portal import server as mock_server
from tests.portal.browserless import Screen
from tests.portal.conftest import dmy, open_registration

SESSIONS = 24


def at_channel_step(url: str, citizen: dict) -> tuple[httpx.Client, str, dict[str, str]]:
    """A browser that has identified ``citizen`` and is about to request the code."""
    client = httpx.Client(base_url=url, follow_redirects=True, timeout=60)
    form = open_registration(Screen(client, client.get("/")))
    channels = form.submit(
        "Seguinte: Canal de verificação",
        fields={"NISS": citizen["niss"], "Data de nascimento": dmy(citizen["birth_date"])},
        choices={"Tipo de conta": "Cidadão"},
        checks=["Não sou robô"],
    )
    action, data = channels.form_data("Pedir código de verificação")
    return client, action, data


def fire(requests: list[tuple[httpx.Client, str, dict[str, str]]]) -> list[int]:
    """Send every prepared request at the same moment, one thread each; their statuses."""
    start = threading.Barrier(len(requests))

    def one(client: httpx.Client, action: str, data: dict[str, str]) -> int:
        start.wait()
        return client.post(action, data=data, follow_redirects=False).status_code

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(lambda r: one(*r), requests))


def accounts(api: httpx.Client, niss: str) -> dict:
    return api.get(f"/__test__/citizens/{niss}").json()["account"]


@pytest.mark.slow
def test_simultaneous_registrations_of_one_niss_across_two_servers(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    with mock_server.running(db, TOKEN) as first, mock_server.running(db, TOKEN) as second:
        api = mock_server.api_client(first, TOKEN)
        citizen = api.post(
            "/__test__/citizens",
            json={"name": "Rui Teste", "birth_date": "1970-01-01", "mobile": "+351911111111"},
        ).json()
        prepared = [
            at_channel_step((first if i % 2 else second).url, citizen) for i in range(SESSIONS)
        ]
        statuses = fire(prepared)
        assert set(statuses) == {303}  # every request was answered, none failed
        assert accounts(api, citizen["niss"]) == {"status": "pending", "origin": "registration"}
        outbox = api.get("/__test__/outbox", params={"niss": citizen["niss"]}).json()
        assert len(outbox) == SESSIONS
        assert sum(not m["superseded"] for m in outbox) == 1  # exactly one live code
        count = api.post("/__test__/citizens", json={"name": "X", "birth_date": "1970-01-01"})
        assert count.status_code == 201
        for client, *_ in prepared:
            client.close()
        api.close()


def test_simultaneous_registrations_of_different_people_are_all_kept(portal, api) -> None:
    citizens = [
        api.post(
            "/__test__/citizens",
            json={"name": f"Pessoa {i}", "birth_date": "1980-02-03", "email": f"p{i}@exemplo.pt"},
        ).json()
        for i in range(SESSIONS)
    ]
    prepared = [at_channel_step(portal.url, c) for c in citizens]
    assert set(fire(prepared)) == {303}
    assert all(accounts(api, c["niss"])["status"] == "pending" for c in citizens)
    for client, *_ in prepared:
        client.close()
