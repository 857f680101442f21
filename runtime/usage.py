"""The one error for a wrong setting: the command line prints its message as one line."""

from __future__ import annotations


class UsageError(ValueError):
    """A setting is wrong; the message says which and how to put it right."""
