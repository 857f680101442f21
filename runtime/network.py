"""Slow networks: a flow seen as a citizen on a phone sees it (``--network``).

``fast-3g`` and ``slow-3g`` are Chrome DevTools' presets, with its figures (latency and
throughput; DevTools has called them "Slow 4G" and "3G" since 2024, with the same figures);
``offline-after=[FLOW:]STEP`` cuts the network once step STEP (its number, as the documentation
gives it) of FLOW, or of the first flow that has it, has finished, so the next step that needs
the portal fails as the portal being unavailable, its message saying the harness cut the
network (``Runner(offline=...)``). Chromium applies them through the DevTools protocol
(``Network.emulateNetworkConditions``), per page, for one journey. The flows' time limits are
multiplied by the profile's ``timeout_factor``, those of the page and of ``expect`` alike
(``Journey``): a screen that takes 8 s on slow 3G is slow, not broken.

An observer of the one runner (``flows.runner``), added by ``Journey`` when it is given a
network::

    network = parse_network("slow-3g")
    check_network(network, catalog.with_prerequisites(["login"]))  # before the run
    Journey(url, codes, network=network).run(page, "login", citizen)
"""

from __future__ import annotations

import contextlib
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from playwright.sync_api import CDPSession, Page

from flows.context import Run
from flows.flow import Flow, Step
from flows.runner import Observer, StepResult
from runtime.usage import UsageError

OFFLINE_AFTER = "offline-after="
# A documented step's number: 4, 3a.
STEP_NUMBER = re.compile(r"[0-9]+[a-z]?")
FLOW_NAME = re.compile(r"[a-z][a-z_]*")


@dataclass(frozen=True)
class Network:
    """A network to emulate. ``latency_ms`` is added to each request's round trip; the
    throughputs are in bytes per second (0: unthrottled). ``offline_after``: the step (and,
    when given, the flow) after which the network goes away."""

    name: str
    latency_ms: float = 0.0
    download_bps: float = 0.0
    upload_bps: float = 0.0
    timeout_factor: float = 1.0
    offline_after: str = ""
    offline_flow: str = ""

    @property
    def throttled(self) -> bool:
        return bool(self.latency_ms or self.download_bps or self.upload_bps)

    def conditions(self, *, offline: bool = False) -> dict[str, float | bool]:
        """The parameters of ``Network.emulateNetworkConditions``."""
        return {
            "offline": offline,
            "latency": self.latency_ms,
            # -1: no limit (the protocol's word for it).
            "downloadThroughput": self.download_bps or -1,
            "uploadThroughput": self.upload_bps or -1,
        }

    def goes_offline_after(self, flow: str, step: str) -> bool:
        if not self.offline_after or step != self.offline_after:
            return False
        return not self.offline_flow or self.offline_flow == flow


def _kbps(kilobits: float, share: float) -> float:
    """DevTools' throughput: kilobits per second, times the share it keeps, in bytes/s."""
    return kilobits * 1000 * share / 8


# Chrome DevTools' presets, with its own figures (front_end/core/sdk/NetworkManager.ts:
# Slow4GConditions, once "Fast 3G", and Slow3GConditions, now shown as "3G").
PROFILES: dict[str, Network] = {
    "fast-3g": Network("fast-3g", 150 * 3.75, _kbps(1600, 0.9), _kbps(750, 0.9), timeout_factor=3),
    "slow-3g": Network("slow-3g", 400 * 5, _kbps(500, 0.8), _kbps(500, 0.8), timeout_factor=6),
}
CHOICES = (*PROFILES, f"{OFFLINE_AFTER}[FLOW:]STEP")


def parse_network(text: str | None) -> Network | None:
    """The network ``text`` names (``fast-3g``, ``slow-3g``, ``offline-after=[FLOW:]STEP``),
    None for none or ``none``; anything else raises ``UsageError`` (a ValueError) saying what
    is accepted. Whether the flow and step exist is ``check_network``'s to say."""
    if text is None or text.strip().lower() in ("", "none"):
        return None
    text = text.strip()
    if text.lower() in PROFILES:
        return PROFILES[text.lower()]
    if not text.startswith(OFFLINE_AFTER):
        raise UsageError(
            f"unknown network {text!r}: use one of {', '.join(CHOICES)} "
            f"(for example {OFFLINE_AFTER}login:2, or {OFFLINE_AFTER}2 for the first flow "
            "that has a step 2)"
        )
    flow, colon, step = text.removeprefix(OFFLINE_AFTER).rpartition(":")
    if not STEP_NUMBER.fullmatch(step) or (colon and not FLOW_NAME.fullmatch(flow)):
        raise UsageError(
            f"{text!r} does not name a step: write {OFFLINE_AFTER}STEP or "
            f"{OFFLINE_AFTER}FLOW:STEP with the step's documented number "
            f"({OFFLINE_AFTER}login:2, {OFFLINE_AFTER}cmd:3b)"
        )
    return Network(text, offline_after=step, offline_flow=flow)


def check_network(network: Network | None, flows: Iterable[Flow]) -> None:
    """Refuse, before a run of ``flows`` (in the order a journey runs them, prerequisites
    first), an ``offline-after`` that would never cut the network: a flow or step they do not
    have, or a step after which none of them runs another. Raises ``UsageError``."""
    if network is None or not network.offline_after:
        return
    flows = list(flows)
    names = [flow.name for flow in flows]
    step = network.offline_after
    if network.offline_flow and network.offline_flow not in names:
        raise UsageError(
            f"{network.name}: no flow {network.offline_flow!r} in this run "
            f"(its flows: {', '.join(names)})"
        )
    candidates = [f for f in flows if not network.offline_flow or f.name == network.offline_flow]
    having = [f for f in candidates if step in (s.number for s in f.steps)]
    if not having:
        steps = "; ".join(f"{f.name}: {', '.join(s.number for s in f.steps)}" for f in candidates)
        raise UsageError(f"{network.name}: no step {step} in {_named(candidates)} ({steps})")
    # The network goes away once, after the first flow that has the step.
    if _ends_the_run(having[0], step, flows):
        raise UsageError(
            f"{network.name}: step {step} is the last of {having[0].name} and no flow of this "
            "run follows it, so no step would meet the network cut; name an earlier step"
        )


def _named(flows: list[Flow]) -> str:
    return flows[0].name if len(flows) == 1 else "any of " + ", ".join(f.name for f in flows)


def _ends_the_run(flow: Flow, step: str, flows: list[Flow]) -> bool:
    """Is ``step`` the last step of ``flow``, with no flow of ``flows`` that requires it (and
    so runs after it in the same journey)?"""
    if flow.steps[-1].number != step:
        return False
    return not any(flow.name in other.requires for other in flows)


def emulate(page: Page, network: Network, *, offline: bool = False) -> CDPSession:
    """Apply ``network`` to ``page`` (Chromium only) and return the DevTools session that holds
    it: the conditions last as long as that session."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", network.conditions(offline=offline))
    return session


# The network each page runs on now, while a NetworkObserver holds it (``emulated``).
_EMULATED: weakref.WeakKeyDictionary[Page, Network] = weakref.WeakKeyDictionary()


def emulated(page: Page) -> Network | None:
    """The network the harness emulates on ``page`` now, or None: the Web Vitals observer
    reads the time to first byte differently there (``runtime.vitals``)."""
    return _EMULATED.get(page)


class NetworkObserver(Observer):
    """Holds ``network`` on every page a journey's flows run on, takes it offline after the
    step ``network.offline_after`` names, and gives the network back at ``close``."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self._sessions: weakref.WeakKeyDictionary[Page, CDPSession] = weakref.WeakKeyDictionary()
        self.offline_since: str = ""  # ``flow:step`` after which the network went away
        self._cut = ""
        self._flow = ""

    def hold(self, page: Page) -> None:
        """Throttle ``page`` now, if the network is a slow one and it is not yet; raises what
        Chromium raises when it cannot (``Journey`` calls it before the first flow, so that a
        network asked for is never silently left out: an observer's errors are only logged)."""
        if page not in self._sessions and self.network.throttled:
            self._sessions[page] = emulate(page, self.network)
            _EMULATED[page] = self.network

    def flow_started(self, flow: Flow, run: Run) -> None:
        self._flow = flow.name
        self.hold(run.page)

    def step_finished(self, step: Step, run: Run, result: StepResult) -> None:
        flow = self._flow
        if self.offline_since or not self.network.goes_offline_after(flow, step.number):
            return
        session = self._sessions.get(run.page)
        if session is None:
            self._sessions[run.page] = emulate(run.page, self.network, offline=True)
        else:
            session.send("Network.emulateNetworkConditions", self.network.conditions(offline=True))
        self.offline_since = f"{flow}:{step.number}"
        self._cut = (
            f"the harness's network emulation cut the browser's network after step "
            f"{step.title} of {flow} (--network {self.network.name})"
        )

    def cut(self) -> str:
        """How and when the harness took the network away; empty while it has not."""
        return self._cut

    def close(self) -> None:
        """Give every page its network back: the conditions end with their DevTools session,
        so a later journey on the same page starts online and unthrottled."""
        for page, session in list(self._sessions.items()):
            _EMULATED.pop(page, None)
            # A page or browser already closed has no network to give back.
            with contextlib.suppress(Exception):
                session.detach()
        self._sessions.clear()
