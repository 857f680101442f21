"""The test-control API answers hostile JSON with a 4xx and a JSON message, never a 500."""

from __future__ import annotations

import httpx
import pytest

from mock_portal.validation import Invalid, email

ENDPOINTS = ["/__test__/citizens", "/__test__/clock", "/__test__/faults", "/__test__/markup"]
DEPTH = 4000  # 8 KB of brackets: within the body limit, far past Python's recursion limit

HOSTILE = {
    "nested arrays": b"[" * DEPTH + b"]" * DEPTH,
    "nested objects": b'{"a":' * (DEPTH // 2) + b"1" + b"}" * (DEPTH // 2),
    "nested inside a field": b'{"advance_seconds":' + b"[" * 3000 + b"]" * 3000 + b"}",
    "an integer of 5000 digits": b'{"advance_seconds": ' + b"9" * 5000 + b"}",
    "a bare integer of 5000 digits": b"9" * 5000,
    "NaN": b'{"advance_seconds": NaN}',
    "Infinity": b'{"latency_ms": Infinity}',
    "invalid UTF-8": b'{"name": "\xff\xfe"}',
    "a lone surrogate": b'{"name": "\\ud800", "birth_date": "1980-01-01"}',
    "a list at the top": b"[1, 2]",
    "a string at the top": b'"x"',
    "null at the top": b"null",
    "trailing garbage": b'{"style": "classic"} x',
}


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("path", ENDPOINTS)
def test_hostile_json_gets_a_client_error_with_a_message(api: httpx.Client, path, body) -> None:
    response = api.post(path, content=body, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:200])
    assert response.headers["content-type"] == "application/json"
    assert isinstance(response.json()["error"], str)


def test_deep_nesting_is_named_in_the_message(api: httpx.Client) -> None:
    response = api.post("/__test__/clock", content=HOSTILE["nested arrays"])
    assert response.status_code == 400
    assert "nested" in response.json()["error"]


def test_the_api_still_works_afterwards(api: httpx.Client) -> None:
    for body in HOSTILE.values():
        api.post("/__test__/faults", content=body)
    assert api.post("/__test__/clock", json={"advance_seconds": 1}).status_code == 200


# Characters that are no text: each would be stored and later typed into the portal's forms,
# written into evidence or a log line. The portal's own rules refuse them (passwords,
# validation.email); the test-control API must not create what the portal could not.
CONTROL = {"NUL": "\x00", "a newline": "\n", "ESC": "\x1b", "DEL": "\x7f", "C1 NEL": "\x85"}
CITIZEN = {"name": "Rui Costa", "birth_date": "1970-01-01"}
TEXT_FIELDS = {
    "name": lambda bad: {**CITIZEN, "name": f"Rui{bad}Costa"},
    "address": lambda bad: {**CITIZEN, "address": f"Rua Augusta 1{bad}Lisboa"},
    "email": lambda bad: {**CITIZEN, "email": f"rui{bad}@example.pt"},
    "mobile": lambda bad: {**CITIZEN, "mobile": f"912345678{bad}"},
    "birth_date": lambda bad: {**CITIZEN, "birth_date": f"1970-01-01{bad}"},
    "niss": lambda bad: {**CITIZEN, "niss": f"1{bad}1115611236"},
    "cmd.mobile": lambda bad: {**CITIZEN, "cmd": {"mobile": f"9123{bad}45678", "pin": "1234"}},
    "cmd.pin": lambda bad: {**CITIZEN, "cmd": {"mobile": "912345678", "pin": f"1234{bad}"}},
    "account.password": lambda bad: {
        **CITIZEN,
        "account": {"status": "active", "password": f"Segura{bad}2024!"},
    },
}


@pytest.mark.parametrize("bad", CONTROL.values(), ids=CONTROL)
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_control_characters_in_a_citizen_are_refused_naming_the_field(
    api: httpx.Client, field: str, bad: str
) -> None:
    response = api.post("/__test__/citizens", json=TEXT_FIELDS[field](bad))

    assert response.status_code == 400, (response.status_code, response.text[:200])
    message = response.json()["error"]
    assert message.startswith(f"{field} "), message
    assert "control character" in message, message


@pytest.mark.parametrize("bad", CONTROL.values(), ids=CONTROL)
def test_control_characters_in_a_fault_path_prefix_are_refused(api: httpx.Client, bad) -> None:
    response = api.post("/__test__/faults", json={"path_prefix": f"/entrar{bad}"})

    assert response.status_code == 400, (response.status_code, response.text[:200])
    assert response.json()["error"].startswith("path_prefix ")


def test_nothing_was_created_by_a_refused_citizen(api: httpx.Client) -> None:
    api.post("/__test__/citizens", json={**CITIZEN, "niss": "11115611236", "name": "R\x00"})
    assert api.get("/__test__/citizens/11115611236").status_code == 404


def test_ordinary_text_is_still_accepted(api: httpx.Client) -> None:
    citizen = {
        **CITIZEN,
        "name": "Inês d'Ávila-Sá Conceição",
        "address": "Rua de S. João, 12 - 3.º Esq., 1000-001 Lisboa",
        "email": "ines.sa@example.pt",
        "mobile": "+351 912 345 678",
    }
    response = api.post("/__test__/citizens", json=citizen)
    assert response.status_code == 201, response.text
    assert response.json()["name"] == citizen["name"]


@pytest.mark.parametrize("bad", CONTROL.values(), ids=CONTROL)
def test_the_portal_email_rule_refuses_control_characters(bad: str) -> None:
    with pytest.raises(Invalid):
        email(f"rui{bad}@example.pt")
