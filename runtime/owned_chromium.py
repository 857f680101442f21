"""A Chromium process that lives and dies with the process that started it.

The monitor starts Chromium itself (so that a watchdog can kill a hung one). Such a browser
must not outlive its owner: killed with SIGKILL, the monitor cannot close it, and a browser
left behind keeps its memory and its profile folder for ever. So:

- the kernel kills the browser when its owner dies (``PR_SET_PDEATHSIG``), and Chromium's
  other processes leave once their browser process is gone;
- each profile folder names its owner (pid and start time, so a reused pid is not mistaken
  for it), and ``reap_stale`` kills what is left of browsers whose owner is dead and removes
  their folders: a new monitor calls it as it starts.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from runtime.lifetime import dies_with_parent

log = logging.getLogger("runtime.owned_chromium")
PROFILE_PREFIX = "portal-sentinel-chromium-"
OWNER_FILE = "portal-sentinel-owner"
OWNERLESS_GRACE_S = 60.0


def start(executable: Path, args: Sequence[str]) -> tuple[subprocess.Popen[str], Path]:
    """Start Chromium with a new profile folder of its own; returns the process and folder.

    The browser leads a process group of its own, so it can be killed whole."""
    profile = Path(tempfile.mkdtemp(prefix=PROFILE_PREFIX))
    (profile / OWNER_FILE).write_text(_identity(os.getpid()) or "", encoding="ascii")
    process = subprocess.Popen(
        [str(executable), f"--user-data-dir={profile}", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # Killed with its owner; the monitor starts it from the thread that runs its schedule
        # for as long as the monitor lives.
        preexec_fn=dies_with_parent(signal.SIGKILL),
    )
    return process, profile


def reap_stale(folder: Path | None = None) -> list[Path]:
    """Kill the browsers of dead owners and remove their profile folders; returns those
    removed. Folders of owners still alive (another monitor, a test worker) are left alone."""
    folder = Path(tempfile.gettempdir()) if folder is None else folder
    removed = []
    for profile in sorted(folder.glob(PROFILE_PREFIX + "*")):
        if not profile.is_dir() or _owner_alive(profile):
            continue
        survivors = _processes_using(profile)
        for pid in survivors:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        # Removed once nothing can write into it any more.
        _wait_for_exit(survivors)
        shutil.rmtree(profile, ignore_errors=True)
        log.info("removed the profile of a browser whose owner had died: %s", profile)
        removed.append(profile)
    return removed


def _owner_alive(profile: Path) -> bool:
    try:
        owner = (profile / OWNER_FILE).read_text(encoding="ascii").split()
    except OSError:
        # No owner named: an older version's folder, or one being created this instant
        # (hence the grace period); stale once no browser uses it.
        recent = time.time() - profile.stat().st_mtime < OWNERLESS_GRACE_S
        return recent or bool(_processes_using(profile))
    if len(owner) != 2 or not owner[0].isdigit():
        return False
    return _identity(int(owner[0])) == " ".join(owner)


def _identity(pid: int) -> str | None:
    """``PID STARTTIME``: a process's id with its start time, which a reused pid does not
    share; None when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    # The command name in brackets may hold spaces; the fields after it are plain.
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] == "Z":
        return None  # a zombie has died, only not been reaped yet
    return f"{pid} {fields[19]}"


def _processes_using(profile: Path) -> list[int]:
    """The processes whose command line names this profile folder: the browser, and its
    helpers, which Chromium shows with their whole command line in one argument."""
    named = re.compile(rb"--user-data-dir=" + re.escape(bytes(profile)) + rb"(?=[\0 ]|$)")
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command_line = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if named.search(command_line) and _identity(int(entry.name)) is not None:
            found.append(int(entry.name))
    return found


def _wait_for_exit(pids: list[int], deadline_s: float = 10.0) -> None:
    """Wait until the processes have ended (a pidfd becomes readable then), or the deadline."""
    deadline = time.monotonic() + deadline_s
    for pid in pids:
        try:
            handle = os.pidfd_open(pid)
        except OSError:
            continue  # gone already
        try:
            select.select([handle], [], [], max(0.0, deadline - time.monotonic()))
        finally:
            os.close(handle)
