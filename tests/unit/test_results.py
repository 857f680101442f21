"""``runtime.results``: one holder at a time per results folder, named to whoever is refused,
and the last run that wrote the folder recorded beside it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from runtime.results import (
    FolderBusy,
    FolderLock,
    ResultsError,
    command_line,
    last_run,
    lock_file,
    reading,
)

SINCE = r"since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"

# Another process that takes the folder's lock, says so, and holds it until told to end.
HOLDER = """
import sys
from pathlib import Path
from runtime.results import FolderLock

with FolderLock(Path(sys.argv[1]), "pytest tests/e2e -k login"):
    print("locked", flush=True)
    sys.stdin.read()
"""


def test_a_second_lock_is_refused_naming_the_holder(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    with FolderLock(folder, "pytest tests/e2e -n 2"), pytest.raises(FolderBusy) as refused:
        FolderLock(folder, "sentinel run").acquire()
    message = str(refused.value)
    assert re.fullmatch(
        rf"{re.escape(str(folder))} is in use by pid {os.getpid()} \(pytest tests/e2e -n 2\) "
        + SINCE,
        message,
    ), message


def test_a_released_lock_is_taken_again(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    with FolderLock(folder, "first"):
        pass
    with FolderLock(folder, "second"):
        pass


def test_the_lock_of_a_process_that_was_killed_is_free(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "locked\n"
        with pytest.raises(FolderBusy, match=rf"pid {holder.pid} \(pytest tests/e2e -k login\)"):
            FolderLock(folder, "pytest").acquire()
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    with FolderLock(folder, "pytest"):  # the system released it with the process
        pass


def test_the_run_is_recorded_beside_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    assert last_run(folder) is None
    with FolderLock(folder, "pytest tests/unit") as lock:
        lock.start_run()
        running = last_run(folder)
        assert running is not None
        assert (running.pid, running.command, running.ended) == (
            os.getpid(),
            "pytest tests/unit",
            None,
        )
        lock.end_run(1)
    ended = last_run(folder)
    assert ended is not None
    assert ended.started == running.started
    assert ended.ended is not None
    assert ended.ended >= ended.started
    assert ended.exit_status == 1
    assert lock_file(folder) == tmp_path / "allure-results.lock"


def test_a_reader_keeps_the_record_of_the_run(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    with FolderLock(folder, "pytest") as lock:
        lock.start_run()
    with reading(folder):
        pass
    run = last_run(folder)
    assert run is not None
    assert run.command == "pytest"


def test_readers_share_the_lock_and_a_run_is_refused_naming_them(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    with FolderLock(folder, "pytest"):
        pass
    with reading(folder), reading(folder), pytest.raises(FolderBusy) as refused:
        FolderLock(folder, "pytest").acquire()
    assert refused.value.readers == [os.getpid()]
    assert str(refused.value).endswith(f"is being rendered into a report by pid {os.getpid()}")
    with FolderLock(folder, "pytest"):  # free again once they have read
        pass


def test_a_reader_of_a_folder_no_run_locked_makes_no_lock_file(tmp_path: Path) -> None:
    with reading(tmp_path / "allure-results"):
        pass
    assert not lock_file(tmp_path / "allure-results").exists()


def test_a_lock_file_that_is_a_link_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_text("keep me")
    lock_file(tmp_path / "allure-results").symlink_to(elsewhere)
    with pytest.raises(ResultsError, match="cannot lock"):
        FolderLock(tmp_path / "allure-results", "pytest").acquire()
    assert elsewhere.read_text() == "keep me"


@pytest.mark.parametrize(
    ("words", "shown"),
    [
        (["pytest", "--test-token", "s3cret-token"], "pytest --test-token ***"),
        (["pytest", "--test-token=s3cret-token", "-k", "x"], "pytest --test-token=*** -k x"),
        (["sentinel", "run", "--flow", "login"], "sentinel run --flow login"),
        (
            ["pytest", "--base-url", "http://qa:S3cretBasicPw@127.0.0.1:8000"],
            "pytest --base-url http://qa:***@127.0.0.1:8000",
        ),
        (
            ["pytest", "--base-url=http://qa:S3cretBasicPw@h:1/?key=K3y"],
            "pytest '--base-url=http://qa:***@h:1/?key=***'",
        ),
        (
            ["sentinel", "run", "--target", "qa:S3cretBasicPw@staging.example.pt"],
            "sentinel run --target qa:***@staging.example.pt",
        ),
    ],
)
def test_a_command_is_shown_without_its_secrets(words: list[str], shown: str) -> None:
    assert command_line(words) == shown


def test_a_command_is_recorded_with_its_quoting() -> None:
    words = ["pytest", "tests/e2e", "-k", "passes or page_fails", "--alluredir", "it's here"]
    assert command_line(words) == (
        "pytest tests/e2e -k 'passes or page_fails' --alluredir 'it'\"'\"'s here'"
    )


def test_a_long_command_is_cut(tmp_path: Path) -> None:
    shown = command_line(["pytest", *(["tests/e2e/test_flows.py"] * 40)])
    assert len(shown) == 200
    assert shown.endswith("...")
