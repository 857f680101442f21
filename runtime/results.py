"""Allure results folders: one run at a time writes one, and it says which run that was.

A run (a pytest session, ``sentinel run``) takes the folder's lock for as long as it writes
there, alone, and ``sentinel report`` for as long as it reads, shared with other readers
(``reading``): ``fcntl.flock`` on a file beside the folder (``reports/allure-results.lock``
for ``reports/allure-results``), which the system releases when the process ends however it
ends, so a killed run leaves no stale lock. The file says which run holds the lock (pid,
command, since when), for the message that refuses a second run, and records the last run
that wrote the folder (its command, when it started and ended, its exit status), for
``sentinel report`` to say which run it renders. Usage::

    with FolderLock(Path("reports/allure-results"), "pytest tests/e2e") as lock:
        clear_results(lock.folder)
        lock.start_run()
        ...  # write the results
        lock.end_run(exit_status)

A second ``FolderLock`` on the same folder, in any process, raises ``FolderBusy`` naming the
first until it is released.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shlex
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from runtime.masking import MASK, masked_urls

# Set by a process that holds a folder's lock for the pytest session it starts to write
# there (`sentinel run`): the session neither locks nor empties that folder.
HELD_ENV = "SENTINEL_RESULTS_HELD"
# A command is shown to whoever else wants the folder, and kept beside it: no option that may
# carry a secret keeps its value, and a long command line is cut.
SECRET_OPTIONS = ("--test-token",)
COMMAND_LIMIT = 200


class ResultsError(RuntimeError):
    """A results folder cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Holder:
    """Who holds a folder's lock."""

    pid: int
    command: str
    since: float  # seconds since the epoch

    def describe(self) -> str:
        return f"pid {self.pid} ({self.command}) since {utc(self.since, seconds=True)}"


@dataclass(frozen=True)
class RunRecord:
    """The last run that wrote a folder: ``ended`` is None while it runs, or if it died."""

    pid: int
    command: str
    started: float
    ended: float | None = None
    exit_status: int | None = None


class FolderBusy(ResultsError):
    """Another process holds the folder's lock: a run (``holder``, if it has said so), or
    the readers ``readers`` (their pids, when the system says)."""

    def __init__(
        self, folder: Path, holder: Holder | None, readers: Sequence[int] | None = None
    ) -> None:
        self.folder, self.holder, self.readers = folder, holder, readers
        if readers is not None:
            pids = ", ".join(str(pid) for pid in readers)
            who = f"pid{'s' if len(readers) > 1 else ''} {pids}" if readers else "another process"
            super().__init__(f"{shown(folder)} is being rendered into a report by {who}")
            return
        # The holder's own record may not be written yet, or be a process that has ended.
        who = holder.describe() if holder and _alive(holder.pid) else "another process"
        super().__init__(f"{shown(folder)} is in use by {who}")


def lock_file(folder: Path) -> Path:
    """The lock beside ``folder``: in its parent, so that clearing the folder keeps it."""
    return folder.with_name(folder.name + ".lock")


class FolderLock:
    """The exclusive lock of one results folder, with what it records beside the folder."""

    def __init__(self, folder: Path, command: str) -> None:
        self.folder = folder
        self.command = command
        self._fd: int | None = None

    def acquire(self) -> FolderLock:
        """Take the lock at once, or raise ``FolderBusy`` naming who holds it."""
        path = lock_file(self.folder)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Not through a link: the file is rewritten, and must be this folder's own.
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise ResultsError(
                f"cannot lock {shown(self.folder)}: {path}: {_reason(error)}"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            readers = _only_readers(fd, path)
            os.close(fd)
            raise FolderBusy(self.folder, _read(path).get("holder"), readers) from None
        self._fd = fd
        self._update(holder=Holder(os.getpid(), self.command, time.time()))
        return self

    def start_run(self) -> None:
        """Record this process's run as the one that writes the folder from now on."""
        self._update(run=RunRecord(os.getpid(), self.command, time.time()))

    def end_run(self, exit_status: int) -> None:
        """Record that the run has ended (results complete), and how."""
        run = self._state().get("run")
        if run is not None:
            ended = RunRecord(run.pid, run.command, run.started, time.time(), exit_status)
            self._update(run=ended)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the only descriptor releases the lock
            self._fd = None

    def __enter__(self) -> FolderLock:
        # A lock taken already (and then handed over) is held once, not taken again.
        return self if self._fd is not None else self.acquire()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()

    def _state(self) -> dict[str, Any]:
        return _read(lock_file(self.folder))

    def _update(self, **changes: Holder | RunRecord) -> None:
        """Rewrite the lock file in place (its inode carries the lock): holder and run."""
        assert self._fd is not None, "the lock is not held"
        state = {**self._state(), **changes}
        data = json.dumps({key: asdict(value) for key, value in state.items()}).encode()
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0)


@contextlib.contextmanager
def reading(folder: Path) -> Iterator[None]:
    """``folder`` held against runs while it is read (a report made of it), so that no run
    empties it meanwhile; ``FolderBusy`` at once, naming the run, while one writes there.

    Readers share the lock (two reports of one folder do not wait for each other), and write
    nothing beside the folder: where no run has ever made the lock file, none is made, and
    nothing is locked (a run that starts meanwhile is the one case not kept out).
    """
    path = lock_file(folder)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        yield
        return
    except OSError as error:
        raise ResultsError(f"cannot lock {shown(folder)}: {path}: {_reason(error)}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderBusy(folder, _read(path).get("holder")) from None
        yield
    finally:
        os.close(fd)  # the only descriptor: closing it releases the lock


def _only_readers(fd: int, path: Path) -> list[int] | None:
    """When a lock refused is held by readers only (a shared lock can still be had), their
    pids as the system lists them (maybe none it can show); None when a run holds it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return None
    fcntl.flock(fd, fcntl.LOCK_UN)
    return _flock_readers(path)


def _flock_readers(path: Path) -> list[int]:
    """The pids holding a shared ``flock`` on ``path``, from ``/proc/locks`` (Linux): lines
    such as ``1: FLOCK  ADVISORY  READ 4242 fe:00:2319483 0 EOF``."""
    try:
        status = os.stat(path)
        with open("/proc/locks", encoding="ascii", errors="replace") as locks:
            lines = locks.read().splitlines()
    except OSError:
        return []
    inode = f"{os.major(status.st_dev):02x}:{os.minor(status.st_dev):02x}:{status.st_ino}"
    pids = []
    for line in lines:
        fields = line.split()
        if fields[1:4] == ["FLOCK", "ADVISORY", "READ"] and fields[5:6] == [inode]:
            with contextlib.suppress(ValueError):
                pids.append(int(fields[4]))
    return sorted(set(pids))


def _reason(error: OSError) -> str:
    return f"{error.strerror} (a link?)" if error.errno == errno.ELOOP else str(error.strerror)


def last_run(folder: Path) -> RunRecord | None:
    """The last run recorded as writing ``folder``, if any."""
    run = _read(lock_file(folder)).get("run")
    return run if isinstance(run, RunRecord) else None


def _read(path: Path) -> dict[str, Any]:
    """What a lock file says; whatever cannot be read says nothing."""
    try:
        with open(path, "rb") as file:  # a reader only, never a holder
            raw = json.loads(file.read() or b"{}")
        return {
            key: kind(**raw[key])
            for key, kind in (("holder", Holder), ("run", RunRecord))
            if isinstance(raw.get(key), dict)
        }
    except (OSError, ValueError, TypeError):
        return {}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def command_line(words: Sequence[str]) -> str:
    """A command as it is shown and recorded, quoted as a shell reads it: a secret option's
    value masked, and every URL's password and query values (``masked_urls``); cut short."""
    shown_words: list[str] = []
    masked = False
    for word in words:
        option, equals, _ = word.partition("=")
        if masked:
            shown_words.append(MASK)
        elif option in SECRET_OPTIONS and equals:
            shown_words.append(f"{option}={MASK}")
        else:
            shown_words.append(_quoted(masked_urls(word)))
        masked = word in SECRET_OPTIONS
    text = " ".join(shown_words)
    return text if len(text) <= COMMAND_LIMIT else text[: COMMAND_LIMIT - 3] + "..."


def _quoted(word: str) -> str:
    """``shlex.quote``, but a mask that is all that needs quoting stays bare (``--x=***``):
    the command shown is read, not pasted, and it cannot be pasted with its secrets gone."""
    pieces = word.split(MASK)
    return word if all(shlex.quote(p) == p for p in pieces if p) else shlex.quote(word)


def utc(epoch: float, *, seconds: bool = False) -> str:
    """A time as messages show it: ``2026-12-08 10:15 UTC`` (``10:15:02`` with seconds)."""
    moment = datetime.fromtimestamp(epoch, tz=UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC")


def shown(folder: Path) -> str:
    """A folder as a user names it: relative to the current folder when inside it."""
    with contextlib.suppress(ValueError):
        return str(folder.resolve().relative_to(Path.cwd()))
    return str(folder)


# The files a run leaves in its results folder: allure-pytest's uuid-named results, containers,
# attachments and globals (and their ``.tmp`` while written), and the environment and the
# Allure categories and executor files, which the harness or a CI job may write beside them.
_OWN_RESULT = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"-(result\.json|container\.json|globals\.json|attachment\.[\w.-]+)(\.tmp)?"
    r"|environment\.properties|categories\.json|executor\.json"
)


def check_folder(folder: Path, *, link: bool = True) -> None:
    """``ResultsError`` unless ``folder`` is a folder, or can be made one: a file, a link to
    nothing, or a path through a file is not (allure-pytest would fail on it, in a traceback,
    where this says so in one line); nor is a link at all, unless ``link``."""
    refused = folder.is_symlink() and not (link and folder.exists())
    if refused or any(path.exists() and not path.is_dir() for path in (folder, *folder.parents)):
        raise ResultsError(f"{shown(folder)} {NOT_A_FOLDER}")


NOT_A_FOLDER = "is not a folder: choose a folder for the Allure results"


def clear_results(folder: Path) -> None:
    """Empty ``folder`` of an earlier run's results, or create it.

    Only files a run writes are deleted; a folder that holds anything else (another file, a
    subfolder, a link) is refused whole, before anything is deleted: it is not a results
    folder, and what is in it may be someone's work. A link, even to a folder, is refused:
    what would be emptied is elsewhere.
    """
    check_folder(folder, link=False)
    if not folder.exists():
        folder.mkdir(parents=True)
        return
    own = []
    for path in sorted(folder.iterdir()):
        if path.is_symlink():
            raise ResultsError(
                f"{folder} holds {path.name} (a symbolic link), which a run does not write: "
                "choose an empty folder or one that holds only earlier results"
            )
        if path.is_dir() or not _OWN_RESULT.fullmatch(path.name):
            foreign = _first_file(path) if path.is_dir() else path
            raise ResultsError(
                f"{folder} holds {foreign.relative_to(folder)}, which a run does not write: "
                "choose an empty folder or one that holds only earlier results"
            )
        own.append(path)
    for path in own:
        path.unlink()


def _first_file(folder: Path) -> Path:
    """The first file in ``folder`` or below, to name in a refusal (the folder if empty)."""
    return next((p for p in sorted(folder.rglob("*")) if not p.is_dir()), folder)
