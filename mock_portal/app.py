"""The ASGI application: routes for both markups, templates, middleware, lifecycle."""

from __future__ import annotations

from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from mock_portal import contract as contracts
from mock_portal import delivery as deliveries
from mock_portal import markup as markups
from mock_portal import store, testing_api
from mock_portal import wording as wordings
from mock_portal.config import DeliverySettings, PortalConfig
from mock_portal.middleware import AccessLog, FaultInjection
from mock_portal.screens import activation, consent, gov, login, password_reset, registration
from mock_portal.web import Portal, not_found_page, profile_of

HERE = Path(__file__).parent
MIN_TEST_TOKEN_LENGTH = 16  # secrets.token_urlsafe(16) has 22

SCREENS = {
    "home": login.home,
    "login_choice": login.choice,
    "login_user": login.user,
    "login_code": login.second_factor,
    "contacts": login.contacts,
    "contacts_code": login.contacts_code,
    "area": login.area,
    "logout": login.logout,
    "reg_terms": registration.terms,
    "reg_ident": registration.identification,
    "reg_channel": registration.channel,
    "reg_done": registration.done,
    "act_code": activation.code,
    "act_password": activation.password,
    "act_done": activation.done,
    "reset_start": password_reset.start,
    "reset_channel": password_reset.channel,
    "reset_sent": password_reset.sent,
    "reset_code": password_reset.code,
    "reset_password": password_reset.password,
    "reset_done": password_reset.done,
    "gov_choice": gov.choice,
    "gov_cmd": gov.credentials,
    "gov_authorize": gov.authorize,
    "gov_code": gov.security_code,
    "cookies": consent.answer,
}


def _screen_routes() -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    for name, endpoint in SCREENS.items():
        for path in dict.fromkeys(markups.ROUTES[name]):
            routes.append(Route(path, endpoint, methods=["GET", "POST"], name=f"{name}:{path}"))
    return routes


async def health(request: Request) -> Response:
    """For load balancers and monitors: the process answers and its database is readable."""
    request.app.state.portal.conn.execute("SELECT 1").fetchone()
    return PlainTextResponse("ok")


async def not_found(request: Request, exc: Exception) -> Response:
    return not_found_page(request)


async def method_not_allowed(request: Request, exc: Exception) -> Response:
    text = wordings.say(profile_of(request), "Método não permitido.")
    return PlainTextResponse(text, status_code=405)


def templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        # Templates ship with the package: checking their mtimes on every render cost ~8%
        # of a page's time under load.
        auto_reload=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def create_app(
    db_path: str | Path,
    *,
    config: PortalConfig | None = None,
    test_token: str | None = None,
    contract: str = contracts.DEFAULT,
    wording: str | None = None,
    markup: str | None = None,
    delivery: DeliverySettings | None = None,
) -> Starlette:
    """The portal, storing its state in the SQLite file at ``db_path``.

    ``test_token`` enables the test-control API; it must have ``MIN_TEST_TOKEN_LENGTH``
    characters or more, since it guards every synthetic citizen (ValueError otherwise).
    ``contract`` is what that API offers: ``full`` (all of ``contract.CAPABILITIES``),
    ``base`` (citizens and outbox, as a staging portal may) or ``mail`` (citizens only: codes
    reach citizens by email and SMS alone). ``wording`` and ``markup``, when given, are stored
    at startup as ``POST /__test__/wording`` and ``/markup`` would store them, and a reset
    returns to them; otherwise the stored ones (or the defaults) stay.

    ``delivery``: where email and SMS codes are also sent for real (SMTP, an SMS webhook).
    Its dispatcher thread starts here, resuming what a previous run left pending, and is
    ``app.state.delivery`` (None without one): call its ``stop()`` when the server ends.
    """
    if test_token and len(test_token) < MIN_TEST_TOKEN_LENGTH:
        raise ValueError(
            f"the test token must have at least {MIN_TEST_TOKEN_LENGTH} characters, "
            f"not {len(test_token)}"
        )
    startup = _startup_settings(contract, wording, markup)
    portal = Portal(
        conn=store.connect(db_path),
        config=config or PortalConfig(),
        templates=templates(),
        test_token=test_token or None,
    )
    routes = [
        Route("/healthz", health, methods=["GET"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        *testing_api.routes(contracts.CONTRACTS[contract]),
        *_screen_routes(),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(AccessLog),
            Middleware(FaultInjection, conn_getter=lambda: portal.conn),
        ],
        exception_handlers={404: not_found, 405: method_not_allowed},
    )
    app.state.portal = portal
    app.state.test_capabilities = contracts.CONTRACTS[contract]
    app.state.test_contract = contract
    app.state.startup_settings = startup
    testing_api.set_startup(portal.conn, startup)
    app.state.delivery = None
    if delivery is not None and delivery.channels:
        dispatcher = deliveries.Dispatcher(db_path, delivery, portal.config)
        deliveries.attach(portal.conn, dispatcher)
        dispatcher.start()
        app.state.delivery = dispatcher
    return app


def _startup_settings(contract: str, wording: str | None, markup: str | None) -> dict[str, str]:
    """The settings to store at startup; ValueError naming a value the portal does not have."""
    for what, value, known in (
        ("contract", contract, tuple(contracts.CONTRACTS)),
        ("wording", wording, tuple(wordings.PROFILES)),
        ("markup", markup, tuple(markups.STYLES)),
    ):
        if value is not None and value not in known:
            raise ValueError(f"no {what} {value!r}; the portal has: {', '.join(known)}")
    chosen = {"wording": wording, "markup": markup}
    return {key: value for key, value in chosen.items() if value is not None}
