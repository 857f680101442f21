"""The bundled mock in its own process: why it did not start, and that it never outlives us."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from runtime.mock_process import MockStartError, start_in_background
from runtime.usage import UsageError

ROOT = Path(__file__).resolve().parents[2]
STARTER = """
import sys
from pathlib import Path
from runtime.mock_process import start_in_background
mock = start_in_background(Path(sys.argv[1]), None)
print(mock.process.pid, flush=True)
sys.stdin.read()
"""


def test_a_mock_that_cannot_start_says_why_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "portal.db"
    db.write_bytes(os.urandom(4096))  # not a database
    with pytest.raises(MockStartError) as refused:
        start_in_background(db, None)
    message = str(refused.value)
    assert isinstance(refused.value, UsageError)  # told as a setting, not as our bug
    assert "\n" not in message
    assert f"cannot open the database {db}" in message
    assert "it is not a SQLite database: move it away or name another file" in message
    assert f"its log is {db.with_suffix('.log')}" in message


def test_the_mock_stops_when_its_owner_is_killed(tmp_path: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", STARTER, str(tmp_path / "portal.db")],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as owner:
        assert owner.stdout is not None
        mock_pid = int(owner.stdout.readline())
        owner.send_signal(signal.SIGKILL)  # no chance to stop the mock itself
        owner.wait(timeout=30)
    assert _ends_within(mock_pid, 30), "the mock outlived the process that started it"


def _ends_within(pid: int, seconds: float) -> bool:
    """Whether process ``pid`` ends within ``seconds``: its pidfd turns readable when it does."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        ready, _, _ = select.select([handle], [], [], seconds)
        return bool(ready)
    finally:
        os.close(handle)
