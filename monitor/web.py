"""The monitor's web application: the status page, the same as JSON (``/api/status``), a
failed check's evidence, ``/metrics``.

A Starlette app; ``/metrics`` is prometheus_client's own ASGI app on the monitor's registry.
Every route answers GET and HEAD; another method gets 405 naming them, another path 404.

The page and its JSON are the status as of the current minute, with an ``ETag``: a client
that asks again within the minute, with no check run since, gets ``304 Not Modified``. The tag
is of what the page shows (the minute, the history's last check and alert, the settings), so
it is known before the page is built: a 304 builds nothing, and a page is built once for each
such state, however many ask for it (a month of six checks every 30 s is half a million rows).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
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
    built = Built()

    def page(request: Request) -> Response:
        now, refresh = as_of(), "refresh" in request.query_params

        def build() -> str:
            checks, policy = watched(monitor), monitor.alerter.policy
            return status.render(monitor.history, checks, now, policy=policy, refresh=refresh)

        name = ("page", refresh)
        tag = state(monitor, now, name)
        body = partial(built.data, name, tag, build)
        return fresh(request, tag, body, "text/html; charset=utf-8")

    def api(request: Request) -> Response:
        now = as_of()

        def build() -> str:
            checks, policy = watched(monitor), monitor.alerter.policy
            data = status.snapshot(monitor.history, checks, now, policy=policy)
            return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

        tag = state(monitor, now, "api")
        return fresh(request, tag, partial(built.data, "api", tag, build), "application/json")

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
    """Each check with the degraded threshold it is held to and its time limit on every
    try: the executor scales them to the network the checks run on
    (``CheckExecutor.limits``)."""
    # A stand-in executor of the tests may not scale: the threshold is then the check's own.
    limits = getattr(monitor.executor, "limits", lambda spec: spec)
    held = [limits(spec) for spec in monitor.checks]
    return [status.Watched(s.name, s.degraded_s, s.timeout_s * (s.retries + 1)) for s in held]


def as_of() -> datetime:
    """Now, to the minute: the page of a minute is the same page, so its ETag holds."""
    return clock().replace(second=0, microsecond=0)


def clock() -> datetime:
    """The time the page is of (a test sets it)."""
    return datetime.now(UTC)


def state(monitor: Monitor, now: datetime, name: Hashable) -> str:
    """A tag of everything the page or JSON ``name`` of the minute ``now`` shows: the history
    (it is only added to: its last check and alert say whether it changed) and the settings
    it is drawn with. Reading it costs two lookups of a row number."""
    shown = (name, now.isoformat(), monitor.history.version(), watched(monitor))
    said = repr((*shown, monitor.alerter.policy))
    return hashlib.sha256(said.encode()).hexdigest()[:32]


@dataclass
class Body:
    """A page as built for one state (``tag``): its bytes, and once asked for, gzipped."""

    tag: str
    plain: bytes
    _zipped: bytes | None = None

    def zipped(self) -> bytes:
        if self._zipped is None:
            # No time in the header: the same bytes each time.
            self._zipped = gzip.compress(self.plain, mtime=0)
        return self._zipped


class Built:
    """The last page built under each name (the page with or without its reload, the JSON):
    a request for the same state gets it as it is; one for a new state builds it, once,
    while the others wait (the history has one connection, and one build is enough). The
    tag is read before the build: a check recorded in between is on the page, and the next
    request, of another tag, builds it again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._bodies: dict[Hashable, Body] = {}

    def data(self, name: Hashable, tag: str, build: Callable[[], str], zipped: bool) -> bytes:
        with self._lock:
            body = self._bodies.get(name)
            if body is None or body.tag != tag:
                body = self._bodies[name] = Body(tag, build().encode())
            return body.zipped() if zipped else body.plain


def fresh(request: Request, tag: str, body: Callable[[bool], bytes], media_type: str) -> Response:
    """The page ``body`` gives (gzipped or not) with an ``ETag`` of the state it shows,
    ``tag``, gzipped for a client that takes it (the page of several checks' history is some
    hundred kB of markup that repeats itself); 304 without a body, and without building it,
    when the client's ``If-None-Match`` names it. ``no-cache``: a cache asks again each
    time, cheaply. Each encoding has its own tag, as RFC 9110 wants."""
    zipped = _takes_gzip(request.headers.get("accept-encoding", ""))
    etag = f'"{tag}-gzip"' if zipped else f'"{tag}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if _matches(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=headers)
    if zipped:
        headers["Content-Encoding"] = "gzip"
    return Response(body(zipped), media_type=media_type, headers=headers)


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
