"""Helpers for tests that start the project's commands as users do."""

from __future__ import annotations

import os


def shell_environment() -> dict[str, str]:
    """The environment of a shell: without this pytest session's (or xdist worker's)
    variables, which would make an inner pytest act as part of this one."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
