"""Real sessions and their Allure results folder: plain ``pytest`` writes the default folder
(emptied of the run before, by the xdist controller only), ``sentinel report`` says which run
it renders, and two runs on one folder at once do not break each other: the second is
refused at once, naming the first, and the first ends as if alone."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sentinel.report import PROJECT_ROOT
from tests.helpers import children_of, ends_within, run_sentinel, shell_environment

pytestmark = pytest.mark.slow

SUITE = """
import pytest


@pytest.mark.parametrize("n", [1, 2, 3])
def test_passes(n):
    assert n


def test_fails():
    assert False
"""

# A test that says it has started and holds its session open until told to end.
HOLDING = """
import os
import socket


def test_holds_the_session_open():
    with socket.create_connection(("127.0.0.1", int(os.environ["HOLD_PORT"]))) as connection:
        connection.sendall(b"started")
        assert connection.recv(2) == b"go"
"""

# Two tests, one on each of two xdist workers, that say which worker runs them and then
# hold it in their test until told to end.
HOLDING_WORKERS = """
import os
import socket

import pytest


@pytest.mark.parametrize("n", [1, 2])
def test_holds_its_worker(n):
    with socket.create_connection(("127.0.0.1", int(os.environ["HOLD_PORT"]))) as connection:
        connection.sendall(str(os.getpid()).encode())
        connection.recv(2)
"""

EARLIER_RUN = (
    "0a5fbb5f-8078-40fa-988c-f50fa4dd51d5-result.json",
    "fe8b8ffb-9da1-4ff8-988c-f50fa4dd51d5-container.json",
    "e24fc4a6-6930-4ef6-8d1c-836404eab6a6-attachment.png",
)
SINCE = r"since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"


def pytest_command(project: Path, test_file: str, *args: str) -> list[str]:
    """Plain ``pytest`` in a project of its own (its rootdir), as a QA engineer types it in
    that folder: relative paths, so the command a refusal quotes stays short, whatever the
    length of the temporary folder's path."""
    assert (project / test_file).is_file()
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
    return [*command, "--rootdir", ".", test_file, *args]


def session(project: Path, test_file: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        pytest_command(project, test_file, *args),
        capture_output=True,
        text=True,
        cwd=project,
        env=shell_environment(),
        timeout=300,
        check=False,
    )


def results_of(folder: Path) -> list[dict]:
    return [json.loads(path.read_text()) for path in folder.glob("*-result.json")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "test_suite.py").write_text(SUITE)
    (tmp_path / "test_holding.py").write_text(HOLDING)
    return tmp_path


def report_command(project: Path, folder: Path) -> list[str]:
    """``sentinel report`` of ``folder``, its report and history kept in ``project``."""
    config = project / "allurerc.mjs"
    config.write_text(
        f'import base from "{PROJECT_ROOT / "allurerc.mjs"}";\n'
        f'export default {{ ...base, historyPath: "{project / "history.jsonl"}" }};\n'
    )
    output = project / "report"
    return ["report", "--results", str(folder), "--output", str(output), "--config", str(config)]


def test_plain_pytest_on_two_workers_writes_the_default_folder_anew(project: Path) -> None:
    folder = project / "reports" / "allure-results"
    folder.mkdir(parents=True)
    for name in EARLIER_RUN:
        (folder / name).write_text("{}")

    done = session(project, "test_suite.py", "-n", "2")

    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    assert "INTERNALERROR" not in done.stdout + done.stderr
    statuses = sorted(result["status"] for result in results_of(folder))
    assert statuses == ["failed", "passed", "passed", "passed"]  # both workers', once each
    assert not any((folder / name).exists() for name in EARLIER_RUN)


@pytest.mark.parametrize("clean", [True, False], ids=["clean-alluredir", "kept"])
def test_a_folder_given_is_emptied_only_when_asked(project: Path, clean: bool) -> None:
    folder = project / "given"
    folder.mkdir()
    for name in EARLIER_RUN:
        (folder / name).write_text("{}")
    asked = ["--clean-alluredir"] if clean else []

    done = session(project, "test_suite.py", "-n", "2", "--alluredir", str(folder), *asked)

    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    assert "INTERNALERROR" not in done.stdout + done.stderr
    assert len([r for r in results_of(folder) if r.get("status")]) == 4
    assert all((folder / name).exists() != clean for name in EARLIER_RUN)


def test_sentinel_report_says_which_run_it_renders(project: Path) -> None:
    folder = project / "reports" / "allure-results"
    assert session(project, "test_suite.py").returncode == 1

    done = run_sentinel(*report_command(project, folder))

    assert done.returncode == 0, done.stdout + done.stderr
    first = done.stdout.splitlines()[0]
    assert re.fullmatch(
        r"Rendering the run of \d{4}-\d\d-\d\d \d\d:\d\d UTC \(pytest -p no:cacheprovider "
        r"--rootdir \. test_suite\.py\): 4 tests \(3 passed, 1 failed\) from "
        + re.escape(str(folder)),
        first,
    ), first
    assert (project / "report" / "index.html").exists()


def test_results_a_later_run_did_not_replace_are_refused(project: Path) -> None:
    folder = project / "elsewhere"
    assert session(project, "test_suite.py", "--alluredir", str(folder)).returncode == 1
    # A later run on the same folder that wrote nothing (every test deselected).
    later = session(project, "test_suite.py", "--alluredir", str(folder), "-k", "nothing")
    assert later.returncode == 5, later.stdout

    done = run_sentinel(*report_command(project, folder))

    assert done.returncode == 1, done.stdout + done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith(f"sentinel report: {folder} holds results of "), line
    assert re.search(r", older than the run of [^(]+ \(pytest .+\), which wrote none there", line)
    assert not (project / "report").exists()


@contextmanager
def holding_session(project: Path, *args: str) -> Iterator[subprocess.Popen[str]]:
    """A plain ``pytest`` session (on the default folder, unless ``args`` say another), in the
    middle of its test until the block ends; then it ends, and must pass."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(120)
        port = server.getsockname()[1]
        holder = subprocess.Popen(
            pytest_command(project, "test_holding.py", "-p", "no:xdist", *args),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=project,
            env={**shell_environment(), "HOLD_PORT": str(port)},
        )
        try:
            connection, _ = server.accept()
        except TimeoutError:
            holder.kill()
            raise AssertionError(holder.communicate()[0][-3000:]) from None
        with connection:
            assert connection.recv(7) == b"started"
            try:
                yield holder
            finally:
                connection.sendall(b"go")
                output = holder.communicate(timeout=120)[0]
        assert holder.returncode == 0, output[-3000:]
        assert "INTERNALERROR" not in output


def test_a_second_run_on_a_folder_in_use_is_refused_naming_the_first(project: Path) -> None:
    folder = project / "reports" / "allure-results"
    with holding_session(project) as first:
        before = sorted(path.name for path in folder.iterdir())
        holder = rf"pid {first.pid} \(pytest -p no:cacheprovider --rootdir \. test_holding\.py"
        holder += r" -p no:xdist\) "

        second = session(project, "test_suite.py", "-n", "2")
        assert second.returncode == 4, second.stdout[-3000:] + second.stderr[-3000:]
        assert "INTERNALERROR" not in second.stdout + second.stderr
        [line] = [line for line in second.stderr.splitlines() if line.strip()]
        assert re.fullmatch(
            # Named as the user would: from the folder the session was started in.
            rf"ERROR: reports/allure-results is in use by {holder}{SINCE}: wait for it to "
            r"end, or give this session a folder of its own with --alluredir DIR",
            line,
        ), line

        run = run_sentinel("run", "--flow", "portal", "--results", str(folder), "--no-report")
        assert run.returncode == 2, run.stdout + run.stderr
        [line] = run.stderr.splitlines()
        assert re.fullmatch(
            rf"sentinel run: --results {re.escape(str(folder))} is in use by {holder}{SINCE}: "
            r"wait for it to end, or give this run a folder of its own with --results DIR",
            line,
        ), line
        assert "Running" not in run.stdout

        report = run_sentinel(*report_command(project, folder))
        assert report.returncode == 1, report.stdout + report.stderr
        [line] = report.stderr.splitlines()
        assert re.search(rf"is in use by {holder}{SINCE}: render it once that run has", line)

        assert sorted(path.name for path in folder.iterdir()) == before  # nothing was touched
    [result] = results_of(folder)  # the first session's, whole
    assert result["status"] == "passed"
    assert result["name"] == "test_holds_the_session_open"


def test_sentinel_run_beside_a_session_does_not_empty_its_folder(project: Path) -> None:
    """As ``make test`` beside ``sentinel run`` did: the one emptied the folder under the
    other, which died of an INTERNALERROR (a result's ``.tmp`` file gone)."""
    folder = project / "results"
    with holding_session(project, "--alluredir", str(folder)) as first:
        run = run_sentinel("run", "--flow", "portal", "--results", str(folder), "--no-report")
        assert run.returncode == 2, run.stdout + run.stderr
        assert f"--results {folder} is in use by pid {first.pid} (pytest " in run.stderr
    [result] = results_of(folder)
    assert result["status"] == "passed"


def test_the_workers_of_a_killed_controller_end_with_it(tmp_path: Path) -> None:
    """A worker left running would write its session's containers into the folder the next
    run has emptied and locked."""
    (tmp_path / "test_workers.py").write_text(HOLDING_WORKERS)
    folder = tmp_path / "results"
    command = pytest_command(tmp_path, "test_workers.py", "-n", "2", "--alluredir", str(folder))
    with socket.create_server(("127.0.0.1", 0)) as server, contextlib.ExitStack() as held:
        server.settimeout(120)
        controller = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=tmp_path,
            env={**shell_environment(), "HOLD_PORT": str(server.getsockname()[1])},
        )
        workers: list[int] = []
        try:
            for _ in range(2):  # both workers in their test
                connection = held.enter_context(server.accept()[0])
                workers.append(int(connection.recv(16)))
            assert sorted(workers) == sorted(children_of(controller.pid))
            before = sorted(path.name for path in folder.iterdir())
            controller.send_signal(signal.SIGKILL)
            controller.wait(timeout=30)
            # Longer than execnet takes to interrupt a worker whose controller has gone, after
            # which the worker ends its session as if asked to, writing its results.
            deadline = time.monotonic() + 30
            left = [pid for pid in workers if not ends_within(pid, deadline - time.monotonic())]
            assert not left, "xdist workers outlived their controller"
            assert sorted(path.name for path in folder.iterdir()) == before
        finally:
            for pid in [controller.pid, *workers]:  # only the processes this test started
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            controller.wait(timeout=30)


@pytest.mark.parametrize("kind", ["a file", "the default, a file", "a broken link", "in a file"])
def test_a_results_path_that_is_not_a_folder_is_refused_in_one_line(
    project: Path, kind: str
) -> None:
    given = project / "afile"
    given.write_text("not results")
    if kind == "the default, a file":
        (project / "reports").mkdir()
        given = project / "reports" / "allure-results"
        given.write_text("not results")
    elif kind == "a broken link":
        given = project / "link"
        given.symlink_to(project / "gone")
    elif kind == "in a file":
        given = given / "results"
    args = [] if kind == "the default, a file" else ["--alluredir", str(given)]

    done = session(project, "test_suite.py", *args)

    assert done.returncode == 4, done.stdout[-3000:] + done.stderr[-3000:]
    assert "INTERNALERROR" not in done.stdout + done.stderr
    [line] = [line for line in done.stderr.splitlines() if line.strip()]
    assert line.startswith("ERROR: "), line
    assert line.endswith(" is not a folder: choose a folder for the Allure results"), line
    assert (project / "afile").read_text() == "not results"
    assert not (project / "gone").exists()
