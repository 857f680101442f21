"""Benchmarks of portal-sentinel (``make bench``): figures, never pass/fail on time."""

from __future__ import annotations
