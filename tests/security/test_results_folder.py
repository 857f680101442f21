"""``sentinel run --results DIR`` deletes only the Allure results a run wrote, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinel import report
from tests.helpers import run_sentinel

# What allure-pytest and the harness leave in a results folder after a real `sentinel run`.
EARLIER_RESULTS = (
    "0a5fbb5f-8078-40fa-988c-f50fa4dd51d5-result.json",
    "fe8b8ffb-9da1-4ff8-988c-f50fa4dd51d5-container.json",
    "e24fc4a6-6930-4ef6-8d1c-836404eab6a6-attachment.jpg",
    "e24fc4a6-6930-4ef6-8d1c-836404eab6a7-attachment.txt",
    "environment.properties",
)


def earlier_run(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in EARLIER_RESULTS:
        (folder / name).write_text("{}")


@pytest.mark.slow
def test_a_folder_holding_other_files_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    results = tmp_path / "results"
    earlier_run(results)
    (results / "notes.txt").write_text("my notes")
    (results / "mine").mkdir()
    (results / "mine" / "kept.json").write_text("{}")
    before = sorted(p.relative_to(results) for p in results.rglob("*"))

    done = run_sentinel("run", "--flow", "portal", "--results", str(results), "--no-report")

    assert done.returncode == 2, done.stdout + done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("sentinel run: --results ")
    assert "notes.txt" in line or "kept.json" in line
    assert "Traceback" not in done.stdout + done.stderr
    assert sorted(p.relative_to(results) for p in results.rglob("*")) == before
    assert (results / "mine" / "kept.json").read_text() == "{}"
    assert "Running" not in done.stdout  # refused before anything ran


@pytest.mark.slow
def test_a_foreign_file_deep_in_a_subfolder_alone_is_enough_to_refuse(tmp_path: Path) -> None:
    results = tmp_path / "results"
    earlier_run(results)
    (results / "a" / "b").mkdir(parents=True)
    (results / "a" / "b" / "thesis.odt").write_text("years of work")

    done = run_sentinel("run", "--flow", "portal", "--results", str(results), "--no-report")

    assert done.returncode == 2, done.stdout + done.stderr
    assert "thesis.odt" in done.stderr
    assert (results / "a" / "b" / "thesis.odt").read_text() == "years of work"
    assert all((results / name).exists() for name in EARLIER_RESULTS)


def test_earlier_results_are_cleared_and_nothing_else(tmp_path: Path) -> None:
    results = tmp_path / "results"
    earlier_run(results)
    report.clear_results(results)
    assert results.is_dir()
    assert not any(results.iterdir())


def test_a_missing_folder_is_created(tmp_path: Path) -> None:
    results = tmp_path / "new" / "results"
    report.clear_results(results)
    assert results.is_dir()


@pytest.mark.parametrize(
    "foreign",
    [
        "notes.txt",
        "result.json",  # not allure's uuid-named file
        "history/history.json",  # the history is kept apart, not in the results
        "sub/0a5fbb5f-8078-40fa-988c-f50fa4dd51d5-result.json",
    ],
)
def test_anything_else_is_refused_and_kept(tmp_path: Path, foreign: str) -> None:
    results = tmp_path / "results"
    earlier_run(results)
    (results / foreign).parent.mkdir(parents=True, exist_ok=True)
    (results / foreign).write_text("keep me")
    with pytest.raises(report.ReportError, match=Path(foreign).name):
        report.clear_results(results)
    assert (results / foreign).read_text() == "keep me"
    assert all((results / name).exists() for name in EARLIER_RESULTS)


def test_a_file_is_not_a_results_folder(tmp_path: Path) -> None:
    path = tmp_path / "results"
    path.write_text("not a folder")
    with pytest.raises(report.ReportError, match="not a folder"):
        report.clear_results(path)
    assert path.read_text() == "not a folder"


def test_a_link_to_elsewhere_is_refused_and_its_target_kept(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep me")
    results = tmp_path / "results"
    earlier_run(results)
    (results / "0a5fbb5f-8078-40fa-988c-f50fa4dd51d6-result.json").symlink_to(
        elsewhere / "precious.txt"
    )
    (results / "link").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(report.ReportError, match="link"):
        report.clear_results(results)
    assert (elsewhere / "precious.txt").read_text() == "keep me"


@pytest.mark.parametrize("kind", ["file", "link"])
def test_a_run_refused_a_path_that_is_not_a_folder_leaves_nothing_beside_it(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "results"
    if kind == "file":
        path.write_text("not a folder")
    else:
        (tmp_path / "elsewhere").mkdir()
        path.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(report.ReportError, match="is not a folder: choose a folder"):
        report.take_results(path, "sentinel run")
    assert not (tmp_path / "results.lock").exists()
