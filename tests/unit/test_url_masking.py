"""``fixtures.url_masking``: what allure-pytest writes, and a test's report, have their URLs
masked, at any depth."""

from __future__ import annotations

# The module, not its names: pytest would collect classes named Test... here.
from allure_commons import model2
from allure_commons.model2 import Link, Parameter, StatusDetails

from fixtures.url_masking import MaskedUrls

URL = "http://qa:S3cretBasicPw@127.0.0.1:8000/?key=K3y"
SHOWN = "http://qa:***@127.0.0.1:8000/?key=***"


def test_a_results_messages_traces_steps_and_parameters_are_masked() -> None:
    step = model2.TestStepResult(
        name=f"open {URL}",
        parameters=[Parameter(name="url", value=URL)],
        statusDetails=StatusDetails(message=f"net::ERR_CONNECTION_REFUSED at {URL}"),
        steps=[model2.TestStepResult(name=f"inner {URL}")],
    )
    result = model2.TestResult(
        name="test_portal",
        statusDetails=StatusDetails(message=f"at {URL}", trace=f'navigating to "{URL}"'),
        steps=[step],
        links=[Link(type="issue", url="https://tracker.example/browse?id=PS-1", name="PS-1")],
    )
    MaskedUrls().report_result(result)
    assert result.statusDetails.message == f"at {SHOWN}"
    assert result.statusDetails.trace == f'navigating to "{SHOWN}"'
    [step] = result.steps
    assert step.name == f"open {SHOWN}"
    assert step.parameters[0].value == SHOWN
    assert step.statusDetails.message.endswith(SHOWN)
    assert step.steps[0].name == f"inner {SHOWN}"
    assert result.links[0].url == "https://tracker.example/browse?id=PS-1"  # the test's own


def test_a_containers_fixtures_are_masked() -> None:
    container = model2.TestResultContainer(
        befores=[
            model2.TestStepResult(name="sentinel_target", statusDetails=StatusDetails(trace=URL))
        ]
    )
    MaskedUrls().report_container(container)
    assert container.befores[0].statusDetails.trace == SHOWN
