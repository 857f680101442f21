"""Accessibility of every screen a flow lands on: axe-core's WCAG 2.0/2.1 A and AA rules.

An observer of the one runner (``flows.runner``)::

    audits = AccessibilityObserver()
    Journey(url, codes, observers=[audits]).run(page, "registration", citizen)
    for audit in audits.audits:          # one per documented step
        print(audit.flow, audit.step, [v.rule for v in audit.violations])

After each step it looks at the screen the step left the browser on. A screen is audited once:
a step that only types into a field leaves the same screen (its ``same_as`` names the step
whose audit holds), and a screen seen before in the same ``AuditCache`` (the same markup,
whatever was typed) is not audited again. axe-core is the copy that ``axe-playwright-python``
ships (pinned in constraints.txt), injected once per page load.

What is kept has nothing personal: each violation's rule, impact, help text and link, how many
elements fail it, and their CSS selectors with quoted values, long digit runs and the
citizen's data masked. axe's HTML snippets, which can hold typed values, are dropped.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache, partial
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from flows.context import Run
from flows.flow import Flow, Step
from flows.runner import Observer, StepResult

# The rules of WCAG 2.0 and 2.1, levels A and AA: what EN 301 549 asks of a public portal.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
IMPACTS = ("minor", "moderate", "serious", "critical")
# What fails a test under ``--a11y fail`` and pages an operator when new.
BLOCKING = ("serious", "critical")
A11Y_MODES = ("off", "report", "fail")
MASK = "•••"

_AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": list(WCAG_TAGS)},
    "resultTypes": ["violations"],
    # No element references or snippets come back that the report would have to drop.
    "elementRef": False,
}
# The violations without axe's HTML snippets (which hold what was typed): only what is kept.
_RUN_AXE = """async (options) => {
  const results = await window.__sentinelAxe.run(document, options);
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact || 'minor', help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map((node) => node.target.flat().join(' ')),
  }));
}"""
# A fingerprint of the screen's markup: tags, the attributes that make a screen accessible or
# not, and its text, never a field's value (a hidden CSRF token differs on every load, and a
# typed value leaves the screen what it was). Two screens with one fingerprint get one audit.
_FINGERPRINT = """() => {
  const keep = new RegExp('^(id|class|role|type|name|for|alt|title|href|src|style|hidden|'
    + 'disabled|open|lang|tabindex|placeholder|aria-.*)$');
  const parts = [location.pathname];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.textContent.trim();
      if (text) parts.push('"' + text);
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const attributes = [...node.attributes].filter((a) => keep.test(a.name))
      .map((a) => a.name + '=' + a.value);
    if (node.tagName === 'INPUT' && /^(submit|button|reset)$/i.test(node.type)) {
      attributes.push('value=' + node.value);
    }
    parts.push('<' + node.tagName + ' ' + attributes.join(' '));
    for (const child of node.childNodes) walk(child);
    parts.push('>');
  };
  walk(document.documentElement);
  for (const sheet of document.styleSheets) parts.push('css=' + (sheet.href || ''));
  const text = parts.join('\\n');
  let a = 0x811c9dc5, b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 16777619) >>> 0;
    b = Math.imul(b + c, 2246822519) >>> 0;
  }
  return text.length + ':' + a.toString(16) + ':' + b.toString(16);
}"""
# Our axe-core is kept under a name of its own, and the page's ``window.axe`` (a portal may
# bundle another version, or a page may fake one) is given back: the audit is always ours.
_HAS_AXE = """(version) => {
  const ours = window.__sentinelAxe;
  return typeof ours === 'object' && typeof ours.run === 'function' && ours.version === version;
}"""
_INJECT = """(source) => {
  const theirs = Object.getOwnPropertyDescriptor(window, 'axe');
  (0, eval)(source);
  window.__sentinelAxe = window.axe;
  if (theirs) Object.defineProperty(window, 'axe', theirs); else delete window.axe;
}"""


@cache
def axe_source() -> str:
    """The axe-core script that ``axe-playwright-python`` ships."""
    # Read as a resource: the package's Python side (untyped) is not needed.
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_version() -> str:
    match = re.search(r"axe v(\d+\.\d+\.\d+)", axe_source()[:500])
    return match.group(1) if match else "unknown"


@dataclass(frozen=True)
class Violation:
    """One axe rule a screen breaks: nothing personal (see the module's docstring)."""

    rule: str
    impact: str
    help: str
    help_url: str
    nodes: int
    targets: tuple[str, ...] = ()

    @property
    def blocking(self) -> bool:
        return self.impact in BLOCKING


@dataclass(frozen=True)
class StepAudit:
    """The accessibility of the screen one documented step left the browser on.

    ``same_as``: the number of the earlier step of the flow whose screen this still is (its
    audit holds); ``cached``: the screen was audited before, elsewhere in the run; ``error``:
    why no audit could be made (a crashed page, a download)."""

    flow: str
    step: str
    title: str
    violations: tuple[Violation, ...] = ()
    same_as: str = ""
    cached: bool = False
    seconds: float = 0.0
    error: str = ""

    @property
    def audited(self) -> bool:
        return not self.error

    def counts(self) -> dict[str, int]:
        """How many rules of each impact this screen breaks (every impact, zeros included)."""
        found = {impact: 0 for impact in IMPACTS}
        for violation in self.violations:
            found[violation.impact] = found.get(violation.impact, 0) + 1
        return found


class AuditCache:
    """Audits by screen fingerprint, shared by the observers of one session (a test suite
    revisits the same screens hundreds of times). A monitor check uses a cache of its own, so
    a portal that changes is seen at the next check."""

    def __init__(self) -> None:
        self._found: dict[str, tuple[Violation, ...]] = {}

    def get(self, fingerprint: str) -> tuple[Violation, ...] | None:
        return self._found.get(fingerprint)

    def put(self, fingerprint: str, violations: tuple[Violation, ...]) -> None:
        self._found[fingerprint] = violations


def audit_page(page: Page, secrets: Sequence[str] = ()) -> tuple[Violation, ...]:
    """axe-core's WCAG A and AA violations on ``page`` now, masked (``secrets``: values to mask
    wherever they appear, the citizen's data)."""
    if not page.evaluate(_HAS_AXE, axe_version()):
        page.evaluate(_INJECT, axe_source())
    found = page.evaluate(_RUN_AXE, _AXE_OPTIONS)
    return tuple(_violation(item, secrets) for item in found)


def _violation(item: dict[str, Any], secrets: Sequence[str]) -> Violation:
    targets = tuple(mask_selector(str(target), secrets) for target in item.get("targets", []))
    impact = str(item.get("impact") or "minor")
    return Violation(
        rule=str(item["id"]),
        impact=impact if impact in IMPACTS else "minor",
        help=mask_text(str(item.get("help", ""))[:300], secrets),
        # Only a web page is linked: a report must not carry a ``javascript:`` link.
        help_url=url if (url := str(item.get("helpUrl", ""))[:300]).startswith("https://") else "",
        nodes=len(targets),
        targets=targets[:10],
    )


_QUOTED = re.compile(r"""(["'])(?:\\.|(?!\1).)*\1""")
_DIGITS = re.compile(r"\d{4,}")
# A CSS escape: a code point in hex (ended by one optional space) or one character as it is.
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})\s?|(.))", re.DOTALL)


def mask_selector(selector: str, secrets: Sequence[str] = ()) -> str:
    """A CSS selector with what could be data masked: quoted attribute values, runs of four or
    more digits, and each of ``secrets``.

    Ids and class names are read unescaped first: axe writes ``id="Ana D'Ávila"`` as
    ``#Ana\\ D\\'Ávila`` and ``id="123..."`` as ``#\\31 23...``, which would hide a secret
    or a number from the masking."""
    masked = _QUOTED.sub(lambda m: m.group(1) + MASK + m.group(1), selector)
    masked = _CSS_ESCAPE.sub(_unescaped, masked)
    return _DIGITS.sub(MASK, mask_text(masked, secrets))


def mask_text(text: str, secrets: Sequence[str]) -> str:
    """``text`` with each of ``secrets`` masked, as it is and as a page may write it in an
    attribute: percent-encoded, or in base64."""
    forms = {form for secret in secrets if secret for form in _encodings(secret)}
    for form in sorted(forms, key=len, reverse=True):
        text = re.sub(re.escape(form), MASK, text, flags=re.IGNORECASE)
    return text


def _encodings(secret: str) -> list[str]:
    raw = secret.encode("utf-8")
    encoded = [
        secret,
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
        base64.b64encode(raw).decode("ascii"),
        base64.urlsafe_b64encode(raw).decode("ascii"),
    ]
    # Unpadded base64 too; a case-insensitive match of a short one would mask ordinary words.
    return [form.rstrip("=") for form in encoded if len(form.rstrip("=")) >= 4]


def _unescaped(escape: re.Match[str]) -> str:
    if escape.group(2) is not None:
        return escape.group(2)
    point = int(escape.group(1), 16)
    return chr(point) if 0 < point <= 0x10FFFF and not 0xD800 <= point <= 0xDFFF else "\ufffd"


class AccessibilityObserver(Observer):
    """Audits the screen each documented step leaves the browser on (see the module)."""

    def __init__(self, cache: AuditCache | None = None) -> None:
        self.cache = cache if cache is not None else AuditCache()
        self.audits: list[StepAudit] = []
        self._flow = ""
        self._screen: tuple[int, str, str] | None = None  # page, fingerprint, step audited

    def flow_started(self, flow: Flow, run: Run) -> None:
        self._flow = flow.name
        self._screen = None

    def step_finished(self, step: Step, run: Run, result: StepResult) -> None:
        if not result.passed:
            # What a failed step left may be the browser's own error page, not the portal's
            # screen: its violations are nobody's to fix (the failure is the step's report).
            where = partial(StepAudit, self._flow, step.number, step.title)
            self.audits.append(where(error="the step failed: its screen is not audited"))
            self._screen = None
            return
        self.audits.append(self._audit(step, run))

    def of_flow(self, flow: str) -> list[StepAudit]:
        return [audit for audit in self.audits if audit.flow == flow]

    def latest(self) -> StepAudit | None:
        return self.audits[-1] if self.audits else None

    def _audit(self, step: Step, run: Run) -> StepAudit:
        started = time.perf_counter()
        where = partial(StepAudit, self._flow, step.number, step.title)
        # A step ends when its next screen can be used, which on a busy machine or a slow
        # network can be before its style sheets came: audited then, the screen would look
        # like another one (contrast unknown, its next step taken for a new screen).
        with contextlib.suppress(PlaywrightError):  # still loading at the limit: seen as it is
            run.page.wait_for_load_state("load", timeout=run.timeout_ms)
        try:
            fingerprint = str(run.page.evaluate(_FINGERPRINT))
            if self._screen and self._screen[:2] == (id(run.page), fingerprint):
                previous = next(a for a in reversed(self.audits) if a.step == self._screen[2])
                return where(violations=previous.violations, same_as=self._screen[2])
            known = self.cache.get(fingerprint)
            violations = known if known is not None else audit_page(run.page, run.citizen.secrets())
            self.cache.put(fingerprint, violations)
        except Exception as error:
            # A page that crashed or is mid-navigation has no screen to audit: the step's own
            # result says what happened to it.
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            return where(error=first[:200], seconds=time.perf_counter() - started)
        self._screen = (id(run.page), fingerprint, step.number)
        return where(
            violations=violations,
            cached=known is not None,
            seconds=time.perf_counter() - started,
        )


# -- the baseline: the violations a team has accepted, so that only new ones count ----------

BASELINE_VERSION = 1
# Far above any portal's: one entry per flow, step and rule is a few dozen bytes.
MAX_BASELINE_BYTES = 5_000_000


@dataclass(frozen=True, order=True)
class Known:
    """A violation the baseline accepts: this rule at this step of this flow."""

    flow: str
    step: str
    rule: str


@dataclass
class Baseline:
    known: set[Known] = field(default_factory=set)

    @classmethod
    def of(cls, audits: Iterable[StepAudit]) -> Baseline:
        return cls({Known(a.flow, a.step, v.rule) for a in audits for v in a.violations})

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """The baseline in ``path``; a file that is not one raises ValueError saying why."""
        try:
            # A device or a pipe could be read for ever; a baseline is a small JSON file.
            if path.exists() and not path.is_file():
                raise ValueError(f"cannot read the baseline {path}: not a file")
            if path.exists() and path.stat().st_size > MAX_BASELINE_BYTES:
                raise ValueError(
                    f"cannot read the baseline {path}: larger than "
                    f"{MAX_BASELINE_BYTES // 1_000_000} MB, not one `sentinel audit "
                    "--update-baseline` writes"
                )
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"cannot read the baseline {path}: {error}") from None
        try:
            return cls(set(_known_entries(json.loads(text))))
        except (json.JSONDecodeError, _NotABaseline) as error:
            raise ValueError(
                f"{path} is not an accessibility baseline (one is written by `sentinel audit "
                f"--update-baseline`): {error}"
            ) from None

    def save(self, path: Path) -> None:
        data = {
            "version": BASELINE_VERSION,
            "axe_core": axe_version(),
            "tags": list(WCAG_TAGS),
            "violations": [asdict(known) for known in sorted(self.known)],
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def new(self, audits: Iterable[StepAudit]) -> list[tuple[StepAudit, Violation]]:
        """Each violation of ``audits`` the baseline does not accept, once per screen (a step
        on the same screen as an earlier one repeats its violations, not new ones)."""
        return [
            (audit, violation)
            for audit in audits
            if not audit.same_as
            for violation in audit.violations
            if Known(audit.flow, audit.step, violation.rule) not in self.known
        ]


class _NotABaseline(Exception):
    """What is wrong with a file read as a baseline."""


def _known_entries(data: Any) -> Iterable[Known]:
    if not isinstance(data, dict) or not isinstance(data.get("violations"), list):
        raise _NotABaseline('it has no "violations" list')
    version = data.get("version", BASELINE_VERSION)
    if version != BASELINE_VERSION:
        raise _NotABaseline(f"its version is {version!r}, this harness reads {BASELINE_VERSION}")
    for number, entry in enumerate(data["violations"], start=1):
        keys = ("flow", "step", "rule")
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in keys):
            raise _NotABaseline(f"violation {number} is not a flow, a step and a rule (text)")
        yield Known(entry["flow"], entry["step"], entry["rule"])


def blocking(found: Iterable[tuple[StepAudit, Violation]]) -> list[tuple[StepAudit, Violation]]:
    """Those of ``found`` that are serious or critical, the gravest first (in step order)."""
    chosen = [(audit, violation) for audit, violation in found if violation.blocking]
    return sorted(chosen, key=lambda pair: -IMPACTS.index(pair[1].impact))


def describe(audit: StepAudit, violation: Violation) -> str:
    """``step 4. Registar (Register) of registration: image-alt (critical, 1 element)``."""
    count = f"{violation.nodes} element{'s' if violation.nodes != 1 else ''}"
    return (
        f"step {audit.title} of {audit.flow}: {violation.rule} ({violation.impact}, {count}): "
        f"{violation.help} {violation.help_url}"
    )
