"""A test token that holds more than a token is refused up front, in one line, and never shown.

What a user pastes by mistake (a whole ``SENTINEL_TEST_TOKEN=...`` line of an env file, two
lines, a token and a comment after a tab or a space, a stray non-ASCII letter) is refused by
``sentinel run``, ``monitor --once``, ``guide`` and ``mock`` (exit 2) and by pytest with the
plugin (a usage error) before anything runs; and the token inside it, the portal's real one
here, appears in no output and in no file the command leaves, in any encoding (see
``tests/security/leaks.py``). A test-control call's error never quotes the token either, not
even when the portal's proxy echoes the request's headers.
"""

from __future__ import annotations

import html
import json
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from runtime.mock_process import start_in_background
from runtime.testapi import TestApiError, TestControl
from runtime.tokens import TOKEN_ENV
from sentinel.report import PROJECT_ROOT
from tests.helpers import run_pytest, shell_environment
from tests.security.leaks import Scanner

pytestmark = pytest.mark.slow

# The portal's real token, planted inside every bad shape: the worst case, a leak of it is real.
PLANTED = "planted-" + secrets.token_urlsafe(16)
OTHER = "second-" + secrets.token_urlsafe(16)  # a second line: someone else's token, say

# A shape, the token (or file) holding it, and a word the refusal must say of it.
SHAPES = {
    "env-file-line": (f"{TOKEN_ENV}={PLANTED}", "NAME=value line"),
    "export-line": (f"export {TOKEN_ENV}={PLANTED}", "a space"),
    "two-lines": (f"{PLANTED}\n{OTHER}", "a line break"),
    "tab": (f"{PLANTED}\t# staging", "a tab"),
    "space": (f"{PLANTED} staging", "a space"),
    "non-ascii": (f"{PLANTED}é", "not ASCII"),
    "no-break-space": (f"{PLANTED}\u00a0# staging", "not ASCII"),
}


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled mock in its own process, as a staging URL, with the planted token."""
    mock = start_in_background(tmp_path_factory.mktemp("url-portal") / "portal.db", PLANTED)
    yield mock.url
    mock.stop()


def sentinel(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``python -m sentinel ARGS`` as typed in a shell with ``env`` set; one that starts
    instead of refusing (a mock that serves) is stopped by the timeout, failing the test."""
    return subprocess.run(
        [sys.executable, "-m", "sentinel", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**{k: v for k, v in shell_environment().items() if k != TOKEN_ENV}, **env},
        timeout=60,
        check=False,
    )


def command_line(command: str, url: str, tmp_path: Path) -> tuple[list[str], list[Path]]:
    """The arguments of ``command`` against ``url`` and the folders it writes to."""
    out = tmp_path / "out"
    if command == "run":
        return ["run", "--target", url, "--flow", "login", "--results", str(out), "--no-report"], [
            out
        ]
    if command == "monitor":
        args = ["monitor", "--once", "--target", url, "--flow", "login", "--data", str(out)]
        return [*args, "--retries", "0"], [out]
    if command == "guide":
        args = ["guide", "--target", url, "--flow", "registration", "--out", str(out)]
        return [*args, "--format", "html"], [out]
    return ["mock", "--port", "0", "--db", str(out / "portal.db")], [out]


def assert_refused_unseen(
    done: subprocess.CompletedProcess[str], prefix: str, says: str, folders: list[Path]
) -> str:
    """Refused in one line that says what is wrong, and the token is nowhere."""
    output = done.stdout + done.stderr
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    [line] = lines
    assert line.startswith(prefix), line
    assert says in line, line
    assert "Traceback" not in output
    scanner = Scanner([PLANTED, OTHER])
    leaks = scanner.text(output, "output")
    for folder in folders:
        if folder.exists():
            leaks += scanner.files(folder)
    assert not leaks, "\n".join(map(str, leaks))
    return line


@pytest.mark.parametrize("command", ["run", "monitor", "guide", "mock"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_token_in_the_environment_that_is_more_than_a_token_is_refused_unseen(
    portal: str, tmp_path: Path, command: str, shape: str
) -> None:
    token, says = SHAPES[shape]
    args, folders = command_line(command, portal, tmp_path)
    done = sentinel(*args, env={TOKEN_ENV: token})
    assert done.returncode == 2, done.stdout + done.stderr
    line = assert_refused_unseen(done, f"sentinel {command}: ", says, folders)
    assert f"${TOKEN_ENV}" in line  # where the token came from
    assert not any(folder.exists() and any(folder.iterdir()) for folder in folders)


@pytest.mark.parametrize("command", ["run", "monitor", "guide", "mock"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_token_file_that_holds_more_than_a_token_is_refused_unseen(
    portal: str, tmp_path: Path, command: str, shape: str
) -> None:
    token, says = SHAPES[shape]
    token_file = tmp_path / "token"
    token_file.write_text(token + "\n", encoding="utf-8")  # as an editor saves it
    args, folders = command_line(command, portal, tmp_path)
    done = sentinel(*args, "--test-token-file", str(token_file), env={})
    assert done.returncode == 2, done.stdout + done.stderr
    line = assert_refused_unseen(done, f"sentinel {command}: ", says, folders)
    assert str(token_file) in line
    assert not any(folder.exists() and any(folder.iterdir()) for folder in folders)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_pytest_with_the_plugin_refuses_such_a_token_as_a_usage_error(
    portal: str, tmp_path: Path, shape: str
) -> None:
    token, says = SHAPES[shape]
    results = tmp_path / "allure-results"
    done = run_pytest(
        "tests/e2e/test_flows.py",
        "--base-url",
        portal,
        "-k",
        "end_to_end and login",
        "--alluredir",
        str(results),
        env={TOKEN_ENV: token},
        timeout=120,
    )
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout[-3000:] + done.stderr
    line = assert_refused_unseen(done, "ERROR: ", says, [results])
    assert f"--test-token or ${TOKEN_ENV}" in line
    assert not list(results.glob("*-result.json"))  # no test ran


# The test-control client's own errors ------------------------------------------------------
# Visible ASCII with the characters each encoding changes: &<>"' for HTML, %+/= for URLs.
PUNCTUATED = "pl4nted&<tok>\"en'%+/=" + secrets.token_urlsafe(12)


class EchoingProxy(BaseHTTPRequestHandler):
    """A staging portal's proxy that quotes the request's token back in its error pages."""

    def do_GET(self) -> None:
        token = self.headers.get("X-Test-Token", "")
        if self.path.startswith("/__test__/citizens/json"):
            self.answer(400, "application/json", json.dumps({"error": f"bad token {token}"}))
        elif self.path.startswith("/__test__/citizens/long"):
            # The token straddles the 200 characters an error's detail is cut to.
            self.answer(403, "text/plain", "x" * 176 + f" X-Test-Token: {token} refused")
        else:
            page = f"<p>Denied: X-Test-Token={html.escape(token)} ({quote(token, safe='')})</p>"
            self.answer(403, "text/html", page)

    def do_POST(self) -> None:
        token = self.headers.get("X-Test-Token", "")
        self.answer(404, "text/plain", f"no such API here (token {token})")

    def answer(self, status: int, kind: str, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the test reads the client's errors, not the server's log


@pytest.fixture(scope="module")
def echoing_proxy() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoingProxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "call",
    [
        lambda api: api.citizen("json"),
        lambda api: api.citizen("long"),
        lambda api: api.citizen("page"),
        lambda api: api.reset(),  # the 404 of reset quotes the detail too
        lambda api: api.create_citizen(name="x"),
    ],
    ids=["json-error", "cut-short", "html-page", "reset-404", "post-404"],
)
def test_a_test_control_error_never_quotes_the_token(echoing_proxy: str, call) -> None:
    with TestControl(echoing_proxy, PUNCTUATED) as api, pytest.raises(TestApiError) as raised:
        call(api)
    message = str(raised.value)
    leaks = Scanner([PUNCTUATED]).text(message, "error")
    assert not leaks, "\n".join(map(str, leaks))
    assert PUNCTUATED[:8] not in message  # not even the part left by cutting the page short


def test_a_portal_that_does_not_answer_is_said_without_the_token() -> None:
    with TestControl("http://127.0.0.1:9", PUNCTUATED) as api, pytest.raises(TestApiError) as e:
        api.citizen("11115611236")
    assert PUNCTUATED[:8] not in str(e.value)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_client_refuses_such_a_token_before_any_request_without_quoting_it(
    echoing_proxy: str, shape: str
) -> None:
    token, says = SHAPES[shape]
    with pytest.raises(TestApiError) as raised:
        TestControl(echoing_proxy, token)
    assert says in str(raised.value)
    assert not Scanner([PLANTED, OTHER]).text(str(raised.value), "error")
