"""The documented flows as pytest tests, run by ``sentinel run``.

Each selected flow runs once, after the flows it requires, for a fresh synthetic citizen, with
the Allure observer recording every documented step. A flow that only reads (``portal``) needs
no citizen and no test-control API; a flow that writes fails, never skips, without one: a run
that was asked for a flow must not look green when the flow did not run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import allure
import pytest

from flows import catalog
from flows.context import NOBODY, Citizen, TargetUnreachable
from runtime.journey import needs_test_control
from runtime.testapi import TestApiError
from runtime.tokens import TOKEN_ENV

if TYPE_CHECKING:  # `sentinel run` imports this module for its path only: keep it light
    from runtime.targets import Target

OPTION = "sentinel_flows"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "flow_name" in metafunc.fixturenames:
        names = metafunc.config.getoption(OPTION) or list(catalog.FLOWS)
        metafunc.parametrize("flow_name", names)


@allure.story("Scheduled run of the documented flows")
def test_flow(
    flow_name: str, run_flow, sentinel_target: Target, request: pytest.FixtureRequest
) -> None:
    flow = catalog.FLOWS[flow_name]
    allure.dynamic.title(flow.title)
    allure.dynamic.description(f"Documented in {flow.source}." if flow.source else "")
    assert run_flow(flow_name, person_for(flow_name, sentinel_target, request)).passed


def person_for(flow_name: str, target: Target, request: pytest.FixtureRequest) -> Citizen:
    """A fresh synthetic citizen for a flow that writes (or whose prerequisites do)."""
    missing = needs_test_control([flow_name])
    if missing is None:
        return NOBODY
    if not target.token:
        pytest.fail(f"{missing}: set ${TOKEN_ENV} or pass --test-token-file", pytrace=False)
    try:
        channel = request.config.getoption("sentinel_channel")
        return request.getfixturevalue("citizen")(cmd=(flow_name == "cmd"), channel=channel)
    except TargetUnreachable as error:
        pytest.fail(f"the portal cannot be reached: {error}", pytrace=False)
    except TestApiError as error:
        pytest.fail(f"the portal's test-control API: {error}", pytrace=False)
