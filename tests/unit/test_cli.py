from __future__ import annotations

import pytest

from sentinel.cli import main


def test_unknown_settings_are_refused_before_serving(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mock", "--set", "no_such_rule=1", "--port", "0"]) == 2
    assert "unknown setting 'no_such_rule'" in capsys.readouterr().err


def test_ports_out_of_range_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mock", "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
