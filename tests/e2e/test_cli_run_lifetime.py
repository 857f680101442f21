"""A killed ``sentinel run`` takes its test session with it: a session left running would go
on writing Allure results into a folder whose lock the kill released, under the next run."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from runtime.results import FolderLock
from runtime.tokens import TOKEN_ENV
from sentinel.report import PROJECT_ROOT
from tests.helpers import descendants_of, ends_within, shell_environment

pytestmark = pytest.mark.slow

# Long enough for a process that dies with its parent, far shorter than the session would
# take to end on its own: slow-3g gives each step a minute on a portal that never answers.
DEADLINE_S = 20


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGKILL], ids=["TERM", "KILL"])
def test_a_killed_run_leaves_no_session_behind(tmp_path: Path, sent: signal.Signals) -> None:
    results = tmp_path / "results"
    # A portal that takes the browser's connection and never answers: the session is then
    # in its flow, and would stay there for the step's time limit.
    with socket.create_server(("127.0.0.1", 0)) as portal:
        portal.settimeout(120)
        target = f"http://127.0.0.1:{portal.getsockname()[1]}"
        command = ["run", "--flow", "portal", "--target", target, "--network", "slow-3g"]
        run = subprocess.Popen(
            [sys.executable, "-m", "sentinel", *command, "--results", str(results), "--no-report"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=PROJECT_ROOT,
            env={k: v for k, v in shell_environment().items() if k != TOKEN_ENV},
        )
        tree: list[int] = []
        try:
            connection, _ = portal.accept()
            with connection:
                tree = descendants_of(run.pid)
                assert tree, "sentinel run started no session"
                run.send_signal(sent)
                run.wait(timeout=30)
                deadline = time.monotonic() + DEADLINE_S  # one for all, not one each
                left = [p for p in tree if not ends_within(p, deadline - time.monotonic())]
                assert not left, f"{len(left)} of the session's processes outlived sentinel run"
        finally:
            for pid in [run.pid, *tree]:  # only the processes this test started
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            run.wait(timeout=30)
    with FolderLock(results, "the next run"):  # free, and no one writes there
        pass
