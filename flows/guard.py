"""The production guard in the browser: a context that ran a flow that writes never reaches
the production portal, whatever a page does (links, scripts, forms, frames, pop-ups, redirects).

Two layers, both filtered inside the browser so that other requests pay nothing:

- a Playwright route (and WebSocket route) on the context whose matcher is a compiled regex
  (``ROUTE_PATTERN``), evaluated by Playwright's server. Its handler re-reads the host of the
  request URL, as Chromium reports it, in Python: production is aborted, anything else the
  pattern happened to match goes on (``route.fallback``).
- Playwright never routes the hops of a redirect (it lets them through unasked), so each page
  also gets a DevTools ``Fetch`` interception with the same prefilter, which does see them.

Every refused request is noted; the runner fails the flow with ``ProductionRefused`` naming
the host.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any

from playwright.sync_api import BrowserContext, CDPSession, Page, Route, WebSocketRoute

from flows.production import ROUTE_PATTERN, WILDCARD_PATTERN, host_of, is_production_host

log = logging.getLogger("flows.guard")

_GUARDS: weakref.WeakKeyDictionary[BrowserContext, ProductionGuard] = weakref.WeakKeyDictionary()


class ProductionGuard:
    """Refuses every request of one browser context to the production portal's hosts."""

    def __init__(self, context: BrowserContext) -> None:
        self.blocked: list[str] = []  # the hosts refused, in order
        self._pages: weakref.WeakSet[Page] = weakref.WeakSet()
        context.route(ROUTE_PATTERN, self._on_route)
        context.route_web_socket(ROUTE_PATTERN, self._on_web_socket)
        context.on("page", self.watch)  # pop-ups and new tabs
        for page in context.pages:
            self.watch(page)

    def watch(self, page: Page) -> None:
        """Stop the redirect hops of ``page`` too (once per page)."""
        if page in self._pages or page.is_closed():
            return
        # Chromium only, as the whole harness: without it the guard could not hold, so fail.
        session = page.context.new_cdp_session(page)
        session.on("Fetch.requestPaused", lambda event: self._on_paused(session, event))
        session.send("Fetch.enable", {"patterns": [{"urlPattern": WILDCARD_PATTERN}]})
        self._pages.add(page)

    def _refuse(self, url: str) -> bool:
        host = host_of(url)
        if not is_production_host(host):
            return False
        self.blocked.append(host)
        log.warning("stopped a request to the production portal (%s)", host)
        return True

    def _on_route(self, route: Route) -> None:
        if self._refuse(route.request.url):
            route.abort("blockedbyclient")
        else:
            route.fallback()

    def _on_web_socket(self, socket: WebSocketRoute) -> None:
        if self._refuse(socket.url):
            socket.close(code=1008, reason="production portal")
        else:
            socket.connect_to_server()

    def _on_paused(self, session: CDPSession, event: dict[str, Any]) -> None:
        request = {"requestId": event["requestId"]}
        try:
            if self._refuse(event["request"]["url"]):
                session.send("Fetch.failRequest", {**request, "errorReason": "BlockedByClient"})
            else:
                session.send("Fetch.continueRequest", request)
        except Exception:
            # The page went away with its request: nothing left to stop.
            log.debug("the paused request %s is gone", event["requestId"])


def guard_context(context: BrowserContext) -> ProductionGuard:
    """The context's guard, installed on first use and kept for the context's life."""
    guard = _GUARDS.get(context)
    if guard is None:
        guard = _GUARDS[context] = ProductionGuard(context)
    return guard


def guard_of(context: BrowserContext) -> ProductionGuard | None:
    """The guard installed on ``context``, if a flow that writes ran in it."""
    return _GUARDS.get(context)
