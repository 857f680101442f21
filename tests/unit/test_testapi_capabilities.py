"""``TestControl.capabilities()``: asked once; a portal that does not answer is the base
contract; a refused token or a portal that is down is an error, as for every other call."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from runtime.mock_process import BackgroundMock, start_in_background
from runtime.testapi import (
    ALL_CAPABILITIES,
    BASE_CONTRACT,
    TestApiError,
    TestApiUnreachable,
    TestControl,
)
from tests.conftest import TOKEN


@pytest.fixture(scope="module")
def base_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundMock]:
    mock = start_in_background(tmp_path_factory.mktemp("base") / "p.db", TOKEN, contract="base")
    yield mock
    mock.stop()


def counted(control: TestControl) -> list[str]:
    """The paths of the requests ``control`` sends from now on."""
    sent: list[str] = []
    control.client.event_hooks["request"].append(lambda request: sent.append(request.url.path))
    return sent


def test_the_full_mock_offers_every_capability_the_client_knows(portal) -> None:
    with TestControl(portal.url, TOKEN) as control:
        assert control.capabilities() == frozenset(ALL_CAPABILITIES)
        assert all(control.offers(name) for name in ALL_CAPABILITIES)
    assert ALL_CAPABILITIES[:2] == ("citizens", "outbox")
    assert frozenset({"citizens", "outbox"}) == BASE_CONTRACT


def test_a_base_contract_mock_offers_citizens_and_outbox(base_mock) -> None:
    with TestControl(base_mock.url, TOKEN) as control:
        assert control.capabilities() == BASE_CONTRACT
        assert control.offers("outbox")
        assert not control.offers("accounts")
        assert not control.offers("clock")


def test_the_capabilities_are_asked_once(portal) -> None:
    with TestControl(portal.url, TOKEN) as control:
        sent = counted(control)
        first = control.capabilities()
        assert control.capabilities() is first
        assert control.offers("clock")
        assert sent == ["/__test__/"]


def test_a_portal_that_does_not_know_the_call_offers_the_base_contract(tmp_path: Path) -> None:
    # A mock without a token answers 404 to every /__test__/ call, as a portal that does not
    # know GET /__test__/ does.
    mock = start_in_background(tmp_path / "p.db", None)
    try:
        with TestControl(mock.url, TOKEN) as control:
            assert control.capabilities() == BASE_CONTRACT
    finally:
        mock.stop()


def test_a_refused_token_is_an_error_and_not_remembered(portal) -> None:
    with TestControl(portal.url, "a-wrong-token-of-sixteen-chars") as control:
        for _ in range(2):
            with pytest.raises(TestApiError, match="401"):
                control.capabilities()


def test_a_portal_that_does_not_answer_is_unreachable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens on it once closed
    with (
        TestControl(f"http://127.0.0.1:{port}", TOKEN, timeout=5) as control,
        pytest.raises(TestApiUnreachable),
    ):
        control.capabilities()


def test_an_unknown_capability_name_is_a_mistake_of_the_caller(portal) -> None:
    with TestControl(portal.url, TOKEN) as control, pytest.raises(ValueError, match="clocks"):
        control.offers("clocks")


# Answers no mock gives: a staging portal's own pages or its own idea of the contract.
def answering(status: int, **content: object) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, **content))


def with_transport(transport: httpx.MockTransport) -> TestControl:
    control = TestControl("http://127.0.0.1:9", TOKEN)
    control.client.close()
    control.client = httpx.Client(base_url="http://127.0.0.1:9", transport=transport)
    return control


CONTRACT = {"contract": "portal-sentinel test-control", "version": 1}


@pytest.mark.parametrize(
    "transport",
    [
        answering(200, html="<html><body>Portal de testes</body></html>"),
        answering(200, json=["citizens", "outbox", "clock"]),
        answering(200, json={"capabilities": ["clock"]}),  # not this contract
        answering(200, json={**CONTRACT, "capabilities": "clock"}),
        answering(200, json={**CONTRACT, "capabilities": ["clock", 7]}),
        answering(302, headers={"Location": "/login"}),  # a single-sign-on page in between
        answering(405, text="Method Not Allowed"),
    ],
    ids=["html", "list", "other-contract", "not-a-list", "not-names", "redirect", "405"],
)
def test_an_answer_that_is_not_the_contract_means_the_base_contract(transport) -> None:
    with with_transport(transport) as control:
        assert control.capabilities() == BASE_CONTRACT


def test_names_the_client_does_not_know_are_kept() -> None:
    answer = {**CONTRACT, "capabilities": ["citizens", "outbox", "clock", "snapshots"]}
    with with_transport(answering(200, json=answer)) as control:
        assert control.capabilities() == {"citizens", "outbox", "clock", "snapshots"}
        assert control.offers("clock")
        assert not control.offers("faults")
