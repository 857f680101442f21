"""A real mock portal with a portal defect in it, for the commands' messages about one.

The done screen of the registration is replaced by a 404 page, so registration step 10 finds
no screen it knows: a ``PortalDefect``, while flows that never reach that path (``cmd``,
``portal``) still pass on the same portal.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from runtime.mock_process import start_in_background
from runtime.testapi import TestControl

FAULT = {"error_status": 404, "error_rate": 1, "path_prefix": "/registo/concluido"}
# What the one line about the failed registration names: the flow, the step (number and
# documented label), what was expected there, and the guide that documents the step.
NAMED = (
    "registration",
    "step 10. Pedir código de verificação (Request verification code)",
    "RegistrationDonePage",
    "000_a0bd499d4e80e2a3.txt registration 10",
)
# What an inner pytest session prints, which a command shows only with --debug.
PYTEST_NOISE = re.compile(r"=====|short test summary|\bpassed in\b|\bfailed in\b|^E  ", re.M)


@dataclass(frozen=True)
class DefectivePortal:
    url: str
    token_file: Path

    def target(self) -> tuple[str, ...]:
        return ("--target", self.url, "--test-token-file", str(self.token_file))


@contextmanager
def portal_with_a_defect(folder: Path) -> Iterator[DefectivePortal]:
    """The bundled mock, started in ``folder``, with its registration done screen gone."""
    token = secrets.token_urlsafe(16)
    mock = start_in_background(folder / "portal.db", token)
    try:
        with TestControl(mock.url, token) as api:
            api.set_faults(**FAULT)
        token_file = folder / "token"
        token_file.write_text(token, encoding="utf-8")
        yield DefectivePortal(mock.url, token_file)
    finally:
        mock.stop()


def the_line(output: str, *names: str) -> str:
    """The one line of ``output`` that names everything in ``names``; fails on none or more."""
    lines = [line for line in output.splitlines() if all(n in line for n in names)]
    assert len(lines) == 1, f"{len(lines)} lines name {names}:\n{output}"
    return lines[0]
