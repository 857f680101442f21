"""``sentinel audit``'s findings, reports, baseline and verdict, from audits made by hand (the
command against the mock portal: tests/e2e/test_audit_cli.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from runtime.accessibility import Baseline, Known, StepAudit, Violation
from runtime.network import PROFILES
from runtime.targets import Target
from runtime.usage import UsageError
from runtime.vitals import StepVitals
from sentinel.audit import (
    FlowAudit,
    Options,
    account_for,
    load_baseline,
    masked,
    new_violations,
    report_data,
    shown_target,
    summary_line,
    to_html,
    updated_baseline,
    verdict,
    write_reports,
)


def violation(rule: str, impact: str, nodes: int = 1) -> Violation:
    targets = tuple(f"#{rule}-{n} > <i>" for n in range(nodes))
    return Violation(
        rule, impact, f"Help <b>{rule}</b>", f"https://example.org/{rule}", nodes, targets
    )


IMAGE = violation("image-alt", "critical")
LABEL = violation("label", "critical", 2)
CONTRAST = violation("color-contrast", "serious")
REGION = violation("region", "moderate")


def registration(*found: Violation, error: str = "") -> FlowAudit:
    audits = [
        StepAudit("registration", "4", "4. Registar (Register)"),
        StepAudit("registration", "5", "5. Li e aceito", found),
        StepAudit("registration", "6", "6. Tipo de conta", found, same_as="5"),
    ]
    vitals = [
        StepVitals("registration", "4", "4. Registar", True, 0.02, 0.1, 0.12, 0.0, None, 3, 9000),
        StepVitals("registration", "5", "5. Li e aceito", True, 0.03, 0.2, 0.2, 0.0, 0.03, 4, 9500),
    ]
    return FlowAudit("registration", "Registo (Registration)", audits, vitals, error)


def portal() -> FlowAudit:
    audits = [StepAudit("portal", "1", "1. Portal", (REGION,))]
    return FlowAudit("portal", "Portal (Portal)", audits, [])


def said() -> tuple[list[str], object]:
    lines: list[str] = []
    return lines, lines.append


def test_a_seeded_citizen_starts_where_the_flows_it_requires_leave_it() -> None:
    assert account_for("registration") is None
    assert account_for("portal") is None
    assert account_for("activation") == "pending"
    assert account_for("login") == "active"
    assert account_for("password_reset") == "active"


def test_a_flow_s_message_has_the_citizen_and_long_numbers_masked() -> None:
    text = "step 6 of registration: NISS 11115611236 for Inês Teste is not 'Registar'"
    assert masked(text, ["Inês Teste", "Inês"]) == (
        "step 6 of registration: NISS ••• for ••• is not 'Registar'"
    )


def test_each_screen_s_violations_are_new_once_until_the_baseline_accepts_them() -> None:
    flows = [registration(IMAGE, LABEL), portal()]
    assert [(a.step, v.rule) for a, v in new_violations(flows, Baseline())] == [
        ("5", "image-alt"),
        ("5", "label"),
        ("1", "region"),
    ]
    accepted = Baseline({Known("registration", "5", "image-alt"), Known("portal", "1", "region")})
    assert [v.rule for _, v in new_violations(flows, accepted)] == ["label"]


def test_a_step_run_twice_is_reported_once_by_its_last_try() -> None:
    flow = registration(IMAGE)
    flow.audits.append(StepAudit("registration", "5", "5. Li e aceito"))  # the runner's retry
    assert [(audit.step, audit.violations) for audit, _ in flow.steps()] == [
        ("4", ()),
        ("5", ()),
        ("6", (IMAGE,)),
    ]


def test_the_updated_baseline_keeps_the_flows_not_audited() -> None:
    old = Baseline({Known("portal", "1", "region"), Known("registration", "9", "label")})
    new = updated_baseline(old, [registration(IMAGE, CONTRAST)])
    # The registration's step 9 is fixed; step 6, on step 5's screen, shows its violations.
    assert new.known == {
        Known("portal", "1", "region"),
        *(
            Known("registration", step, rule)
            for step in "56"
            for rule in ("image-alt", "color-contrast")
        ),
    }


def data(baseline: Baseline = Baseline(), **flows: FlowAudit) -> dict:  # noqa: B008
    return report_data(
        list(flows.values()) or [registration(IMAGE, LABEL, CONTRAST), portal()],
        baseline,
        target="the bundled mock",
        baseline_path=Path("accessibility-baseline.json"),
        network=PROFILES["slow-3g"],
        generated=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )


def test_the_json_report_says_each_step_s_violations_and_vitals() -> None:
    accepted = Baseline({Known("registration", "5", "label")})
    found = data(accepted)
    assert found["new"] == 3
    assert found["counts"] == {"critical": 2, "serious": 1, "moderate": 1, "minor": 0}
    assert found["network"] == "slow-3g"
    assert found["generated"] == "2026-01-02T03:04:05+00:00"
    [flow, other] = found["flows"]
    assert (flow["name"], flow["new"], other["new"]) == ("registration", 2, 1)
    assert flow["counts"] == {"critical": 2, "serious": 1, "moderate": 0, "minor": 0}
    step = flow["steps"][1]
    assert [(v["rule"], v["impact"], v["new"]) for v in step["violations"]] == [
        ("image-alt", "critical", True),
        ("label", "critical", False),
        ("color-contrast", "serious", True),
    ]
    assert step["violations"][1]["nodes"] == 2
    assert step["violations"][1]["targets"] == ["#label-0 > <i>", "#label-1 > <i>"]
    assert step["vitals"]["lcp_s"] == 0.2
    assert step["vitals"]["inp_s"] == 0.03
    # The same screen a step later: its violations are step 5's, not new again.
    same = flow["steps"][2]
    assert (same["same_as"], same["new"], same["counts"], same["vitals"]) == ("5", 0, {}, None)
    assert not any(v["new"] for v in same["violations"])


def test_the_reports_are_written(tmp_path: Path) -> None:
    page, document = write_reports(tmp_path / "audit", data())
    assert (page.name, document.name) == ("index.html", "audit.json")
    assert json.loads(document.read_text(encoding="utf-8"))["new"] == 4
    assert "Accessibility audit" in page.read_text(encoding="utf-8")


def test_the_html_report_shows_every_step_escaped_for_a_phone() -> None:
    page = to_html(data())
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("meta", attrs={"name": "viewport"})["content"].startswith("width=device")
    assert soup.select_one(".verdict.bad").get_text(strip=True) == (
        "4 violations not in the baseline."
    )
    steps = soup.select("#registration article.step")
    assert [s.h3.get_text() for s in steps] == [
        "4. Registar (Register)",
        "5. Li e aceito",
        "6. Tipo de conta",
    ]
    assert [s.select_one(".status").get_text(strip=True) for s in steps] == [
        "no violations",
        "3 violations",
        "same screen as step 5",
    ]
    rules = [li.code.get_text() for li in steps[1].select("ul.violations > li")]
    assert rules == ["image-alt", "label", "color-contrast"]
    assert "Help &lt;b&gt;label&lt;/b&gt; (2 elements)." in page
    where = steps[1].select("ul.violations > li")[1].select("details ul.where code")
    assert [code.get_text() for code in where] == ["#label-0 > <i>", "#label-1 > <i>"]
    assert "<i>" not in page
    assert steps[1].select_one("a")["href"] == "https://example.org/image-alt"
    assert "TTFB 30 ms · FCP 200 ms · LCP 200 ms" in steps[1].select_one(".vitals").get_text()
    assert not steps[2].select("ul.violations")


def test_a_clean_audit_and_a_flow_that_stopped_say_so() -> None:
    clean = BeautifulSoup(to_html(data(flow=registration())), "html.parser")
    assert clean.select_one(".verdict.good").get_text(strip=True) == (
        "No violations outside the baseline."
    )
    stopped = registration(error="[portal defect] step 7: no field Data de nascimento")
    soup = BeautifulSoup(to_html(data(flow=stopped)), "html.parser")
    assert "Not every flow finished: registration" in soup.select_one(".verdict.bad").get_text()
    assert "no field Data de nascimento" in soup.select_one("#registration .note").get_text()


def test_the_verdict_is_1_on_a_new_violation_naming_it() -> None:
    lines, say = said()
    flows = [registration(IMAGE, CONTRAST)]
    accepted = Baseline({Known("registration", "5", "image-alt")})
    assert verdict(flows, accepted, Path("base.json"), say, failed=False) == 1
    assert lines[0].startswith("new: step 5. Li e aceito of registration: color-contrast (")
    assert lines[1].startswith("1 violation not in the baseline (none yet)")


def test_the_verdict_is_0_when_the_baseline_accepts_everything() -> None:
    lines, say = said()
    everything = Baseline.of(registration(IMAGE).audits)
    assert verdict([registration(IMAGE)], everything, Path("b.json"), say, failed=False) == 0
    assert lines == ["No violations outside the baseline."]


def test_an_audit_that_is_not_whole_is_not_clean() -> None:
    lines, say = said()
    assert verdict([registration()], Baseline(), Path("b.json"), say, failed=True) == 1
    assert lines == []  # what stopped it was said as it was found


def test_the_summary_line_of_a_flow() -> None:
    assert summary_line(registration(IMAGE, CONTRAST), Baseline()) == (
        "registration: 3 steps, 2 screens, 2 violations (1 critical, 1 serious), 2 new"
    )
    assert summary_line(registration(error="x"), Baseline()) == (
        "registration: 3 steps, 2 screens, 0 violations (the flow did not finish)"
    )


def test_a_url_is_shown_without_its_credentials_or_query() -> None:
    target = Target("https://qa:secret@staging.example.pt:8443/ssd/?token=abc#x", None)
    assert shown_target(target) == "https://staging.example.pt:8443/ssd/"
    assert shown_target(Target("http://127.0.0.1:1234", "t", bundled=True)) == "the bundled mock"


def test_the_baseline_is_the_one_given_or_the_one_in_the_out_folder(tmp_path: Path) -> None:
    assert load_baseline(Options(out=tmp_path)).known == set()  # none there yet
    Baseline({Known("portal", "1", "region")}).save(tmp_path / "accessibility-baseline.json")
    assert load_baseline(Options(out=tmp_path)).known == {Known("portal", "1", "region")}
    # One to be written need not exist; one to compare with must.
    missing = tmp_path / "team" / "baseline.json"
    assert load_baseline(Options(baseline=missing, update_baseline=True)).known == set()
    with pytest.raises(UsageError, match="--baseline: cannot read the baseline"):
        load_baseline(Options(baseline=missing))
    (tmp_path / "notes.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(UsageError, match="is not an accessibility baseline"):
        load_baseline(Options(baseline=tmp_path / "notes.json"))
