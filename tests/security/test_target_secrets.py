"""A staging portal's URL may carry credentials (basic authentication) or a key in its query.
The browser sends them and records them with every request, so a failed check's trace, note
and message would keep them: they are scrubbed as the citizen's data is, in every encoding.
A pytest session given such a URL keeps its password out of what it leaves: the results
folder's lock and run record, the Allure environment, the report, and what it prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from monitor.evidence import url_secrets
from runtime.mock_process import start_in_background
from sentinel.report import PROJECT_ROOT
from tests.helpers import dead_portal, monitor_dead_portal_once, run_sentinel, shell_environment
from tests.security.leaks import Scanner

USER = "qa-monitor"
PASSWORD = "Tgt+S3cr3t&x"
KEY = "k3y-Of-The-Staging"


def test_a_urls_user_password_and_query_are_its_secrets() -> None:
    found = url_secrets(f"https://{USER}:Tgt%2BS3cr3t%26x@staging.example.pt/?key={KEY}&a=1")
    assert {USER, PASSWORD, KEY, f"key={KEY}&a=1"} <= found
    assert url_secrets("https://staging.example.pt/app") == set()


@pytest.mark.slow
def test_a_failed_checks_evidence_keeps_nothing_of_the_targets_credentials(
    tmp_path: Path,
) -> None:
    address = urlsplit(dead_portal()).netloc
    target = f"http://{USER}:Tgt%2BS3cr3t%26x@{address}/?key={KEY}"
    data = tmp_path / "monitor"
    done = monitor_dead_portal_once(data, target=target)
    assert done.returncode == 1, done.stdout + done.stderr
    [folder] = (data / "evidence").iterdir()
    assert (folder / "trace.zip").is_file()  # there is a trace, and it was scanned
    scanner = Scanner([USER, PASSWORD, KEY])
    leaks = scanner.files(data) + scanner.text(done.stdout + done.stderr, "output")
    assert leaks == [], "\n".join(map(str, leaks))


BASIC_PASSWORD = "S3cretBasicPw"

FLOW_TEST = """
from flows.context import NOBODY


def test_the_portal_flow(run_flow):
    assert run_flow("portal", NOBODY).passed
"""


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("given", ["--base-url URL", "--base-url=URL", "PYTEST_BASE_URL"])
def test_a_sessions_artefacts_keep_nothing_of_a_base_urls_password(
    tmp_path: Path, given: str
) -> None:
    project = tmp_path / "project"  # a rootdir of its own: its default results folder
    project.mkdir()
    (project / "test_flow.py").write_text(FLOW_TEST, encoding="utf-8")
    mock = start_in_background(tmp_path / "portal.db", None)
    try:
        url = mock.url.replace("://", f"://qa:{BASIC_PASSWORD}@")
        args, env = _given(given, url)
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist"]
        session = subprocess.run(
            # The URL first, lest the run's record (cut at 200 characters) leave it out.
            [*command, *args, "--rootdir", str(project), str(project / "test_flow.py")],
            capture_output=True,
            text=True,
            cwd=project,
            env={**shell_environment(), **env},
            timeout=300,
            check=False,
        )
    finally:
        mock.stop()
    assert session.returncode == 0, session.stdout[-3000:] + session.stderr[-3000:]
    if args:  # the run's record names the command, with the URL masked
        assert "qa:***@127.0.0.1" in (project / "reports" / "allure-results.lock").read_text()
    results = project / "reports" / "allure-results"
    environment = (results / "environment.properties").read_text(encoding="utf-8")
    assert f"Target=http://qa:***@{urlsplit(mock.url).netloc}" in environment

    config = tmp_path / "allurerc.mjs"  # the project's, with the history kept in tmp_path
    config.write_text(
        f'import base from "{PROJECT_ROOT / "allurerc.mjs"}";\n'
        f'export default {{ ...base, historyPath: "{tmp_path / "history.jsonl"}" }};\n'
    )
    output = tmp_path / "report"
    report = run_sentinel(
        "report", "--results", str(results), "--output", str(output), "--config", str(config)
    )
    assert report.returncode == 0, report.stdout + report.stderr

    scanner = Scanner([BASIC_PASSWORD])
    printed = session.stdout + session.stderr + report.stdout + report.stderr
    leaks = scanner.files(project / "reports") + scanner.files(output)
    leaks += scanner.files(tmp_path / "history.jsonl") + scanner.text(printed, "output")
    assert leaks == [], "\n".join(map(str, leaks))


def _given(how: str, url: str) -> tuple[list[str], dict[str, str]]:
    """The session's options and environment that give it ``url`` as ``how`` says."""
    if how == "PYTEST_BASE_URL":
        return [], {"PYTEST_BASE_URL": url}
    return (["--base-url", url] if how == "--base-url URL" else [f"--base-url={url}"]), {}


@pytest.mark.slow
@pytest.mark.browser
def test_sentinel_run_keeps_nothing_of_a_targets_password(tmp_path: Path) -> None:
    """On a portal that does not answer, so the failure (Playwright's, naming the URL it
    could not reach) is kept too."""
    target = dead_portal().replace("://", f"://qa:{BASIC_PASSWORD}@")
    results = tmp_path / "results"
    done = run_sentinel(
        "run", "--flow", "portal", "--target", target, "--results", str(results), "--no-report"
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Running portal against http://qa:***@127.0.0.1:" in done.stdout
    assert any(results.glob("*-result.json"))
    leaks = Scanner([BASIC_PASSWORD]).files(tmp_path)
    leaks += Scanner([BASIC_PASSWORD]).text(done.stdout + done.stderr, "output")
    assert leaks == [], "\n".join(map(str, leaks))


FAILING_TEST = """
def test_fails_naming_the_url():
    url = "http://qa:S3cretBasicPw@127.0.0.1:9/?key=K3yOfTheStaging"
    print("opening", url)
    raise RuntimeError(f"net::ERR_CONNECTION_REFUSED at {url}")
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["alone", "xdist"])
def test_a_failures_traceback_keeps_nothing_of_a_urls_password(
    tmp_path: Path, workers: list[str]
) -> None:
    """In the terminal (a CI log keeps it: the traceback, its locals, the output captured)
    and in the Allure results."""
    (tmp_path / "test_failing.py").write_text(FAILING_TEST, encoding="utf-8")
    results = tmp_path / "results"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-ra", "-l", "-rP"]
    session = subprocess.run(
        [*command, *workers, str(tmp_path / "test_failing.py"), "--alluredir", str(results)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=shell_environment(),
        timeout=300,
        check=False,
    )
    assert session.returncode == 1, session.stdout[-3000:] + session.stderr[-3000:]
    assert "net::ERR_CONNECTION_REFUSED at http://qa:***@127.0.0.1:9/?key=***" in session.stdout
    scanner = Scanner([BASIC_PASSWORD, "K3yOfTheStaging"])
    leaks = scanner.files(results) + scanner.text(session.stdout + session.stderr, "output")
    assert leaks == [], "\n".join(map(str, leaks))
