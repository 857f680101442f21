"""Hand-made check results with Web Vitals and accessibility findings, as the registration
check gives them on a portal whose identification screen breaks three rules (the mock's
``inaccessible`` fault): for the tests of metrics, history, alerts and the status page."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from monitor.results import CheckResult, Finding, StepA11y, StepTiming
from runtime.vitals import StepVitals

T0 = datetime(2026, 11, 23, 10, tzinfo=UTC)
AXE = "https://dequeuniversity.com/rules/axe/4.10/"
IMAGE_ALT = Finding(
    "image-alt", "critical", 1, "Images must have alternative text", AXE + "image-alt"
)
LABEL = Finding("label", "critical", 1, "Form elements must have labels", AXE + "label")
CONTRAST = Finding(
    "color-contrast", "serious", 1, "Elements must meet minimum color contrast", AXE + "contrast"
)
REGION = Finding("region", "moderate", 2, "All page content should be in landmarks", AXE + "region")
TERMS = "5. Li e aceito os termos e condições (I have read and accept the terms and conditions)"


def vitals(step: str, *, loaded: bool = True, inp_s: float | None = None) -> StepVitals:
    return StepVitals(
        "registration",
        step,
        "",
        loaded=loaded,
        ttfb_s=0.031,
        fcp_s=0.12,
        lcp_s=0.35,
        cls=0.012,
        inp_s=inp_s,
        requests=3,
        transfer_bytes=12400,
    )


def found(*findings: Finding, new: bool = True, same_as: str = "") -> StepA11y:
    """The audit of a screen that breaks ``findings``; ``new``: none is in the baseline (a
    step on an earlier step's screen, ``same_as``, repeats them as not new)."""
    return StepA11y(tuple(_as_new(f, new) for f in findings), same_as=same_as)


def _as_new(finding: Finding, new: bool) -> Finding:
    return Finding(finding.rule, finding.impact, finding.nodes, finding.help, finding.help_url, new)


def registration(
    minutes: int = 0,
    *,
    inaccessible: bool = True,
    new: bool = True,
    until: int = 7,
    check: str = "registration",
) -> CheckResult:
    """A registration check up to step ``until`` (failed there when short of 7): steps 4 and 5
    load a page, 6 and 7 type on the identification screen (step 5 left the browser on it),
    whose three violations are there when ``inaccessible``, and ``new`` unless the baseline
    accepts them."""
    bad = (IMAGE_ALT, LABEL, CONTRAST) if inaccessible else ()
    steps = [
        StepTiming("registration", "4", 0.9, True, "4. Registar (Register)", vitals("4"), found()),
        StepTiming("registration", "5", 0.8, True, TERMS, vitals("5"), found(*bad, new=new)),
        StepTiming(
            "registration",
            "6",
            0.4,
            True,
            "6. Tipo de conta (type of account)",
            vitals("6", loaded=False, inp_s=0.232),
            found(*bad, new=False, same_as="5"),
        ),
        StepTiming(
            "registration",
            "7",
            0.5,
            True,
            "7. Dados de identificação (identification details)",
            vitals("7", loaded=False),
            found(*bad, new=False, same_as="5"),
        ),
    ]
    # The figures name their step as the observer does.
    steps = [replace(s, vitals=replace(s.vitals, title=s.title)) for s in steps if s.vitals]
    steps = [s for s in steps if int(s.step) <= until]
    if until < 7:  # the check failed at this step: no audit of an error page
        steps[-1] = replace(steps[-1], duration_s=4.0, passed=False, a11y=None)
    outcome = "success" if until == 7 else "failure"
    return CheckResult(
        check,
        T0 + timedelta(minutes=minutes),
        outcome,
        12.0,
        reason="" if until == 7 else "portal_unavailable",
        steps=steps,
    )
