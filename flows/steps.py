"""Building blocks for steps: click, fill, choose, and open the portal."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from playwright.sync_api import Locator, expect

from flows.codes import CodeDelivery, CodeNotFound
from flows.context import Run
from flows.detours import Detour, arrive
from flows.flow import Step
from pages import labels
from pages.base import Screen
from pages.labels import Label
from pages.portal import HomePage

Where = Callable[[Run], Locator]

CHANNEL_LABELS = {"email": labels.EMAIL, "sms": labels.SMS, "letter": labels.LETTER}


def open_portal(number: str) -> Step:
    def act(run: Run, _: Sequence[Locator]) -> None:
        HomePage(run.page).open(run.base_url).expect_loaded()

    return Step(number, labels.PORTAL, "open", lambda run: [], act)


def click(
    number: str,
    label: Label,
    where: Where,
    then: type[Screen] | None = None,
    *,
    unless: tuple[Detour, ...] = (),
) -> Step:
    """Click the element; when ``then`` is given, check that its screen follows (past any
    screen the portal puts in between, except the detours ``unless`` names:
    ``flows.detours``)."""

    def act(run: Run, elements: Sequence[Locator]) -> None:
        elements[0].click()
        if then is not None:
            arrive(run, then, unless=unless)

    return Step(number, label, "click", lambda run: [where(run)], act)


def fill(
    number: str, label: Label, where: Where, value: Callable[[Run], str], *, secret: bool = False
) -> Step:
    def act(run: Run, elements: Sequence[Locator]) -> None:
        elements[0].fill(value(run))

    return Step(number, label, "fill", lambda run: [where(run)], act, secret=secret)


def fill_code(number: str, label: Label, where: Where, purpose: str) -> Step:
    """Type the newest code sent to the citizen for ``purpose``, from the run's code source;
    how its delivery went is kept for the step's result (``Run.delivery``)."""

    def code(run: Run) -> str:
        request = run.code_request(purpose)
        try:
            arrival = run.codes.latest(request)
        except CodeNotFound:
            run.delivery = CodeDelivery.missing(request)
            raise
        run.delivery = CodeDelivery.of(request, arrival)
        return arrival.code

    return fill(number, label, where, code, secret=True)


def asking_code(step: Step, purpose: str, channel: Callable[[Run], str] | None = None) -> Step:
    """The step, marked as the click that asks the portal for a ``purpose`` code by
    ``channel`` (default: the run's chosen channel): its delivery is timed from here."""
    act = step.act

    def asking(run: Run, elements: Sequence[Locator]) -> None:
        run.ask_code(purpose, channel(run) if channel else run.chosen_channel)
        act(run, elements)

    return replace(step, act=asking)


def choose(number: str, label: Label, where: Where) -> Step:
    def act(run: Run, elements: Sequence[Locator]) -> None:
        elements[0].check()

    return Step(number, label, "choose", lambda run: [where(run)], act)


def see(number: str, label: Label, where: Callable[[Run], Sequence[Locator]]) -> Step:
    """Check, without acting, that every element is on screen: for read-only checks."""

    def act(run: Run, elements: Sequence[Locator]) -> None:
        for element in elements:
            expect(element).to_be_visible()

    return Step(number, label, "see", where, act)


def channel_label(run: Run) -> Label:
    return CHANNEL_LABELS[run.chosen_channel]
