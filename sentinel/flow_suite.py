"""The documented flows as pytest tests, run by ``sentinel run``.

Each selected flow runs once, after the flows it requires, for a fresh synthetic citizen, with
the Allure observer recording every documented step.
"""

from __future__ import annotations

import allure
import pytest

from flows import catalog

OPTION = "sentinel_flows"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "flow_name" in metafunc.fixturenames:
        names = metafunc.config.getoption(OPTION) or list(catalog.FLOWS)
        metafunc.parametrize("flow_name", names)


@allure.story("Scheduled run of the documented flows")
def test_flow(flow_name: str, run_flow, citizen) -> None:
    flow = catalog.FLOWS[flow_name]
    allure.dynamic.title(flow.title)
    allure.dynamic.description(f"Documented in {flow.source}." if flow.source else "")
    person = citizen(cmd=(flow_name == "cmd"))
    assert run_flow(flow_name, person).passed
