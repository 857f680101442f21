"""The monitor's web application: the status page, the same as JSON (``/api/status``), a
failed check's evidence, ``/metrics``.

A Starlette app; ``/metrics`` is prometheus_client's own ASGI app on the monitor's registry.
Every route answers GET and HEAD; another method gets 405 naming them, another path 404.

The page and its JSON are the status as of the current minute, with an ``ETag``: a client
that asks again within the minute, with no check run since, gets ``304 Not Modified``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from prometheus_client import make_asgi_app
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from monitor import status

if TYPE_CHECKING:
    from monitor.service import Monitor

# What the executor keeps; Starlette adds "; charset=utf-8" to text (the note is UTF-8).
EVIDENCE_TYPES = {".png": "image/png", ".zip": "application/zip", ".txt": "text/plain"}


def create_app(monitor: Monitor) -> Starlette:
    def page(request: Request) -> Response:
        body = status.render(
            monitor.history,
            watched(monitor),
            as_of(),
            policy=monitor.alerter.policy,
            refresh="refresh" in request.query_params,
        )
        return fresh(request, body, "text/html; charset=utf-8")

    def api(request: Request) -> Response:
        data = status.snapshot(
            monitor.history, watched(monitor), as_of(), policy=monitor.alerter.policy
        )
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return fresh(request, body, "application/json")

    def evidence(request: Request) -> Response:
        path = evidence_file(monitor.executor.evidence_dir, request.path_params["relative"])
        if path is None:
            raise HTTPException(404)
        kind = EVIDENCE_TYPES.get(path.suffix, "application/octet-stream")
        return Response(path.read_bytes(), media_type=kind)

    metrics = _AsgiEndpoint(make_asgi_app(registry=monitor.metrics.registry))
    app = Starlette(
        routes=[
            Route("/", page),
            Route("/index.html", page),
            Route("/api/status", api),
            Route("/metrics", metrics, methods=["GET"]),
            Route("/evidence/{relative:path}", evidence),
        ],
        exception_handlers={404: _not_found, 405: _method_not_allowed},
    )
    app.router.redirect_slashes = False  # /metrics/ is not /metrics: 404, as any other path
    return app


def watched(monitor: Monitor) -> list[status.Watched]:
    """Each check with the degraded threshold it is held to: the executor scales it to the
    network the checks run on (``CheckExecutor.limits``)."""
    # A stand-in executor of the tests may not scale: the threshold is then the check's own.
    limits = getattr(monitor.executor, "limits", lambda spec: spec)
    return [status.Watched(spec.name, limits(spec).degraded_s) for spec in monitor.checks]


def as_of() -> datetime:
    """Now, to the minute: the page of a minute is the same page, so its ETag holds."""
    return clock().replace(second=0, microsecond=0)


def clock() -> datetime:
    """The time the page is of (a test sets it)."""
    return datetime.now(UTC)


def fresh(request: Request, body: str, media_type: str) -> Response:
    """``body`` with an ``ETag`` of its bytes, gzipped for a client that takes it (the page
    of several checks' history is some hundred kB of markup that repeats itself); 304
    without a body when the client's ``If-None-Match`` names it. ``no-cache``: a cache asks
    again each time, cheaply. Each encoding has its own tag, as RFC 9110 wants."""
    data = body.encode()
    zipped = _takes_gzip(request.headers.get("accept-encoding", ""))
    digest = hashlib.sha256(data).hexdigest()[:32]
    tag = f'"{digest}-gzip"' if zipped else f'"{digest}"'
    headers = {"ETag": tag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if _matches(request.headers.get("if-none-match", ""), tag):
        return Response(status_code=304, headers=headers)
    if zipped:
        data = gzip.compress(data, mtime=0)  # no time in the header: the same bytes each time
        headers["Content-Encoding"] = "gzip"
    return Response(data, media_type=media_type, headers=headers)


def _takes_gzip(accept_encoding: str) -> bool:
    """Whether ``Accept-Encoding`` takes gzip (by name or ``*``, at a quality above 0)."""
    for item in accept_encoding.split(","):
        name, _, params = item.partition(";")
        quality = params.strip().removeprefix("q=").strip() if params else "1"
        try:
            wanted = float(quality) > 0
        except ValueError:
            wanted = False
        if name.strip().lower() in ("gzip", "*") and wanted:
            return True
    return False


def _matches(if_none_match: str, tag: str) -> bool:
    """RFC 9110's weak comparison, as If-None-Match asks: ``W/`` is ignored, ``*`` matches."""
    listed = [t.strip() for t in if_none_match.split(",")]
    return any(t == "*" or t.removeprefix("W/") == tag for t in listed if t)


def evidence_file(root: Path, relative: str) -> Path | None:
    """The file at ``relative`` in the evidence folder ``root``; None when there is none, or
    when the path (``..``, an absolute path, a symbolic link) leads anywhere outside it."""
    root = root.resolve()
    try:
        path = (root / relative).resolve()
        if path.is_file() and root in path.parents:
            return path
    except (OSError, ValueError):  # a name too long, a NUL byte
        pass
    return None


class _AsgiEndpoint:
    """An ASGI app as a route's endpoint: Starlette takes a plain function (which
    ``make_asgi_app`` returns) for a request handler, an object for an ASGI app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


async def _not_found(request: Request, exc: Exception) -> Response:
    return PlainTextResponse("not found\n", status_code=404)


async def _method_not_allowed(request: Request, exc: Exception) -> Response:
    # Starlette joins the methods of a set: sorted, the header is the same every run.
    allowed = getattr(exc, "headers", None) or {}
    methods = sorted(m.strip() for m in allowed.get("Allow", "GET, HEAD").split(","))
    return PlainTextResponse(
        "method not allowed\n", status_code=405, headers={"Allow": ", ".join(methods)}
    )
