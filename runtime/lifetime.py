"""Child processes that do not outlive the process that started them.

The kernel sends a child a signal when its parent dies (``PR_SET_PDEATHSIG``), even when the
parent is killed with SIGKILL and can clean up nothing. The signal follows the *thread* that
started the child: start such children from a thread that lives as long as the process.
A child asks for it itself, at its start (``dies_with_parent``, for a command this process
starts) or later (``die_with_parent``, for a process started by someone else's code, such as
a pytest-xdist worker); either way a parent that died before the child asked is noticed.
"""

from __future__ import annotations

import ctypes
import os
import signal
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def _libc_prctl() -> Callable[..., int] | None:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # no C library, or one without prctl (not Linux)
        return None


# Looked up now: between fork and exec the child may only call what is already loaded.
_PRCTL = _libc_prctl()


def dies_with_parent(sent: signal.Signals) -> Callable[[], None] | None:
    """A ``preexec_fn`` that has the child sent ``sent`` when its parent dies; None where the
    system cannot (then the child is on its own)."""
    prctl = _PRCTL
    if prctl is None:
        return None
    parent = os.getpid()

    def arrange() -> None:  # runs in the child, between fork and exec
        prctl(_PR_SET_PDEATHSIG, sent, 0, 0, 0)
        if os.getppid() != parent:  # it died between the fork and now: nobody will tell
            os.kill(os.getpid(), sent)

    return arrange


def die_with_parent(sent: signal.Signals, parent: int) -> bool:
    """Have this process sent ``sent`` when ``parent``, the process that started it, dies
    (at once if it has died already). False where the system cannot."""
    prctl = _PRCTL
    if prctl is None or prctl(_PR_SET_PDEATHSIG, sent, 0, 0, 0) != 0:
        return False
    if os.getppid() != parent:  # adopted already: the parent died before this was asked
        os.kill(os.getpid(), sent)
    return True
