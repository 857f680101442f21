"""Failure evidence: a masked screenshot, a scrubbed Playwright trace and a note of the step.

The trace records what was typed and the pages' HTML, so every secret and every piece of the
synthetic citizen's data is replaced in it before it is kept. Old evidence is pruned by count
and by age.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

MASK = b"\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"  # "•••"


def scrub_zip(path: Path, secrets: list[str]) -> None:
    """Rewrite the zip at ``path`` with every occurrence of every secret replaced."""
    needles = sorted({s.encode() for s in secrets if len(s) >= 3}, key=len, reverse=True)
    scrubbed = path.with_suffix(".scrubbing")
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(scrubbed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            for needle in needles:
                data = data.replace(needle, MASK)
            target.writestr(item, data)
    scrubbed.replace(path)


def contains_any(path: Path, secrets: list[str]) -> list[str]:
    """The secrets still found anywhere in the zip (for tests and audits)."""
    with zipfile.ZipFile(path) as archive:
        blobs = [archive.read(item) for item in archive.infolist()]
    return [s for s in secrets if any(s.encode() in blob for blob in blobs)]


def prune(folder: Path, *, keep: int = 50, max_age: timedelta = timedelta(days=30)) -> list[Path]:
    """Remove evidence beyond the newest ``keep`` folders or older than ``max_age``."""
    if not folder.is_dir():
        return []
    entries = sorted(
        (p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True
    )
    cutoff = datetime.now(UTC) - max_age
    removed = []
    for index, entry in enumerate(entries):
        modified = datetime.fromtimestamp(entry.stat().st_mtime, UTC)
        if index >= keep or modified < cutoff:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed
