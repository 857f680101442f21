"""Slow networks: what ``--network`` accepts, the DevTools figures, checks before a run, the cut."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, cast

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from flows import catalog
from flows.context import NOBODY, NoCodes, Run
from flows.errors import PortalDefect, PortalUnavailable
from flows.runner import StepResult, classify
from runtime.journey import EXPECT_TIMEOUT_MS, Journey, expect_scaled
from runtime.network import (
    PROFILES,
    Network,
    NetworkObserver,
    check_network,
    emulated,
    parse_network,
)
from runtime.usage import UsageError

LOGIN = catalog.FLOWS["login"]


@pytest.mark.parametrize("text", [None, "", "none", " None "])
def test_no_network_is_none(text: str | None) -> None:
    assert parse_network(text) is None


@pytest.mark.parametrize("text", ["slow-3g", "fast-3g", " Slow-3G "])
def test_the_presets_are_named_as_the_option_says(text: str) -> None:
    assert parse_network(text) is PROFILES[text.strip().lower()]


@pytest.mark.parametrize(
    ("text", "flow", "step"),
    [("offline-after=login:2", "login", "2"), ("offline-after=3b", "", "3b")],
)
def test_offline_after_names_a_step_of_a_flow_or_of_any(text: str, flow: str, step: str) -> None:
    network = parse_network(text)
    assert network is not None
    assert (network.offline_flow, network.offline_after, network.name) == (flow, step, text)
    assert not network.throttled


@pytest.mark.parametrize("text", ["4g", "slow3g", "offline"])
def test_an_unknown_network_is_refused_listing_what_is_accepted(text: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_network(text)
    message = str(refused.value)
    assert f"unknown network {text!r}" in message
    assert "fast-3g, slow-3g, offline-after=[FLOW:]STEP" in message
    assert isinstance(refused.value, ValueError)  # what callers of a parser catch


@pytest.mark.parametrize(
    "text",
    [
        "offline-after=",
        "offline-after=login:",
        "offline-after=:2",
        "offline-after=login 2",
        "offline-after=Login:2",
        "offline-after=two",
    ],
)
def test_an_offline_after_without_a_step_is_refused_showing_the_form(text: str) -> None:
    with pytest.raises(UsageError, match="does not name a step: write offline-after=STEP or"):
        parse_network(text)


def test_the_presets_are_chrome_devtools_figures() -> None:
    """DevTools' NetworkManager.ts: 3G (once "Slow 3G") and Slow 4G (once "Fast 3G")."""
    slow, fast = PROFILES["slow-3g"].conditions(), PROFILES["fast-3g"].conditions()
    assert slow == {
        "offline": False,
        "latency": 400 * 5,
        "downloadThroughput": 500 * 1000 / 8 * 0.8,
        "uploadThroughput": 500 * 1000 / 8 * 0.8,
    }
    assert fast == {
        "offline": False,
        "latency": 150 * 3.75,
        "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,
        "uploadThroughput": 750 * 1000 / 8 * 0.9,
    }
    # The slower the network, the longer a step may take.
    assert PROFILES["slow-3g"].timeout_factor > PROFILES["fast-3g"].timeout_factor > 1


def test_offline_conditions_keep_the_profile_and_an_unthrottled_one_has_no_limit() -> None:
    assert PROFILES["slow-3g"].conditions(offline=True)["offline"] is True
    assert PROFILES["slow-3g"].conditions(offline=True)["latency"] == 2000
    cut = Network("offline-after=2", offline_after="2").conditions(offline=True)
    assert cut == {
        "offline": True,
        "latency": 0.0,
        "downloadThroughput": -1,
        "uploadThroughput": -1,
    }


def test_offline_after_a_step_of_any_flow_or_of_one() -> None:
    anywhere = Network("offline-after=2", offline_after="2")
    assert anywhere.goes_offline_after("registration", "2")
    assert not anywhere.goes_offline_after("registration", "3")
    only_login = Network("offline-after=login:2", offline_after="2", offline_flow="login")
    assert only_login.goes_offline_after("login", "2")
    assert not only_login.goes_offline_after("registration", "2")
    assert not PROFILES["slow-3g"].goes_offline_after("login", "2")


# Checks before a run ---------------------------------------------------------------------


def test_a_network_that_cuts_nothing_needs_no_check() -> None:
    check_network(None, [LOGIN])
    check_network(PROFILES["slow-3g"], [LOGIN])
    check_network(parse_network("offline-after=login:2"), catalog.with_prerequisites(["login"]))
    # The last step of a flow another one follows in the same journey.
    check_network(
        parse_network("offline-after=registration:10"), catalog.with_prerequisites(["login"])
    )
    check_network(parse_network("offline-after=3a"), [catalog.FLOWS["cmd"]])


def test_a_flow_the_run_does_not_have_is_refused_naming_its_flows() -> None:
    with pytest.raises(UsageError) as refused:
        check_network(parse_network("offline-after=cmd:2"), catalog.with_prerequisites(["login"]))
    assert str(refused.value) == (
        "offline-after=cmd:2: no flow 'cmd' in this run "
        "(its flows: registration, activation, login)"
    )


def test_a_step_the_flow_does_not_have_is_refused_naming_its_steps() -> None:
    with pytest.raises(UsageError) as refused:
        check_network(parse_network("offline-after=login:13"), [LOGIN])
    assert str(refused.value) == (
        "offline-after=login:13: no step 13 in login (login: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)"
    )
    with pytest.raises(UsageError, match=r"no step 3b in any of registration, login \(registr"):
        check_network(parse_network("offline-after=3b"), [catalog.FLOWS["registration"], LOGIN])


def test_a_cut_after_the_last_step_of_the_run_is_refused() -> None:
    """Nothing would run after it: the flow would pass as if the network had stayed."""
    with pytest.raises(UsageError, match="step 12 is the last of login and no flow of this run"):
        check_network(
            parse_network("offline-after=login:12"), catalog.with_prerequisites(["login"])
        )
    with pytest.raises(UsageError, match="step 10 is the last of registration"):
        check_network(parse_network("offline-after=10"), [catalog.FLOWS["registration"]])


# Time limits -----------------------------------------------------------------------------


def test_expect_waits_as_much_longer_as_the_network_says_and_is_put_back() -> None:
    """The page objects wait for each screen with ``expect``, whose 5 s the page's default
    timeout does not change: on slow 3G a screen takes longer than that."""
    assert expect._timeout is None  # Playwright's default: EXPECT_TIMEOUT_MS
    with expect_scaled(PROFILES["slow-3g"].timeout_factor):
        assert expect._timeout == EXPECT_TIMEOUT_MS * 6
    assert expect._timeout is None
    expect.set_options(timeout=1500)
    try:
        with expect_scaled(2):
            assert expect._timeout == 3000
        assert expect._timeout == 1500
        with expect_scaled(1.0):
            assert expect._timeout == 1500
    finally:
        expect.set_options(timeout=None)


# The cut ---------------------------------------------------------------------------------


@dataclass
class Session:
    sent: list[tuple[str, Any]] = field(default_factory=list)
    detached: bool = False

    def send(self, method: str, params: Any = None) -> None:
        self.sent.append((method, params))

    def detach(self) -> None:
        self.detached = True


class FakePage:
    """What the observer asks of a page: a DevTools session from its context."""

    def __init__(self) -> None:
        self.sessions: list[Session] = []
        self.context = self

    def new_cdp_session(self, page: object) -> Session:
        self.sessions.append(Session())
        return self.sessions[-1]


def run_on(page: FakePage) -> Run:
    return Run(
        page=cast(Page, page), base_url="http://127.0.0.1:1", citizen=NOBODY, codes=NoCodes()
    )


def finish(observer: NetworkObserver, run: Run, number: str) -> None:
    """Tell ``observer`` that step ``number`` of login passed."""
    step = next(s for s in LOGIN.steps if s.number == number)
    observer.step_finished(step, run, StepResult(step, True, 0.1))


def test_a_throttled_page_goes_offline_after_the_step_and_is_given_back() -> None:
    page, network = FakePage(), parse_network("slow-3g")
    assert network is not None
    observer = NetworkObserver(replace(network, offline_after="2"))
    run = run_on(page)
    observer.flow_started(LOGIN, run)
    [session] = page.sessions
    assert session.sent == [
        ("Network.enable", None),
        ("Network.emulateNetworkConditions", network.conditions()),
    ]
    assert emulated(cast(Page, page)) is observer.network
    finish(observer, run, "1")
    assert observer.cut() == ""
    finish(observer, run, "2")
    assert session.sent[-1] == (
        "Network.emulateNetworkConditions",
        network.conditions(offline=True),
    )
    assert observer.cut() == (
        "the harness's network emulation cut the browser's network after step "
        "2. Iniciar sessão (Log In) of login (--network slow-3g)"
    )
    finish(observer, run, "3")  # once only
    assert len(session.sent) == 3
    observer.close()
    assert session.detached
    assert emulated(cast(Page, page)) is None


def test_an_unthrottled_page_is_left_alone_until_the_cut() -> None:
    page = FakePage()
    observer = NetworkObserver(
        Network("offline-after=login:3", offline_after="3", offline_flow="login")
    )
    run = run_on(page)
    observer.flow_started(LOGIN, run)
    finish(observer, run, "2")
    assert page.sessions == []
    assert emulated(cast(Page, page)) is None
    finish(observer, run, "3")
    [session] = page.sessions
    assert session.sent[-1] == (
        "Network.emulateNetworkConditions",
        observer.network.conditions(offline=True),
    )
    assert observer.offline_since == "login:3"


def test_a_step_that_cannot_reach_the_portal_after_the_cut_says_the_harness_cut_it() -> None:
    step = LOGIN.steps[2]
    cut = "the harness's network emulation cut the browser's network after step 2 of login"
    timeout = AssertionError("Locator expected to be visible")
    failure = classify(
        timeout, LOGIN, step, 200, unanswered="net::ERR_INTERNET_DISCONNECTED", offline=cut
    )
    assert isinstance(failure, PortalUnavailable)
    assert str(failure) == (
        f"[portal unavailable] step {step.title} of login: the portal cannot be reached "
        f"(net::ERR_INTERNET_DISCONNECTED): {cut}"
    )
    opened = PlaywrightError("net::ERR_INTERNET_DISCONNECTED at http://127.0.0.1:1/")
    assert cut in str(classify(opened, LOGIN, step, None, offline=cut))
    # A screen that is not what was documented is still the portal's, cut or not.
    assert isinstance(classify(timeout, LOGIN, step, 200, offline=cut), PortalDefect)


class NoDevTools(FakePage):
    def new_cdp_session(self, page: object) -> Session:
        raise PlaywrightError("CDP session is only available in Chromium")


def test_a_network_the_browser_cannot_emulate_stops_the_journey_before_its_first_step() -> None:
    """Not an observer's error, which is only logged: the flows would run at full speed and
    report it as slow 3G."""
    journey = Journey("http://127.0.0.1:1", NoCodes(), network=PROFILES["slow-3g"])
    with pytest.raises(PlaywrightError, match="only available in Chromium"):
        journey.run(cast(Page, NoDevTools()), "portal", NOBODY)
