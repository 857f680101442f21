"""Injected faults, for testing monitors and retries."""

from __future__ import annotations

import httpx


def test_maintenance_answers_503_but_the_test_api_still_works(portal, api) -> None:
    api.post("/__test__/faults", json={"maintenance": True}).raise_for_status()
    page = httpx.get(f"{portal.url}/login")
    assert page.status_code == 503
    assert "Serviço em manutenção" in page.text
    assert page.headers["retry-after"]
    assert api.delete("/__test__/faults").status_code == 200
    assert httpx.get(f"{portal.url}/login").status_code == 200


def test_errors_apply_only_under_their_path_prefix(portal, api) -> None:
    api.post(
        "/__test__/faults", json={"error_rate": 1, "error_status": 502, "path_prefix": "/registo"}
    )
    assert httpx.get(f"{portal.url}/registo").status_code == 502
    assert httpx.get(f"{portal.url}/login").status_code == 200


def test_an_error_rate_fails_some_requests(portal, api) -> None:
    api.post("/__test__/faults", json={"error_rate": 0.5})
    statuses = {httpx.get(f"{portal.url}/").status_code for _ in range(60)}
    assert statuses == {200, 500}


def test_latency_delays_every_answer_by_at_least_the_amount(portal, api) -> None:
    api.post("/__test__/faults", json={"latency_ms": 300})
    response = httpx.get(f"{portal.url}/")
    assert response.status_code == 200
    assert response.elapsed.total_seconds() >= 0.3


def test_a_reset_clears_faults(portal, api) -> None:
    api.post("/__test__/faults", json={"maintenance": True})
    api.post("/__test__/reset")
    assert httpx.get(f"{portal.url}/").status_code == 200
