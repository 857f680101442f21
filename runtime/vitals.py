"""Web Vitals of every documented step, from Chromium's own ``PerformanceObserver``.

An observer of the one runner (``flows.runner``)::

    vitals = VitalsObserver()
    Journey(url, codes, observers=[vitals]).run(page, "login", citizen)
    for step in vitals.steps:
        print(step.flow, step.step, step.ttfb_s, step.lcp_s, step.cls, step.inp_s)

Each step reports the screen it left the browser on, and ``loaded`` when that screen's page
load happened in this step:

- TTFB, FCP and LCP of that page load, in seconds from the start of its navigation (a form
  sent and its redirect included). TTFB is the navigation's ``responseStart``; on a network the
  harness emulates (``runtime.network``) Chromium holds each response back after its network
  stack has timed it, so there TTFB is when the document started, once the response reached
  the page. A step on a screen an earlier step loaded repeats that load's figures with
  ``loaded`` False; ``seconds()`` and ``text()`` leave them out, as they are not this step's.
- CLS: the screen's layout shift so far, as web.dev counts it (the largest session window).
- INP: the longest interaction of the step on that screen (Event Timing, entries of 16 ms and
  more: a faster one, a fill, which types no keys, or a click whose page is gone by then leaves
  it None).
- ``requests`` and ``transfer_bytes``: what the step's screen fetched during the step, its
  document included on the step that loaded it (Resource Timing; bytes as transferred, so a
  cached file counts 0).

A script added to the page before its first load gathers the figures, in the page's main
frame only; one ``evaluate`` per step reads them, a few milliseconds, and a step that ends
before its screen's first paint (a landmark is laid out a frame or two before it is shown)
waits for it, ``PAINT_WAIT_MS`` at most (on an emulated network, two of its round trips more:
the screen waits for its style sheet).
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
from runtime.network import Network, emulated

# The figures in seconds, by the names the metrics use; CLS is a score, not a time.
TIMED = ("ttfb", "fcp", "lcp", "inp")

# Gathers the figures of the page load (once per document). ``take`` hands
# the observers what the browser has queued for them but not delivered yet: a callback comes in
# a task of its own, later than a read that follows the paint.
COLLECT = r"""(() => {
  // The portal's pages only: not a frame, nor Chromium's page for a load that failed.
  if (window !== window.top || !/^https?:$/.test(location.protocol)) return;
  if (window.__sentinelVitals) return;
  const v = window.__sentinelVitals = {
    id: Math.random().toString(36).slice(2), started: performance.now(),
    fcp: null, lcp: null, cls: 0, inp: null, input: null, read: 0, counted: false,
    window: 0, first: 0, last: 0, observers: [],
  };
  const watch = (type, seen, options = {}) => {
    try {
      const observer = new PerformanceObserver((list) => list.getEntries().forEach(seen));
      observer.observe({type, buffered: true, ...options});
      v.observers.push([observer, seen]);
    } catch (error) { /* an entry type this browser lacks */ }
  };
  v.take = () => v.observers.forEach(([observer, seen]) => observer.takeRecords().forEach(seen));
  watch('paint', (e) => { if (e.name === 'first-contentful-paint') v.fcp = e.startTime; });
  watch('largest-contentful-paint', (e) => { v.lcp = e.startTime; });
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
  // Every entry of one interaction (pointerdown, pointerup, click) carries its id; the
  // interaction lasts as long as its longest entry, so the longest entry is the step's INP.
  watch('event', (e) => {
    if (e.interactionId) v.inp = Math.max(v.inp || 0, e.duration);
  }, {durationThreshold: 16});
  // An interaction's entry comes with a frame after it: a read that follows one looks a few
  // frames for it (a fill types no keys; a click that loads a page leaves this one behind).
  const interacted = () => { v.input = performance.now(); };
  addEventListener('pointerdown', interacted, {capture: true, passive: true});
  addEventListener('keydown', interacted, {capture: true, passive: true});
})();"""

# How long a read waits, at most, for the first paint of a screen that has not painted yet: a
# step ends once its landmark is laid out, which can be a frame or two before it is shown. On
# an emulated network the screen waits for its style sheet, a round trip later, and the read
# with it (``paint_wait_ms``).
PAINT_WAIT_MS = 250


def paint_wait_ms(network: Network | None) -> float:
    """How long a read on a page that runs on ``network`` waits for the first paint."""
    if network is None or not network.throttled:
        return PAINT_WAIT_MS
    return PAINT_WAIT_MS + 2 * network.latency_ms


# Reads the figures of the screen now shown, and what it fetched since the last read.
READ = r"""async (waitMs) => {
  const v = window.__sentinelVitals;
  if (!v) return null;
  v.take();
  const until = performance.now() + waitMs;
  let frames = 0;
  // Not painted yet; or an interaction since the last read whose entry has not come, which
  // one of under 16 ms never does: a few frames for it.
  const waiting = () => v.fcp === null || (v.input !== null && v.inp === null && frames < 3);
  while (waiting() && performance.now() < until) {
    await new Promise((done) => {
      requestAnimationFrame(() => setTimeout(done, 0));
      setTimeout(done, Math.max(until - performance.now(), 0));
    });
    frames += 1;
    v.take();
  }
  v.input = null;
  const navigation = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const fetched = resources.slice(v.read);
  v.read = resources.length;
  let bytes = fetched.reduce((sum, e) => sum + (e.transferSize || 0), 0);
  let requests = fetched.length;
  if (!v.counted && navigation) {
    // The document itself, once: on the first read of the screen.
    bytes += navigation.transferSize || 0;
    requests += 1;
    v.counted = true;
  }
  const inp = v.inp;
  v.inp = null;
  return {
    id: v.id, ttfb: navigation ? navigation.responseStart : null, started: v.started,
    fcp: v.fcp, lcp: v.lcp, cls: v.cls, inp, requests, bytes,
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
        """This step's timed figures there are, by metric name (``ttfb``, ``fcp``, ``lcp``,
        ``inp``): the page load's only on the step that loaded the page."""
        values = {"inp": self.inp_s}
        if self.loaded:
            values = {"ttfb": self.ttfb_s, "fcp": self.fcp_s, "lcp": self.lcp_s, **values}
        return {name: value for name, value in values.items() if value is not None}

    def text(self) -> str:
        """``TTFB 12 ms · FCP 40 ms · LCP 40 ms · CLS 0.000 · INP 24 ms · 3 requests, 12.4 kB``,
        or ``no page load · CLS 0.000 · ...`` on a screen an earlier step loaded."""
        timed = self.seconds()
        parts = [] if self.loaded else ["no page load"]
        parts += [f"{name.upper()} {timed[name] * 1000:.0f} ms" for name in LOAD if name in timed]
        if self.cls is not None:
            parts.append(f"CLS {self.cls:.3f}")
        if "inp" in timed:
            parts.append(f"INP {timed['inp'] * 1000:.0f} ms")
        plural = "" if self.requests == 1 else "s"
        parts.append(f"{self.requests} request{plural}, {self.transfer_bytes / 1000:.1f} kB")
        return " · ".join(parts)


# The figures of a page load, in seconds: a step that did not load its screen has none of its own.
LOAD = ("ttfb", "fcp", "lcp")


def step_vitals(
    flow: str, step: Step, read: dict[str, Any] | None, *, loaded: bool, emulated: bool = False
) -> StepVitals:
    """The figures ``READ`` gave for ``step`` of ``flow`` (None: it gave none). ``emulated``:
    the page runs on a network the harness emulates, where ``responseStart`` comes before the
    response reaches the page (the module's docstring)."""
    where = partial(StepVitals, flow, step.number, step.title)
    if not read:
        return where()
    ttfb = read.get("ttfb")
    if emulated and ttfb is not None and read.get("started") is not None:
        ttfb = max(float(ttfb), float(read["started"]))
    return where(
        loaded=loaded,
        ttfb_s=_seconds(ttfb),
        fcp_s=_seconds(read.get("fcp")),
        lcp_s=_seconds(read.get("lcp")),
        cls=float(read["cls"]) if read.get("cls") is not None else None,
        inp_s=_seconds(read.get("inp")),
        requests=int(read.get("requests") or 0),
        transfer_bytes=int(read.get("bytes") or 0),
    )


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
        network = emulated(run.page)
        try:
            read = run.page.evaluate(READ, paint_wait_ms(network))
        except Exception:
            # A crashed page, or one mid-navigation: no figures for this step.
            read = None
        document = read.get("id") if read else None
        loaded = document is not None and document != self._document
        self._document = document or self._document
        throttled = network is not None and network.throttled
        self.steps.append(step_vitals(self._flow, step, read, loaded=loaded, emulated=throttled))

    def of_flow(self, flow: str) -> list[StepVitals]:
        return [vitals for vitals in self.steps if vitals.flow == flow]

    def latest(self) -> StepVitals | None:
        return self.steps[-1] if self.steps else None


def _seconds(milliseconds: Any) -> float | None:
    return None if milliseconds is None else max(float(milliseconds), 0.0) / 1000
