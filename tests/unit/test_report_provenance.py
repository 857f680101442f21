"""``sentinel report`` says which run it renders, and refuses results that are not that run's."""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from pathlib import Path

import pytest

from runtime.results import FolderBusy, FolderLock, lock_file, utc
from sentinel.report import FolderInUse, ReportError, reading, rendering

HOUR_MS = 3_600_000


def result(folder: Path, status: str, start_ms: float) -> None:
    """An allure-pytest test result (the fields the line reads)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {"name": "test", "status": status, "start": start_ms, "stop": start_ms + 1500}
    (folder / f"{uuid.uuid4()}-result.json").write_text(json.dumps(data))


def recorded_run(folder: Path, command: str, *, ended: bool = True, exit_status: int = 0) -> float:
    """A run recorded beside ``folder`` as a session records it; returns its start (ms)."""
    with FolderLock(folder, command) as lock:
        lock.start_run()
        if ended:
            lock.end_run(exit_status)
    return time.time() * 1000


def test_results_without_a_record_are_dated_by_themselves(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    start = time.time() * 1000
    for status in ("passed", "failed", "passed"):
        result(folder, status, start)
    result(folder, "passed", start + 60_000)
    assert rendering(folder) == (
        f"Rendering the run of {utc(start / 1000)}: 4 tests (3 passed, 1 failed) from {folder}"
    )


def test_the_recorded_run_is_named_with_its_command(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    with FolderLock(folder, "pytest tests/e2e -k login") as lock:
        lock.start_run()
        started = time.time()
        result(folder, "passed", started * 1000 + 10)
        result(folder, "broken", started * 1000 + 20)
        lock.end_run(1)
    assert rendering(folder) == (
        f"Rendering the run of {utc(started)} (pytest tests/e2e -k login): "
        f"2 tests (1 passed, 1 broken) from {folder}"
    )


def test_results_older_than_a_later_run_that_wrote_none_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    old = time.time() * 1000 - HOUR_MS
    result(folder, "passed", old)
    recorded_run(folder, "pytest tests/e2e -k nothing")
    with pytest.raises(ReportError) as refused:
        rendering(folder)
    message = str(refused.value)
    # To the second: a run a minute after the results would otherwise read as at their time.
    newest = utc((old + 1500) / 1000, seconds=True)
    assert message.startswith(f"{folder} holds results of {newest}, older than the run of ")
    assert re.search(r"older than the run of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(", message)
    assert "(pytest tests/e2e -k nothing), which wrote none there" in message


def test_a_run_that_did_not_finish_is_said_to(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    start = recorded_run(folder, "pytest tests/e2e", ended=False)
    result(folder, "passed", start + 10)
    assert ", which did not finish: 1 test (1 passed)" in rendering(folder)


def test_results_of_earlier_runs_in_the_folder_are_counted_apart(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    result(folder, "failed", time.time() * 1000 - HOUR_MS)
    start = recorded_run(folder, "pytest tests/unit --alluredir r")
    result(folder, "passed", start + 10)
    result(folder, "skipped", start + 20)
    line = rendering(folder)
    assert line.endswith(
        f": 2 tests (1 passed, 1 skipped) from {folder} (and 1 result of earlier runs)"
    ), line


def test_a_run_that_wrote_nothing_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    folder.mkdir()
    recorded_run(folder, "pytest -k nothing")
    with pytest.raises(ReportError, match=r"no Allure results in .*: the last run there, the"):
        rendering(folder)


@pytest.mark.parametrize(
    ("exit_status", "said"),
    [
        (2, "interrupted (exit 2)"),
        (3, "stopped by an internal error (exit 3)"),
        (-15, "killed by signal 15"),  # sentinel run's session, as subprocess says
    ],
)
def test_a_run_that_was_interrupted_is_said_to(tmp_path: Path, exit_status: int, said: str) -> None:
    folder = tmp_path / "allure-results"
    start = recorded_run(folder, "pytest tests/e2e", exit_status=exit_status)
    for _ in range(4):
        result(folder, "passed", start + 10)
    assert rendering(folder).endswith(f": 4 tests (4 passed), {said}, from {folder}")


def test_a_file_given_as_the_results_is_not_a_folder(tmp_path: Path) -> None:
    path = tmp_path / "results.txt"
    path.write_text("not results")
    refused = pytest.raises(ReportError, match=r"results\.txt is not a folder: give --results ")
    with refused, reading(path):
        pass
    assert not lock_file(path).exists()


def test_reading_a_folder_no_run_locked_leaves_no_lock_file(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    folder.mkdir()
    with reading(folder):
        pass
    assert sorted(tmp_path.iterdir()) == [folder]


def test_two_reports_of_one_folder_render_side_by_side(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    folder.mkdir()
    recorded_run(folder, "pytest")
    record = lock_file(folder).read_bytes()
    with reading(folder), reading(folder):
        pass
    assert lock_file(folder).read_bytes() == record  # a reader writes nothing there


def test_a_run_is_refused_a_folder_being_rendered_saying_so(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    folder.mkdir()
    recorded_run(folder, "pytest")
    with reading(folder), pytest.raises(FolderBusy) as refused:
        FolderLock(folder, "pytest").acquire()
    assert str(refused.value) == (
        f"{folder} is being rendered into a report by pid {os.getpid()}"
    ), refused.value


def test_a_report_is_refused_a_folder_a_run_writes(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    folder.mkdir()
    with FolderLock(folder, "pytest tests/e2e") as lock:
        lock.start_run()
        refused = pytest.raises(FolderInUse, match=r"is in use by pid \d+ \(pytest tests/e2e\)")
        with refused, reading(folder):
            pass
