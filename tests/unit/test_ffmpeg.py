"""``python -m runtime.ffmpeg``: Debian's ffmpeg linked where Playwright looks, once."""

from __future__ import annotations

from pathlib import Path

import pytest

from runtime.ffmpeg import FfmpegError, provide


def executable(path: Path) -> Path:
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_the_systems_ffmpeg_is_linked_where_playwright_looks(tmp_path: Path) -> None:
    system = executable(tmp_path / "ffmpeg")
    target = tmp_path / "ms-playwright" / "ffmpeg-1013" / "ffmpeg-linux"
    line = provide(target, str(system))
    assert target.is_symlink()
    assert target.resolve() == system
    assert line == f"Playwright's ffmpeg (--video): {target} -> {system} (Debian's, linked)"


def test_a_second_run_changes_nothing(tmp_path: Path) -> None:
    system = executable(tmp_path / "ffmpeg")
    target = tmp_path / "ffmpeg-1013" / "ffmpeg-linux"
    provide(target, str(system))
    assert provide(target, str(system)) == f"Playwright's ffmpeg (--video): {target} -> {system}"


def test_playwrights_own_ffmpeg_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "ffmpeg-1013").mkdir()
    own = executable(tmp_path / "ffmpeg-1013" / "ffmpeg-linux")
    line = provide(own, str(executable(tmp_path / "ffmpeg")))
    assert not own.is_symlink()
    assert line == f"Playwright's ffmpeg (--video): {own}"


def test_a_link_to_an_ffmpeg_that_has_gone_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "ffmpeg-1013" / "ffmpeg-linux"
    target.parent.mkdir()
    target.symlink_to(tmp_path / "removed-ffmpeg")
    system = executable(tmp_path / "ffmpeg")
    provide(target, str(system))
    assert target.resolve() == system


def test_without_an_ffmpeg_to_link_it_says_what_to_install(tmp_path: Path) -> None:
    target = tmp_path / "ffmpeg-1013" / "ffmpeg-linux"
    with pytest.raises(FfmpegError, match=r"install Debian's ffmpeg \(`apt-get install ffmpeg`"):
        provide(target, "")
    assert not target.parent.exists()
