"""``sentinel report`` says which run it renders, and refuses results that are not that run's."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pytest

from runtime.results import FolderLock, utc
from sentinel.report import ReportError, rendering

HOUR_MS = 3_600_000


def result(folder: Path, status: str, start_ms: float) -> None:
    """An allure-pytest test result (the fields the line reads)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {"name": "test", "status": status, "start": start_ms, "stop": start_ms + 1500}
    (folder / f"{uuid.uuid4()}-result.json").write_text(json.dumps(data))


def recorded_run(folder: Path, command: str, *, ended: bool = True) -> float:
    """A run recorded beside ``folder`` as a session records it; returns its start (ms)."""
    with FolderLock(folder, command) as lock:
        lock.start_run()
        if ended:
            lock.end_run(0)
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
    assert message.startswith(f"{folder} holds results of {utc((old + 1500) / 1000)}, older ")
    assert "than the run of " in message
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
