"""The accessibility audit's own logic, without a browser: masking, the baseline, the report."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from flows.context import Citizen
from runtime import accessibility
from runtime.accessibility import (
    BASELINE_VERSION,
    MASK,
    WCAG_TAGS,
    AccessibilityObserver,
    AuditCache,
    Baseline,
    Known,
    StepAudit,
    Violation,
    audit_page,
    blocking,
    describe,
    mask_selector,
)

CITIZEN = Citizen(
    niss="12345678903",
    name="Inês Conceição D'Ávila",
    birth_date=date(1985, 3, 2),
    password="Sê gr+&<\"'o!9Qz",
    email="ines.avila+sentinel&co@exemplo.pt",
    mobile="+447700900123",
)
IMAGE_ALT = Violation(
    "image-alt", "critical", "Images must have alternative text", "https://x/image-alt", 1
)
LABEL = Violation("label", "critical", "Form elements must have labels", "https://x/label", 2)
CONTRAST = Violation("color-contrast", "serious", "Enough contrast", "https://x/contrast", 1)
REGION = Violation("region", "moderate", "Content in landmarks", "https://x/region", 3)


def audit(step: str, *violations: Violation, flow: str = "registration", **more: Any):
    return StepAudit(flow, step, f"{step}. Passo {step}", tuple(violations), **more)


# -- masking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("selector", "masked"),
    [
        ('input[name="niss"]', f'input[name="{MASK}"]'),
        ("a[href='/perfil?x=1']", f"a[href='{MASK}']"),
        # A quote escaped inside a value does not end it.
        ('input[name="a\\"b c"] > b', f'input[name="{MASK}"] > b'),
        ('img[src$="foto.png"], a[title="x"]', f'img[src$="{MASK}"], a[title="{MASK}"]'),
    ],
)
def test_quoted_values_are_masked_whatever_their_quotes(selector: str, masked: str) -> None:
    assert mask_selector(selector) == masked


def test_runs_of_four_or_more_digits_are_masked_shorter_ones_kept() -> None:
    assert mask_selector("#pedido-12345678903") == f"#pedido-{MASK}"
    assert mask_selector("#ano-1985 > li:nth-child(12)") == f"#ano-{MASK} > li:nth-child(12)"


def test_an_escaped_number_is_masked_whole() -> None:
    # axe writes an id starting with a digit as a CSS escape: "\31 2345678903".
    assert mask_selector("#\\31 2345678903") == f"#{MASK}"


def test_the_citizen_s_secrets_are_masked_in_any_letter_case_and_escaped() -> None:
    secrets = CITIZEN.secrets()
    assert mask_selector("#INES.AVILA+SENTINEL&CO@EXEMPLO.PT", secrets) == f"#{MASK}"
    # axe escapes spaces, apostrophes, dots and @ in ids and class names.
    escaped = "#Inês\\ Conceição\\ D\\'Ávila > .ines\\.avila\\+sentinel\\&co\\@exemplo\\.pt"
    masked = mask_selector(escaped, secrets)
    assert masked == f"#{MASK} > .{MASK}"
    # A word of the name on its own is a secret too.
    assert mask_selector(".cartao-conceição", secrets) == f".cartao-{MASK}"


def test_without_secrets_an_ordinary_selector_is_unchanged() -> None:
    assert mask_selector("main > form .field:nth-child(3) > input", ()) == (
        "main > form .field:nth-child(3) > input"
    )


def test_a_selector_with_every_kind_of_data_keeps_none_of_it() -> None:
    selector = (
        f'#{CITIZEN.niss} .Conceição input[value="{CITIZEN.password}"] '
        f"a[href='mailto:{CITIZEN.email}']"
    )
    masked = mask_selector(selector, CITIZEN.secrets())
    for secret in CITIZEN.secrets():
        assert secret.lower() not in masked.lower()


class FakePage:
    """What audit_page and the observer ask of a page: axe's answer, a fingerprint."""

    def __init__(self, found: list[dict[str, Any]], fingerprint: str = "screen-1") -> None:
        self.found = found
        self.fingerprint = fingerprint
        self.audits = 0
        self.waited: list[str] = []

    def wait_for_load_state(self, state: str, timeout: float) -> None:
        self.waited.append(state)

    def evaluate(self, script: str, arg: Any = None) -> Any:
        if script == accessibility._HAS_AXE:
            return True
        if script == accessibility._FINGERPRINT:
            if isinstance(self.fingerprint, Exception):
                raise self.fingerprint
            return self.fingerprint
        assert script == accessibility._RUN_AXE
        assert arg["runOnly"] == {"type": "tag", "values": list(WCAG_TAGS)}
        self.audits += 1
        return self.found


def test_audit_page_keeps_rule_impact_help_and_masked_targets_only() -> None:
    page = FakePage(
        [
            {
                "id": "label",
                "impact": "critical",
                "help": "Form elements must have labels",
                "helpUrl": "https://dequeuniversity.com/rules/axe/4.10/label",
                "targets": [f'input[name="{CITIZEN.niss}"]'] * 12,
            },
            {"id": "odd", "impact": None, "help": "?", "helpUrl": "", "targets": ["p"]},
            {"id": "new", "impact": "catastrophic", "targets": []},
        ]
    )
    label, odd, new = audit_page(page, CITIZEN.secrets())  # type: ignore[arg-type]
    assert label == Violation(
        "label",
        "critical",
        "Form elements must have labels",
        "https://dequeuniversity.com/rules/axe/4.10/label",
        nodes=12,
        targets=(f'input[name="{MASK}"]',) * 10,  # every node counted, ten named
    )
    assert (odd.impact, new.impact, new.nodes) == ("minor", "minor", 0)


# -- the observer -------------------------------------------------------------------------


PASSED = SimpleNamespace(passed=True)


def observe(observer: AccessibilityObserver, flow: str, page: FakePage, *steps: str) -> None:
    run = SimpleNamespace(page=page, citizen=CITIZEN, timeout_ms=10_000)
    observer.flow_started(SimpleNamespace(name=flow), run)  # type: ignore[arg-type]
    for number in steps:
        step = SimpleNamespace(number=number, title=f"{number}. Passo")
        observer.step_finished(step, run, PASSED)  # type: ignore[arg-type]


def test_a_screen_is_audited_once_per_visit_and_once_per_cache() -> None:
    found = [{"id": "label", "impact": "critical", "help": "", "helpUrl": "", "targets": ["i"]}]
    page = FakePage(found)
    cache = AuditCache()
    first = AccessibilityObserver(cache)
    observe(first, "registration", page, "5", "6", "7")
    assert [a.same_as for a in first.audits] == ["", "5", "5"]
    assert all(a.violations == first.audits[0].violations for a in first.audits)
    assert page.audits == 1
    # Each screen was let finish loading (its style sheets decide its contrast) first.
    assert page.waited == ["load"] * 3
    # Another flow on the same screen: the cache answers; a new screen is audited.
    second = AccessibilityObserver(cache)
    observe(second, "login", page, "1")
    page.fingerprint = "screen-2"
    observe(second, "login", page, "2")
    assert [(a.cached, a.same_as) for a in second.audits] == [(True, ""), (False, "")]
    assert page.audits == 2


def test_a_page_that_cannot_be_audited_is_an_error_not_a_clean_screen() -> None:
    destroyed = RuntimeError("Execution context was destroyed\nmore")
    page = FakePage([], fingerprint=destroyed)  # type: ignore[arg-type]
    observer = AccessibilityObserver()
    observe(observer, "registration", page, "3")
    [found] = observer.audits
    assert not found.audited
    assert found.error == "Execution context was destroyed"


# -- counts, describe, blocking ------------------------------------------------------------


def test_counts_holds_every_impact_zeros_included() -> None:
    assert audit("1").counts() == {"minor": 0, "moderate": 0, "serious": 0, "critical": 0}
    found = audit("5", IMAGE_ALT, LABEL, CONTRAST, REGION).counts()
    assert found == {"minor": 0, "moderate": 1, "serious": 1, "critical": 2}


def test_describe_names_the_step_the_flow_the_rule_and_how_many() -> None:
    step = StepAudit("registration", "5", "5. Li e aceito os termos e condições", (LABEL,))
    assert describe(step, LABEL) == (
        "step 5. Li e aceito os termos e condições of registration: label (critical, "
        "2 elements): Form elements must have labels https://x/label"
    )
    assert "(critical, 1 element)" in describe(step, IMAGE_ALT)


def test_only_serious_and_critical_violations_block() -> None:
    found = [(audit("5"), v) for v in (IMAGE_ALT, LABEL, CONTRAST, REGION)]
    assert [v.rule for _, v in blocking(found)] == ["image-alt", "label", "color-contrast"]
    assert not REGION.blocking
    assert CONTRAST.blocking


# -- the baseline -------------------------------------------------------------------------

RUN = [
    audit("4"),
    audit("5", IMAGE_ALT, LABEL, CONTRAST),
    audit("6", IMAGE_ALT, LABEL, CONTRAST, same_as="5"),
    audit("7", IMAGE_ALT, LABEL, CONTRAST, same_as="5"),
    audit("8", error="Target page, context or browser has been closed"),
]


def test_a_baseline_round_trips_through_its_file(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "baseline.json"
    Baseline.of(RUN).save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == BASELINE_VERSION
    assert data["tags"] == list(WCAG_TAGS)
    assert data["axe_core"] == accessibility.axe_version() != "unknown"
    assert Baseline.load(path) == Baseline.of(RUN)
    assert Known("registration", "5", "label") in Baseline.load(path).known


def test_the_baseline_hides_what_it_knows_and_reports_a_new_violation() -> None:
    baseline = Baseline.of(RUN)
    assert baseline.new(RUN) == []
    later = [*RUN, audit("9", REGION), audit("5", LABEL, flow="password_reset")]
    later[1] = audit("5", IMAGE_ALT, LABEL, CONTRAST, REGION)
    found = [(a.flow, a.step, v.rule) for a, v in baseline.new(later)]
    # The same rule elsewhere (another step, another flow) is new there.
    assert found == [
        ("registration", "5", "region"),
        ("registration", "9", "region"),
        ("password_reset", "5", "label"),
    ]


def test_a_step_on_the_same_screen_is_not_counted_again() -> None:
    found = Baseline().new(RUN)
    assert [(a.step, v.rule) for a, v in found] == [
        ("5", "image-alt"),
        ("5", "label"),
        ("5", "color-contrast"),
    ]


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"not json", "is not an accessibility baseline"),
        (b"[]", 'it has no "violations" list'),
        (b'{"violations": {"flow": "x"}}', 'it has no "violations" list'),
        (b'{"version": 9, "violations": []}', "its version is 9, this harness reads 1"),
        (
            b'{"violations": [{"flow": "a", "step": "1", "rule": "r"}, {"flow": "a", "step": 2}]}',
            "violation 2 is not a flow, a step and a rule",
        ),
        (b'{"violations": ["label"]}', "violation 1 is not a flow, a step and a rule"),
    ],
)
def test_a_file_that_is_not_a_baseline_says_why(tmp_path: Path, content: bytes, said: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="is not an accessibility baseline") as raised:
        Baseline.load(path)
    assert said in str(raised.value)
    assert str(path) in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("make", ["missing", "folder", "binary"])
def test_an_unreadable_baseline_says_it_cannot_be_read(tmp_path: Path, make: str) -> None:
    path = tmp_path / "baseline.json"
    if make == "folder":
        path.mkdir()
    elif make == "binary":
        path.write_bytes(b"\xff\xfe\x00{")
    with pytest.raises(ValueError, match=f"cannot read the baseline {path}"):
        Baseline.load(path)


@pytest.mark.parametrize(
    "form",
    [
        lambda v: quote(v, safe=""),
        lambda v: quote_plus(v, safe=""),
        lambda v: base64.b64encode(v.encode()).decode(),
        lambda v: base64.urlsafe_b64encode(v.encode()).decode().rstrip("="),
    ],
    ids=["percent", "form-encoded", "base64", "base64url"],
)
def test_a_secret_a_page_wrote_encoded_is_masked_too(form) -> None:
    for secret in (CITIZEN.email, CITIZEN.password, CITIZEN.niss, CITIZEN.name):
        assert secret
        selector = f"#foto-{form(secret)} > img"
        masked = mask_selector(selector, CITIZEN.secrets())
        assert form(secret) not in masked, masked
        assert MASK in masked


def test_help_is_masked_and_only_a_web_page_is_linked() -> None:
    page = FakePage(
        [
            {
                "id": "image-alt",
                "impact": "critical",
                "help": f"Images of {CITIZEN.name} must have alternative text",
                "helpUrl": "javascript:alert('url')",
                "targets": ["img"],
            }
        ]
    )
    [found] = audit_page(page, CITIZEN.secrets())  # type: ignore[arg-type]
    assert CITIZEN.name not in found.help
    assert found.help == f"Images of {MASK} must have alternative text"
    assert found.help_url == ""


def test_a_failed_step_s_screen_is_not_audited() -> None:
    page = FakePage([{"id": "meta-viewport", "impact": "moderate", "targets": ["meta"]}])
    observer = AccessibilityObserver()
    run = SimpleNamespace(page=page, citizen=CITIZEN, timeout_ms=10_000)
    observer.flow_started(SimpleNamespace(name="login"), run)  # type: ignore[arg-type]
    step = SimpleNamespace(number="3", title="3. Passo")
    observer.step_finished(step, run, SimpleNamespace(passed=False))  # type: ignore[arg-type]
    [audit] = observer.audits
    assert not audit.audited
    assert audit.violations == ()
    assert audit.error == "the step failed: its screen is not audited"
    assert page.audits == 0


def test_the_gravest_new_violation_comes_first() -> None:
    serious = Violation("color-contrast", "serious", "", "", 1)
    critical = Violation("image-alt", "critical", "", "", 1)
    audit = StepAudit("registration", "5", "5. Passo", (serious, critical))
    assert [v.rule for _, v in blocking(Baseline().new([audit]))] == ["image-alt", "color-contrast"]


def test_a_device_or_a_huge_file_is_no_baseline(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read the baseline /dev/zero: not a file"):
        Baseline.load(Path("/dev/zero"))
    huge = tmp_path / "baseline.json"
    huge.write_bytes(b" " * (accessibility.MAX_BASELINE_BYTES + 1))
    with pytest.raises(ValueError, match="larger than 5 MB"):
        Baseline.load(huge)
