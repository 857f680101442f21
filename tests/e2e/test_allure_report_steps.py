"""In the generated Allure 3 report a pictured step is still a step, with its pass or fail mark.

Allure 3 reads a step whose one attachment bears the step's own name, and which has no
sub-steps, as that attachment alone: the step, and whether it passed, would be gone from the
report. So a picture is named for what it shows ("Screen after step 1"). Checked where Allure
reads it (the results), in the report's generated data, and on the report's page in Chromium.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from sentinel import report
from sentinel.report import PROJECT_ROOT
from tests.helpers import run_pytest

pytestmark = pytest.mark.slow

FLOW = "Demonstração (Demo)"
STEP_1 = "1. NISS (Social Security Identification Number)"
STEP_2 = "2. Iniciar sessão (Log In)"
TEST = "test_a_flow_whose_second_step_fails"

# A flow whose step 1 passes (pictured: step 2 clicks) and whose step 2 fails (pictured).
INNER_TEST = """
from datetime import date

from fixtures.allure_observer import AllureObserver
from flows.context import Citizen, NoCodes, Run
from flows.flow import Flow
from flows.runner import Runner
from flows.steps import click, fill
from pages import labels
from pages.base import Screen

PERSON = Citizen(niss="11115611236", name="Teste", birth_date=date(1980, 1, 1), password="x")


def test_a_flow_whose_second_step_fails(page):
    page.set_content("<main><h1>Portal</h1><label>NISS <input></label></main>")
    niss = fill("1", labels.NISS, lambda r: r.page.get_by_label("NISS"), lambda r: "123")
    log_in = click("2", labels.LOG_IN, lambda r: Screen(r.page).action(labels.LOG_IN))
    flow = Flow("demo", "Demonstração", "Demo", (niss, log_in))
    run = Run(page=page, base_url="about:blank", citizen=PERSON, codes=NoCodes(), timeout_ms=1000)
    Runner([AllureObserver()]).run(flow, run)
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Allure results of a session in which that flow fails at step 2."""
    folder = tmp_path_factory.mktemp("pictured-steps")
    (folder / "test_pictured.py").write_text(INNER_TEST, encoding="utf-8")
    done = run_pytest(str(folder / "test_pictured.py"), "--alluredir", str(folder / "results"))
    assert done.returncode == 1, done.stdout[-3000:]  # the flow fails, as it should
    return folder / "results"


def generate(results: Path, folder: Path, *, single_file: bool) -> Path:
    """``sentinel report``'s build with the project's config (its history kept in ``folder``)."""
    flag = "true" if single_file else "false"
    options = f"{{ ...base.plugins.awesome.options, singleFile: {flag} }}"
    config = folder / "allurerc.mjs"
    config.write_text(
        f'import base from "{PROJECT_ROOT / "allurerc.mjs"}";\n'
        f'export default {{ ...base, historyPath: "{folder / "history.jsonl"}", '
        f"plugins: {{ awesome: {{ options: {options} }} }} }};\n",
        encoding="utf-8",
    )
    return report.build(results, folder / "report", config=config)


def flow_steps(result: dict[str, Any]) -> list[dict[str, Any]]:
    [flow] = [step for step in result["steps"] if step["name"] == FLOW]
    return flow["steps"]


def test_no_step_is_read_by_allure_as_its_attachment(results: Path) -> None:
    [result] = [json.loads(p.read_text()) for p in results.glob("*-result.json")]
    steps = flow_steps(result)
    assert [(s["name"], s["status"]) for s in steps] == [(STEP_1, "passed"), (STEP_2, "failed")]
    assert [[a["name"] for a in s["attachments"]] for s in steps] == [
        ["Screen after step 1"],
        ["Screen when step 2 failed"],
    ]
    # Allure 3's reader (@allurereport/reader, allure2 convertStep) turns such a step into
    # an attachment: no sub-steps, one attachment, and the step's own name on it.
    for step in steps:
        attachments = step.get("attachments", [])
        assert not (
            not step.get("steps")
            and len(attachments) == 1
            and attachments[0]["name"] == step["name"]
        ), step["name"]


def test_the_generated_report_keeps_each_pictured_step_and_its_status(
    results: Path, tmp_path: Path
) -> None:
    generate(results, tmp_path, single_file=False)
    [data] = [json.loads(p.read_text()) for p in (tmp_path / "report/data/test-results").glob("*")]
    steps = flow_steps(data)
    # (An attachment has no name or status of its own: its name is its link's.)
    shown = [(s["type"], s.get("name") or s["link"]["name"], s.get("status")) for s in steps]
    assert shown == [
        ("step", STEP_1, "passed"),
        ("step", STEP_2, "failed"),
    ]
    pictures = [[c["link"]["name"] for c in s["steps"] if c["type"] == "attachment"] for s in steps]
    assert pictures == [["Screen after step 1"], ["Screen when step 2 failed"]]


def test_the_report_page_shows_each_pictured_step_passed_or_failed(
    results: Path, tmp_path: Path, browser: Browser
) -> None:
    index = generate(results, tmp_path, single_file=True)
    page: Page = browser.new_page(viewport={"width": 1400, "height": 1100})
    # The report opens from disk: what it would fetch from the web (Allure's analytics) is
    # refused at once, as a closed network may instead leave it hanging.
    page.route("http*://**", lambda route: route.abort())
    try:
        page.goto(index.as_uri())
        # The report opens its tree and sections as it sees fit (it folds more under CI=true):
        # each is opened here only when it is closed.
        test = page.get_by_text(f"{TEST}[chromium]", exact=True)
        reveal(test, page.get_by_text("test_pictured.py", exact=True).first)
        test.click()
        headers = {}
        for name, status in ((STEP_1, "passed"), (STEP_2, "failed")):
            title = page.get_by_test_id("test-result-step-title").get_by_text(name, exact=True)
            reveal(title, page.get_by_text("Test body", exact=True))
            headers[name] = page.get_by_test_id("test-result-step-header").filter(has=title)
            expect(headers[name].get_by_test_id(f"tree-leaf-status-{status}")).to_be_visible()
        reveal(page.get_by_text("Screen when step 2 failed", exact=True), headers[STEP_2])
        page.get_by_text("Test body", exact=True).scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "report-steps.png"))  # kept with the test's files
    finally:
        page.close()


def reveal(target: Locator, opener: Locator) -> None:
    """Show ``target``, clicking ``opener`` (the folded group that holds it) if it is folded.
    The report is one large page of script: on a busy machine it takes a while to draw."""
    expect(target.or_(opener).first).to_be_visible(timeout=REPORT_DRAWN_MS)
    if not target.is_visible():
        opener.click()
    expect(target).to_be_visible(timeout=REPORT_DRAWN_MS)


REPORT_DRAWN_MS = 60_000
