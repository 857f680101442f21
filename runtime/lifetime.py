"""Child processes that do not outlive the process that started them.

The kernel sends a child a signal when its parent dies (``PR_SET_PDEATHSIG``), even when the
parent is killed with SIGKILL and can clean up nothing. The signal follows the *thread* that
started the child: start such children from a thread that lives as long as the process.
"""

from __future__ import annotations

import ctypes
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

    def arrange() -> None:  # runs in the child, between fork and exec
        prctl(_PR_SET_PDEATHSIG, sent, 0, 0, 0)

    return arrange
