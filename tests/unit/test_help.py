"""Every option of every command says what it does, and where it has a default, what that
is: the help is the first thing a new user reads."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys

import pytest

from bench.__main__ import build_parser as bench_parser
from sentinel import cli
from sentinel.report import PROJECT_ROOT


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = cli.build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return {f"sentinel {name}": sub for name, sub in commands.choices.items()}


def parsers() -> dict[str, argparse.ArgumentParser]:
    return {**subcommands(), "python -m bench": bench_parser()}


def options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [
        a for a in parser._actions if a.option_strings and not isinstance(a, argparse._HelpAction)
    ]


@pytest.mark.parametrize("command", sorted(parsers()))
def test_every_option_says_what_it_does(command: str) -> None:
    parser = parsers()[command]
    for action in options(parser):
        if action.help == argparse.SUPPRESS:
            continue
        said = parser._get_formatter()._expand_help(action) if action.help else ""
        words = re.sub(r"\(default: [^)]*\)|default: \S+", "", said).split()
        assert len(words) >= 3, f"{command} {action.option_strings[0]}: {said!r}"


@pytest.mark.parametrize("command", sorted(parsers()))
def test_every_option_with_a_default_names_it(command: str) -> None:
    parser = parsers()[command]
    for action in options(parser):
        if action.help == argparse.SUPPRESS or action.default in (None, False, []):
            continue
        said = parser._get_formatter()._expand_help(action) if action.help else ""
        assert "default" in said, f"{command} {action.option_strings[0]}: {said!r}"


def help_of(*argv: str) -> str:
    """The help, as one line: on a terminal this wide argparse wraps nothing."""
    done = subprocess.run(
        [sys.executable, *argv, "--help"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "COLUMNS": "2000"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.split())


def test_the_monitor_help_names_the_checks_the_token_variable_and_a_window() -> None:
    said = help_of("-m", "sentinel", "monitor")
    assert "registration, activation, login, password_reset, cmd, portal" in said
    assert "$SENTINEL_TEST_TOKEN" in said
    assert "2026-12-24T22:00/2026-12-25T02:00" in said
    assert "$SENTINEL_ALERT_WEBHOOK" in said


def test_the_guide_help_names_the_guides_and_the_target_default() -> None:
    said = help_of("-m", "sentinel", "guide")
    assert "registration-sms, registration-email, registration-letter, activation" in said
    assert "'mock' (start the bundled mock portal) or a staging URL (default: mock)" in said


def test_the_mock_help_names_every_setting() -> None:
    from mock_portal.config import PortalConfig

    said = help_of("-m", "sentinel", "mock")
    for name, field in PortalConfig.__dataclass_fields__.items():
        assert f"{name} ({str(field.default).lower()})" in said, name


def test_the_browser_discovery_answers_help_instead_of_looking() -> None:
    said = help_of("-m", "runtime.browser")
    assert said.startswith("usage: python -m runtime.browser")
    assert "$SENTINEL_CHROMIUM" in said


def test_a_guide_flow_that_has_no_guide_is_refused_naming_those_that_exist() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sentinel", "guide", "--flow", "login"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert "invalid choice: 'login'" in line
    assert "'registration-sms'" in line
