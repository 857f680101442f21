"""What every screen handler shares: the request context, forms, rendering and errors.

A handler is ``async def handler(page: Page) -> Response`` wrapped by ``@screen``. The wrapper
opens the page context (settings, clock, session), turns a ``PageError`` into an error page with
its HTTP status, and stores the session afterwards.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial, wraps
from typing import Any
from urllib.parse import parse_qsl

import jinja2
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from mock_portal import markup, sessions, wording
from mock_portal.config import PortalConfig
from mock_portal.middleware import SETTINGS_KEY
from mock_portal.store import settings, transaction
from mock_portal.timekeeping import now

MAX_FIELDS = 20


class PageError(Exception):
    """Ends a request with an error page: a title, a message and an HTTP status."""

    def __init__(self, status: int, title: str, message: str, *, restart: str | None = None):
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message
        self.restart = restart  # the screen to start again from, offered as a link


@dataclass
class Portal:
    """What the application holds for its lifetime."""

    conn: sqlite3.Connection
    config: PortalConfig
    templates: jinja2.Environment
    test_token: str | None


class Form:
    """A submitted form, read by logical field names whatever the markup's names are."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self._values: dict[str, str] = {}
        for key, value in pairs:
            self._values.setdefault(key, value)

    def raw(self, name: str) -> str:
        return self._values.get(name, "")

    def value(self, logical: str) -> str:
        """The field by any of its names: a form of one markup still reads in another."""
        return next((self._values[n] for n in markup.FIELDS[logical] if self._values.get(n)), "")


class Page:
    """One request's view of the portal: settings, clock, session, and rendering."""

    def __init__(self, request: Request, portal: Portal):
        self.request = request
        self.portal = portal
        self.conn = portal.conn
        self.config = portal.config
        cached = request.scope.get(SETTINGS_KEY)
        self.settings = cached if cached is not None else settings(self.conn)
        self.now: datetime = now(self.settings.get("clock_offset", 0))
        self.style: str = self.settings.get("markup", markup.DEFAULT)
        self.profile: str = self.settings.get("wording", wording.DEFAULT)
        self.wording: dict[str, str] = wording.PROFILES[self.profile]
        self.session = sessions.load(self.conn, request.cookies.get(sessions.COOKIE), self.now)

    # Rendering -----------------------------------------------------------------------------
    def say(self, sentence: str, **values: Any) -> str:
        """A sentence as this portal's wording profile words it (``wording.say``)."""
        return wording.say(self.profile, sentence, **values)

    def say_each(self, messages: dict[str, str]) -> dict[str, str]:
        """Field errors, each said (``say``)."""
        return {name: self.say(message) for name, message in messages.items()}

    def say_html(self, sentence: str, **values: Any) -> Markup:
        """``say`` for a template, where a value may be markup (``<strong>Por carta</strong>``):
        the sentence and every value that is not markup are escaped."""
        return escape(wording.template(self.profile, sentence)).format(**values)

    @property
    def cookie_banner(self) -> bool:
        """Whether this page shows the cookie-consent banner: on the sso markup, until the
        citizen answers it in this browser session."""
        return self.style == "sso" and not self.request.cookies.get(sessions.CONSENT_COOKIE)

    @property
    def inaccessible(self) -> bool:
        """Whether the test-control fault ``inaccessible`` is set for this page (under its
        ``path_prefix``, as every fault): the screen that honours it then shows an image
        without alt text, an input without a label and low-contrast text."""
        spec: dict[str, Any] | None = self.settings.get("faults")
        return bool(
            spec
            and spec.get("inaccessible")
            and self.request.url.path.startswith(spec.get("path_prefix", "/"))
        )

    @property
    def here(self) -> str:
        """This page's path and query, to come back to."""
        url = self.request.url
        return url.path + (f"?{url.query}" if url.query else "")

    def url(self, name: str) -> str:
        return markup.path(name, self.style)

    def field(self, logical: str) -> str:
        return markup.field(logical, self.style)

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        values.setdefault("errors", {})
        values.setdefault("values", {})
        html = self.portal.templates.get_template(template).render(page=self, **values)
        return HTMLResponse(html, status_code=status)

    def redirect(self, name: str) -> RedirectResponse:
        return RedirectResponse(self.url(name), status_code=303)

    # Input ---------------------------------------------------------------------------------
    async def form(self) -> Form:
        """The posted form, after checking its size, encoding and CSRF token."""
        content_type = self.request.headers.get("content-type", "").split(";")[0].strip()
        if content_type != "application/x-www-form-urlencoded":
            raise PageError(
                415, "Pedido inválido", "O formulário foi enviado num formato inválido."
            )
        body = await read_body(self.request, self.config.max_body_bytes)
        try:
            pairs = parse_qsl(
                body.decode("utf-8"),
                keep_blank_values=True,
                strict_parsing=False,
                max_num_fields=MAX_FIELDS,
            )
        except (UnicodeDecodeError, ValueError):
            raise PageError(
                400, "Pedido inválido", "O formulário contém dados que não foi possível ler."
            ) from None
        form = Form(pairs)
        if not self.session.csrf_matches(form.raw("csrf_token")):
            raise PageError(
                403,
                "Sessão expirada",
                "A sua sessão expirou ou o formulário já não é válido. "
                "Por segurança, recomece a partir da página inicial.",
                restart="home",
            )
        return form

    def step(self, key: str, restart: str) -> dict[str, Any]:
        """The wizard state ``key`` of this session, or a 409 page when it is not there."""
        state = self.session.get(key)
        if not state:
            raise PageError(
                409,
                "Passo indisponível",
                "Este passo já foi concluído ou a sessão expirou. "
                "Não é possível repetir o pedido: recomece a partir do início.",
                restart=restart,
            )
        return state


def profile_of(request: Request) -> str:
    """The wording profile, for a response no screen renders (404, 405)."""
    cached = request.scope.get(SETTINGS_KEY)
    found = cached if cached is not None else settings(request.app.state.portal.conn)
    return found.get("wording", wording.DEFAULT)


def not_found_page(request: Request) -> HTMLResponse:
    """The page for a path the portal does not have. No screen ran: no session is opened."""
    template = request.app.state.portal.templates.get_template("not_found.html")
    html = template.render(say=partial(wording.say, profile_of(request)))
    return HTMLResponse(html, status_code=404)


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise PageError(413, "Pedido demasiado grande", "O formulário enviado é demasiado grande.")
    chunks = bytearray()
    async for chunk in request.stream():
        chunks.extend(chunk)
        if len(chunks) > limit:
            raise PageError(
                413, "Pedido demasiado grande", "O formulário enviado é demasiado grande."
            )
    return bytes(chunks)


Handler = Callable[[Page], Awaitable[Response]]


def screen(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a screen handler: page context in, error pages and session cookie out."""

    @wraps(handler)
    async def endpoint(request: Request) -> Response:
        page = Page(request, request.app.state.portal)
        try:
            response = await handler(page)
        except PageError as error:
            # Said here, once for every error: a message written with its values already in
            # (see wording.say) is recognised by its template.
            said = PageError(
                error.status,
                page.say(error.title),
                page.say(error.message),
                restart=error.restart,
            )
            response = page.render("error.html", status=error.status, error=said)
        needs_cookie = False
        if sessions.worth_saving(page.session):
            with transaction(page.conn):
                needs_cookie = sessions.save(
                    page.conn, page.session, page.now, page.config.session_idle_minutes
                )
        if needs_cookie and page.session.id:
            response.set_cookie(
                sessions.COOKIE, page.session.id, httponly=True, samesite="lax", path="/"
            )
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    return endpoint
