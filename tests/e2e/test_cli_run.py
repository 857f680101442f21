"""``sentinel run`` and the suite against a portal given by URL, as users start them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from runtime.mock_process import start_in_background
from sentinel.report import PROJECT_ROOT
from tests.helpers import run_pytest, run_sentinel

pytestmark = pytest.mark.slow

NISS_LIKE = re.compile(r"(?<![\w-])\d{11}(?![\w-])")
CODE_OR_PIN_LIKE = re.compile(r"(?<![\w-])(\d{6}|\d{4})(?![\w-])")


def test_sentinel_run_writes_documented_steps_and_the_report(tmp_path: Path) -> None:
    results, report = tmp_path / "results", tmp_path / "report"
    config = tmp_path / "allurerc.mjs"  # the project's, with the history kept in tmp_path
    config.write_text(
        f'import base from "{PROJECT_ROOT / "allurerc.mjs"}";\n'
        f'export default {{ ...base, historyPath: "{tmp_path / "history.jsonl"}" }};\n'
    )
    done = run_sentinel(
        "run",
        "--flow",
        "registration",
        "--results",
        str(results),
        "--output",
        str(report),
        "--config",
        str(config),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Allure report:  {report / 'index.html'}" in done.stdout
    assert (report / "index.html").stat().st_size > 100_000  # self-contained, screenshots in
    assert (tmp_path / "history.jsonl").exists()

    [result] = [json.loads(p.read_text()) for p in results.glob("*-result.json")]
    [flow] = result["steps"]
    assert flow["name"] == (
        "Registo na Segurança Social Direta (Registration on the Social Security Portal)"
    )
    titles = [step["name"] for step in flow["steps"]]
    assert len(titles) == 10
    assert titles[3] == "4. Registar (Register)"
    # A screenshot as each screen is left (the filled identification form, 7) and at the end.
    pictured = [step["name"].split(".")[0] for step in flow["steps"] if step.get("attachments")]
    assert pictured == ["1", "2", "3", "4", "7", "9", "10"]
    assert "Browser=chromium" in (results / "environment.properties").read_text()
    # Titles, parameters and labels carry no NISS, code or PIN.
    for path in results.glob("*.json"):
        text = path.read_text()
        assert not NISS_LIKE.search(text), path.name
        assert not CODE_OR_PIN_LIKE.search(text), path.name


def test_the_suite_runs_against_a_portal_given_by_url(tmp_path: Path) -> None:
    mock = start_in_background(tmp_path / "portal.db", "url-token-of-this-test")
    try:
        done = run_pytest(
            "tests/e2e/test_flows.py",
            "--base-url",
            mock.url,
            "-k",
            "end_to_end and activation",
            env={"SENTINEL_TEST_TOKEN": "url-token-of-this-test"},
        )
    finally:
        mock.stop()
    assert done.returncode == 0, done.stdout[-3000:]
    assert "3 passed" in done.stdout  # activation on each of the three portal variants
    # It really ran against that portal: the activation's code and password were posted.
    assert "POST /ativar/palavra-passe 303" in mock.log.read_text()
