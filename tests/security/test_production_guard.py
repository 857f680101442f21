"""The production guard holds where the request is made, for every way of writing the host.

Nothing here leaves the machine: the browsers run with ``--host-resolver-rules`` that send the
production hosts to a counting server on 127.0.0.1 (or resolve nothing at all), and the
command-line tests run in a jail that refuses any name resolution or connection off loopback.
"""

from __future__ import annotations

import base64
import contextlib
import os
import stat
import threading
from collections.abc import Iterator, Sequence
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserType, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

from flows import catalog
from flows.context import Citizen, NoCodes, Run
from flows.errors import ProductionRefused
from flows.flow import Flow, Step
from flows.runner import Runner
from pages.labels import Label
from runtime.browser import find_chromium, launch_options, playwright_chromium
from runtime.mock_process import start_in_background
from runtime.targets import is_production
from tests.helpers import run_sentinel
from tests.unit.test_targets import NOT_PRODUCTION, PRODUCTION

pytestmark = pytest.mark.browser

# Production and a look-alike that is not, both sent to 127.0.0.1; nothing else resolves.
LOOPBACK_RULES = (
    "--host-resolver-rules=MAP *.seg-social.pt 127.0.0.1,MAP seg-social.pt 127.0.0.1,"
    "MAP *.example.test 127.0.0.1,MAP * ~NOTFOUND,EXCLUDE 127.0.0.1"
)
NOWHERE_RULES = "--host-resolver-rules=MAP * ~NOTFOUND"
# A 1x1 transparent PNG: an image Chromium's opaque-response blocking lets through.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
CITIZEN = Citizen("11115611236", "Ana Teste", date(1990, 1, 1), "Quam-imkl!232Q")


def _launch(browser_type: BrowserType, rules: str) -> Browser:
    # Without the harness's own resolver rules (tests/security/test_production_resolver.py
    # proves them): here production must resolve to the counting server, so that what is
    # tested is the guard's route and DevTools layers alone. Chromium keeps one such switch.
    options = launch_options(block_production=False)
    return browser_type.launch(**{**options, "args": [*options["args"], rules]})  # type: ignore[list-item]


def _is_production_host(host: str) -> bool:
    """The oracle, on a host as Chromium canonicalised it (lower-case ASCII)."""
    name = host.rstrip(".")
    return name == "seg-social.pt" or name.endswith(".seg-social.pt")


# -- Chromium reads each URL as the guard does -------------------------------------------------


@pytest.fixture(scope="module")
def nowhere_browser(browser_type: BrowserType) -> Iterator[Browser]:
    browser = _launch(browser_type, NOWHERE_RULES)
    yield browser
    browser.close()


def chromium_host(browser: Browser, url: str) -> str | None:
    """The host Chromium asks for when sent to ``url`` (None: it refuses the URL). Every
    request is answered here, in the browser: nothing is resolved or sent."""
    context = browser.new_context()
    seen: list[str] = []

    def answer(route) -> None:
        seen.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<p>ok</p>")

    context.route("**/*", answer)
    try:
        context.new_page().goto(url, wait_until="commit")
    except PlaywrightError:
        pass
    finally:
        context.close()
    return urlsplit(seen[0]).hostname if seen else None


ABSOLUTE = [u for u in PRODUCTION + NOT_PRODUCTION if "://" in u or u.startswith("https:")]


@pytest.mark.parametrize("url", ABSOLUTE)
def test_the_guard_reads_a_url_as_chromium_does(nowhere_browser: Browser, url: str) -> None:
    host = chromium_host(nowhere_browser, url)
    assert host is not None, f"Chromium refused {url!r}: it belongs in neither list"
    assert _is_production_host(host) == (url in PRODUCTION), f"Chromium reads {url!r} as {host}"
    assert is_production(url) == _is_production_host(host), f"Chromium reads {url!r} as {host}"


# -- The runner's guard in the browser -----------------------------------------------------------


class Counting(ThreadingHTTPServer):
    """A local site with pages that lead to "production", which it also plays and counts."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.production: list[str] = []  # host and path of every request production received
        self.others: list[str] = []

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def production_url(self) -> str:
        return f"http://www.seg-social.pt:{self.port}"

    def page(self, path: str) -> tuple[int, dict[str, str], bytes]:
        prod, port = self.production_url, self.port
        look_alike = f"http://seg-social.pt.example.test:{port}"
        pages = {
            "/navigate": f'<script>location.href = "{prod}/navigated"</script>',
            "/image": f'<img src="{prod}/picture.png">',
            "/fetch": f'<script>fetch("{prod}/api", {{method: "POST", body: "niss=1"}})</script>',
            "/fetch-redirect": '<script>fetch("/redirect")</script>',
            "/iframe": f'<iframe src="{prod}/frame"></iframe>',
            "/popup": f'<script>window.open("{prod}/popup")</script>',
            "/form": f'<form method="post" action="{prod}/submit"><input name="niss" value="1">'
            "</form><script>document.forms[0].submit()</script>",
            "/refresh": f'<meta http-equiv="refresh" content="0;url={prod}/refreshed">',
            "/websocket": f'<script>const ws = new WebSocket("ws://www.seg-social.pt:{port}/ws");'
            'ws.onclose = () => { document.title = "closed" }</script>',
            "/look-alikes": f'<img src="{look_alike}/picture.png">',
        }
        redirects = {
            "/redirect": f"{prod}/landed",
            "/chain": "/redirect",
            "/redirect-look-alike": f"{look_alike}/landed",
        }
        if path in redirects:
            return 302, {"Location": redirects[path]}, b""
        if path.endswith(".png"):
            return 200, {"Content-Type": "image/png"}, PNG
        return 200, {"Content-Type": "text/html"}, pages.get(path, "<p>ok</p>").encode()


class _Handler(BaseHTTPRequestHandler):
    server: Counting

    def _answer(self) -> None:
        host = self.headers.get("Host", "").rsplit(":", 1)[0]
        production = _is_production_host(host)
        (self.server.production if production else self.server.others).append(host + self.path)
        if production:
            status, headers, body = 200, {"Content-Type": "text/html"}, b"<p>production</p>"
        else:
            status, headers, body = self.server.page(self.path.split("?")[0])
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def site() -> Iterator[Counting]:
    server = Counting()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def loopback_browser(browser_type: BrowserType) -> Iterator[Browser]:
    browser = _launch(browser_type, LOOPBACK_RULES)
    yield browser
    browser.close()


@pytest.fixture
def mapped_page(loopback_browser: Browser) -> Iterator[Page]:
    context = loopback_browser.new_context()
    yield context.new_page()
    context.close()


def _to(host_part: str):
    return lambda request: host_part in (urlsplit(request.url).hostname or "")


def probe(url: str, settled: str = "requestfailed", host: str = "www.seg-social.pt") -> Flow:
    """A flow that writes, with one step: open ``url`` and wait until the browser's request
    to ``host`` is settled (failed, when the guard stops it)."""

    def act(run: Run, _: Sequence[Locator]) -> None:
        context = run.page.context
        # A navigation the guard stops fails the goto: the event says which.
        with (
            context.expect_event(settled, predicate=_to(host), timeout=5_000),
            contextlib.suppress(PlaywrightError),
        ):
            run.page.goto(url)

    step = Step("1", Label("Sondar", "Probe"), "open", lambda run: [], act)
    return Flow("probe", "Sonda", "Probe", (step,), writes=True)


def run_probe(page: Page, flow: Flow, base_url: str) -> bool:
    run = Run(page=page, base_url=base_url, citizen=CITIZEN, codes=NoCodes())
    return Runner().run(flow, run).passed


@pytest.mark.parametrize(
    "path",
    [
        "/navigate",
        "/redirect",
        "/chain",
        "/image",
        "/fetch",
        "/fetch-redirect",
        "/iframe",
        "/popup",
        "/form",
        "/refresh",
    ],
)
def test_a_flow_that_writes_never_reaches_production(
    mapped_page: Page, site: Counting, path: str
) -> None:
    with pytest.raises(ProductionRefused, match=r"www\.seg-social\.pt, the production portal"):
        run_probe(mapped_page, probe(site.url + path), site.url)
    assert site.production == []
    assert site.others  # the local page itself was served


def test_a_web_socket_to_production_is_refused(mapped_page: Page, site: Counting) -> None:
    def act(run: Run, _: Sequence[Locator]) -> None:
        run.page.goto(site.url + "/websocket")
        expect(run.page).to_have_title("closed")

    flow = Flow(
        "probe", "Sonda", "Probe", (Step("1", Label("S", "P"), "open", lambda run: [], act),)
    )
    with pytest.raises(ProductionRefused, match=r"www\.seg-social\.pt"):
        run_probe(mapped_page, flow, site.url)
    assert site.production == []


@pytest.mark.parametrize(
    ("path", "host", "served"),
    [
        # An image on a look-alike host, which the route's prefilter matches.
        ("/look-alikes", "seg-social.pt.example.test", "seg-social.pt.example.test/picture.png"),
        ("/redirect-look-alike", "example.test", "seg-social.pt.example.test/landed"),
        ("look-alike", "example.test", "seg-social.pt.example.test/page"),
        ("/page?u=www.seg-social.pt", "127.0.0.1", "127.0.0.1/page?u=www.seg-social.pt"),
        ("userinfo", "127.0.0.1", "127.0.0.1/userinfo"),
    ],
)
def test_hosts_that_only_look_like_production_are_reached(
    mapped_page: Page, site: Counting, path: str, host: str, served: str
) -> None:
    urls = {
        "look-alike": f"http://seg-social.pt.example.test:{site.port}/page",
        "userinfo": f"http://seg-social.pt@127.0.0.1:{site.port}/userinfo",
    }
    url = urls.get(path, site.url + path)
    assert run_probe(mapped_page, probe(url, "requestfinished", host), site.url)
    assert site.production == []
    assert served in site.others


def test_a_production_base_url_is_refused_before_any_request(
    mapped_page: Page, site: Counting
) -> None:
    # The base URL as the review wrote it: urllib reads example.com, Chromium www.seg-social.pt.
    base_url = f"http://www.seg-social.pt:{site.port}\\@example.com"
    with pytest.raises(ProductionRefused, match="production portal"):
        run_probe(mapped_page, catalog.REGISTRATION, base_url)
    assert site.production == []
    assert site.others == []
    assert mapped_page.url == "about:blank"


def test_the_read_only_portal_flow_may_watch_production(
    loopback_browser: Browser, tmp_path: Path
) -> None:
    mock = start_in_background(tmp_path / "portal.db", None)
    context = loopback_browser.new_context()
    try:
        port = urlsplit(mock.url).port
        run = Run(
            page=context.new_page(),
            base_url=f"http://www.seg-social.pt:{port}",  # the bundled mock, as production
            citizen=CITIZEN,
            codes=NoCodes(),
        )
        assert Runner().run(catalog.PORTAL, run).passed
    finally:
        context.close()
        mock.stop()


# -- The command line -----------------------------------------------------------------------------

# Loaded by every Python process of the command under test (and its pytest): no name is
# resolved and no connection made off loopback, whatever the code under test tries.
JAIL = """
import ipaddress
import socket

def _local(host):
    if host is None:
        return True
    host = host.decode() if isinstance(host, bytes) else str(host)
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False

_getaddrinfo = socket.getaddrinfo
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex

def getaddrinfo(host, *args, **kwargs):
    if not _local(host):
        raise socket.gaierror(socket.EAI_NONAME, f"test jail: {host} is not resolved")
    return _getaddrinfo(host, *args, **kwargs)

def _check(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
        raise ConnectionRefusedError(f"test jail: no connection to {address[0]}")

def connect(self, address):
    _check(self, address)
    return _connect(self, address)

def connect_ex(self, address):
    _check(self, address)
    return _connect_ex(self, address)

socket.getaddrinfo = getaddrinfo
socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
"""


@pytest.fixture
def jailed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run commands jailed to loopback, with a Chromium that resolves no name at all; returns
    the file the Chromium writes when it starts."""
    jail = tmp_path / "jail"
    jail.mkdir()
    (jail / "sitecustomize.py").write_text(JAIL, encoding="utf-8")
    started = tmp_path / "chromium-started"
    chromium = find_chromium() or playwright_chromium()
    assert chromium is not None
    wrapper = tmp_path / "chromium"
    wrapper.write_text(
        # Last: Chromium keeps only the last --host-resolver-rules, and the harness passes its own.
        f'#!/bin/sh\ntouch "{started}"\nexec "{chromium}" "$@" "{NOWHERE_RULES}"\n',
        encoding="utf-8",
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PYTHONPATH", str(jail))
    monkeypatch.setenv("SENTINEL_CHROMIUM", str(wrapper))
    monkeypatch.delenv("SENTINEL_BROWSER_WS", raising=False)
    monkeypatch.delenv("SENTINEL_TEST_TOKEN", raising=False)
    assert os.environ["PYTHONPATH"] == str(jail)
    return started


def test_run_refuses_a_disguised_production_target_before_any_browser(
    jailed: Path, tmp_path: Path
) -> None:
    done = run_sentinel(
        "run",
        "--target",
        "https://www.seg-social.pt\\@example.com",
        "--flow",
        "registration",
        "--results",
        str(tmp_path / "results"),
        "--no-report",
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "registration" in done.stderr
    assert "production portal" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not jailed.exists(), "a browser was started"


def test_run_lets_the_read_only_portal_flow_watch_production(jailed: Path, tmp_path: Path) -> None:
    done = run_sentinel(
        "run",
        "--target",
        "https://www.seg-social.pt",
        "--flow",
        "portal",
        "--results",
        str(tmp_path / "results"),
        "--no-report",
    )
    # It may fail to reach the portal (nothing resolves here): it must not be refused.
    assert "production portal" not in done.stderr, done.stderr
    assert "refusing" not in done.stderr, done.stderr
    assert "Running portal against https://www.seg-social.pt" in done.stdout, done.stdout
