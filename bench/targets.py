"""The journey's ratios and the cost targets, from the figures of ``bench.journey`` and
``bench.peer``; where a target is missed, the figures that say where the time goes.

The targets:
- the harness with its default screenshots at most 1.15 times the Playwright Test script;
- Web Vitals add under 5% to the journey;
- the accessibility audit at most doubles a step that has it (each audited step of the
  journey with the audit, against the same step without it).
"""

from __future__ import annotations

PEER = "playwright-test"
SCREENSHOTS_AT_MOST = 1.15
VITALS_UNDER = 0.05
AUDIT_AT_MOST = 2.0


def ratios(j: dict, statistic: str = "median") -> dict[str, float]:
    """Medians (or another ``statistic`` of ``bench.stats.summary``: ``min``, the best runs,
    which a busy machine disturbs least) against the bare script (the floor in Python), the
    Playwright Test script (the peer) and the harness without observers (what an observer
    adds)."""
    m = {kind: figures[statistic] for kind, figures in j.items() if _is_kind(figures)}
    pairs = [
        ("harness", "bare"),
        ("harness+screenshots", "bare"),
        ("harness+screenshot-per-step", "bare"),
        ("http", "bare"),
        ("bare", PEER),
        ("bare+guard", PEER),
        ("harness", PEER),
        ("harness+screenshots", PEER),
        ("harness+vitals", "harness"),
        ("harness+a11y", "harness"),
    ]
    return {f"{a}/{b}": m[a] / m[b] for a, b in pairs if a in m and b in m}


def step_sums(j: dict) -> dict[str, float]:
    """Per harness kind, the sum of its steps' medians: the journey with each step's noise
    damped apart (a slow moment of the machine spoils one step, not the whole journey)."""
    return {kind: sum(times.values()) for kind, times in j["step_kinds"].items()}


def audited_steps(j: dict) -> dict[str, dict[str, float]]:
    """Each audited step: its median time without and with the audit, their ratio, and what
    the audit took there (none when the bench ran without either kind)."""
    if not {"harness", "harness+a11y"} <= set(j["step_kinds"]):
        return {}
    without, with_audit = j["step_kinds"]["harness"], j["step_kinds"]["harness+a11y"]
    return {
        step: {
            "without_s": without[step],
            "with_s": with_audit[step],
            "ratio": with_audit[step] / without[step],
            "audit_s": j["audit_s"][step],
        }
        for step in j["audited_steps"]
    }


def assess(j: dict) -> dict[str, dict]:
    """Each target the kinds run allow: the figure (of the medians), the bound, and whether
    it is met; beside it, for a busy machine, the same of the best runs (``best``) and, for
    what an observer adds, of the sums of the step medians (``steps``)."""
    r, best, sums = ratios(j), ratios(j, "min"), step_sums(j)
    found: dict[str, dict] = {}
    shots = f"harness+screenshots/{PEER}"
    if shots in r:
        found["screenshots_vs_playwright_test"] = {
            **_target(r[shots], "at_most", SCREENSHOTS_AT_MOST),
            "best": best[shots],
        }
    if "harness+vitals/harness" in r:
        found["vitals_added"] = {
            **_target(r["harness+vitals/harness"] - 1, "under", VITALS_UNDER),
            "best": best["harness+vitals/harness"] - 1,
            "steps": sums["harness+vitals"] / sums["harness"] - 1,
        }
    steps = audited_steps(j)
    if steps:
        worst = max(steps, key=lambda step: steps[step]["ratio"])
        found["a11y_worst_step"] = {
            **_target(steps[worst]["ratio"], "at_most", AUDIT_AT_MOST),
            "step": worst,
        }
    return found


def _target(figure: float, bound: str, value: float) -> dict:
    met = figure <= value if bound == "at_most" else figure < value
    return {"figure": figure, bound: value, "met": met}


def _is_kind(figures: object) -> bool:
    return isinstance(figures, dict) and "median" in figures and "n" in figures


def decomposition(j: dict) -> list[tuple[str, float]]:
    """From the peer to the harness with its default screenshots, one layer at a time: the
    median journey after each, in seconds."""
    layers = [
        ("Playwright Test (Node) script", PEER),
        ("the same script from Python", "bare"),
        ("+ the production guard", "bare+guard"),
        ("+ page objects, flows and runner (the harness)", "harness"),
        ("+ default screenshots", "harness+screenshots"),
    ]
    return [(label, j[kind]["median"]) for label, kind in layers if kind in j]


def step_table(j: dict) -> list[dict[str, object]]:
    """Per step: its median time in each harness kind and the breakdown's parts there."""
    parts = j["breakdown"]["steps"]
    return [
        {
            "step": step,
            **{kind: times.get(step) for kind, times in j["step_kinds"].items()},
            **parts.get(step, {}),
        }
        for step in j["steps"]
    ]
