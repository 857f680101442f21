"""No secret or personal value of a planted citizen, in any encoding, in anything the harness
keeps: the monitor's traces, evidence, database, logs and alerts after failures right after
its forms, a `sentinel run`'s Allure results, and `sentinel guide`'s output.

The planted values need every encoding (see ``leaks``); the scan unzips every archive,
decodes base64 payloads and PDF streams, and reads JSON documents string by string.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import secrets
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, expect

from guides import make as guides_make
from monitor.alerts import Alerter, AlertPolicy
from monitor.executor import CheckExecutor, CheckSpec, WarmBrowser
from monitor.history import History
from monitor.metrics import Metrics
from monitor.service import Monitor
from runtime.mock_process import BackgroundMock, start_in_background
from sentinel.report import PROJECT_ROOT
from tests.helpers import run_pytest
from tests.security.leaks import (
    PASSWORD,
    RecordingControl,
    Scanner,
    citizen_of,
    encodings,
    planted_faker,
    planted_values,
)

pytestmark = pytest.mark.browser
TOKEN = secrets.token_urlsafe(16)

# A failure right after each form a writing flow posts: an HTTP 500 on the screen the form
# leads to. The modern markup's paths tell every screen apart by prefix; the activation runs
# on the classic markup too, whose field names (`palavra_passe=`) the review found in a trace.
AFTER_EACH_FORM = [
    ("registration", "modern", "/app/registo/dados"),  # the terms
    ("registration", "modern", "/app/registo/envio"),  # the identification
    ("registration", "modern", "/app/registo/sucesso"),  # the channel
    ("activation", "modern", "/app/ativacao/credenciais"),  # the code
    ("activation", "modern", "/app/ativacao/sucesso"),  # the password
    ("activation", "classic", "/ativar/concluido"),
    ("login", "modern", "/app/entrar/verificacao"),  # NISS and password
    ("login", "modern", "/app/contactos"),  # the one-time code
    ("login", "modern", "/app/contactos/validacao"),  # the contacts
    ("login", "modern", "/app/area-pessoal"),  # the contacts' code
    ("password_reset", "modern", "/app/recuperacao/envio"),  # NISS and birth date
    ("password_reset", "modern", "/app/recuperacao/pedido"),  # the channel
    ("password_reset", "modern", "/app/recuperacao/credenciais"),  # the code
    ("password_reset", "modern", "/app/recuperacao/sucesso"),  # the new password
    ("cmd", "modern", "/app/autenticacao-gov/autorizacao"),  # mobile and PIN
    ("cmd", "modern", "/app/autenticacao-gov/seguranca"),  # the authorisation
    ("cmd", "classic", "/conta"),  # the security code
]


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundMock]:
    folder = tmp_path_factory.mktemp("planted-portal")
    server = start_in_background(folder / "portal.db", TOKEN, "scrypt_n=1024")
    yield server
    server.stop()


@pytest.fixture
def api(mock: BackgroundMock) -> Iterator[RecordingControl]:
    with RecordingControl(mock.url, TOKEN) as control:
        control.reset()
        yield control


class Webhook:
    """A real HTTP server receiving the monitor's alerts, keeping their bodies as sent."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        bodies = self.bodies

        class Hook(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
        self.url = f"http://127.0.0.1:{self.server.server_port}/alerts"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_the_scan_finds_every_encoding_of_every_planted_value() -> None:
    """The scan itself: each encoding, inside a zip in a zip, in base64 and in JSON."""
    scanner = Scanner([PASSWORD])
    for encoding, form in encodings(PASSWORD).items():
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as archive:
            archive.writestr("resources/body.dat", f"x={form}&y=1")
        outer = io.BytesIO()
        with zipfile.ZipFile(outer, "w") as archive:
            archive.writestr("trace.zip", inner.getvalue())
        assert scanner.bytes(outer.getvalue(), "zip"), encoding
        assert scanner.text(json.dumps({"k": f"<p>{form}</p>"}), "json"), encoding
        hidden = base64.b64encode(f"token {form} end".encode()).decode()
        assert scanner.text(f"data:text/plain;base64,{hidden}", "base64"), encoding


@pytest.fixture(scope="module")
def warm(playwright: Playwright) -> Iterator[WarmBrowser]:
    browser = WarmBrowser(playwright)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def quick_failures() -> Iterator[None]:
    """A screen that answered 500 is not waited for as long: the failures come sooner."""
    expect.set_options(timeout=1500)
    yield
    expect.set_options(timeout=5000)


@pytest.mark.parametrize(("flow", "markup", "failing"), AFTER_EACH_FORM)
def test_no_planted_value_in_the_monitors_traces_evidence_history_logs_or_alerts(
    flow: str,
    markup: str,
    failing: str,
    warm: WarmBrowser,
    api: RecordingControl,
    mock: BackgroundMock,
    quick_failures: None,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    # As `sentinel monitor` sets it: httpx logs every URL, query strings (an NISS) included.
    caplog.set_level(logging.WARNING, logger="httpx")
    hook = Webhook()
    executor = CheckExecutor(warm, mock.url, api, tmp_path / "evidence")
    executor.fake = planted_faker()  # the executor's own provisioning, with planted values
    history = History(tmp_path / "monitor.db")
    monitor = Monitor(
        executor,
        [],
        history,
        Metrics(),
        Alerter(AlertPolicy(failures_to_alert=1)),
        webhooks=[hook.url],
    )
    try:
        api.set_markup(markup)
        api.set_faults(error_rate=1, error_status=500, path_prefix=failing)
        result = monitor.run_check(CheckSpec(flow, timeout_s=90, retries=0))
    finally:
        api.clear_faults()
        api.set_markup("classic")
        history.close()
        hook.close()
    assert "HTTP 500" in result.message, result.message
    assert (Path(result.evidence) / "trace.zip").is_file()
    assert len(hook.bodies) == 1  # the alert of the failing check

    scanner = Scanner(planted_values(api.citizens(), api.codes()))
    leaks = [
        *scanner.files(tmp_path / "evidence"),
        *scanner.files(tmp_path / "monitor.db"),
        *scanner.text(caplog.text, "the monitor's log"),
        *(leak for body in hook.bodies for leak in scanner.bytes(body, "a webhook payload")),
    ]
    assert not leaks, "\n".join(map(str, leaks))


SUITE = '''\
"""`sentinel run`'s own suite, for planted citizens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runtime.citizens import provision
from sentinel.flow_suite import pytest_generate_tests, test_flow  # noqa: F401
from tests.security.leaks import RecordingControl, planted_faker

CREATED = Path({created!r})


@pytest.fixture
def citizen(sentinel_target):
    api = RecordingControl(sentinel_target.url, sentinel_target.token)
    fake = planted_faker()
    yield lambda **options: provision(api, fake, **options)
    with CREATED.open("a", encoding="utf-8") as out:
        out.write(json.dumps({{"created": api.created, "codes": api.codes()}}) + "\\n")
    api.close()
'''


def test_no_planted_value_in_the_allure_results_of_a_run(tmp_path: Path) -> None:
    """`sentinel run`'s suite and options (every writing flow but the two that run as
    prerequisites of these), its Allure observer and masked screenshots, planted citizens."""
    created = tmp_path / "created.jsonl"
    suite = tmp_path / "test_planted_run.py"
    suite.write_text(SUITE.format(created=str(created)), encoding="utf-8")
    results = tmp_path / "allure-results"
    ran = run_pytest(
        str(suite),
        "--alluredir",
        str(results),
        "--rootdir",
        str(PROJECT_ROOT),
        "--flow=login",
        "--flow=password_reset",
        "--flow=cmd",
        "--step-screenshots=screens",
    )
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert "3 passed" in ran.stdout
    records = [json.loads(line) for line in created.read_text().splitlines()]
    citizens = [citizen_of(c) for record in records for c in record["created"]]
    codes = [code for record in records for code in record["codes"]]
    assert len(citizens) == 3
    assert codes
    assert (results / "environment.properties").is_file()
    scanner = Scanner(planted_values(citizens, codes))
    leaks = [*scanner.files(results), *scanner.text(ran.stdout + ran.stderr, "pytest output")]
    assert not leaks, "\n".join(map(str, leaks))


def test_no_planted_value_in_guides(
    browser: Browser,
    api: RecordingControl,
    mock: BackgroundMock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`sentinel guide`'s making of the activation guide (a NISS, a code and a password typed,
    after a registration), every format, both languages, for a planted citizen instead of
    its seeded one."""
    monkeypatch.setattr(guides_make, "synthetic_faker", lambda seed=None: planted_faker())
    out = tmp_path / "guides"
    specs = [guides_make.select(["activation"])[0]]
    written = guides_make.make(
        specs, ["pt", "en"], {"html", "md", "pdf"}, out, browser, mock.url, api
    )
    assert len(written) == 2 * 3
    assert list(out.rglob("*.png"))
    assert list(out.glob("*.json"))
    scanner = Scanner(planted_values(api.citizens(), api.codes()))
    leaks = scanner.files(out)
    assert not leaks, "\n".join(map(str, leaks))
