"""``sentinel audit``: the accessibility (and Web Vitals) of every screen of the documented flows.

Each flow asked for (all by default) runs once, for a fresh synthetic citizen, through the one
journey with the accessibility and Web Vitals observers, each screen audited once (one
``AuditCache`` for the run). The reports go into ``--out``:

- ``index.html``: per flow and step, the screen's violations (rule, impact, how many elements
  and where, help and its link, new or in the baseline) and its Web Vitals; one
  self-contained page, readable on a phone.
- ``audit.json``: the same, for machines.

A baseline (``--baseline FILE``, by default ``accessibility-baseline.json`` in ``--out``) lists
the violations a team has accepted, by flow, step and rule; the command exits 1 when a screen
has a violation it does not list, 0 otherwise, 2 on a wrong setting. ``--update-baseline``
writes what was found as the baseline (keeping the entries of the flows not run) and exits 0.

Nothing personal is kept: the violations are as ``runtime.accessibility`` keeps them (the
elements' selectors with quoted values, long numbers and the citizen's data masked, axe's
HTML snippets dropped), and a failed flow's message has the citizen's data and every long run
of digits masked.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import jinja2
from faker import Faker
from playwright.sync_api import Browser, sync_playwright

from flows import catalog
from flows.context import NOBODY, Citizen, CodeSource
from flows.errors import FlowError
from runtime.accessibility import (
    IMPACTS,
    MASK,
    WCAG_TAGS,
    AccessibilityObserver,
    AuditCache,
    Baseline,
    StepAudit,
    Violation,
    axe_version,
)
from runtime.browser import connect_headers, launch_options
from runtime.citizens import provision, synthetic_faker
from runtime.codes import CodeSettings, open_codes
from runtime.journey import Journey, NeedsTestControl, needs_test_control, new_context
from runtime.network import Network
from runtime.targets import Target, open_target
from runtime.testapi import TestControl
from runtime.tokens import TOKEN_ENV
from runtime.usage import UsageError
from runtime.vitals import StepVitals, VitalsObserver

DEFAULT_OUT = Path("reports/audit")
BASELINE_NAME = "accessibility-baseline.json"
HTML_NAME = "index.html"
JSON_NAME = "audit.json"
REPORT_VERSION = 1
TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class Options:
    target: str = "mock"
    flows: list[str] = field(default_factory=list)  # empty: every flow
    baseline: Path | None = None  # None: BASELINE_NAME in ``out``
    update_baseline: bool = False
    out: Path = DEFAULT_OUT
    network: Network | None = None
    test_token: str | None = field(default=None, repr=False)  # a repr is printed
    connect: str | None = None
    codes: CodeSettings = field(default_factory=CodeSettings)
    channel: str = "sms"

    @property
    def names(self) -> list[str]:
        return self.flows or list(catalog.FLOWS)

    @property
    def baseline_path(self) -> Path:
        return self.baseline if self.baseline is not None else self.out / BASELINE_NAME


@dataclass
class FlowAudit:
    """One flow's audit: each step's (the last try of a step the runner ran twice) and, when
    the flow stopped, why (masked)."""

    name: str
    title: str
    audits: list[StepAudit]
    vitals: list[StepVitals]
    error: str = ""

    @property
    def passed(self) -> bool:
        return not self.error

    def steps(self) -> list[tuple[StepAudit, StepVitals | None]]:
        """Each step once, in the flow's order, with its vitals when there are any."""
        audits = {audit.step: audit for audit in self.audits}
        vitals = {found.step: found for found in self.vitals}
        return [(audit, vitals.get(number)) for number, audit in audits.items()]


# -- running the flows --------------------------------------------------------------------


def account_for(name: str) -> str | None:
    """The account a seeded citizen starts with to run flow ``name`` without the flows it
    requires: registered (``pending``) for activation, active for what comes after it."""
    required = {flow.name for flow in catalog.with_prerequisites([name])} - {name}
    if "activation" in required:
        return "active"
    return "pending" if "registration" in required else None


def audit_flow(
    browser: Browser,
    target: Target,
    codes: CodeSource,
    api: TestControl | None,
    name: str,
    *,
    cache: AuditCache,
    network: Network | None = None,
    channel: str = "sms",
    fake: Faker | None = None,
) -> FlowAudit:
    """Run flow ``name`` once for a fresh citizen and audit its own steps (those of the flows
    it requires run first, unaudited, unless the portal can seed the account they leave)."""
    flow = catalog.FLOWS[name]
    citizen, prerequisites = _citizen(target, api, name, channel, fake or synthetic_faker())
    accessibility, vitals = AccessibilityObserver(cache), VitalsObserver()
    journey = Journey(
        target.url,
        codes,
        [accessibility, vitals],
        observe_prerequisites=False,
        network=network,
    )
    error = ""
    with new_context(browser) as context:
        try:
            journey.run(
                context.new_page(), name, citizen, channel=channel, prerequisites=prerequisites
            )
        except FlowError as failure:
            error = masked(str(failure), citizen.secrets())
    return FlowAudit(name, flow.title, accessibility.audits, vitals.steps, error)


def _citizen(
    target: Target, api: TestControl | None, name: str, channel: str, fake: Faker
) -> tuple[Citizen, bool]:
    """Who runs flow ``name``, and whether the flows it requires must run first."""
    missing = needs_test_control([name])
    if missing is None:
        return NOBODY, True
    if api is None:
        raise NeedsTestControl(missing)
    account = account_for(name) if "accounts" in target.capabilities else None
    citizen = provision(api, fake, channel=channel, cmd=name == "cmd", account=account)
    return citizen, account is None


def masked(text: str, secrets: Iterable[str]) -> str:
    """``text`` with each of ``secrets`` and every run of four digits or more masked."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = re.sub(re.escape(secret), MASK, text, flags=re.IGNORECASE)
    return re.sub(r"\d{4,}", MASK, text)


# -- what was found -----------------------------------------------------------------------


def every_audit(flows: Iterable[FlowAudit]) -> list[StepAudit]:
    return [audit for flow in flows for audit, _ in flow.steps()]


def new_violations(
    flows: Iterable[FlowAudit], baseline: Baseline
) -> list[tuple[StepAudit, Violation]]:
    """Each violation the baseline does not accept, once per screen."""
    return baseline.new(every_audit(flows))


def updated_baseline(old: Baseline, flows: Sequence[FlowAudit]) -> Baseline:
    """The baseline of what ``flows`` found, with ``old``'s entries of the flows not run.

    A violation is accepted at every step that showed it, those on the same screen as an
    earlier one included: whether a step still shows that screen is told from its markup,
    and a run where it does not (a screen read before its style sheet came, say) must not
    find the violations new there."""
    ran = {flow.name for flow in flows}
    kept = {known for known in old.known if known.flow not in ran}
    return Baseline(kept | Baseline.of(every_audit(flows)).known)


def impact_counts(violations: Iterable[Violation]) -> dict[str, int]:
    counts = {impact: 0 for impact in reversed(IMPACTS)}  # the gravest first
    for violation in violations:
        counts[violation.impact] += 1
    return counts


def report_data(
    flows: Sequence[FlowAudit],
    baseline: Baseline,
    *,
    target: str,
    baseline_path: Path | None,
    network: Network | None = None,
    generated: datetime | None = None,
) -> dict[str, Any]:
    """The audit as the JSON report holds it (and the HTML report shows it)."""
    fresh = {(a.flow, a.step, v.rule) for a, v in new_violations(flows, baseline)}
    described = [_flow_data(flow, fresh) for flow in flows]
    return {
        "report": "portal-sentinel accessibility audit",
        "version": REPORT_VERSION,
        "generated": (generated or datetime.now(UTC)).isoformat(timespec="seconds"),
        "target": target,
        "axe_core": axe_version(),
        "tags": list(WCAG_TAGS),
        "network": network.name if network else None,
        "baseline": str(baseline_path) if baseline_path else None,
        "counts": _sum(flow["counts"] for flow in described),
        "new": sum(flow["new"] for flow in described),
        "failed_flows": [flow.name for flow in flows if not flow.passed],
        "flows": described,
    }


def _flow_data(flow: FlowAudit, fresh: set[tuple[str, str, str]]) -> dict[str, Any]:
    steps = [_step_data(audit, vitals, fresh) for audit, vitals in flow.steps()]
    screens = [step for step in steps if not step["same_as"]]
    return {
        "name": flow.name,
        "title": flow.title,
        "passed": flow.passed,
        "error": flow.error or None,
        "counts": _sum(step["counts"] for step in screens),
        "new": sum(step["new"] for step in screens),
        "steps": steps,
    }


def _step_data(
    audit: StepAudit, vitals: StepVitals | None, fresh: set[tuple[str, str, str]]
) -> dict[str, Any]:
    violations = [
        {
            "rule": v.rule,
            "impact": v.impact,
            "help": v.help,
            "help_url": v.help_url,
            "nodes": v.nodes,
            "targets": list(v.targets),
            "new": not audit.same_as and (audit.flow, audit.step, v.rule) in fresh,
        }
        for v in sorted(audit.violations, key=lambda v: (-IMPACTS.index(v.impact), v.rule))
    ]
    return {
        "number": audit.step,
        "title": audit.title,
        "same_as": audit.same_as or None,
        "cached": audit.cached,
        "audited": audit.audited,
        # Why a screen could not be audited, as the browser said it, masked.
        "error": masked(audit.error, ()) if audit.error else None,
        "counts": dict(impact_counts(audit.violations)) if not audit.same_as else {},
        "new": sum(1 for v in violations if v["new"]),
        "violations": violations,
        "vitals": _vitals_data(vitals),
    }


def _vitals_data(vitals: StepVitals | None) -> dict[str, Any] | None:
    if vitals is None:
        return None
    return {
        "loaded": vitals.loaded,
        **{f"{name}_s": round(value, 4) for name, value in vitals.seconds().items()},
        "cls": round(vitals.cls, 4) if vitals.cls is not None else None,
        "requests": vitals.requests,
        "transfer_bytes": vitals.transfer_bytes,
        "text": vitals.text(),
    }


def _sum(counts: Iterable[dict[str, int]]) -> dict[str, int]:
    total = {impact: 0 for impact in reversed(IMPACTS)}
    for each in counts:
        for impact, count in each.items():
            total[impact] += count
    return total


def impacts_text(counts: dict[str, int]) -> str:
    """``2 critical, 1 serious``, or ``none``."""
    return ", ".join(f"{n} {impact}" for impact, n in counts.items() if n) or "none"


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        auto_reload=False,  # the template ships with the package
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["impacts_text"] = impacts_text
    return environment


def to_html(data: dict[str, Any]) -> str:
    return _environment().get_template("audit.html").render(audit=data)


def write_reports(out: Path, data: dict[str, Any]) -> tuple[Path, Path]:
    """``index.html`` and ``audit.json`` in ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    page, document = out / HTML_NAME, out / JSON_NAME
    page.write_text(to_html(data), encoding="utf-8")
    document.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return page, document


# -- the command --------------------------------------------------------------------------


def load_baseline(options: Options) -> Baseline:
    """The baseline to compare with: ``--baseline``'s (which must exist, unless it is to be
    written), else the one in ``--out`` when there is one, else none. ``UsageError`` when the
    file is not a baseline."""
    path = options.baseline_path
    if not path.exists() and (options.baseline is None or options.update_baseline):
        return Baseline()
    try:
        return Baseline.load(path)
    except ValueError as error:
        raise UsageError(f"--baseline: {error}") from None


Say = Callable[[str], None]


def shown_target(target: Target) -> str:
    """The portal as the reports name it: the bundled mock, or its URL without credentials,
    query or fragment."""
    if target.bundled:
        return "the bundled mock"
    parts = urlsplit(target.url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def run(options: Options, say: Say = print) -> int:
    """Audit the flows, write the reports, say what was found; the command's exit code."""
    if options.out.exists() and not options.out.is_dir():
        # Said before any flow runs, as a setting (exit 1 means violations found).
        raise UsageError(f"--out {options.out} is not a folder")
    baseline = load_baseline(options)
    with _session(options) as (target, api, codes, browser):
        cache = AuditCache()
        flows = []
        for name in options.names:
            flow = audit_flow(
                browser,
                target,
                codes,
                api,
                name,
                cache=cache,
                network=options.network,
                channel=options.channel,
            )
            flows.append(flow)
            say(summary_line(flow, baseline))
        shown = shown_target(target)
    written = updated_baseline(baseline, flows) if options.update_baseline else baseline
    path = options.baseline_path
    data = report_data(
        flows,
        written,
        target=shown,
        baseline_path=path if path.exists() or options.update_baseline else None,
        network=options.network,
    )
    page, document = write_reports(options.out, data)
    say(f"Audit report: {page}")
    say(f"JSON report:  {document}")
    failed = [flow for flow in flows if not flow.passed]
    for flow in failed:
        say(f"{flow.name} did not finish, so its later screens were not audited: {flow.error}")
    unaudited = [audit for audit in every_audit(flows) if not audit.audited]
    for audit in unaudited:
        say(f"step {audit.title} of {audit.flow} could not be audited: {masked(audit.error, ())}")
    if options.update_baseline:
        if failed:
            say(f"Baseline not written: {', '.join(f.name for f in failed)} did not finish.")
            return 1
        written.save(options.baseline_path)
        say(f"Baseline written: {options.baseline_path} ({len(written.known)} accepted)")
        return 0
    return verdict(flows, baseline, options.baseline_path, say, failed=bool(failed or unaudited))


def verdict(
    flows: Sequence[FlowAudit], baseline: Baseline, path: Path, say: Say, *, failed: bool
) -> int:
    """1 when a screen has a violation the baseline does not accept, or the audit is not
    whole; each new violation said on a line of its own."""
    from runtime.accessibility import describe

    new = new_violations(flows, baseline)
    for audit, violation in sorted(new, key=lambda found: -IMPACTS.index(found[1].impact)):
        say(f"new: {describe(audit, violation)}")
    if new:
        accepted = f"{path}" if path.exists() else "none yet"
        say(
            f"{len(new)} violation{'s' if len(new) != 1 else ''} not in the baseline "
            f"({accepted}); once they are known, accept them with --update-baseline."
        )
    elif not failed:
        say("No violations outside the baseline.")
    return 1 if new or failed else 0


def summary_line(flow: FlowAudit, baseline: Baseline) -> str:
    """``registration: 10 steps, 7 screens, 3 violations (2 critical, 1 serious), 3 new``."""
    steps = flow.steps()
    screens = [audit for audit, _ in steps if not audit.same_as]
    counts = impact_counts(v for audit in screens for v in audit.violations)
    total = sum(counts.values())
    found = impacts_text(counts)
    new = len(baseline.new(audit for audit, _ in steps))
    line = f"{flow.name}: {len(steps)} steps, {len(screens)} screens, "
    line += f"{total} violation{'s' if total != 1 else ''}"
    line += f" ({found}), {new} new" if total else ""
    return line + ("" if flow.passed else " (the flow did not finish)")


@contextlib.contextmanager
def _session(
    options: Options,
) -> Iterator[tuple[Target, TestControl | None, CodeSource, Browser]]:
    """The target, its test-control API (None without a token), the code source and a
    browser, for the ``with`` block."""
    with contextlib.ExitStack() as stack:
        flows = catalog.with_prerequisites(options.names)
        scratch = stack.enter_context(_scratch())
        target = stack.enter_context(
            open_target(
                options.target, flows, token=options.test_token, database=scratch / "portal.db"
            )
        )
        missing = needs_test_control(options.names)
        if missing and not target.token:
            raise UsageError(
                f"{missing}: set ${TOKEN_ENV} or pass --test-token-file "
                "(or audit the read-only screens only: --flow portal)"
            )
        api = stack.enter_context(target.test_control()) if target.token else None
        codes = stack.enter_context(open_codes(options.codes, api))
        playwright = stack.enter_context(sync_playwright())
        if options.connect:
            browser = playwright.chromium.connect(options.connect, headers=connect_headers())
        else:
            browser = playwright.chromium.launch(**launch_options())
        stack.callback(browser.close)
        yield target, api, codes, browser


@contextlib.contextmanager
def _scratch() -> Iterator[Path]:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="sentinel-audit-") as folder:
        yield Path(folder)
