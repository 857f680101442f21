"""Injected faults, for testing monitors and retries."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import httpx
import pytest
from bs4 import Tag

from tests.portal.browserless import Screen
from tests.portal.conftest import identify, open_registration, other_valid_niss


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


# The fault "inaccessible": three known WCAG failures on the registration's identification
# screen only, which an accessibility audit must find there (tests/e2e/test_accessibility.py
# proves it with axe-core in a browser; here, what the screens serve).
def unlabelled_inputs(screen: Screen) -> list[Tag]:
    """Text inputs no label, aria-label(ledby), title or placeholder names."""
    soup = screen.soup
    targets = {label["for"] for label in soup.find_all("label") if label.get("for")}
    return [
        field
        for field in soup.find_all("input")
        if field.get("type", "text") not in ("hidden", "submit", "button", "radio", "checkbox")
        and field.find_parent("label") is None
        and field.get("id") not in targets
        and not any(field.get(a) for a in ("aria-label", "aria-labelledby", "title", "placeholder"))
    ]


def faint_texts(screen: Screen) -> list[str]:
    """Texts whose own colour contrasts with the page's white under 4.5:1 (WCAG AA)."""
    found = []
    for node in screen.soup.select("[style*=color]"):
        colour = re.search(r"(?<![-\w])color:\s*#([0-9a-f]{6})", node["style"], re.I)
        if colour and contrast_with_white(colour.group(1)) < 4.5:
            found.append(node.get_text(" ", strip=True))
    return found


def contrast_with_white(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_colour[i : i + 2], 16)) for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def failures(screen: Screen) -> dict[str, int]:
    return {
        "image-alt": len(screen.soup.select("img:not([alt])")),
        "label": len(unlabelled_inputs(screen)),
        "color-contrast": len(faint_texts(screen)),
    }


NONE = {"image-alt": 0, "label": 0, "color-contrast": 0}
ONE_EACH = {"image-alt": 1, "label": 1, "color-contrast": 1}


def test_inaccessible_breaks_three_rules_on_the_identification_screen_only(
    open_portal, api, make_citizen, markup
) -> None:
    answer = api.post("/__test__/faults", json={"inaccessible": True})
    assert answer.status_code == 200
    assert answer.json()["faults"]["inaccessible"] is True
    home = open_portal()
    assert failures(home) == NONE
    identification = open_registration(home)
    assert identification.heading == "Dados de identificação"
    assert failures(identification) == ONE_EACH
    # The image it shows is served: only its alt text is missing.
    [image] = identification.soup.select("img:not([alt])")
    assert httpx.get(urljoin(identification.url, image["src"])).status_code == 200
    # Its unlabelled input is a decoy: the registration goes on without it.
    citizen = make_citizen()
    channels = identify(identification, citizen)
    assert channels.status == 200, channels.errors
    assert failures(channels) == NONE
    done = channels.submit("Pedir código de verificação", choices={"Canal de verificação": "SMS"})
    assert done.status == 200
    assert failures(done) == NONE
    # An identification refused is the same screen, with the same failures.
    refused = identify(open_registration(open_portal()), {**citizen, "niss": other_valid_niss()})
    assert refused.status == 400
    assert failures(refused) == ONE_EACH


def test_without_the_fault_and_once_cleared_the_screen_is_accessible(open_portal, api) -> None:
    assert failures(open_registration(open_portal())) == NONE
    api.post("/__test__/faults", json={"inaccessible": True}).raise_for_status()
    assert failures(open_registration(open_portal())) == ONE_EACH
    assert api.delete("/__test__/faults").json() == {"faults": None}
    assert failures(open_registration(open_portal())) == NONE


def test_inaccessible_applies_only_under_its_path_prefix(open_portal, api) -> None:
    api.post("/__test__/faults", json={"inaccessible": True, "path_prefix": "/login"})
    assert failures(open_registration(open_portal())) == NONE


@pytest.mark.parametrize("value", ["yes", 1, None, [True], {"on": True}])
def test_inaccessible_must_be_true_or_false(open_portal, api, value) -> None:
    api.post("/__test__/faults", json={"latency_ms": 1}).raise_for_status()
    answer = api.post("/__test__/faults", json={"inaccessible": value})
    assert answer.status_code == 422
    assert answer.json() == {"error": "inaccessible must be true or false"}
    # Nothing changed: the faults set before are still the ones in force.
    assert failures(open_registration(open_portal())) == NONE
