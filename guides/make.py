"""Making guides: run each flow for a fresh synthetic citizen with the guide observer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser

from flows import catalog
from flows.context import Citizen, CodeSource
from flows.errors import FlowError
from flows.flow import Flow
from guides.capture import CapturedStep, GuideObserver
from guides.render import Guide, write
from runtime.citizens import synthetic_faker
from runtime.codes import OutboxCodes
from runtime.journey import Journey, citizen_for, new_context
from runtime.testapi import TestControl

VIEWPORT = {"width": 1024, "height": 768}


@dataclass(frozen=True)
class GuideSpec:
    name: str
    flow: str
    # The channel the guide pictures; None: the citizen's first (``sentinel guide --channel``).
    channel: str | None = None
    variant: dict[str, str] = field(default_factory=dict)


GUIDES = (
    GuideSpec(
        "registration-sms", "registration", "sms", {"pt": "código por SMS", "en": "code by SMS"}
    ),
    GuideSpec(
        "registration-email",
        "registration",
        "email",
        {"pt": "código por email", "en": "code by email"},
    ),
    GuideSpec(
        "registration-letter",
        "registration",
        "letter",
        {"pt": "código por carta", "en": "code by letter"},
    ),
    GuideSpec("activation", "activation"),
    GuideSpec("password_reset", "password_reset"),
    GuideSpec("cmd", "cmd"),
)


def select(flows: list[str] | None) -> list[GuideSpec]:
    return [g for g in GUIDES if not flows or g.flow in flows or g.name in flows]


def capture(
    spec: GuideSpec,
    browser: Browser,
    base_url: str,
    api: TestControl,
    codes: CodeSource | None = None,
    channel: str = "sms",
) -> tuple[Flow, list[CapturedStep], Citizen]:
    """Run the guide's flow (after its prerequisites, unobserved) and return its pictures.
    ``codes``: where its codes come from (default: the test-control API's outbox);
    ``channel``: the citizen's first channel, for a guide that does not picture one."""
    # The same synthetic data each time keeps the pictures stable; a Chave Móvel Digital
    # number must be new on the portal, so that guide's citizen is drawn afresh.
    fake = synthetic_faker(seed=None if spec.flow == "cmd" else 1)
    citizen = citizen_for([spec.flow], api, fake, channel=spec.channel or channel)
    observer = GuideObserver()
    journey = Journey(base_url, codes or OutboxCodes(api), [observer], observe_prerequisites=False)
    with new_context(browser, viewport=VIEWPORT, device_scale_factor=1) as context:
        journey.run(context.new_page(), spec.flow, citizen, channel=spec.channel)
    return catalog.FLOWS[spec.flow], observer.steps, citizen


def make(
    specs: list[GuideSpec],
    languages: list[str],
    formats: set[str],
    out: Path,
    browser: Browser,
    base_url: str,
    api: TestControl,
    on_failure: Callable[[GuideSpec, FlowError], None] | None = None,
    codes: CodeSource | None = None,
    channel: str = "sms",
) -> list[Path]:
    """Write every guide in every language; returns the files written.

    A guide whose flow fails is not written at all, in no language or format: a guide that
    stops halfway would teach steps the portal does not follow. With ``on_failure``, it is
    told the failure and the other guides are made; without it, the failure is raised."""
    written: list[Path] = []
    for spec in specs:
        try:
            flow, steps, _ = capture(spec, browser, base_url, api, codes, channel)
        except FlowError as error:
            if on_failure is None:
                raise
            on_failure(spec, error)
            continue
        for language in languages:
            guide = Guide(spec.name, flow, language, steps, spec.variant.get(language, ""))
            written += write(guide, out, formats, browser)
    return written
