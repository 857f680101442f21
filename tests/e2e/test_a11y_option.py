"""``--a11y`` and ``--network`` of the pytest plugin, in suites of their own: the Allure report
carries each step's Web Vitals and accessibility, ``--a11y fail`` fails a test on a new
serious or critical violation naming its step and rule, a baseline accepts known ones, and a
wrong setting stops the session in one line.

The screens are served by the browser itself (``page.route``): a clean one, and one with an
image without alt text, an input without a label and low-contrast text, whose markup carries
a planted citizen's data. The real portal's faulty screen is audited in test_audit_cli.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from flows.context import Citizen
from tests.helpers import run_pytest
from tests.security import leaks
from tests.security.leaks import Scanner, planted_values

pytestmark = pytest.mark.slow

RULES = ("image-alt", "label", "color-contrast")
# The inner suite's citizen, whose data its faulty screen's markup carries.
PLANTED = Citizen(
    niss="11115611236",
    name=leaks.NAME,
    birth_date=leaks.BIRTH_DATE,
    password=leaks.PASSWORD,
    email=leaks.EMAIL,
    mobile=leaks.MOBILE,
    address=leaks.ADDRESS,
)
INNER_TEST = """
from datetime import date

from flows.context import Citizen, NoCodes, Run
from flows.flow import Flow, Step
from flows.runner import Runner
from pages import labels
from tests.security import leaks

PERSON = Citizen(
    niss="11115611236", name=leaks.NAME, birth_date=leaks.BIRTH_DATE, password=leaks.PASSWORD,
    email=leaks.EMAIL, mobile=leaks.MOBILE, address=leaks.ADDRESS,
)
HEAD = "<!doctype html><html lang=pt><head><title>Portal</title></head><body><main>"
HOME = HEAD + (
    "<h1>Portal</h1><label>NISS <input id=niss></label>"
    "<a href=/next>Iniciar sessão</a></main></body></html>"
)
CLEAN = HEAD + "<h1>Autenticação</h1><p>Escolha como se autentica.</p></main></body></html>"
# The planted data in the markup the violations are on (an id, a class, a title).
FAULTY = HEAD + (
    "<h1>Autenticação</h1><img src=/logo.png id='foto-Inês'>"
    "<input class='u-11115611236' value='x'>"
    "<p style='color:#bbb;background:#fff' title='Inês'>Texto pouco visível</p>"
    "</main></body></html>"
)


def serve(page, second):
    pages = {"/": HOME, "/next": second, "/logo.png": ""}
    page.route(
        "http://portal.test/**",
        lambda route: route.fulfill(
            body=pages.get("/" + route.request.url.split("/", 3)[3], ""),
            content_type="text/html; charset=utf-8",
        ),
    )


def go(run, _):
    run.page.goto(run.base_url + "/")


def log_in(run, elements):
    elements[0].click()
    run.page.wait_for_url("**/next")


def flow(name):
    return Flow(name, "Demonstração", "Demo", (
        Step("1", labels.PORTAL, "open", lambda run: [], go),
        Step("2", labels.NISS, "fill", lambda run: [run.page.get_by_label("NISS")],
             lambda run, found: found[0].fill(PERSON.niss)),
        Step("3", labels.LOG_IN, "click",
             lambda run: [run.page.get_by_role("link", name="Iniciar sessão")], log_in),
    ))


def run_demo(page, observers, second, name="demo"):
    serve(page, second)
    run = Run(page=page, base_url="http://portal.test", citizen=PERSON, codes=NoCodes())
    Runner(observers).run(flow(name), run)


def test_clean(page, flow_observers):
    run_demo(page, flow_observers, CLEAN)


def test_faulty(page, flow_observers):
    run_demo(page, flow_observers, FAULTY)


def test_known(page, flow_observers):
    # The same screen in a flow whose violations the baseline accepts.
    run_demo(page, flow_observers, FAULTY, name="known")


def test_portal_fault(run_flow, citizen, test_control):
    # The mock's own fault, on the registration's identification form (its step 5).
    test_control.set_faults(inaccessible=True)
    try:
        run_flow("registration", citizen(), until="7")
    finally:
        test_control.clear_faults()
"""


def suite(tmp_path: Path, *args: str) -> tuple[int, str, Path]:
    """Run the inner suite with ``args``: its exit code, output and Allure results."""
    (tmp_path / "test_demo.py").write_text(INNER_TEST, encoding="utf-8")
    results = tmp_path / "results"
    done = run_pytest(
        str(tmp_path / "test_demo.py"), "-p", "no:xdist", "--alluredir", str(results), *args
    )
    return done.returncode, done.stdout + done.stderr, results


def by_test(results: Path) -> dict[str, dict[str, Any]]:
    found = {}
    for path in results.glob("*-result.json"):
        result = json.loads(path.read_text(encoding="utf-8"))
        found[result["name"].split("[")[0]] = result
    return found


def attachment(results: Path, item: dict[str, Any], name: str) -> str:
    [source] = [a["source"] for a in item.get("attachments", []) if a["name"] == name]
    return (results / source).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    """Both tests under the default ``--a11y report``."""
    return suite(tmp_path_factory.mktemp("a11y-report"))


def test_report_never_fails_a_test_for_accessibility(reported) -> None:
    code, output, _ = reported
    assert code == 0, output[-3000:]
    assert "4 passed" in output


def test_each_step_carries_its_vitals_and_accessibility(reported) -> None:
    _, _, results = reported
    [flow] = by_test(results)["test_clean"]["steps"]
    opened, typed, clicked = (
        {p["name"]: p["value"] for p in step["parameters"]} for step in flow["steps"]
    )
    # The steps that loaded a page have its timings; the one that typed has none of its own.
    for loaded in (opened, clicked):
        assert {"TTFB", "FCP", "LCP", "CLS", "Requests", "Transferred"} <= set(loaded)
        assert loaded["TTFB"].endswith((" ms", " s"))
        assert loaded["Accessibility"] == "no violations"
    assert "TTFB" not in typed
    assert typed["Accessibility"] == "same screen as step 1"
    assert int(opened["Requests"]) >= 1
    # A clean flow has its summary and no table of violations.
    assert [a["name"] for a in flow.get("attachments", [])] == ["Accessibility summary"]
    names = {a["name"] for step in flow["steps"] for a in step.get("attachments", [])}
    assert not any(name.startswith("Accessibility") for name in names), names
    summary = attachment(results, flow, "Accessibility summary")
    assert "no violations; 0 not in the baseline" in summary


def test_a_screen_with_violations_has_their_table_at_its_step(reported) -> None:
    _, _, results = reported
    [flow] = by_test(results)["test_faulty"]["steps"]
    step = flow["steps"][2]
    parameters = {p["name"]: p["value"] for p in step["parameters"]}
    assert parameters["Accessibility"] == "3 violations (2 critical, 1 serious)"
    table = attachment(results, step, "Accessibility after step 3")
    for rule in RULES:
        assert f"<code>{rule}</code>" in table
    assert "https://dequeuniversity.com/rules/axe/" in table
    # Where, masked: the planted name in the image's id.
    assert "<code>#foto-•••</code>" in table
    summary = attachment(results, flow, "Accessibility summary")
    assert "2 critical, 1 serious; 3 not in the baseline" in summary
    # The portal's own fault, at the step that lands on its identification form.
    [flow] = by_test(results)["test_portal_fault"]["steps"]
    table = attachment(results, flow["steps"][4], "Accessibility after step 5")
    assert all(f"<code>{rule}</code>" in table for rule in RULES)


def test_the_planted_citizen_is_in_no_result_or_attachment(reported) -> None:
    _, _, results = reported
    found = Scanner(planted_values([PLANTED])).files(results)
    assert not found, "\n".join(map(str, found))


def test_fail_fails_a_test_on_new_violations_naming_the_step_and_each_rule(
    tmp_path: Path,
) -> None:
    baseline = tmp_path / "baseline.json"
    known = [{"flow": "known", "step": "3", "rule": rule} for rule in RULES]
    baseline.write_text(json.dumps({"version": 1, "violations": known}), encoding="utf-8")
    code, output, results = suite(tmp_path, "--a11y", "fail", "--a11y-baseline", str(baseline))
    assert code == 1, output[-3000:]
    assert "2 failed, 2 passed" in output
    found = by_test(results)
    message = found["test_faulty"]["statusDetails"]["message"]
    assert "accessibility: 3 new serious or critical violations, first " in message
    assert " at step 3. Iniciar sessão (Log In) of demo (--a11y fail;" in message
    for rule in RULES:
        assert f"- step 3. Iniciar sessão (Log In) of demo: {rule} (" in message
        assert f"- step 3. Iniciar sessão (Log In) of demo: {rule} (" in output
    # The portal's faulty screen, at the step that lands on it.
    message = found["test_portal_fault"]["statusDetails"]["message"]
    step = "step 5. Li e aceito os termos e condições (I have read and accept the terms and "
    step += "conditions)"
    for rule, impact in zip(RULES, ("critical", "critical", "serious"), strict=True):
        assert f"- {step} of registration: {rule} ({impact}, 1 element)" in message
    # The baseline accepts the same violations in the flow it names.
    assert found["test_clean"]["status"] == found["test_known"]["status"] == "passed"
    [flow] = found["test_known"]["steps"]
    assert "0 not in the baseline" in attachment(results, flow, "Accessibility summary")
    table = attachment(results, flow["steps"][2], "Accessibility after step 3")
    assert table.count("in the baseline") == 3


def test_a_wrong_setting_stops_the_session_before_any_test_in_one_line(tmp_path: Path) -> None:
    code, output, _ = suite(tmp_path, "--network", "4g")
    assert code == 4, output[-3000:]  # pytest's usage error
    assert "ERROR: --network: unknown network '4g': use one of fast-3g, slow-3g" in output
    assert output.count("unknown network") == 1
    assert "passed" not in output
