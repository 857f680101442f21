"""A portal that is down is the portal's unavailability, wherever the harness notices it:
in the browser, in the test-control API that creates the check's citizen, or mid-flow when a
code is fetched. It is downtime and it alerts; it is never filed as the harness's own bug."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from flows import catalog
from flows.context import NOBODY, CodeArrival, CodeRequest, NoCodes, Run
from flows.errors import PortalUnavailable
from flows.runner import Runner, classify
from monitor import evidence
from monitor.alerts import Alerter, AlertPolicy
from monitor.executor import CheckExecutor, CheckSpec, WarmBrowser
from monitor.history import History
from monitor.metrics import Metrics
from monitor.service import Monitor
from runtime.codes import OutboxCodes
from runtime.mock_process import start_in_background
from runtime.testapi import TestApiUnreachable, TestControl

pytestmark = pytest.mark.browser


@pytest.fixture
def dead_portal(tmp_path: Path):
    """The URL and test-control client of a bundled mock whose process was killed."""
    token = secrets.token_urlsafe(16)
    mock = start_in_background(tmp_path / "portal.db", token)
    mock.stop(kill=True)
    with TestControl(mock.url, token, timeout=5) as api:
        yield mock.url, api


@pytest.fixture
def warm(playwright):
    browser = WarmBrowser(playwright)
    yield browser
    browser.close()


@pytest.mark.parametrize("flow", ["login", "registration"])
def test_a_killed_portal_fails_full_flow_checks_as_unavailable(
    flow: str, dead_portal, warm, tmp_path: Path
) -> None:
    url, api = dead_portal
    executor = CheckExecutor(warm, url, api, tmp_path / "evidence")
    result = executor.run(CheckSpec(flow, timeout_s=30, retries=0))
    assert (result.outcome, result.reason) == ("failure", "portal_unavailable")
    assert result.counts_as_downtime
    assert "cannot be reached" in result.message
    assert result.where == "before the first step"


def test_a_killed_portal_raises_an_alert(dead_portal, warm, tmp_path: Path) -> None:
    url, api = dead_portal
    sent = []
    monitor = Monitor(
        executor=CheckExecutor(warm, url, api, tmp_path / "evidence"),
        checks=[CheckSpec("login", timeout_s=30, retries=0)],
        history=History(tmp_path / "monitor.db"),
        metrics=Metrics(),
        alerter=Alerter(AlertPolicy(failures_to_alert=1)),
        notify=sent.append,
    )
    try:
        monitor.run_once()
    finally:
        monitor.history.close()
    assert [note.kind for note in sent] == ["firing"]
    assert "portal_unavailable" in sent[0].text()


def test_an_unreachable_api_mid_flow_is_the_portal_unavailable() -> None:
    flow = catalog.FLOWS["activation"]
    error = classify(TestApiUnreachable("connection refused"), flow, flow.steps[2], None)
    assert isinstance(error, PortalUnavailable)


def test_a_portal_killed_during_a_page_load_is_unavailable(
    tmp_path: Path, warm: WarmBrowser
) -> None:
    """The click that leads to the login choice is answered by no one: the portal's process
    dies while the page is being served (slowly, by an injected latency)."""
    token = secrets.token_urlsafe(16)
    mock = start_in_background(tmp_path / "portal.db", token)
    try:
        with TestControl(mock.url, token) as api:
            api.set_faults(latency_ms=3000, path_prefix="/login")
        context = warm.get().new_context()
        page = context.new_page()

        def kill_when_asked(request) -> None:
            if "/login" in request.url:
                mock.stop(kill=True)

        page.on("request", kill_when_asked)
        run = Run(page=page, base_url=mock.url, citizen=NOBODY, codes=NoCodes())
        with pytest.raises(PortalUnavailable, match="no answer to the page load"):
            Runner().run(catalog.PORTAL, run)
        context.close()
    finally:
        mock.stop(kill=True)


class _OutboxGone(TestControl):
    """A test-control API whose outbox no longer answers (the portal went down)."""

    def outbox(self, niss: str) -> list[dict]:
        raise TestApiUnreachable("the portal went down")


def test_the_codes_typed_are_scrubbed_though_the_portal_is_gone(
    tmp_path: Path, warm: WarmBrowser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trace is scrubbed of the codes the flow typed even when the outbox no longer
    answers (a portal that echoes a typed code in its page would otherwise leak it)."""
    scrubbed_of: list[str] = []
    scrub = evidence.scrub_zip

    def recording_scrub(path: Path, values) -> None:
        scrubbed_of.extend(values)
        scrub(path, values)

    monkeypatch.setattr(evidence, "scrub_zip", recording_scrub)
    token = secrets.token_urlsafe(16)
    mock = start_in_background(tmp_path / "portal.db", token)
    typed: list[str] = []

    class Typed(OutboxCodes):
        def latest(self, request: CodeRequest) -> CodeArrival:
            arrival = super().latest(request)
            typed.append(arrival.code)
            return arrival

    try:
        with TestControl(mock.url, token) as api, _OutboxGone(mock.url, token) as gone:
            api.set_faults(error_rate=1, error_status=500, path_prefix="/ativar/palavra-passe")
            executor = CheckExecutor(warm, mock.url, gone, tmp_path / "evidence")
            executor.codes_for = lambda _: Typed(api)
            result = executor.run(CheckSpec("activation", timeout_s=60, retries=0))
        assert result.reason == "portal_unavailable"
        assert typed
        assert set(typed) <= set(scrubbed_of)
        assert evidence.contains_any(Path(result.evidence) / "trace.zip", typed) == []
    finally:
        mock.stop()
