"""Helpers for tests that start the project's commands as users do."""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sentinel.report import PROJECT_ROOT


def shell_environment() -> dict[str, str]:
    """The environment of a shell: without this pytest session's (or xdist worker's)
    variables, which would make an inner pytest act as part of this one."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}


def run_sentinel(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m sentinel ARGS`` from the project root, as a user types it in a shell."""
    return subprocess.run(
        [sys.executable, "-m", "sentinel", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=shell_environment(),
        timeout=timeout,
        check=False,
    )


def dead_portal() -> str:
    """The URL of a portal that does not answer: a free port nothing listens on (the discard
    port 9 will not do: browsers refuse to try it)."""
    return f"http://127.0.0.1:{free_port()}"


def monitor_dead_portal_once(
    data: Path, *options: str, target: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``sentinel monitor --once`` of the read-only check, without retries, against a portal
    that does not answer (``target``, else a new ``dead_portal()``): a failure at its first
    step, with evidence in ``data``."""
    return run_sentinel(
        "monitor",
        "--once",
        "--target",
        target or dead_portal(),
        "--flow",
        "portal",
        "--retries",
        "0",
        "--data",
        str(data),
        *options,
    )


def run_pytest(
    *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``python -m pytest -q ARGS`` from the project root in a shell's environment (plus
    ``env``), without this project's addopts or cache: a suite run of its own. Its Allure
    results go to a folder of its own unless ``--alluredir`` says where: the project's
    ``reports/allure-results`` is the outer session's, locked while it runs."""
    with tempfile.TemporaryDirectory(prefix="allure-results-") as own:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts="]
        if not any(arg.startswith("--alluredir") for arg in args):
            command += ["--alluredir", own]
        return subprocess.run(
            [*command, *args],
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
            env={**shell_environment(), **(env or {})},
            timeout=timeout,
            check=False,
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(command: list[str], announcement: str, *, on_stderr: bool = False) -> Iterator[str]:
    """Run a server until the block ends; yields the line in which it announces itself.

    The server gets a process group of its own, stopped whole: a command such as
    ``python -m playwright run-server`` serves from a child that outlives its parent.
    """
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL if on_stderr else subprocess.PIPE,
        stderr=subprocess.PIPE if on_stderr else subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    output = process.stderr if on_stderr else process.stdout
    assert output is not None
    try:
        line = next((line for line in output if announcement in line), None)
        if line is None:
            raise AssertionError(f"{command[0]} ended before printing {announcement!r}")
        yield line.strip()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        output.close()


def ends_within(pid: int, seconds: float) -> bool:
    """Whether process ``pid`` (a child of ours or not) ends within ``seconds``: its pidfd
    turns readable when it does, so nothing polls or sleeps."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        ready, _, _ = select.select([handle], [], [], max(seconds, 0))
        return bool(ready)
    finally:
        os.close(handle)


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` now, read from ``/proc``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        # "pid (command) state ppid ...": the command may hold spaces and parentheses.
        parent = int(stat.rpartition(")")[2].split()[1])
        if parent == pid:
            found.append(int(entry.name))
    return found


def descendants_of(pid: int) -> list[int]:
    """``pid``'s children, their children, and so on."""
    found = children_of(pid)
    for child in list(found):
        found += descendants_of(child)
    return found
