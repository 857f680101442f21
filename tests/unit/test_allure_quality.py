"""What the Allure observer says of a step's Web Vitals and accessibility (in a real report:
tests/e2e/test_a11y_option.py)."""

from __future__ import annotations

import re

from fixtures.allure_observer import (
    accessibility_summary,
    accessibility_text,
    duration_text,
    size_text,
    violations_table,
    vitals_parameters,
)
from runtime.accessibility import Baseline, Known, StepAudit, Violation
from runtime.vitals import StepVitals

LOADED = StepVitals(
    "login", "2", "2. Iniciar sessão", True, 0.0123, 0.25, 0.3104, 0.0, None, 3, 8800
)
TYPED = StepVitals("login", "3", "3. NISS", False, 0.0123, 0.25, 0.3104, 0.0, 0.024, 0, 0)


def test_a_step_that_loaded_a_page_has_its_timings() -> None:
    assert vitals_parameters(LOADED) == [
        ("TTFB", "12 ms"),
        ("FCP", "250 ms"),
        ("LCP", "310 ms"),
        ("CLS", "0.000"),
        ("Requests", "3"),
        ("Transferred", "8.8 kB"),
    ]


def test_a_step_on_the_same_screen_has_its_interaction_and_no_load_of_its_own() -> None:
    assert vitals_parameters(TYPED) == [
        ("CLS", "0.000"),
        ("INP", "24 ms"),
        ("Requests", "0"),
        ("Transferred", "0 B"),
    ]


def test_a_step_without_figures_has_no_parameters() -> None:
    assert vitals_parameters(StepVitals("login", "1", "1. Portal")) == []


def test_no_figure_reads_as_a_code_or_a_pin() -> None:
    # The results are scanned for runs of 4 or 6 digits (codes, PINs): times and sizes of any
    # magnitude never make one.
    times = (0.0004, 0.9994, 0.9996, 1.2345, 99.996, 123.456, 599.6, 4321.0)
    sizes = (0, 999, 1000, 123_456, 999_999, 1_234_567, 999_999_999, 98_765_432_100)
    texts = [duration_text(s) for s in times] + [size_text(n) for n in sizes]
    assert texts == [
        *("0 ms", "999 ms", "1.00 s", "1.23 s", "100 s", "123 s", "10.0 min", "72.0 min"),
        *("0 B", "999 B", "1.0 kB", "123.5 kB", "1.0 MB", "1.2 MB", "1.0 GB", "98.8 GB"),
    ]
    for text in texts:
        assert not re.search(r"\d{4}", text), text


def violation(rule: str, impact: str) -> Violation:
    targets = (f"#{rule}-•••", 'p[title="•••"] > <b>')
    return Violation(
        rule, impact, f"<b>help</b> of {rule}", f"https://example.org/{rule}", 2, targets
    )


FAULTY = StepAudit(
    "registration",
    "5",
    "5. Li e aceito",
    (violation("color-contrast", "serious"), violation("image-alt", "critical")),
)
SAME = StepAudit("registration", "6", "6. Tipo de conta", FAULTY.violations, same_as="5")
CLEAN = StepAudit("registration", "8", "8. Seguinte")


def test_the_accessibility_parameter_says_what_the_screen_has() -> None:
    assert accessibility_text(FAULTY) == "2 violations (1 critical, 1 serious)"
    assert accessibility_text(SAME) == "same screen as step 5"
    assert accessibility_text(CLEAN) == "no violations"
    assert accessibility_text(StepAudit("x", "1", "1. X", error="Target closed")) == "not audited"


def test_the_table_lists_the_gravest_first_escaped_new_or_known() -> None:
    baseline = Baseline({Known("registration", "5", "color-contrast")})
    table = violations_table(FAULTY, baseline.new([FAULTY]))
    assert table.index("image-alt") < table.index("color-contrast")
    assert "&lt;b&gt;help&lt;/b&gt; of image-alt" in table
    assert (
        "<code>#image-alt-•••</code><br><code>p[title=&quot;•••&quot;] &gt; &lt;b&gt;</code>"
        in (table)
    )
    assert "<b>" not in table
    rows = table.split("<tr>")[2:]
    assert "<span class=new>new</span>" in rows[0]
    assert "in the baseline" in rows[1]


def test_the_summary_counts_each_screen_once() -> None:
    summary = accessibility_summary([FAULTY, SAME, CLEAN], Baseline())
    assert "2 screens audited over 3 steps: 1 critical, 1 serious; 2 not in the baseline" in summary
    assert summary.count("<code>image-alt</code>") == 1
