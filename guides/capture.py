"""The guide observer: a picture of each documented step, the element to act on outlined."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from playwright.sync_api import Locator

from fixtures.masking import masked_screenshot
from flows.context import Run
from flows.flow import Flow, Step
from flows.runner import Observer, StepResult

HIGHLIGHT = "data-sentinel-highlight"
MASK_COLOR = "#c9d1dc"  # a quiet grey box where personal data or typed values would be
MASK_COLOR = "#c9d1dc"  # a quiet grey box where personal data or typed values would be
# Drawn in the page at capture time; animations and the caret are off, so pictures are stable.
HIGHLIGHT_STYLE = (
    f"[{HIGHLIGHT}]{{outline:4px solid #e4002b !important;outline-offset:3px !important;"
    "box-shadow:0 0 0 9px rgba(228,0,43,.18) !important}"
)


@dataclass
class Box:
    x: float
    y: float
    width: float
    height: float


@dataclass
class CapturedStep:
    step: Step
    png: bytes
    boxes: list[Box] = field(default_factory=list)
    width: int = 0
    height: int = 0
    # The wording on the screen (a button's or link's text), so the guide quotes what the
    # citizen sees even where the portal words a label otherwise than the documentation.
    shown: str = ""


class GuideObserver(Observer):
    """Collects one picture per step: before acting (so the element to act on is shown), or
    after opening the portal for steps with nothing to act on."""

    def __init__(self) -> None:
        self.steps: list[CapturedStep] = []
        self.flow: Flow | None = None

    def flow_started(self, flow: Flow, run: Run) -> None:
        self.flow = flow
        self.steps = []

    def step_started(self, step: Step, run: Run, elements: Sequence[Locator]) -> None:
        if elements:
            self.steps.append(self._capture(step, run, elements))

    def step_finished(self, step: Step, run: Run, result: StepResult) -> None:
        if result.passed and not any(c.step is step for c in self.steps):
            self.steps.append(self._capture(step, run, []))

    def _capture(self, step: Step, run: Run, elements: Sequence[Locator]) -> CapturedStep:
        page = run.page
        visible = [e for e in elements if e.is_visible()]
        for element in visible:
            element.scroll_into_view_if_needed()
            element.evaluate(f"e => e.setAttribute('{HIGHLIGHT}', '')")
        boxes = [Box(**b) for b in (e.bounding_box() for e in visible) if b]
        png = masked_screenshot(
            run,
            color=MASK_COLOR,
            animations="disabled",
            caret="hide",
            style=HIGHLIGHT_STYLE,
        )
        for element in visible:
            element.evaluate(f"e => e.removeAttribute('{HIGHLIGHT}')")
        size = page.viewport_size or {"width": 0, "height": 0}
        return CapturedStep(step, png, boxes, size["width"], size["height"], _shown(step, visible))


def _shown(step: Step, elements: Sequence[Locator]) -> str:
    """The text of the action clicked; for fields and choices, the documented label."""
    if step.verb != "click" or not elements:
        return step.label.pt
    text = " ".join(elements[0].inner_text().split())
    return text or step.label.pt
