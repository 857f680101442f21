from __future__ import annotations

import re
import sys
from pathlib import Path

import httpx
import pytest

from flows.codes import CodeArrival, CodeSourceError
from flows.context import CodeNotFound, CodeRequest
from runtime.codes import (
    ByChannel,
    CodeSettings,
    CommandCodes,
    OutboxCodes,
    find_code,
    open_codes,
)
from runtime.imap_codes import ImapCodes
from runtime.sms_webhook import SmsWebhook
from runtime.usage import UsageError
from tests.helpers import free_port

REGISTRATION = CodeRequest("11115611236", "registration", "sms")
LOGIN = CodeRequest("11115611236", "login", "sms")


def script(tmp_path: Path, body: str) -> str:
    path = tmp_path / "gateway.py"
    path.write_text(body)
    return f"{sys.executable} {path} --niss {{niss}} --purpose {{purpose}}"


def test_a_command_prints_the_latest_code(tmp_path: Path) -> None:
    command = script(
        tmp_path, "import sys\nprint('old 111111')\nprint('code:', sys.argv[2][-6:])\n"
    )
    assert CommandCodes(command).latest(REGISTRATION).code == "611236"


def test_a_command_without_a_code_is_reported_without_its_output(tmp_path: Path) -> None:
    command = script(tmp_path, "print('secret 12345 for someone else')\n")
    with pytest.raises(CodeNotFound) as error:
        CommandCodes(command, timeout_s=1, poll_s=0.2).latest(LOGIN)
    assert "12345" not in str(error.value)


def test_a_failing_command(tmp_path: Path) -> None:
    command = script(tmp_path, "raise SystemExit(3)\n")
    with pytest.raises(CodeNotFound, match="exited 3"):
        CommandCodes(command, timeout_s=1, poll_s=0.2).latest(LOGIN)


def test_a_command_is_asked_again_until_the_gateway_has_the_code(tmp_path: Path) -> None:
    """A gateway's API has the code only once the SMS reached it: the third call prints it."""
    calls = tmp_path / "calls"
    command = script(
        tmp_path,
        f"from pathlib import Path\np = Path({str(calls)!r})\n"
        "p.write_text(p.read_text() + 'x' if p.exists() else 'x')\n"
        "raise SystemExit(0 if print('424242') or len(p.read_text()) >= 3 else 1)\n",
    )
    assert CommandCodes(command, timeout_s=30, poll_s=0.1).latest(LOGIN).code == "424242"
    assert calls.read_text() == "xxx"


def test_a_command_that_cannot_run_is_the_harnesss_setting(tmp_path: Path) -> None:
    with pytest.raises(CodeSourceError, match="--codes-command"):
        CommandCodes(str(tmp_path / "no-such-gateway") + " {niss}").latest(LOGIN)


def test_a_command_with_an_unknown_placeholder_is_refused_at_once() -> None:
    with pytest.raises(UsageError, match=r"only \{niss\} and \{purpose\}"):
        CodeSettings(command="gateway latest --niss {nis}")


def test_the_command_gets_neither_the_mailbox_password_nor_the_test_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SENTINEL_CODES_IMAP_PASSWORD", SECRET)
    monkeypatch.setenv("SENTINEL_TEST_TOKEN", SECRET + "-token")
    command = script(
        tmp_path,
        "import os\nprint(654321 if 'SENTINEL_CODES_IMAP_PASSWORD' not in os.environ and "
        "'SENTINEL_TEST_TOKEN' not in os.environ else 'exposed')\n",
    )
    assert CommandCodes(command, timeout_s=1, poll_s=0.2).latest(LOGIN).code == "654321"


# --- codes in a message's text ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("O seu código de verificação é 482913.", "482913"),
        ("Em 01.03.2026 às 10:15:00, ref. 2026/123456: código 605118", "605118"),
        ("Ligue +351 210000 ou 00351 212345678. Code: 271828", "271828"),
        ("Pedido 1234567 registado. 314159 é o seu código", "314159"),
        ("Valor 1.234,56 EUR; 2026-03-01; PIN 4321; token 777888", "777888"),
        ("Sem código nesta mensagem, só 12345 e 1234567.", None),
    ],
)
def test_the_code_is_found_in_a_message(text: str, code: str | None) -> None:
    assert find_code(text) == code


# --- combined by channel ----------------------------------------------------------------


class Fixed:
    def __init__(self, code: str) -> None:
        self.code = code

    def latest(self, request: CodeRequest) -> CodeArrival:
        return CodeArrival(self.code)


def test_by_channel_routes_each_channel_and_the_rest_to_the_fallback() -> None:
    codes = ByChannel({"email": Fixed("111111"), "sms": Fixed("222222")}, Fixed("333333"))
    assert codes.latest(CodeRequest("1", "login", "email")).code == "111111"
    assert codes.latest(CodeRequest("1", "login", "sms")).code == "222222"
    assert codes.latest(CodeRequest("1", "activation", "letter")).code == "333333"


# --- settings from options and the environment ------------------------------------------

IMAP = "imaps://qa%40example.org@mail.example.org/INBOX"
SECRET = "S3cret-mailbox-pw"


def test_settings_come_from_the_environment() -> None:
    settings = CodeSettings.from_env(
        {
            "SENTINEL_CODES_IMAP": IMAP,
            "SENTINEL_CODES_IMAP_PASSWORD": SECRET,
            "SENTINEL_CODES_SMS_WEBHOOK": "0.0.0.0:8025",
            "SENTINEL_CODES_COMMAND": "",
            "SENTINEL_CODES_TIMEOUT": "90",
        }
    )
    assert (settings.imap, settings.imap_password) == (IMAP, SECRET)
    assert (settings.sms_webhook, settings.command, settings.timeout_s) == (
        "0.0.0.0:8025",
        None,
        90.0,
    )
    assert SECRET not in repr(settings)
    assert SECRET not in settings.describe()


def test_options_override_the_environment() -> None:
    environ = {"SENTINEL_CODES_SMS_WEBHOOK": "0.0.0.0:8025", "SENTINEL_CODES_TIMEOUT": "90"}
    settings = CodeSettings.from_options(environ, sms_webhook="127.0.0.1:9000", timeout_s=5)
    assert (settings.sms_webhook, settings.timeout_s) == ("127.0.0.1:9000", 5.0)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"SENTINEL_CODES_IMAP": IMAP},
            "needs the mailbox's password in SENTINEL_CODES_IMAP_PASSWORD",
        ),
        ({"SENTINEL_CODES_IMAP": "imaps://qa:" + SECRET + "@mail.example.org"}, "holds a password"),
        ({"SENTINEL_CODES_IMAP": "imap://qa@mail.example.org"}, "plain imap://"),
        ({"SENTINEL_CODES_SMS_WEBHOOK": "8025"}, "must be HOST:PORT"),
        ({"SENTINEL_CODES_SMS_WEBHOOK": "0.0.0.0:99999"}, "a port from 1 to 65535"),
        ({"SENTINEL_CODES_SMS_WEBHOOK": "::1:8025"}, "IPv6 address in brackets"),
        ({"SENTINEL_CODES_TIMEOUT": "soon"}, "from 1 to 3600 seconds"),
        ({"SENTINEL_CODES_TIMEOUT": "-1"}, "from 1 to 3600 seconds"),
        ({"SENTINEL_CODES_TIMEOUT": "nan"}, "from 1 to 3600 seconds"),
        ({"SENTINEL_CODES_TIMEOUT": "1e6"}, "from 1 to 3600 seconds"),  # eleven days
        ({"SENTINEL_CODES_TIMEOUT": "0.001"}, "from 1 to 3600 seconds"),
        ({"SENTINEL_CODES_SMS_WEBHOOK": "http://127.0.0.1:8025/sms"}, "not a URL"),
        ({"SENTINEL_CODES_COMMAND": "gateway 'latest"}, "cannot be read"),
        ({"SENTINEL_CODES_IMAP_CA": "/nowhere/ca.pem"}, "no mailbox"),
    ],
)
def test_a_wrong_setting_is_a_usage_error(environ: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)) as error:
        CodeSettings.from_env(environ)
    assert SECRET not in str(error.value)


def test_a_ca_file_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    environ = {"SENTINEL_CODES_IMAP_PASSWORD": SECRET, "SENTINEL_CODES_IMAP": IMAP}
    with pytest.raises(UsageError, match="SENTINEL_CODES_IMAP_CA: no file"):
        CodeSettings.from_options(environ, imap_ca=tmp_path / "ca.pem")


# --- the run's code source ----------------------------------------------------------------


class Portal:
    """What open_codes asks of a test-control API: whether it offers an outbox."""

    def __init__(self, *offered: str) -> None:
        self.offered = offered

    def offers(self, name: str) -> bool:
        return name in self.offered


def test_without_settings_codes_come_from_the_outbox() -> None:
    with open_codes(CodeSettings(), Portal("citizens", "outbox")) as codes:
        assert isinstance(codes.source_for("email"), OutboxCodes)
        assert isinstance(codes.source_for("letter"), OutboxCodes)


def test_a_timeout_is_written_as_seconds_or_as_a_duration() -> None:
    for written, seconds in (("90", 90.0), ("90s", 90.0), ("2m", 120.0)):
        settings = CodeSettings.from_options({"SENTINEL_CODES_TIMEOUT": written})
        assert settings.timeout_s == seconds


def test_a_mailbox_that_refuses_the_login_is_refused_when_the_sources_open(
    mail_server,
) -> None:
    settings = CodeSettings(imap=mail_server.imap_url, imap_password="not-" + SECRET)
    with pytest.raises(CodeSourceError, match="refused the login"), open_codes(settings, None):
        pass


def test_each_channel_gets_its_source_and_the_command_the_rest(tmp_path: Path, mail_server) -> None:
    settings = CodeSettings(
        imap=mail_server.imap_url,
        imap_password=mail_server.password,
        sms_webhook=f"127.0.0.1:{free_port()}",
        command=script(tmp_path, "print(123456)"),
    )
    with open_codes(settings, Portal("outbox")) as codes:
        assert isinstance(codes.source_for("email"), ImapCodes)
        webhook = codes.source_for("sms")
        assert isinstance(webhook, SmsWebhook)
        assert httpx.post(webhook.url, data={"To": "+351912345678", "Body": "1"}).status_code == 200
        assert isinstance(codes.source_for("letter"), CommandCodes)
    with pytest.raises(httpx.ConnectError):  # the webhook listens for the block only
        httpx.post(webhook.url, data={"To": "+351912345678", "Body": "1"})


def test_without_any_source_the_code_not_found_says_which_option_to_give() -> None:
    with open_codes(CodeSettings(), None) as codes:
        with pytest.raises(CodeNotFound, match=r"give --codes-imap \(SENTINEL_CODES_IMAP\)"):
            codes.latest(CodeRequest("1", "registration", "email", "a@example.org"))
        with pytest.raises(CodeNotFound, match="--codes-sms-webhook"):
            codes.latest(CodeRequest("1", "registration", "sms", "+351912345678"))
        with pytest.raises(CodeNotFound, match="--codes-command"):
            codes.latest(CodeRequest("1", "activation", "letter"))
    portal = Portal("citizens")  # a test-control API without an outbox
    with (
        open_codes(CodeSettings(), portal) as codes,
        pytest.raises(CodeNotFound, match="test-control API has an outbox"),
    ):
        codes.latest(CodeRequest("1", "activation", "letter"))
