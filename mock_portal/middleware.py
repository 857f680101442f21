"""ASGI middleware: injected faults for testing monitors, and a privacy-safe access log."""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from mock_portal import store

log = logging.getLogger("mock_portal.access")

SETTINGS_KEY = "mock_portal.settings"

MAINTENANCE_PAGE = """<!doctype html>
<html lang="pt"><head><meta charset="utf-8"><title>Serviço em manutenção</title></head>
<body><main><h1>Serviço em manutenção</h1>
<p>A Segurança Social Direta está temporariamente indisponível por motivo de manutenção.
Por favor, tente mais tarde.</p></main></body></html>"""

ERROR_PAGE = """<!doctype html>
<html lang="pt"><head><meta charset="utf-8"><title>Erro</title></head>
<body><main><h1>Ocorreu um erro</h1>
<p>Não foi possível responder ao seu pedido. Por favor, tente mais tarde.</p>
</main></body></html>"""


class FaultInjection:
    """Latency, errors and maintenance set through ``/__test__/faults``.

    Applies to the portal's pages under ``path_prefix``, never to ``/__test__/`` itself, so
    a test can always clear the faults it set. The other faults change what a page holds, not
    how it is answered, and are read where that is made: ``withhold_codes`` by
    ``codes``/``delivery``, ``inaccessible`` by ``web.Page.inaccessible`` (the registration's
    identification screen, under ``path_prefix`` too).
    """

    def __init__(self, app: ASGIApp, conn_getter):
        self.app = app
        self.conn_getter = conn_getter
        self.random = random.Random()  # noqa: S311 - fault sampling, not security

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/__test__/"):
            await self.app(scope, receive, send)
            return
        # Read once per request: the page below takes them from the scope.
        settings = scope[SETTINGS_KEY] = store.settings(self.conn_getter())
        spec: dict[str, Any] | None = settings.get("faults")
        if not spec or not scope["path"].startswith(spec["path_prefix"]):
            await self.app(scope, receive, send)
            return
        if spec["latency_ms"]:
            await asyncio.sleep(spec["latency_ms"] / 1000)
        if spec["maintenance"]:
            await _html(send, 503, MAINTENANCE_PAGE, [(b"retry-after", b"300")])
            return
        if spec["error_rate"] and self.random.random() < spec["error_rate"]:
            await _html(send, spec["error_status"], ERROR_PAGE, [])
            return
        await self.app(scope, receive, send)


async def _html(send: Send, status: int, body: str, extra: list[tuple[bytes, bytes]]) -> None:
    payload = body.encode()
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(payload)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


# Numbers long enough to be an NISS, a tax or a mobile number are masked. Digits count as one
# number across short runs of anything that is not a letter (spaces of any kind, dots,
# hyphens, slashes, a control character, a percent-encoded byte): a number written in groups
# is still the number. Any digit, not only 0-9: a full-width NISS is one too.
_DIGIT_RUN = re.compile(r"\d(?:(?:[\W_]|%[0-9A-Fa-f]{2}){0,3}\d)*")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_MIN_DIGITS = 9
MASK = "***"


def masked_path(path: str) -> str:
    """The path as the access log shows it: every long number masked, and every character
    that is not printable escaped, so that a path cannot forge a line of the log."""
    masked = _DIGIT_RUN.sub(_mask_if_long, path)
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in masked)


def _mask_if_long(run: re.Match[str]) -> str:
    # A percent-encoded byte ("%20") holds digits of its own, which are no part of the number.
    text = _ESCAPE.sub(" ", run.group())
    return MASK if sum(c.isdigit() for c in text) >= _MIN_DIGITS else run.group()


class AccessLog:
    """One line per request: method, path, status, duration. Never the query string, the
    body or cookies, which can carry an NISS, a code or a session; numbers long enough to be
    an NISS, a tax or a mobile number are masked in the path too."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        logged = False

        def write() -> None:
            nonlocal logged
            if not logged:
                logged = True
                elapsed = (time.perf_counter() - started) * 1000
                path = masked_path(scope["path"])
                log.info("%s %s %d %.1fms", scope["method"], path, status, elapsed)

        async def send_wrapper(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                # Written before the response ends: whoever got the answer finds the line.
                write()
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            write()  # a request that ended without a whole response is logged too
