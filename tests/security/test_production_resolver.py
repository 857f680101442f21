"""The third layer of the production guard: in the browsers the harness launches, production's
names resolve to nothing, so requests the route and DevTools layers never see (workers, shared
and service workers, prefetches) cannot reach it either.

Nothing leaves the machine: every browser here maps production's names (and nothing else) to a
counting server on 127.0.0.1 with a rule AFTER the harness's own. Chromium keeps one
``--host-resolver-rules`` switch and, within it, the first rule that matches: the control
browser, with the mapping alone, shows that each request would reach "production"; the
harness's browser, with its rules first, shows that it does not.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserType, Playwright, expect

from monitor import app as monitor_app
from monitor.executor import WarmBrowser
from runtime.browser import connect_headers, launch_args, launch_options

pytestmark = pytest.mark.browser

SWITCH = "--host-resolver-rules="
# Every way of writing production's names to the counting server; nothing else resolves.
LOOPBACK_MAPPING = ("MAP *seg-social* 127.0.0.1", "MAP * ~NOTFOUND", "EXCLUDE 127.0.0.1")
# How each kind of request is made, from a page of the local site: each calls ``done`` (the
# page's title becomes "done") once its request has settled, either way.
SCRIPTS_OF_PAGES = {
    "dedicated-worker-websocket": "new Worker('/worker.js?ws').onmessage = done",
    "dedicated-worker-fetch": "new Worker('/worker.js?fetch').onmessage = done",
    "shared-worker-fetch": "new SharedWorker('/shared.js?fetch').port.onmessage = done",
    "shared-worker-websocket": "new SharedWorker('/shared.js?ws').port.onmessage = done",
    # The service worker makes its request while installing, and installs either way.
    "service-worker-fetch": "navigator.serviceWorker.register('/sw.js')"
    ".then(() => navigator.serviceWorker.ready).then(done)",
    "prefetch": "const link = document.createElement('link'); link.rel = 'prefetch';"
    "link.href = PRODUCTION + '/prefetch'; link.onload = link.onerror = done;"
    "document.head.append(link)",
    "fetch-redirect": "fetch('/redirect').then(done, done)",
    "upper-case-trailing-dot": "fetch(PRODUCTION.replace('www.seg-social.pt', "
    "'WWW.SEG-SOCIAL.PT.') + '/upper', {mode: 'no-cors'}).then(done, done)",
}
# The path each kind's request has at production.
KINDS = {
    "dedicated-worker-websocket": "/worker-ws",
    "dedicated-worker-fetch": "/worker-fetch",
    "shared-worker-fetch": "/shared-fetch",
    "shared-worker-websocket": "/shared-ws",
    "service-worker-fetch": "/sw-fetch",
    "prefetch": "/prefetch",
    "fetch-redirect": "/hop",
    "upper-case-trailing-dot": "/upper",
}
# In the workers: settle one request to production (a WebSocket or a fetch), then report.
SETTLE = """
const PRODUCTION = 'http://www.seg-social.pt:' + location.port;
function settle(kind) {
  if (kind === 'ws') {
    return new Promise(resolve => {
      const socket = new WebSocket(PRODUCTION.replace('http', 'ws') + '/' + NAME + '-ws');
      socket.onclose = resolve;
    });
  }
  return fetch(PRODUCTION + '/' + NAME + '-fetch', {mode: 'no-cors'}).catch(() => null);
}
"""
SCRIPTS = {
    "/worker.js": "const NAME = 'worker';"
    + SETTLE
    + "settle(location.search.slice(1)).then(() => postMessage('done'));",
    "/shared.js": "const NAME = 'shared';"
    + SETTLE
    + "onconnect = e => settle(location.search.slice(1))"
    ".then(() => e.ports[0].postMessage('done'));",
    "/sw.js": "const NAME = 'sw';"
    + SETTLE
    + "addEventListener('install', e => e.waitUntil(settle('fetch')));",
}


class Site(ThreadingHTTPServer):
    """The local site, and "production" (any Host naming seg-social), which it counts."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.production: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Site

    def do_GET(self) -> None:
        host = self.headers.get("Host", "")
        path = self.path.split("?")[0]
        if "seg-social" in host.lower():
            self.server.production.append(host + self.path)
            self._send(200, "text/plain", b"production")
        elif path in SCRIPTS:
            self._send(200, "application/javascript", SCRIPTS[path].encode())
        elif path == "/redirect":
            port = self.server.server_address[1]
            self._send(302, "text/plain", b"", {"Location": f"http://www.seg-social.pt:{port}/hop"})
        elif path.removeprefix("/") in SCRIPTS_OF_PAGES:
            script = SCRIPTS_OF_PAGES[path.removeprefix("/")]
            self._send(200, "text/html", _page(script).encode())
        else:
            self._send(404, "text/plain", b"")

    def _send(self, status: int, kind: str, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # quiet
        pass


def _page(script: str) -> str:
    return (
        "<script>const PRODUCTION = 'http://www.seg-social.pt:' + location.port;"
        f"function done() {{ document.title = 'done' }}\n{script}</script>"
    )


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    server = Site()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _resolver_rules(args: list[str]) -> list[str]:
    """The rules of the one --host-resolver-rules switch in ``args`` (none: [])."""
    switches = [arg.removeprefix(SWITCH) for arg in args if arg.startswith(SWITCH)]
    assert len(switches) <= 1, f"Chromium keeps only the last of {switches}"
    return switches[0].split(",") if switches else []


def _with_mapping(launch: dict[str, Any], rules: list[str]) -> dict[str, Any]:
    args = [arg for arg in launch.get("args", []) if not arg.startswith(SWITCH)]
    return {**launch, "args": [*args, SWITCH + ",".join([*rules, *LOOPBACK_MAPPING])]}


@pytest.fixture(scope="module")
def harness_browser(
    browser_type: BrowserType, browser_type_launch_args: dict[str, Any]
) -> Iterator[Browser]:
    """Launched as the plugin launches (so the suite and ``sentinel run``), its rules first."""
    rules = _resolver_rules(browser_type_launch_args["args"])
    browser = browser_type.launch(**_with_mapping(browser_type_launch_args, rules))
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def control_browser(
    browser_type: BrowserType, browser_type_launch_args: dict[str, Any]
) -> Iterator[Browser]:
    """The same, with the loopback mapping alone: production is the counting server."""
    browser = browser_type.launch(**_with_mapping(browser_type_launch_args, []))
    yield browser
    browser.close()


def _requests_to_production(browser: Browser, site: Site, kind: str) -> list[str]:
    site.production.clear()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{site.url}/{kind}")
        expect(page).to_have_title("done")
    finally:
        context.close()
    return list(site.production)


@pytest.mark.parametrize("kind", list(KINDS))
def test_without_the_rule_the_request_would_reach_production(
    control_browser: Browser, site: Site, kind: str
) -> None:
    reached = _requests_to_production(control_browser, site, kind)
    assert [r for r in reached if r.endswith(KINDS[kind])], f"the probe proves nothing: {reached}"


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_harness_browser_never_resolves_production(
    harness_browser: Browser, site: Site, kind: str
) -> None:
    assert _requests_to_production(harness_browser, site, kind) == []


# -- Every browser the harness launches for flows that write carries the rules ---------------


def test_every_launch_carries_the_same_rules(browser_type_launch_args: dict[str, Any]) -> None:
    rules = _resolver_rules(launch_args())
    assert rules, "no production rules in the harness's launch arguments"
    assert _resolver_rules(browser_type_launch_args["args"]) == rules  # the plugin's
    assert _resolver_rules(launch_options()["args"]) == rules  # guides', bench's
    header = connect_headers()["x-playwright-launch-options"]  # asked of a browser server
    assert SWITCH + ",".join(rules) in header
    # A browser for production itself (read-only flows only) must reach it.
    assert _resolver_rules(launch_args(block_production=False)) == []


def test_more_mappings_come_after_the_rules_in_one_switch() -> None:
    rules = _resolver_rules(launch_args())
    combined = _resolver_rules(launch_args(resolver_rules=["MAP * 127.0.0.1"]))
    assert combined == [*rules, "MAP * 127.0.0.1"]


def _command_line(pid: int) -> list[str]:
    return [part for part in Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0") if part]


@pytest.mark.parametrize("block", [True, False])
def test_the_monitors_browser_carries_the_rules(playwright: Playwright, block: bool) -> None:
    warm = WarmBrowser(playwright, block_production=block)
    try:
        warm.get()
        assert warm.pid is not None
        rules = _resolver_rules(_command_line(warm.pid))
    finally:
        warm.close()
    assert rules == (_resolver_rules(launch_args()) if block else [])


class _Built(Exception):
    """Raised by the stand-in WarmBrowser: the monitor need go no further."""


@pytest.mark.parametrize(
    ("target", "block"),
    [("http://127.0.0.1:8999", True), ("https://WWW.SEG-SOCIAL.PT.", False)],
)
def test_the_monitor_blocks_production_unless_it_is_the_target(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, target: str, block: bool
) -> None:
    built: dict[str, Any] = {}

    def warm_browser(*args: Any, **kwargs: Any) -> None:
        built.update(kwargs)
        raise _Built

    monkeypatch.setattr(monitor_app, "WarmBrowser", warm_browser)
    # No second Playwright beside this session's: the stand-in needs none.
    monkeypatch.setattr(monitor_app, "sync_playwright", contextlib.nullcontext)
    options = monitor_app.Options(target=target, flows=["portal"], once=True, data=tmp_path)
    with pytest.raises(_Built):
        monitor_app.run(options)
    assert built["block_production"] is block
