"""The runner: what observers hear, and how failures are classified."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest
from playwright.sync_api import Locator, Page

from flows.context import Citizen, NoCodes, Run
from flows.errors import HarnessDefect, PortalDefect, PortalUnavailable
from flows.flow import Flow, Step
from flows.runner import FlowResult, Observer, Runner, StepResult
from flows.steps import click
from pages import labels
from pages.base import Screen
from pages.labels import Label

PERSON = Citizen(niss="11115611236", name="Teste", birth_date=date(1980, 1, 1), password="x")
HOME = "<main><h1>Portal</h1><button>Iniciar sessão</button></main>"


class Recorder(Observer):
    def __init__(self) -> None:
        self.events: list[str] = []

    def flow_started(self, flow: Flow, run: Run) -> None:
        self.events.append(f"flow {flow.name}")

    def step_started(self, step: Step, run: Run, elements: Sequence[Locator]) -> None:
        self.events.append(f"start {step.number} {len(elements)}")

    def step_finished(self, step: Step, run: Run, result: StepResult) -> None:
        assert result.duration_s >= 0
        self.events.append(f"end {step.number} {'ok' if result.passed else 'failed'}")

    def flow_finished(self, flow: Flow, run: Run, result: FlowResult) -> None:
        self.events.append(f"done {result.passed}")


class Broken(Observer):
    def step_started(self, step: Step, run: Run, elements: Sequence[Locator]) -> None:
        raise RuntimeError("a report must not change what it reports on")


def run_of(page: Page, url: str = "about:blank") -> Run:
    return Run(page=page, base_url=url, citizen=PERSON, codes=NoCodes(), timeout_ms=2000)


def log_in_step(number: str = "1") -> Step:
    return click(number, labels.LOG_IN, lambda r: Screen(r.page).action(labels.LOG_IN))


def test_observers_hear_every_step_in_order(page: Page) -> None:
    page.set_content(HOME)
    recorder = Recorder()
    flow = Flow("demo", "Demo", "Demo", (log_in_step("1"), log_in_step("2")))
    result = Runner([recorder, Broken()]).run(flow, run_of(page))
    assert result.passed
    assert recorder.events == [
        "flow demo",
        "start 1 1",
        "end 1 ok",
        "start 2 1",
        "end 2 ok",
        "done True",
    ]


def test_a_missing_documented_label_is_a_portal_defect_naming_its_step(page: Page) -> None:
    page.set_content("<main><button>Entrar no portal</button></main>")
    recorder = Recorder()
    flow = Flow("demo", "Demo", "Demo", (log_in_step("2"), log_in_step("3")))
    with pytest.raises(PortalDefect) as error:
        Runner([recorder]).run(flow, run_of(page))
    message = str(error.value)
    assert message.startswith("[portal defect] step 2. Iniciar sessão (Log In) of demo")
    assert "000_a0bd499d4e80e2a3.txt registration 2" in message
    assert recorder.events[-2:] == ["end 2 failed", "done False"]  # step 3 never ran


@pytest.mark.exclusive_portal
@pytest.mark.portal_capability("faults")
def test_a_5xx_page_is_the_portal_unavailable(
    page: Page, sentinel_target, test_control, portal_access
) -> None:
    test_control.set_faults(error_rate=1, error_status=503)
    try:
        open_home = click("1", labels.LOG_IN, lambda r: Screen(r.page).action(labels.LOG_IN))
        flow = Flow("demo", "Demo", "Demo", (_goto("0"), open_home))
        with pytest.raises(PortalUnavailable, match="HTTP 503"):
            Runner().run(flow, run_of(page, sentinel_target.url))
    finally:
        test_control.clear_faults()


def test_an_unreachable_portal_is_unavailable(page: Page) -> None:
    flow = Flow("demo", "Demo", "Demo", (_goto("1"),))
    with pytest.raises(PortalUnavailable, match="cannot be reached"):
        Runner().run(flow, run_of(page, "http://127.0.0.1:9"))


def test_our_own_bug_is_a_harness_defect(page: Page) -> None:
    def broken(run: Run) -> list[Locator]:
        return {}["missing"]

    flow = Flow("demo", "Demo", "Demo", (Step("1", labels.LOG_IN, "click", broken, _noop),))
    with pytest.raises(HarnessDefect, match="KeyError"):
        Runner().run(flow, run_of(page))


def test_without_raising_the_result_holds_the_failure(page: Page) -> None:
    page.set_content("<p>nada</p>")
    flow = Flow("demo", "Demo", "Demo", (log_in_step(),))
    result = Runner().run(flow, run_of(page), raise_on_failure=False)
    assert not result.passed
    assert isinstance(result.error, PortalDefect)


def _goto(number: str) -> Step:
    def act(run: Run, _: Sequence[Locator]) -> None:
        run.page.goto(run.base_url)

    return Step(number, Label("Portal", "Portal"), "open", lambda run: [], act)


def _noop(run: Run, elements: Sequence[Locator]) -> None:
    return None
