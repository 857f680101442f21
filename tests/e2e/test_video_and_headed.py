"""pytest-playwright's ``--video`` and ``--headed``, as the README runs them, on this machine.

Playwright records Chromium's videos with an ffmpeg it cannot download here: ``make setup``
links Debian's where Playwright looks (``runtime/ffmpeg.py``). ``--headed`` needs a display:
under ``xvfb-run`` (Debian's xvfb, which the set-up installs) it has one; without any, the
session is refused in one line that says so, instead of every test failing at launch.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.browser import x_server_listens
from sentinel.report import PROJECT_ROOT
from tests.helpers import run_pytest, shell_environment

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A documented flow through the plugin's own fixtures, as a QA engineer's test runs one.
FLOW_TEST = """
from flows.context import NOBODY


def test_the_portal_flow(run_flow):
    assert run_flow("portal", NOBODY).passed
"""

HEADED_TEST = """
from playwright.sync_api import expect


def test_a_headed_page(page):
    page.set_content("<main><h1>Segurança Social Direta</h1></main>")
    expect(page.get_by_role("heading", name="Segurança Social Direta")).to_be_visible()
    # A headless Chromium names itself HeadlessChrome; a headed one does not.
    assert "HeadlessChrome" not in page.evaluate("navigator.userAgent")
"""


def tool(name: str) -> str:
    """A tool ``make setup`` installs; its absence is a failed set-up, said as such."""
    found = shutil.which(name)
    assert found, f"{name} is missing: `make setup` installs it (as root, with apt-get)"
    return found


def probe(video: Path) -> dict[str, str]:
    """ffprobe's view of a video's container: its format names and duration."""
    fields = "format=format_name,duration"
    done = subprocess.run(
        [tool("ffprobe"), "-v", "error", "-show_entries", fields, "-of", "json", str(video)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)["format"]


def test_video_on_records_a_flow_as_a_webm_video(tmp_path: Path) -> None:
    (tmp_path / "test_recorded.py").write_text(FLOW_TEST, encoding="utf-8")
    done = run_pytest(
        str(tmp_path / "test_recorded.py"),
        *("-p", "no:xdist", "--video", "on", "--output", str(tmp_path / "out")),
        *("--alluredir", str(tmp_path / "results")),
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [video] = (tmp_path / "out").rglob("*.webm")
    container = probe(video)
    assert "webm" in container["format_name"].split(","), container
    assert float(container["duration"]) > 0, container


def test_a_headed_session_runs_under_xvfb_run(tmp_path: Path) -> None:
    done = headed_session(tmp_path, under_xvfb=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 passed" in done.stdout


def test_headed_without_a_display_is_refused_naming_xvfb_run(tmp_path: Path) -> None:
    done = headed_session(tmp_path, under_xvfb=False)
    assert done.returncode == 4, done.stdout[-3000:] + done.stderr[-3000:]
    [line] = [line for line in done.stderr.splitlines() if line.strip()]
    assert line.startswith("ERROR: --headed needs a display"), line
    assert "xvfb-run -a" in line
    assert "Traceback" not in done.stdout + done.stderr


def test_headed_on_a_display_whose_server_is_gone_is_refused(tmp_path: Path) -> None:
    display = stale_display()
    done = headed_session(tmp_path, under_xvfb=False, env={"DISPLAY": display})
    assert done.returncode == 4, done.stdout[-3000:] + done.stderr[-3000:]
    [line] = [line for line in done.stderr.splitlines() if line.strip()]
    assert line.startswith(f"ERROR: --headed needs a display, and $DISPLAY ({display}) "), line
    assert "xvfb-run -a" in line


def stale_display() -> str:
    """A display number no X server listens on here (as after an xvfb-run that has ended)."""
    return next(f":{n}" for n in range(99, 999) if not x_server_listens(f":{n}"))


def headed_session(
    folder: Path, *, under_xvfb: bool, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """A session of one headed test on a machine without a display (unless ``env`` gives
    one), under ``xvfb-run -a`` (a virtual display on a free number) or not."""
    (folder / "test_headed.py").write_text(HEADED_TEST, encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts="]
    command += ["-p", "no:xdist", str(folder / "test_headed.py"), "--headed"]
    command += ["--alluredir", str(folder / "results")]
    return subprocess.run(
        [tool("xvfb-run"), "-a", *command] if under_xvfb else command,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**without_display(), **(env or {})},
        timeout=300,
        check=False,
    )


def test_video_without_playwrights_ffmpeg_is_refused_saying_what_to_install(
    tmp_path: Path,
) -> None:
    (tmp_path / "test_recorded.py").write_text(FLOW_TEST, encoding="utf-8")
    empty = tmp_path / "no-browsers"  # a Playwright cache folder without its ffmpeg
    empty.mkdir()
    done = run_pytest(
        str(tmp_path / "test_recorded.py"),
        *("-p", "no:xdist", "--video", "retain-on-failure"),
        *("--alluredir", str(tmp_path / "results")),
        env={"PLAYWRIGHT_BROWSERS_PATH": str(empty)},
    )
    assert done.returncode == 4, done.stdout[-3000:] + done.stderr[-3000:]
    [line] = [line for line in done.stderr.splitlines() if line.strip()]
    assert line.startswith("ERROR: --video retain-on-failure: Playwright's ffmpeg"), line
    assert str(empty) in line
    assert "make setup" in line
    assert "Traceback" not in done.stdout + done.stderr


def without_display() -> dict[str, str]:
    """A shell's environment on a machine without a display (as CI and these machines are)."""
    environment = shell_environment()
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        environment.pop(name, None)
    return environment
