from __future__ import annotations

from pathlib import Path

import pytest

from sentinel.cli import build_parser, main, report_paths
from sentinel.report import PROJECT_ROOT


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


def test_report_paths_default_to_the_project_roots_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # as `cd tests && ../.venv/bin/sentinel report`
    for command in ("report", "run"):
        args = build_parser().parse_args([command])
        report_paths(args)
        assert args.results == PROJECT_ROOT / "reports" / "allure-results"  # where pytest writes
        assert args.output == PROJECT_ROOT / "reports" / "allure-report"


def test_report_paths_given_are_read_from_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = build_parser().parse_args(["report", "--results", "mine", "--output", "out/html"])
    report_paths(args)
    assert (args.results, args.output) == (tmp_path / "mine", tmp_path / "out" / "html")
