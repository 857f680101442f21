"""The guide observer: a picture of each documented step, the element to act on outlined."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from playwright.sync_api import Locator

from flows.context import Run
from flows.detours import SESSION_EXPIRED, SHOWN_TEXT, Detour
from flows.flow import Flow, Step
from flows.runner import Observer, StepResult
from runtime.masking import masked_screenshot

HIGHLIGHT = "data-sentinel-highlight"
# Not masking's loud default MASK_COLOR, which evidence keeps: a guide is read by citizens,
# so a quiet grey box stands where personal data or typed values would be.
GUIDE_MASK_COLOR = "#c9d1dc"
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
    # What the portal asked for on the way (a cookie banner, the login choice, ...).
    detours: list[Detour] = field(default_factory=list)


class GuideObserver(Observer):
    """Collects one picture per step: before acting (so the element to act on is shown), or
    after opening the portal for steps with nothing to act on."""

    def __init__(self) -> None:
        self.steps: list[CapturedStep] = []
        self._detours: list[Detour] = []  # of the step whose picture is still to take

    def flow_started(self, flow: Flow, run: Run) -> None:
        self.steps = []
        self._detours = []

    def step_started(self, step: Step, run: Run, elements: Sequence[Locator]) -> None:
        if elements:
            self.steps.append(self._capture(step, run, elements))

    def detour(self, step: Step, run: Run, detour: Detour) -> None:
        if detour is SESSION_EXPIRED:
            # The flow starts again: the guide shows that second, whole journey.
            self.steps, self._detours = [], []
            return
        if self.steps and self.steps[-1].step is step:
            self.steps[-1].detours.append(detour)
        else:
            self._detours.append(detour)

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
            color=GUIDE_MASK_COLOR,
            animations="disabled",
            caret="hide",
            style=HIGHLIGHT_STYLE,
        )
        for element in visible:
            element.evaluate(f"e => e.removeAttribute('{HIGHLIGHT}')")
        size = page.viewport_size or {"width": 0, "height": 0}
        detours, self._detours = self._detours, []
        return CapturedStep(
            step, png, boxes, size["width"], size["height"], _shown(step, visible), detours
        )


def _shown(step: Step, elements: Sequence[Locator]) -> str:
    """The text of the action clicked; where the documented label is only our translation,
    the screen's own words for it; otherwise the documented label."""
    if not elements:
        return step.label.pt
    if step.verb == "click":
        return " ".join(str(elements[0].evaluate(SHOWN_TEXT)).split()) or step.label.pt
    if step.label.translated:
        return _own_words(step, elements) or step.label.pt
    return step.label.pt


def _own_words(step: Step, elements: Sequence[Locator]) -> str:
    """What the screen calls what our translated label names, by the label's meaning: the
    field's label (one field), the name of the group it is in (a choice), or a heading (a
    step that fills a whole screen). Empty when the screen words it otherwise."""
    first = elements[0]
    candidates = [first.evaluate(FIELD_LABEL)] if len(elements) == 1 else []
    candidates.append(first.evaluate(GROUP_NAME))
    candidates += [heading.inner_text() for heading in first.page.get_by_role("heading").all()]
    for text in candidates:
        shown = " ".join(str(text).split())
        if shown and step.label.pattern.search(shown):
            return shown
    return ""


# The name of the group a field is in: its fieldset's legend, or the group's ARIA name.
GROUP_NAME = """e => {
  const group = e.closest('fieldset, [role=radiogroup], [role=group]');
  if (!group) return '';
  const legend = group.querySelector(':scope > legend');
  if (legend) return legend.innerText;
  const ids = (group.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
  if (ids.length) return ids.map(i => (document.getElementById(i) || {}).innerText || '').join(' ');
  return group.getAttribute('aria-label') || '';
}"""


# A field's visible label: the elements it names in aria-labelledby, its <label>, aria-label.
FIELD_LABEL = """e => {
  const ids = (e.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
  if (ids.length) return ids.map(i => (document.getElementById(i) || {}).innerText || '').join(' ');
  if (e.labels && e.labels.length) return e.labels[0].innerText;
  return e.getAttribute('aria-label') || '';
}"""
