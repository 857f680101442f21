from __future__ import annotations

import sys
from pathlib import Path

import pytest

from flows.context import CodeNotFound, CodeRequest
from runtime.codes import CommandCodes

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
        CommandCodes(command).latest(LOGIN)
    assert "12345" not in str(error.value)


def test_a_failing_command(tmp_path: Path) -> None:
    command = script(tmp_path, "raise SystemExit(3)\n")
    with pytest.raises(CodeNotFound, match="exited 3"):
        CommandCodes(command).latest(LOGIN)
