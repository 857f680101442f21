"""Rules set with ``--set`` change the portal's behaviour."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import TOKEN
from tests.portal import server as mock_server
from tests.portal.browserless import Screen
from tests.portal.conftest import PASSWORD, activate, log_in, register


@pytest.mark.slow
def test_two_factor_login_can_be_turned_off_and_codes_shortened(tmp_path: Path) -> None:
    with (
        mock_server.running(
            tmp_path / "p.db", TOKEN, "login_two_factor=false", "code_ttl_minutes=1"
        ) as server,
        mock_server.api_client(server, TOKEN) as api,
        httpx.Client(base_url=server.url, follow_redirects=True) as client,
    ):

        def home() -> Screen:
            return Screen(client, client.get("/"))

        citizen = api.post(
            "/__test__/citizens",
            json={"name": "Rita Teste", "birth_date": "1999-09-09", "email": "rita@exemplo.pt"},
        ).json()
        done = register(home(), citizen, "Email")
        assert "válido durante 1 minuto." in done.text
        activate(home(), api, citizen)
        after_login = log_in(home(), citizen, PASSWORD)
        assert after_login.heading == "Atualize e valide os seus contactos"  # no code asked
