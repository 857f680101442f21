"""The monitor's log line for a screen a check passed on its way."""

from __future__ import annotations

import logging
from typing import cast

import pytest

from flows import catalog
from flows.context import Run
from flows.detours import CONTACTS_PROMPT
from monitor.executor import _Timings


def detour_line(check: str, flow: str, caplog: pytest.LogCaptureFixture) -> str:
    timings = _Timings(check)
    run = cast(Run, None)  # the observer reads nothing of the run
    timings.flow_started(catalog.FLOWS[flow], run)
    with caplog.at_level(logging.INFO, logger="monitor.executor"):
        timings.detour(catalog.FLOWS[flow].steps[0], run, CONTACTS_PROMPT)
    return caplog.messages[-1]


def test_a_detour_in_the_check_itself_names_the_check(caplog: pytest.LogCaptureFixture) -> None:
    assert detour_line("login", "login", caplog).startswith("check login, step 1: ")


def test_a_detour_in_a_prerequisite_names_the_check_and_the_flow(
    caplog: pytest.LogCaptureFixture,
) -> None:
    line = detour_line("login", "registration", caplog)
    assert line.startswith("check login, registration step 1: ")
