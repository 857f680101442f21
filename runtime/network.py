"""Slow networks: a flow seen as a citizen on a phone sees it (``--network``).

``fast-3g`` and ``slow-3g`` are Chrome DevTools' presets (latency and throughput, the same
figures); ``offline-after=[FLOW:]STEP`` cuts the network once step STEP (its number, as the
documentation gives it) of FLOW, or of any flow, has finished, so the next step meets a
portal that cannot be reached. Chromium applies them through the DevTools protocol
(``Network.emulateNetworkConditions``), per page. The flows' step time limits are multiplied
by the profile's ``timeout_factor``: a screen that takes 8 s on slow 3G is slow, not broken.

An observer of the one runner (``flows.runner``), added by ``Journey`` when it is given a
network::

    network = parse_network("slow-3g")
    Journey(url, codes, network=network).run(page, "login", citizen)
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from playwright.sync_api import CDPSession, Page

from flows.context import Run
from flows.flow import Flow, Step
from flows.runner import Observer, StepResult

OFFLINE_AFTER = "offline-after="


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


# Chrome DevTools' presets, with its own figures (front_end/core/sdk/NetworkManager.ts).
PROFILES: dict[str, Network] = {
    "fast-3g": Network("fast-3g", 562.5, _kbps(1600, 0.9), _kbps(750, 0.9), timeout_factor=3),
    "slow-3g": Network("slow-3g", 2000, _kbps(500, 0.8), _kbps(500, 0.8), timeout_factor=6),
}
CHOICES = (*PROFILES, f"{OFFLINE_AFTER}[FLOW:]STEP")


def parse_network(text: str | None) -> Network | None:
    """The network ``text`` names (``fast-3g``, ``slow-3g``, ``offline-after=[FLOW:]STEP``),
    None for none or ``none``; anything else raises ValueError saying what is accepted."""
    if text is None or text.strip() in ("", "none"):
        return None
    text = text.strip()
    if text in PROFILES:
        return PROFILES[text]
    if text.startswith(OFFLINE_AFTER):
        where = text.removeprefix(OFFLINE_AFTER)
        flow, _, step = where.rpartition(":")
        if step.strip() and flow == flow.strip() and " " not in step:
            return Network(text, offline_after=step.strip(), offline_flow=flow)
    raise ValueError(
        f"unknown network {text!r}: use one of {', '.join(CHOICES)} "
        f"(for example {OFFLINE_AFTER}login:2, or {OFFLINE_AFTER}2 for every flow)"
    )


def emulate(page: Page, network: Network, *, offline: bool = False) -> CDPSession:
    """Apply ``network`` to ``page`` (Chromium only) and return the DevTools session that holds
    it: the conditions last as long as that session."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", network.conditions(offline=offline))
    return session


class NetworkObserver(Observer):
    """Holds ``network`` on every page a flow runs on, and takes it offline after the step
    ``network.offline_after`` names."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self._sessions: weakref.WeakKeyDictionary[Page, CDPSession] = weakref.WeakKeyDictionary()
        self.offline_since: str = ""  # ``flow:step`` after which the network went away
        self._flow = ""

    def flow_started(self, flow: Flow, run: Run) -> None:
        self._flow = flow.name
        if run.page not in self._sessions and self.network.throttled:
            self._sessions[run.page] = emulate(run.page, self.network)

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
