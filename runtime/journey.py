"""A journey: a documented flow run in the browser after the flows it requires, each once.

The one way from a flow to a running browser, for the pytest plugin, the monitor, the guides
and the benchmarks alike::

    with open_target("mock") as target, target.test_control() as api:
        citizen = citizen_for(["activation"], api)
        journey = Journey(target.url, OutboxCodes(api), observers=[MyObserver()])
        with new_context(browser) as context:
            result = journey.run(context.new_page(), "activation", citizen)

A flow that writes never reaches the production portal: the runner refuses it before its
first step and guards the browser context (``flows.runner``, ``flows.guard``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from faker import Faker
from playwright.sync_api import Browser, BrowserContext, Page, expect

from flows import catalog
from flows.context import NOBODY, Citizen, CodeRequest, CodeSource, Run
from flows.errors import ProductionRefused
from flows.flow import Flow
from flows.production import host_of, writers_refused
from flows.runner import FlowResult, Observer, Runner
from runtime.citizens import provision, synthetic_faker
from runtime.network import Network, NetworkObserver
from runtime.testapi import TestApiError, TestControl

# How every browser context that runs a flow starts: the portal is Portuguese, its clock is
# Lisbon's, and one viewport keeps screenshots comparable from run to run.
CONTEXT_DEFAULTS: dict[str, Any] = {
    "locale": "pt-PT",
    "timezone_id": "Europe/Lisbon",
    "viewport": {"width": 1280, "height": 900},
}


def context_options(**overrides: Any) -> dict[str, Any]:
    """The project's context defaults, with ``overrides`` (Playwright's option names)."""
    return {**CONTEXT_DEFAULTS, **overrides}


@contextmanager
def new_context(browser: Browser, **overrides: Any) -> Iterator[BrowserContext]:
    """A fresh browser context with the project's defaults, closed at the end."""
    context = browser.new_context(**context_options(**overrides))
    try:
        yield context
    finally:
        context.close()


# How long Playwright's ``expect`` waits when nobody says: its own default, which the page's
# default timeout (the runner's step time limit) does not change.
EXPECT_TIMEOUT_MS = 5_000


@contextmanager
def expect_scaled(factor: float) -> Iterator[None]:
    """Playwright's ``expect`` waits ``factor`` times its usual time in the block (the page
    objects wait for each screen with it), as the runner's step time limit is scaled: on a
    slow network a screen that takes 8 s is slow, not missing. Sync Playwright runs in one
    thread; ``expect``'s setting is the process's."""
    if factor == 1.0:
        yield
        return
    # Playwright keeps the setting privately, None for its default; put back as it was.
    before: float | None = expect._timeout
    expect.set_options(timeout=(before or EXPECT_TIMEOUT_MS) * factor)
    try:
        yield
    finally:
        expect.set_options(timeout=before)


class NeedsTestControl(TestApiError):
    """A flow that writes was asked for where the harness has no test-control API."""


def needs_test_control(flows: Iterable[str]) -> str | None:
    """Why ``flows`` (with their prerequisites) cannot run without the portal's test-control
    API, or None when none of them writes: the one wording of it."""
    writing = [flow.name for flow in catalog.with_prerequisites(list(flows)) if flow.writes]
    if not writing:
        return None
    verb = "create or change" if len(writing) > 1 else "creates or changes"
    return (
        f"{', '.join(writing)} {verb} accounts, so a synthetic citizen is made through the "
        "portal's test-control API, which needs a test token"
    )


def citizen_for(
    flows: Iterable[str],
    api: TestControl | None,
    fake: Faker | None = None,
    **options: Any,
) -> Citizen:
    """Who runs ``flows`` (with their prerequisites): nobody when none of them writes, else
    a fresh synthetic citizen provisioned through the test-control API (``options`` as for
    ``provision``; a Chave Móvel Digital for the ``cmd`` flow)."""
    needed = catalog.with_prerequisites(list(flows))
    if not any(flow.writes for flow in needed):
        return NOBODY
    if api is None:
        raise NeedsTestControl(needs_test_control(flows) or "")
    options.setdefault("cmd", any(flow.name == "cmd" for flow in needed))
    return provision(api, fake or synthetic_faker(), **options)


@dataclass
class Journey:
    """Runs flows by name for a citizen on one portal, each after the flows it requires.

    ``observers`` are told every step of the flow asked for, and of its prerequisites unless
    ``observe_prerequisites`` is False (a guide pictures its own flow only).
    ``timeout_ms``: each step's time limit (the runner's default when None).
    ``network``: a slow or vanishing network to run on (``runtime.network``); the step time
    limit and ``expect``'s wait for each screen are scaled by its ``timeout_factor``. Check it
    against the flows first (``runtime.network.check_network``).
    """

    base_url: str
    codes: CodeSource
    observers: Sequence[Observer] = field(default_factory=list)
    observe_prerequisites: bool = True
    timeout_ms: float | None = None
    network: Network | None = None

    def flows(
        self, name: str, *, prerequisites: bool = True, until: str | None = None
    ) -> list[Flow]:
        """The flows a run of ``name`` goes through, in order; ``until`` stops the last one
        after that step."""
        flows = catalog.with_prerequisites([name]) if prerequisites else [catalog.FLOWS[name]]
        if until is not None:
            flows[-1] = flows[-1].until(until)
        return flows

    def run(
        self,
        page: Page,
        name: str,
        citizen: Citizen,
        *,
        channel: str | None = None,
        prerequisites: bool = True,
        until: str | None = None,
    ) -> FlowResult:
        """Run flow ``name`` (after its prerequisites) on ``page``; the first failure is
        raised as the runner classifies it. Returns the result of ``name`` itself."""
        flows = self.flows(name, prerequisites=prerequisites, until=until)
        # Refused whole, naming every flow that writes, before the first one starts (the
        # runner would stop at the first, naming only that one).
        refusal = writers_refused(flows, host_of(self.base_url))
        if refusal:
            raise ProductionRefused(refusal, flow=name, step="")
        # The network is held on every flow of the journey, prerequisites included, before any
        # observer looks (it measures what the network gave), and given back at the end.
        holder = NetworkObserver(self.network) if self.network else None
        network: list[Observer] = [holder] if holder else []
        offline = holder.cut if holder else lambda: ""
        observed = Runner([*network, *self.observers], offline=offline)
        unobserved = observed if self.observe_prerequisites else Runner(network, offline=offline)
        result: FlowResult | None = None
        asked: dict[str, CodeRequest] = {}  # activation types the code registration asked for
        try:
            if holder:
                holder.hold(page)
            with expect_scaled(self.network.timeout_factor if self.network else 1.0):
                for flow in flows:
                    runner = observed if flow is flows[-1] else unobserved
                    result = runner.run(flow, self._run(page, citizen, channel, asked))
        finally:
            if holder:
                holder.close()
        assert result is not None  # with_prerequisites always holds the flow itself
        return result

    def _run(
        self, page: Page, citizen: Citizen, channel: str | None, asked: dict[str, CodeRequest]
    ) -> Run:
        run = Run(page=page, base_url=self.base_url, citizen=citizen, codes=self.codes)
        run.channel = channel
        run.asked = asked
        if self.timeout_ms is not None:
            run.timeout_ms = self.timeout_ms
        if self.network is not None:
            run.timeout_ms *= self.network.timeout_factor
        return run
