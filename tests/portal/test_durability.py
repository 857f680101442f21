"""A killed and restarted server, on the same database, loses nothing."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import TOKEN
from tests.portal import server as mock_server
from tests.portal.browserless import Screen
from tests.portal.conftest import GUIDE, PASSWORD, identify, latest_code, open_registration


@pytest.mark.slow
def test_a_citizen_continues_after_the_server_is_killed(tmp_path: Path) -> None:
    db = tmp_path / "portal.db"
    first = mock_server.start(db, TOKEN)
    with mock_server.api_client(first, TOKEN) as api:
        citizen = api.post(
            "/__test__/citizens",
            json={"name": "Inês Teste", "birth_date": "1991-07-30", "email": "ines@exemplo.pt"},
        ).json()
        api.post("/__test__/clock", json={"advance_seconds": 3600})
        api.post("/__test__/wording", json={"profile": "guide"})
        with httpx.Client(base_url=first.url, follow_redirects=True) as browser:
            channels = identify(
                open_registration(Screen(browser, browser.get("/")), GUIDE), citizen
            )
            form = channels.submit("Pedir código de verificação").click(GUIDE["activate"])
            chosen = form.submit(
                "Confirmar código de verificação",
                fields={
                    "NISS": citizen["niss"],
                    "Código de verificação": latest_code(api, citizen["niss"], "registration"),
                },
            )
            assert chosen.heading == "Definir palavra-passe"
            session_cookies = dict(browser.cookies.items())
        clock_before = api.get("/__test__/clock").json()["now"]
    action, data = chosen.form_data("Confirmar palavra-passe")
    first.stop(kill=True)

    second = mock_server.start(db, TOKEN)
    try:
        with (
            mock_server.api_client(second, TOKEN) as api,
            httpx.Client(
                base_url=second.url, follow_redirects=True, cookies=session_cookies
            ) as browser,
        ):
            assert api.get("/__test__/clock").json()["now"] >= clock_before
            # The same browser session, now served by the new process, sets the password.
            password_field, confirm_field = [k for k in data if k != "csrf_token"]
            response = browser.post(
                action.replace(first.url, second.url),
                data={**data, password_field: PASSWORD, confirm_field: PASSWORD},
            )
            assert response.status_code == 200
            assert "Conta ativada" in response.text
            assert GUIDE["register"] in browser.get("/login/utilizador").text  # wording kept
            record = api.get(f"/__test__/citizens/{citizen['niss']}").json()
            assert record["account"]["status"] == "active"
    finally:
        second.stop()
