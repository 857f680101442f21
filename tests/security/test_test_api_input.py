"""The test-control API answers hostile JSON with a 4xx and a JSON message, never a 500."""

from __future__ import annotations

import httpx
import pytest

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
