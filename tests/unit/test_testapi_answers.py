"""What the test-control client makes of answers that are not its API's: a proxy's login page,
a redirect to it, a web app answering every path, a forbidden token."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from runtime.testapi import TestApiError, TestControl, TokenRefused

TOKEN = "a-token-of-twenty-two-c"
ANSWERS = {
    "/__test__/citizens": (200, "text/html", b"<html><body>Sign in</body></html>"),
    "/__test__/outbox": (302, "text/html", b""),
    "/__test__/reset": (403, "text/plain", b"forbidden"),
}


class _Proxy(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        status, kind, body = ANSWERS.get(self.path.split("?")[0], (404, "text/plain", b"no"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if status == 302:
            self.send_header("Location", "/login")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def proxy() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_instead_of_json_is_named_for_what_it_is(proxy: str) -> None:
    with TestControl(proxy, TOKEN) as api, pytest.raises(TestApiError) as refused:
        api.create_citizen(name="x")
    assert str(refused.value) == (
        "POST /__test__/citizens: the answer (text/html) is not the test-control API's JSON: "
        "is a proxy or a web app answering /__test__/?"
    )


def test_a_redirect_is_not_followed_to_a_login_page(proxy: str) -> None:
    with (
        TestControl(proxy, TOKEN) as api,
        pytest.raises(TestApiError, match="302 \\(a redirect\\)"),
    ):
        api.outbox("11115611236")


def test_a_forbidden_token_is_a_refused_token(proxy: str) -> None:
    with TestControl(proxy, TOKEN) as api, pytest.raises(TokenRefused) as refused:
        api.reset()
    assert refused.value.status == 403
    assert str(refused.value) == "the portal refused the test token (403)"
