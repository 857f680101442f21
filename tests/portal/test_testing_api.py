"""The test-control API: its token, its validation, and what each call does."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from mock_portal import niss as niss_rules
from tests.portal import server as mock_server
from tests.portal.conftest import PASSWORD, activate, log_in

PERSON = {"name": "Maria Teste", "birth_date": "1980-05-17"}


@pytest.fixture(scope="module")
def portal_without_token(tmp_path_factory: pytest.TempPathFactory):
    server = mock_server.start(tmp_path_factory.mktemp("notoken") / "p.db", None)
    yield server
    server.stop()


def test_without_a_token_the_api_does_not_exist(portal_without_token) -> None:
    response = httpx.post(
        f"{portal_without_token.url}/__test__/reset", headers={"X-Test-Token": "x"}
    )
    assert response.status_code == 404
    assert httpx.get(f"{portal_without_token.url}/").status_code == 200


@pytest.mark.parametrize("headers", [{}, {"X-Test-Token": "wrong"}, {"X-Test-Token": ""}])
def test_a_missing_or_wrong_token_is_unauthorised(portal, api, headers) -> None:
    response = httpx.post(f"{portal.url}/__test__/citizens", json=PERSON, headers=headers)
    assert response.status_code == 401
    assert "X-Test-Token" in response.json()["error"]


def test_a_citizen_gets_a_valid_generated_niss(api) -> None:
    created = api.post("/__test__/citizens", json=PERSON)
    assert created.status_code == 201
    record = created.json()
    assert niss_rules.is_valid(record["niss"])
    assert record["niss"].startswith("1")
    assert record["account"] is None
    assert api.get(f"/__test__/citizens/{record['niss']}").json() == record


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({**PERSON, "niss": "11115611237"}, 422, "check_digit"),
        ({**PERSON, "niss": "23456789233"}, 422, "does not fit kind"),
        ({**PERSON, "birth_date": "17-05-1980"}, 422, "YYYY-MM-DD"),
        ({**PERSON, "birth_date": "2999-01-01"}, 422, "between"),
        ({"birth_date": "1980-05-17"}, 422, "name is required"),
        ({**PERSON, "name": "x" * 201}, 422, "longer than"),
        ({**PERSON, "email": "not-an-email"}, 422, "email"),
        ({**PERSON, "mobile": "12"}, 422, "telemóvel"),
        ({**PERSON, "kind": "robot"}, 422, "kind"),
        ({**PERSON, "cmd": {"mobile": "912345678", "pin": "12"}}, 422, "PIN"),
        ({**PERSON, "password": "x"}, 422, "unknown fields"),
    ],
)
def test_bad_citizens_are_refused_with_a_reason(api, body, status, fragment) -> None:
    response = api.post("/__test__/citizens", json=body)
    assert response.status_code == status
    assert fragment in response.json()["error"]


def test_a_citizen_can_start_registered_with_the_code_sent(api, open_portal, make_citizen) -> None:
    citizen = make_citizen(account={"status": "pending", "channel": "sms"})
    assert citizen["account"] == {"status": "pending", "origin": "registration"}
    [message] = api.get("/__test__/outbox", params={"niss": citizen["niss"]}).json()
    assert (message["purpose"], message["channel"]) == ("registration", "sms")
    # The activation flow takes it from there, as after a registration in the browser.
    done = activate(open_portal(), api, citizen)
    assert done.status == 200, done.errors
    assert api.get(f"/__test__/citizens/{citizen['niss']}").json()["account"]["status"] == "active"


def test_a_citizen_can_start_active_and_log_in(api, open_portal, make_citizen) -> None:
    citizen = make_citizen(account={"status": "active", "password": PASSWORD})
    assert citizen["account"] == {"status": "active", "origin": "registration"}
    assert api.get("/__test__/outbox", params={"niss": citizen["niss"]}).json() == []
    assert log_in(open_portal(), citizen).heading == "Verificação em dois passos"
    assert log_in(open_portal(), citizen, "Outra-Palavra-2025").status == 401


@pytest.mark.parametrize(
    ("account", "fragment"),
    [
        ("active", "must be an object"),
        ({"status": "blocked"}, "must be an object"),
        ({"status": "pending"}, "channel"),
        ({"status": "pending", "channel": "fax"}, "channel"),
        ({"status": "pending", "channel": "letter"}, "offers this citizen sms, not letter"),
        ({"status": "active"}, "password"),
        ({"status": "active", "password": ""}, "1 to 128"),
        ({"status": "active", "password": "x" * 129}, "1 to 128"),
        ({"status": "active", "password": "Verao-2025", "channel": "sms"}, "only its password"),
    ],
)
def test_a_bad_starting_account_is_refused_and_nothing_is_stored(api, account, fragment) -> None:
    body = {**PERSON, "mobile": "912345678", "niss": niss_rules.generate("person")}
    response = api.post("/__test__/citizens", json={**body, "account": account})
    assert response.status_code == 422
    assert fragment in response.json()["error"]
    assert api.get(f"/__test__/citizens/{body['niss']}").status_code == 404


def test_invalid_json_and_huge_bodies(api) -> None:
    bad = api.post(
        "/__test__/citizens", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert bad.status_code == 400
    huge = api.post(
        "/__test__/citizens", content=b"x" * 100_000, headers={"Content-Type": "application/json"}
    )
    assert huge.status_code == 413
    assert api.post("/__test__/citizens", json=["a"]).status_code == 400


def test_an_niss_or_cmd_mobile_cannot_be_taken_twice(api) -> None:
    first = api.post(
        "/__test__/citizens", json={**PERSON, "cmd": {"mobile": "912000111", "pin": "1234"}}
    )
    again = api.post("/__test__/citizens", json={**PERSON, "niss": first.json()["niss"]})
    assert again.status_code == 409
    other = api.post(
        "/__test__/citizens", json={**PERSON, "cmd": {"mobile": "+351912000111", "pin": "9999"}}
    )
    assert other.status_code == 409


def test_the_outbox_needs_a_valid_niss(api) -> None:
    assert api.get("/__test__/outbox", params={"niss": "123"}).status_code == 400
    assert api.get("/__test__/outbox", params={"niss": "11115611236"}).json() == []


def test_the_clock_moves_forward_only(api) -> None:
    before = api.get("/__test__/clock").json()["now"]
    after = api.post("/__test__/clock", json={"advance_seconds": 86400}).json()["now"]
    assert after[:10] > before[:10]
    assert api.post("/__test__/clock", json={"advance_seconds": -5}).status_code == 422
    assert api.post("/__test__/clock", json={"advance_seconds": "1"}).status_code == 422


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/__test__/wording", {"profile": "casual"}),
        ("/__test__/markup", {"style": "brutalist"}),
        ("/__test__/faults", {"error_rate": 2}),
        ("/__test__/faults", {"error_status": 200}),
        ("/__test__/faults", {"latency_ms": -1}),
        ("/__test__/faults", {"path_prefix": "registo"}),
        ("/__test__/faults", {"chaos": True}),
    ],
)
def test_settings_are_validated(api, path, body) -> None:
    assert api.post(path, json=body).status_code == 422


def test_reset_forgets_everything(api, portal) -> None:
    record = api.post("/__test__/citizens", json=PERSON).json()
    api.post("/__test__/wording", json={"profile": "guide"})
    api.post("/__test__/clock", json={"advance_seconds": 3600})
    api.post("/__test__/reset")
    assert api.get(f"/__test__/citizens/{record['niss']}").status_code == 404
    assert "Registar" in httpx.get(f"{portal.url}/login/utilizador").text


def test_the_token_can_come_from_the_environment(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "SENTINEL_TEST_TOKEN": "from-the-environment"}
    process = subprocess.Popen(
        [sys.executable, "-m", "sentinel", "mock", "--port", "0", "--db", str(tmp_path / "p.db")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        url = process.stdout.readline().split()[-1]
        response = httpx.post(
            f"{url}/__test__/reset", headers={"X-Test-Token": "from-the-environment"}
        )
        assert response.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()
