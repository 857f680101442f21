"""The bundled mock portal in a process of its own, started as a user starts it.

The harness never imports the mock (it is a separate system): it runs ``sentinel mock`` on a
free port, reads the URL the mock announces once it listens, and talks HTTP to it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from runtime.lifetime import dies_with_parent
from runtime.tokens import TOKEN_ENV, check_token
from runtime.usage import UsageError

# The first line ``sentinel mock`` prints, once it listens.
READY_PREFIX = "Mock portal listening on "


@dataclass
class BackgroundMock:
    """A ``sentinel mock`` process started by the harness, with the URL it announced."""

    url: str
    process: subprocess.Popen[str]
    log: Path

    def stop(self, *, kill: bool = False) -> None:
        if self.process.poll() is None:
            self.process.kill() if kill else self.process.terminate()
            self.process.wait(timeout=20)
        if self.process.stdout:
            self.process.stdout.close()


def start_in_background(
    db: Path,
    token: str | None,
    *settings: str,
    log: Path | None = None,
    contract: str | None = None,
    wording: str | None = None,
    markup: str | None = None,
    options: Sequence[str] = (),
) -> BackgroundMock:
    """Start the mock portal in its own process on a free port; returns once it listens.

    ``settings`` are ``--set`` rules (``"code_ttl_minutes=5"``); ``contract``, ``wording`` and
    ``markup`` are passed as ``sentinel mock``'s options of those names when given;
    ``options``: any other of its options, such as ``("--smtp", "127.0.0.1:2525")``.
    """
    check_token(token)
    log = log or db.with_suffix(".log")
    args = [sys.executable, "-m", "sentinel", "mock", "--port", "0", "--db", str(db)]
    for setting in settings:
        args.append(f"--set={setting}")
    for option, value in (("contract", contract), ("wording", wording), ("markup", markup)):
        if value is not None:
            args.append(f"--{option}={value}")
    args.extend(options)
    # The token goes in the child's environment only: a command line is public (ps, /proc).
    # An inherited token must not enable the API of a mock started without one.
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    if token:
        env[TOKEN_ENV] = token
    with log.open("a") as sink:
        start_of_run = sink.tell()
        process = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=sink,
            text=True,
            env=env,
            # Stopped with its owner, even one killed with SIGKILL: a mock left behind would
            # hold its database and port for ever. (The signal follows the thread that
            # started it, so only the main thread, which lives as long as the process, asks.)
            preexec_fn=dies_with_parent(signal.SIGTERM)
            if threading.current_thread() is threading.main_thread()
            else None,
        )
    assert process.stdout is not None
    first = process.stdout.readline()
    if not first.startswith(READY_PREFIX):
        process.kill()
        process.wait(timeout=20)
        process.stdout.close()
        raise MockStartError(f"the mock portal did not start: {_last_words(log, start_of_run)}")
    return BackgroundMock(first[len(READY_PREFIX) :].strip(), process, log)


class MockStartError(UsageError):
    """The bundled mock would not start (a database it cannot use, most often)."""


def _last_words(log: Path, start: int) -> str:
    """What the mock said last before it gave up (its own one-line error), and its log."""
    try:
        with log.open(encoding="utf-8", errors="replace") as text:
            text.seek(start)
            lines = [line.strip() for line in text if line.strip()]
    except OSError:
        lines = []
    said = lines[-1] if lines else "it said nothing"
    return f"{said} (its log is {log})"
