"""The ffmpeg Playwright records Chromium's videos with (``--video``), from Debian.

Playwright runs an ffmpeg of its own, from its cache folder, and ``playwright install
ffmpeg`` downloads it from Playwright's servers, which these machines cannot reach. Debian's
``ffmpeg`` (built with libvpx, the VP8/VP9 encoder Playwright asks for) does the same job
once it sits where Playwright looks: ``python -m runtime.ffmpeg`` links it there (``make
setup`` does), or says what is missing. Usage::

    python -m runtime.ffmpeg    # Playwright's ffmpeg: ~/.cache/ms-playwright/ffmpeg-1013/...
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# The executable's name in Playwright's ffmpeg folder, by platform (its registry's names).
EXECUTABLES = {"linux": "ffmpeg-linux", "darwin": "ffmpeg-mac", "win32": "ffmpeg-win64.exe"}
# `playwright install --dry-run ffmpeg` names the folder as "Install location:    PATH".
_LOCATION = re.compile(r"^\s*Install location:\s*(?P<path>\S.*?)\s*$", re.M)


class FfmpegError(RuntimeError):
    """Playwright's ffmpeg cannot be put in place; the message says what to do."""


def playwright_ffmpeg() -> Path:
    """Where Playwright looks for its ffmpeg, as Playwright itself says (its folder depends on
    its version, ``PLAYWRIGHT_BROWSERS_PATH`` and the cache folder: asked, not guessed)."""
    done = subprocess.run(
        [sys.executable, "-m", "playwright", "install", "--dry-run", "ffmpeg"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    match = _LOCATION.search(done.stdout)
    if done.returncode != 0 or match is None:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise FfmpegError(
            "Playwright did not say where its ffmpeg goes"
            + (f": {said[-1]}" if said else f" (exit {done.returncode})")
        )
    return Path(match.group("path")) / EXECUTABLES.get(sys.platform, "ffmpeg-linux")


def is_usable(path: Path) -> bool:
    """An executable file (through its link, if it is one)."""
    return path.is_file() and os.access(path, os.X_OK)


def provide(target: Path | None = None, system: str | None = None) -> str:
    """Put Debian's ffmpeg where Playwright looks (a symbolic link), unless an ffmpeg is
    there already; returns the line to show. Raises ``FfmpegError`` when there is no ffmpeg to
    link."""
    target = playwright_ffmpeg() if target is None else target
    if is_usable(target):
        shown = f" -> {target.resolve()}" if target.is_symlink() else ""
        return f"Playwright's ffmpeg (--video): {target}{shown}"
    found = shutil.which("ffmpeg") if system is None else system
    if not found:
        raise FfmpegError(
            f"Playwright's ffmpeg (--video) is missing ({target}) and cannot be downloaded "
            "here: install Debian's ffmpeg (`apt-get install ffmpeg`, as root, or `make "
            "setup`), then run `python -m runtime.ffmpeg`"
        )
    source = Path(found).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink():  # a link to an ffmpeg that has gone
        target.unlink()
    target.symlink_to(source)
    return f"Playwright's ffmpeg (--video): {target} -> {source} (Debian's, linked)"


def main() -> int:
    """``python -m runtime.ffmpeg``: link Debian's ffmpeg for Playwright, or say what is
    missing (exit 1)."""
    try:
        print(provide())
    except FfmpegError as error:
        print(error)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
