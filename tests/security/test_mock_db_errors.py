"""A ``sentinel mock --db`` that cannot be used is a one-line error about the database (exit 2),
not "cannot listen" nor a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sentinel.report import PROJECT_ROOT
from tests.helpers import shell_environment


def mock_with_db(db: Path | str) -> subprocess.CompletedProcess[str]:
    """``sentinel mock --db DB`` (a string keeps a trailing slash); one that starts instead is
    stopped by the timeout, failing."""
    return subprocess.run(
        [sys.executable, "-m", "sentinel", "mock", "--port", "0", "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={k: v for k, v in shell_environment().items() if k != "SENTINEL_TEST_TOKEN"},
        timeout=20,
        check=False,
    )


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Path:
    """A folder in which no file can be created. Root ignores permissions, but not /proc."""
    if os.geteuid() == 0:
        return Path("/proc")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def bad_paths(tmp_path: Path, read_only_folder: Path) -> dict[str, Path]:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    a_folder = tmp_path / "a-folder"
    a_folder.mkdir()
    return {
        "its folder is a file": a_file / "portal.db",
        "its folder is missing and cannot be made": Path("/proc/no-such-folder/portal.db"),
        "its folder is read-only": read_only_folder / "sentinel-test-portal.db",
        "it is a folder": a_folder,
    }


@pytest.mark.parametrize(
    "case",
    [
        "its folder is a file",
        "its folder is missing and cannot be made",
        "its folder is read-only",
        "it is a folder",
    ],
)
def test_a_database_that_cannot_be_used_is_one_clear_line(
    tmp_path: Path, read_only_folder: Path, case: str
) -> None:
    db = bad_paths(tmp_path, read_only_folder)[case]
    done = mock_with_db(db)
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("sentinel mock: ")
    assert "database" in lines[0]
    assert str(db) in lines[0]
    assert "listen" not in lines[0]


def test_a_missing_folder_that_can_be_made_is_made(tmp_path: Path) -> None:
    db = tmp_path / "new" / "folder" / "portal.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "sentinel", "mock", "--port", "0", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=PROJECT_ROOT,
        env=shell_environment(),
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("Mock portal listening on ")
        assert db.is_file()
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()


@pytest.mark.parametrize("ending", ["/", "/.", "//"])
def test_a_database_path_that_names_a_folder_is_refused(tmp_path: Path, ending: str) -> None:
    # A trailing slash means a folder; Path() drops it and would make a FILE named "dir".
    written = f"{tmp_path / 'some' / 'dir'}{ending}"
    done = mock_with_db(written)
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("sentinel mock: ")
    assert "database" in lines[0]
    assert "folder" in lines[0]
    assert written in lines[0]
    assert not (tmp_path / "some").exists()
