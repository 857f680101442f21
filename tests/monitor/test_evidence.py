from __future__ import annotations

import os
import zipfile
from datetime import timedelta
from pathlib import Path

from monitor import evidence


def test_scrubbing_replaces_every_secret_in_every_member(tmp_path: Path) -> None:
    trace = tmp_path / "trace.zip"
    with zipfile.ZipFile(trace, "w") as archive:
        archive.writestr("trace.trace", '{"params": {"value": "11115611236"}}')
        archive.writestr("resources/page.html", "<input value='Ana Silva'> 123456")
    evidence.scrub_zip(trace, ["11115611236", "Ana Silva", "123456", "x"])
    assert evidence.contains_any(trace, ["11115611236", "Ana Silva", "123456"]) == []
    with zipfile.ZipFile(trace) as archive:
        assert archive.read("trace.trace").decode() == '{"params": {"value": "•••"}}'


def test_pruning_keeps_the_newest_and_drops_the_old(tmp_path: Path) -> None:
    for name in ("20261101T0000", "20261120T0000", "20261121T0000", "20261122T0000"):
        (tmp_path / name).mkdir()
    old = tmp_path / "20261101T0000"
    stamp = old.stat().st_mtime - timedelta(days=40).total_seconds()
    os.utime(old, (stamp, stamp))
    removed = evidence.prune(tmp_path, keep=2, max_age=timedelta(days=30))
    assert sorted(p.name for p in removed) == ["20261101T0000", "20261120T0000"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["20261121T0000", "20261122T0000"]
