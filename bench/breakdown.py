"""Where the observers' time goes on each screen: the parts of a picture and of an audit.

A journey with one observer that, after each step, does by hand and times apart what the
Allure and accessibility observers do there:

- a picture (on the steps the default policy pictures): a first JPEG right after the step (it
  waits for the screen to be painted, which a script that only clicks never waits for), a
  second one (capture, encoding in the browser and transfer alone), one with the secrets
  painted over as the Allure observer takes it (``runtime.masking``: the masking is the
  difference), and a PNG for comparison;
- an audit (on each screen new to the journey, as ``AccessibilityObserver`` audits): the
  screen's fingerprint, injecting axe-core (once per page load) and running it.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from statistics import median

from faker import Faker
from playwright.sync_api import Browser

from fixtures.allure_observer import pictured_steps
from flows.context import Run
from flows.flow import Flow, Step
from flows.runner import Observer, StepResult
from runtime import accessibility
from runtime.citizens import provision
from runtime.codes import OutboxCodes
from runtime.journey import Journey, context_options
from runtime.masking import masked_screenshot
from runtime.testapi import TestControl

PARTS = (
    "first_jpeg_s",
    "jpeg_s",
    "masked_jpeg_s",
    "png_s",
    "fingerprint_s",
    "axe_inject_s",
    "axe_run_s",
)


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


Seconds = dict[str, dict[str, list[float]]]  # step, part: samples


class Parts(Observer):
    """Times the parts on each step of one journey, into ``seconds``."""

    def __init__(self, seconds: Seconds) -> None:
        self.seconds = seconds
        self._flow = ""
        self._pictured: frozenset[str] = frozenset()
        self._seen: set[str] = set()

    def flow_started(self, flow: Flow, run: Run) -> None:
        self._flow = flow.name
        self._pictured = pictured_steps(flow, "screens")

    def step_finished(self, step: Step, run: Run, result: StepResult) -> None:
        page, parts = run.page, self.seconds[f"{self._flow} {step.number}"]
        if step.number in self._pictured:
            jpeg = partial(page.screenshot, type="jpeg", quality=80)
            parts["first_jpeg_s"].append(_timed(jpeg))
            parts["jpeg_s"].append(_timed(jpeg))
            parts["masked_jpeg_s"].append(
                _timed(lambda: masked_screenshot(run, type="jpeg", quality=80))
            )
            parts["png_s"].append(_timed(lambda: page.screenshot(type="png")))
        # The observer's own scripts, so each part is timed as it runs there.
        started = time.perf_counter()
        fingerprint = str(page.evaluate(accessibility._FINGERPRINT))
        parts["fingerprint_s"].append(time.perf_counter() - started)
        if fingerprint in self._seen:
            return
        self._seen.add(fingerprint)
        if not page.evaluate(accessibility._HAS_AXE, accessibility.axe_version()):
            parts["axe_inject_s"].append(
                _timed(lambda: page.evaluate(accessibility._INJECT, accessibility.axe_source()))
            )
        parts["axe_run_s"].append(
            _timed(lambda: page.evaluate(accessibility._RUN_AXE, accessibility._AXE_OPTIONS))
        )


def measure(browser: Browser, url: str, api: TestControl, fake: Faker, runs: int) -> dict:
    """Per step, the median of each part over ``runs`` journeys (only the parts that step
    has); ``per_screen``, the median of each part over every step that has it."""
    seconds: Seconds = defaultdict(lambda: defaultdict(list))
    for _ in range(runs):
        citizen = provision(api, fake, channel="sms")
        context = browser.new_context(**context_options())
        journey = Journey(url, OutboxCodes(api), [Parts(seconds)])
        journey.run(context.new_page(), "activation", citizen)
        context.close()
    steps = {
        step: {part: median(values) for part, values in found.items()}
        for step, found in seconds.items()
    }
    every: dict[str, list[float]] = defaultdict(list)
    for found in seconds.values():
        for part, values in found.items():
            every[part].extend(values)
    per_screen = {part: median(every[part]) for part in PARTS if every[part]}
    return {"runs": runs, "steps": steps, "per_screen": per_screen}
