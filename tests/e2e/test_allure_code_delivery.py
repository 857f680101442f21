"""The Allure report says how long each code took to arrive, as a parameter of the step that
typed it: from the click that asked for it to its arrival, or that it never came."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.helpers import run_pytest

pytestmark = pytest.mark.slow

INNER_TEST = """
from datetime import date

from fixtures.allure_observer import AllureObserver
from flows.codes import CodeArrival, CodeNotFound, CodeRequest
from flows.context import Citizen, Run
from flows.flow import Flow
from flows.runner import Runner
from flows.steps import asking_code, click, fill_code
from pages import labels
from pages.base import Screen

PERSON = Citizen(
    niss="11115611236", name="Teste", birth_date=date(1980, 1, 1), password="x",
    email="teste@example.org",
)
FORM = (
    "<main><button>Pedir código de verificação</button>"
    "<label>Código de verificação <input></label></main>"
)


class TwoAndAHalfSeconds:
    # The code reaches the mailbox 2.5 s after the click that asked for it.
    def latest(self, request: CodeRequest) -> CodeArrival:
        assert request.asked_at is not None and request.recipient == PERSON.email
        return CodeArrival("735911", request.asked_at + 2.5)


class Never:
    def latest(self, request: CodeRequest) -> CodeArrival:
        raise CodeNotFound(f"no code came: waited for {request.describe()}")


def flow() -> Flow:
    ask = asking_code(
        click("1", labels.REQUEST_CODE, lambda r: Screen(r.page).action(labels.REQUEST_CODE)),
        "registration",
    )
    code = fill_code(
        "2", labels.VERIFICATION_CODE, lambda r: r.page.get_by_label("Código"), "registration"
    )
    return Flow("demo", "Demonstração", "Demo", (ask, code))


def run_with(page, codes) -> None:
    page.set_content(FORM)
    run = Run(page=page, base_url="about:blank", citizen=PERSON, codes=codes, channel="email")
    Runner([AllureObserver(screenshots="off")]).run(flow(), run)


def test_a_code_that_came(page):
    run_with(page, TwoAndAHalfSeconds())


def test_a_code_that_never_came(page):
    run_with(page, Never())
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The Allure results of one flow whose code came, one whose code never came, by test."""
    folder = tmp_path_factory.mktemp("code-delivery")
    (folder / "test_codes.py").write_text(INNER_TEST, encoding="utf-8")
    done = run_pytest(str(folder / "test_codes.py"), "--alluredir", str(folder / "results"))
    assert done.returncode == 1, done.stdout[-3000:]  # the second test fails, as it should
    found = {}
    for path in (folder / "results").glob("*-result.json"):
        result = json.loads(path.read_text(encoding="utf-8"))
        found[result["name"].split("[")[0]] = result  # without the browser's [chromium]
    return found


def code_step(result: dict[str, Any]) -> dict[str, Any]:
    [flow] = result["steps"]
    return flow["steps"][1]


def test_the_step_that_typed_the_code_says_how_long_it_took(results) -> None:
    step = code_step(results["test_a_code_that_came"])
    assert step["status"] == "passed"
    assert {"name": "Code delivery", "value": "2.5 s by email"} in step["parameters"]


def test_a_code_that_never_came_is_said_so_on_its_failed_step(results) -> None:
    step = code_step(results["test_a_code_that_never_came"])
    assert step["status"] == "failed"
    assert {"name": "Code delivery", "value": "never came (email)"} in step["parameters"]


def test_neither_the_code_nor_the_address_reaches_the_results(results) -> None:
    text = json.dumps(results)
    assert "735911" not in text
    assert "teste@example.org" not in text
    # What was waited for is named by the address's domain only.
    assert "an address at example.org" in text
