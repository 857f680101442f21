"""One line per failure: the flow outcome lines of ``sentinel run``, a test session that
ends before any flow, and an error no command expected (its traceback with ``--debug``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sentinel import cli, report

DEFECT = (
    "[portal defect] step 10. Pedir código de verificação (Request verification code) of "
    "registration: 'Pedir código de verificação' (documented in 000_a0bd499d4e80e2a3.txt "
    "registration 10) was not found or the screen did not follow: expected the screen "
    + "RegistrationDonePage"
    * 10
)


def write_result(folder: Path, flow: str, status: str, message: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    result = {
        "status": status,
        "statusDetails": {"message": message, "trace": "Traceback ..."},
        "parameters": [{"name": "flow_name", "value": repr(flow)}],
    }
    (folder / "00000000-0000-0000-0000-000000000000-result.json").write_text(json.dumps(result))


def test_a_flow_error_is_its_own_message_whole(tmp_path: Path) -> None:
    write_result(tmp_path, "registration", "failed", f"flows.errors.PortalDefect: {DEFECT}\nE  ...")
    [outcome] = report.flow_outcomes(tmp_path, ["registration"])
    # The kind is said once, in the message's own words; nothing of it is cut.
    assert outcome.line() == f"registration: failed: {DEFECT}"


def test_a_session_that_ends_before_any_flow_is_one_line_pointing_to_debug() -> None:
    output = "ERROR: usage: pytest [options]\npytest: error: unrecognized arguments: --bad\n"
    line = report.session_failure(4, output)
    assert line == (
        "the test session was refused by pytest before any flow ran: pytest: error: "
        "unrecognized arguments: --bad (run again with --debug for its whole output)"
    )
    crashed = report.session_failure(3, "INTERNALERROR> ValueError: x\n\n=== 1 error in 0.1s ===")
    assert "failed inside pytest" in crashed
    assert ": 1 error in 0.1s (" in crashed
    assert "exit code 9" in report.session_failure(9, "")
    assert report.session_failure(2, "", shown=True).endswith("ran (its output is above)")


def test_a_finished_flow_is_read_from_pytest_verbose_lines() -> None:
    done = "sentinel/flow_suite.py::test_flow[password_reset-chromium] PASSED     [ 50%]"
    assert report.finished_flow(done) == "password_reset"
    assert report.finished_flow("sentinel/flow_suite.py::test_flow[cmd-chromium] ") is None
    assert report.finished_flow("collected 2 items") is None


def test_an_unexpected_error_is_one_line_and_its_traceback_only_with_debug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from guides import app

    def broken(options: app.Options) -> int:
        raise KeyError("no such screen")

    monkeypatch.setattr(app, "run", broken)
    assert cli.main(["guide"]) == 1
    assert capsys.readouterr().err == (
        "sentinel guide: unexpected error: KeyError: 'no such screen' "
        "(run again with --debug for the traceback)\n"
    )
    with pytest.raises(KeyError):
        cli.main(["guide", "--debug"])
