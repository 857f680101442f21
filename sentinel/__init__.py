"""portal-sentinel: the command line, settings, browser launch and targets."""

from __future__ import annotations
