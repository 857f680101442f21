"""Secrets and personal data never reach the portal's log, and contacts show masked."""

from __future__ import annotations

from tests.portal.conftest import PASSWORD, latest_code, log_in
from tests.portal.test_login import active_citizen, second_factor


def test_a_whole_journey_leaves_no_personal_data_in_the_log(
    open_portal, api, make_citizen, portal
) -> None:
    citizen = active_citizen(open_portal, api, make_citizen)
    second_factor(log_in(open_portal(), citizen), api, citizen)
    api.get("/__test__/outbox", params={"niss": citizen["niss"]})  # NISS in a query string
    codes = [
        m["code"] for m in api.get("/__test__/outbox", params={"niss": citizen["niss"]}).json()
    ]
    log = portal.log.read_text()
    assert "POST /login/utilizador" in log  # the log is there and records requests
    for secret in [citizen["niss"], PASSWORD, citizen["email"], citizen["mobile"], *codes]:
        assert secret not in log


def test_the_session_cookie_is_http_only(open_portal) -> None:
    home = (
        open_portal()
        .click("Iniciar sessão")
        .click("Autenticação com o seu utilizador da Segurança Social")
    )
    cookie = home.response.headers.get("set-cookie") or ""
    history = [r.headers.get("set-cookie", "") for r in home.response.history]
    header = cookie or next((h for h in history if h), "")
    assert "HttpOnly" in header
    assert "SameSite=lax" in header


def test_pages_are_not_cached(open_portal) -> None:
    assert open_portal().response.headers["cache-control"] == "no-store"


def test_a_code_is_never_shown_on_a_page(open_portal, api, make_citizen) -> None:
    citizen = make_citizen()
    from tests.portal.conftest import register

    done = register(open_portal(), citizen)
    assert latest_code(api, citizen["niss"], "registration") not in done.html
