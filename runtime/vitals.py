"""Web Vitals of every documented step, from Chromium's own ``PerformanceObserver``.

An observer of the one runner (``flows.runner``)::

    vitals = VitalsObserver()
    Journey(url, codes, observers=[vitals]).run(page, "login", citizen)
    for step in vitals.steps:
        print(step.flow, step.step, step.ttfb_s, step.lcp_s, step.cls, step.inp_s)

Each step reports the screen it left the browser on: that page load's TTFB, FCP and LCP (in
seconds from the start of the navigation), its layout shift so far (CLS, web.dev's session
windows), and ``loaded`` when that load happened in this step. INP is the longest interaction
of the step on that screen (Event Timing, entries of 16 ms and more: a faster one, or a click
whose page is gone by then, leaves it None). ``requests`` and ``transfer_bytes`` are what the
step's screen fetched during the step (Resource Timing; bytes as transferred, so a cached file
counts 0).

A script added to the page before its first load gathers the figures, in the page's main
frame only; one ``evaluate`` per step reads them, so the cost is a few milliseconds a step.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import partial
from typing import Any

from playwright.sync_api import Page

from flows.context import Run
from flows.flow import Flow, Step
from flows.runner import Observer, StepResult

# The figures in seconds, by the names the metrics use; CLS is a score, not a time.
TIMED = ("ttfb", "fcp", "lcp", "inp")

# Gathers the figures of the page load (once per document, main frame only).
COLLECT = r"""(() => {
  if (window !== window.top || window.__sentinelVitals) return;
  const v = window.__sentinelVitals = {
    id: Math.random().toString(36).slice(2), fcp: null, lcp: null, cls: 0, inp: null,
    read: 0, window: 0, first: 0, last: 0,
  };
  const watch = (type, seen, options = {}) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(seen))
        .observe({type, buffered: true, ...options});
    } catch (error) { /* an entry type this browser lacks */ }
  };
  watch('paint', (e) => { if (e.name === 'first-contentful-paint') v.fcp = e.startTime; });
  watch('largest-contentful-paint', (e) => { v.lcp = e.renderTime || e.loadTime || e.startTime; });
  watch('layout-shift', (e) => {
    if (e.hadRecentInput) return;
    // A session window: shifts less than 1 s apart, 5 s at most; CLS is the largest window.
    if (v.window && e.startTime - v.last < 1000 && e.startTime - v.first < 5000) {
      v.window += e.value;
    } else {
      v.window = e.value;
      v.first = e.startTime;
    }
    v.last = e.startTime;
    v.cls = Math.max(v.cls, v.window);
  });
  watch('event', (e) => {
    if (e.interactionId) v.inp = Math.max(v.inp || 0, e.duration);
  }, {durationThreshold: 16});
})();"""

# Reads the figures of the screen now shown, and what it fetched since the last read; waits a
# frame first when the screen has not painted yet (a step can end before the first paint).
READ = r"""async () => {
  const v = window.__sentinelVitals;
  if (!v) return null;
  if (v.fcp === null || v.lcp === null) {
    await new Promise((done) => {
      requestAnimationFrame(() => setTimeout(done, 0));
      setTimeout(done, 500);
    });
  }
  const navigation = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const fetched = resources.slice(v.read);
  const first = v.read === 0;
  v.read = resources.length;
  let bytes = fetched.reduce((sum, e) => sum + (e.transferSize || 0), 0);
  let requests = fetched.length;
  if (first && navigation) { bytes += navigation.transferSize || 0; requests += 1; }
  const inp = v.inp;
  v.inp = null;
  return {
    id: v.id, ttfb: navigation ? navigation.responseStart : null, fcp: v.fcp, lcp: v.lcp,
    cls: v.cls, inp, requests, bytes,
  };
}"""


@dataclass(frozen=True)
class StepVitals:
    """The Web Vitals of the screen one documented step left the browser on (the module's
    docstring says what each is). None: the browser gave no figure (no page, no paint)."""

    flow: str
    step: str
    title: str
    loaded: bool = False
    ttfb_s: float | None = None
    fcp_s: float | None = None
    lcp_s: float | None = None
    cls: float | None = None
    inp_s: float | None = None
    requests: int = 0
    transfer_bytes: int = 0

    def seconds(self) -> dict[str, float]:
        """The timed figures there are, by metric name (``ttfb``, ``fcp``, ``lcp``, ``inp``)."""
        values = {"ttfb": self.ttfb_s, "fcp": self.fcp_s, "lcp": self.lcp_s, "inp": self.inp_s}
        return {name: value for name, value in values.items() if value is not None}

    def text(self) -> str:
        """``TTFB 12 ms · FCP 40 ms · LCP 40 ms · CLS 0.000 · INP 24 ms · 3 requests, 12.4 kB``."""
        parts = [f"{name.upper()} {value * 1000:.0f} ms" for name, value in self.seconds().items()]
        if self.cls is not None:
            parts.insert(min(3, len(parts)), f"CLS {self.cls:.3f}")
        plural = "" if self.requests == 1 else "s"
        parts.append(f"{self.requests} request{plural}, {self.transfer_bytes / 1000:.1f} kB")
        return " · ".join(parts)


class VitalsObserver(Observer):
    """Records ``StepVitals`` for every documented step (see the module's docstring)."""

    def __init__(self) -> None:
        self.steps: list[StepVitals] = []
        self._flow = ""
        self._pages: weakref.WeakSet[Page] = weakref.WeakSet()
        self._document: str | None = None

    def flow_started(self, flow: Flow, run: Run) -> None:
        self._flow = flow.name
        if run.page not in self._pages:
            # Before the flow's first page load; the pages it reached before are not measured.
            run.page.add_init_script(COLLECT)
            self._pages.add(run.page)

    def step_finished(self, step: Step, run: Run, result: StepResult) -> None:
        try:
            read = run.page.evaluate(READ)
        except Exception:
            # A crashed page, or one mid-navigation: no figures for this step.
            read = None
        self.steps.append(self._vitals(step, read))

    def of_flow(self, flow: str) -> list[StepVitals]:
        return [vitals for vitals in self.steps if vitals.flow == flow]

    def latest(self) -> StepVitals | None:
        return self.steps[-1] if self.steps else None

    def _vitals(self, step: Step, read: dict[str, Any] | None) -> StepVitals:
        where = partial(StepVitals, self._flow, step.number, step.title)
        if not read:
            return where()
        loaded = read["id"] != self._document
        self._document = read["id"]
        return where(
            loaded=loaded,
            ttfb_s=_seconds(read.get("ttfb")),
            fcp_s=_seconds(read.get("fcp")),
            lcp_s=_seconds(read.get("lcp")),
            cls=float(read["cls"]) if read.get("cls") is not None else None,
            inp_s=_seconds(read.get("inp")),
            requests=int(read.get("requests") or 0),
            transfer_bytes=int(read.get("bytes") or 0),
        )


def _seconds(milliseconds: Any) -> float | None:
    return None if milliseconds is None else max(float(milliseconds), 0.0) / 1000
