"""The monitor's HTTP endpoint: the status page, the evidence files and ``/metrics``."""

from __future__ import annotations

import html
import http.client
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from monitor.alerts import Alerter
from monitor.executor import CheckSpec
from monitor.history import History
from monitor.metrics import Metrics
from monitor.results import CheckResult, CodeTiming, Finding, StepA11y, StepTiming
from monitor.service import Monitor, serve_http
from tests.monitor.sample_checks import REGION, TERMS, found, registration

FOLDER = "20261123T100000Z-portal"
HOSTILE = "<script>alert('x')</script>&\"'"


class NoChecks:
    """An executor that runs nothing, with an evidence folder to serve from."""

    def __init__(self, evidence_dir: Path) -> None:
        self.evidence_dir = evidence_dir

    def run(self, spec: CheckSpec) -> CheckResult:
        raise AssertionError("no check should run here")


@dataclass
class Served:
    base: str
    port: int
    evidence: Path
    monitor: Monitor

    def raw(self, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        """A request with ``path`` sent exactly as written (no client normalises it)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path)
            response = connection.getresponse()
            headers = {k.lower(): v for k, v in response.getheaders()}
            return response.status, headers, response.read()
        finally:
            connection.close()


def failed(check: str, evidence: Path | str = "", **fields: str) -> CheckResult:
    return CheckResult(check, datetime.now(UTC), "failure", 1.5, evidence=str(evidence), **fields)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A monitor with one failed check and its evidence, served on a free port."""
    evidence = tmp_path / "evidence"
    folder = evidence / FOLDER
    folder.mkdir(parents=True)
    (folder / "screenshot.png").write_bytes(b"\x89PNG fake")
    (folder / "failure.txt").write_text("check: portal\nslow — não\n", encoding="utf-8")
    monitor = Monitor(
        NoChecks(evidence),
        [CheckSpec("portal")],
        History(tmp_path / "monitor.db"),
        Metrics(),
        Alerter(),
    )
    result = failed("portal", folder, reason="timeout", failed_step="3", message="slow")
    monitor.history.record(result)
    monitor.metrics.record(result)
    server = serve_http(monitor, "127.0.0.1", 0)
    port = server.server_address[1]
    try:
        yield Served(f"http://127.0.0.1:{port}", port, evidence, monitor)
    finally:
        server.shutdown()
        server.server_close()
        monitor.history.close()


@pytest.mark.parametrize("path", ["/", "/metrics", f"/evidence/{FOLDER}/screenshot.png"])
def test_head_is_answered_as_get_is_without_a_body(served: Served, path: str) -> None:
    got = httpx.get(served.base + path)
    head = httpx.head(served.base + path)
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == got.headers["content-type"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/"), ("PUT", "/metrics"), ("DELETE", f"/evidence/{FOLDER}/screenshot.png")],
)
def test_other_methods_are_refused_naming_the_ones_allowed(
    served: Served, method: str, path: str
) -> None:
    response = httpx.request(method, served.base + path)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert httpx.post(f"{served.base}/nowhere").status_code == 404


def test_the_failure_note_is_served_as_utf8_text(served: Served) -> None:
    note = httpx.get(f"{served.base}/evidence/{FOLDER}/failure.txt")
    assert note.headers["content-type"] == "text/plain; charset=utf-8"
    assert note.text == "check: portal\nslow — não\n"


def test_every_evidence_link_on_the_status_page_serves_its_file(served: Served) -> None:
    folder = served.evidence / "20261123T110000Z-a b'c#d"
    folder.mkdir()
    (folder / "failure.txt").write_text("odd folder", encoding="utf-8")
    served.monitor.history.record(failed("portal", folder, reason="timeout"))
    page = httpx.get(served.base + "/").text
    links = {html.unescape(href) for href in re.findall(r"href='(/evidence/[^']*)'", page)}
    # The first failure's screenshot and note, this one's note: in the heartbeats' tips, the
    # incident and the recent failures alike.
    assert len(links) == 3
    for link in links:
        assert httpx.get(served.base + link).status_code == 200, link


def test_every_dynamic_value_on_the_status_page_is_escaped(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    folder = evidence / "20261123T100000Z-<img src=x onerror=alert(1)>'&\""
    folder.mkdir(parents=True)
    (folder / "failure.txt").write_text("note", encoding="utf-8")
    history = History(tmp_path / "monitor.db")
    # A portal's page runs axe-core in its own context: what it reports can be anything.
    finding = Finding(HOSTILE, "critical", 1, HOSTILE, "javascript:alert(1)", new=True)
    steps = [
        StepTiming(HOSTILE, "3", 1.0, True, f"3. {HOSTILE}", a11y=StepA11y((finding,))),
        StepTiming(HOSTILE, "4", 1.0, False, f"4. {HOSTILE}"),
    ]
    history.record(failed(HOSTILE, folder, reason=HOSTILE, failed_step=HOSTILE, message=HOSTILE))
    history.record(
        CheckResult(HOSTILE, datetime.now(UTC), "failure", 1.0, message=HOSTILE, steps=steps)
    )
    from monitor import status

    page = status.render(history, [HOSTILE], datetime.now(UTC))
    history.close()
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find_all(["script", "img"]) == []  # every value below is text, not markup
    assert soup.h2.get_text() == f"{HOSTILE} Down"
    steps_table = soup.find("table", class_="steps")
    findings = soup.find("table", class_="findings")
    failures = section_table(soup, "Recent failures")
    flow_row, _, step_row = steps_table.tbody.find_all("tr")
    assert flow_row.get_text() == HOSTILE
    assert step_row.td.get_text() == f"4. {HOSTILE} (failed)"
    [row] = findings.tbody.find_all("tr")
    assert row.td.get_text() == f"{HOSTILE}: after 3. {HOSTILE}"
    assert row.find("td", class_="rule").get_text() == HOSTILE + HOSTILE  # the rule, its help
    assert row.find("a") is None  # only an https:// help link is a link
    _, newest, oldest = (row.find_all("td") for row in failures.find_all("tr"))
    assert [td.get_text() for td in oldest[1:4]] == [HOSTILE, f"step {HOSTILE}", HOSTILE]
    assert newest[3].get_text() == HOSTILE
    links = {a["href"] for a in soup.find_all("a", string="note")}
    assert len(links) == 1  # in the heartbeat's tip, the incident and the failure alike
    assert html.unescape(links.pop()).startswith("/evidence/20261123T100000Z-%3Cimg%20src")
    # The history: the section's id, each beat's name, the incident's reason, the chart's.
    assert soup.section["id"] == f"check-{HOSTILE}"
    beats = soup.find("ol", class_="beats").find_all("li")
    assert beats[0].find(class_="vh").get_text().endswith(f": down ({HOSTILE} at step {HOSTILE})")
    [incident] = section_table(soup, "Incidents (last 30 days)").tbody.find_all("tr")
    assert incident["id"].startswith(f"check-{HOSTILE}-incident-")
    assert cells(incident)["Reason"].startswith(f"{HOSTILE} at step {HOSTILE}")
    assert soup.svg.find_next("title").get_text().startswith(f"Duration of each check of {HOSTILE}")


@pytest.mark.parametrize(
    "path",
    [
        "/evidence/../secret.txt",
        "/evidence/%2e%2e/secret.txt",
        f"/evidence/{FOLDER}/..%2f..%2fsecret.txt",
        f"/evidence/{FOLDER}/link.txt",  # a symbolic link out of the folder
        "/evidence/%2fetc%2fpasswd",
        "/evidence//etc/passwd",
        f"/evidence/{FOLDER}/screenshot.png%00",
        f"/evidence/{FOLDER}",
        "/evidence/",
    ],
)
def test_nothing_but_evidence_files_is_served(served: Served, path: str) -> None:
    outside = served.evidence.parent / "secret.txt"
    outside.write_text("outside")
    (served.evidence / FOLDER / "link.txt").symlink_to(outside)
    status, headers, body = served.raw("GET", path)
    assert (status, body) == (404, b"not found\n")
    assert headers["content-type"] == "text/plain; charset=utf-8"


def code_rows(page: str) -> list[list[str]]:
    """The Code delivery table's rows, as the cells' text."""
    soup = BeautifulSoup(page, "html.parser")
    heading = soup.find("h3", string="Code delivery (last check)")
    assert heading is not None, "no Code delivery section"
    rows = heading.find_next("table").find_all("tr")[1:]  # below its header
    return [[td.get_text() for td in row.find_all("td")] for row in rows]


def rendered(tmp_path: Path, result: CheckResult) -> str:
    from monitor import status

    history = History(tmp_path / "monitor.db")
    history.record(result)
    history.close()
    again = History(tmp_path / "monitor.db")  # as after a restart
    try:
        return status.render(again, [result.check], datetime.now(UTC))
    finally:
        again.close()


def test_the_status_page_shows_how_long_each_code_took(tmp_path: Path) -> None:
    slow = "the registration code by email took 72.4 s, over 60 s"
    result = CheckResult(
        "login",
        datetime.now(UTC),
        "degraded",
        90.0,
        message=slow,
        codes=[
            CodeTiming("activation", "registration", "email", True, 72.4),
            CodeTiming("login", "login", "sms", True, None),
            CodeTiming("login", "contacts", "sms", False),
        ],
    )
    page = rendered(tmp_path, result)
    assert code_rows(page) == [
        ["activation", "registration · email", "72.4 s"],
        ["login", "login · sms", "—"],
        ["login", "contacts · sms", "never came"],
    ]
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("p", class_="note").get_text() == slow  # why it is degraded


def test_a_code_that_never_came_before_a_retry_says_which_try(tmp_path: Path) -> None:
    result = CheckResult(
        "activation",
        datetime.now(UTC),
        "success",
        20.0,
        attempts=2,
        codes=[
            CodeTiming("activation", "registration", "sms", False, attempt=1),
            CodeTiming("activation", "registration", "sms", True, 1.24, attempt=2),
        ],
    )
    assert code_rows(rendered(tmp_path, result)) == [
        ["activation", "registration · sms (try 1 of 2)", "never came"],
        ["activation", "registration · sms (try 2 of 2)", "1.2 s"],
    ]


def test_code_names_on_the_status_page_are_escaped(tmp_path: Path) -> None:
    code = CodeTiming(HOSTILE, HOSTILE, "email", True, 1.0)
    result = CheckResult("login", datetime.now(UTC), "degraded", 1.0, message=HOSTILE, codes=[code])
    page = rendered(tmp_path, result)
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find_all("script") == []
    assert code_rows(page) == [[HOSTILE, f"{HOSTILE} · email", "1.0 s"]]
    assert soup.find("p", class_="note").get_text() == HOSTILE


def cells(row) -> dict[str, str]:
    """A row of the status page's tables: each cell's text by its column's label."""
    return {td.get("data-label", "step"): td.get_text(" ", strip=True) for td in row.find_all("td")}


def section_table(soup: BeautifulSoup, heading: str):
    found = soup.find("h3", string=heading)
    assert found is not None, f"no {heading} section"
    return found.find_next("table")


def test_each_step_shows_its_web_vitals_and_the_rules_its_screen_breaks(tmp_path: Path) -> None:
    soup = BeautifulSoup(rendered(tmp_path, registration()), "html.parser")
    table = section_table(soup, "Steps (last check)")
    assert [th.get_text() for th in table.thead.find_all("th")] == [
        "Step", "Time", "TTFB", "FCP", "LCP", "CLS", "INP", "Requests", "Accessibility",
    ]  # fmt: skip
    flow, *rows = table.tbody.find_all("tr")
    assert flow.get_text() == "registration"
    assert [cells(row) for row in rows] == [
        {
            "step": "4. Registar (Register)",
            "Time": "0.90 s",
            "TTFB": "31 ms",
            "FCP": "120 ms",
            "LCP": "350 ms",
            "CLS": "0.012",
            "INP": "—",
            "Requests": "3 · 12.4 kB",
            "Accessibility": "none",
        },
        {
            "step": TERMS,
            "Time": "0.80 s",
            "TTFB": "31 ms",
            "FCP": "120 ms",
            "LCP": "350 ms",
            "CLS": "0.012",
            "INP": "—",
            "Requests": "3 · 12.4 kB",
            "Accessibility": "2 critical · 1 serious",
        },
        {
            "step": "6. Tipo de conta (type of account)",
            "Time": "0.40 s",
            "TTFB": "—",  # typed on the screen step 5 loaded
            "FCP": "—",
            "LCP": "—",
            "CLS": "0.012",
            "INP": "232 ms",
            "Requests": "3 · 12.4 kB",
            "Accessibility": "as step 5",
        },
        {
            "step": "7. Dados de identificação (identification details)",
            "Time": "0.50 s",
            "TTFB": "—",
            "FCP": "—",
            "LCP": "—",
            "CLS": "0.012",
            "INP": "—",
            "Requests": "3 · 12.4 kB",
            "Accessibility": "as step 5",
        },
    ]
    # What alerts stands out.
    assert rows[1].find("td", attrs={"data-label": "Accessibility"})["class"] == ["new"]


def test_the_accessibility_section_lists_each_rule_once_with_what_is_new(tmp_path: Path) -> None:
    result = registration()
    result.steps[0] = replace(result.steps[0], a11y=found(REGION, new=False))
    soup = BeautifulSoup(rendered(tmp_path, result), "html.parser")
    summary = soup.find("h3", string="Accessibility (last check)").find_next("p").get_text()
    assert summary == (
        "2 screens audited (axe-core, WCAG 2.1 A and AA): 4 rules broken, 3 not in the baseline."
    )
    rows = section_table(soup, "Accessibility (last check)").tbody.find_all("tr")
    assert [cells(row) for row in rows] == [
        {
            "step": "registration: after 4. Registar (Register)",
            "Rule": "region All page content should be in landmarks",
            "Impact": "moderate",
            "Elements": "2",
        },
        {
            "step": f"registration: after {TERMS}",
            "Rule": "image-alt Images must have alternative text",
            "Impact": "critical (new)",
            "Elements": "1",
        },
        {
            "step": f"registration: after {TERMS}",
            "Rule": "label Form elements must have labels",
            "Impact": "critical (new)",
            "Elements": "1",
        },
        {
            "step": f"registration: after {TERMS}",
            "Rule": "color-contrast Elements must meet minimum color contrast",
            "Impact": "serious (new)",
            "Elements": "1",
        },
    ]
    assert rows[1].a["href"] == "https://dequeuniversity.com/rules/axe/4.10/image-alt"


def test_without_audits_the_page_has_no_accessibility_column_or_section(tmp_path: Path) -> None:
    result = registration()
    result.steps = [replace(s, a11y=None) for s in result.steps]
    soup = BeautifulSoup(rendered(tmp_path, result), "html.parser")
    headers = [th.get_text() for th in section_table(soup, "Steps (last check)").thead("th")]
    assert "Accessibility" not in headers
    assert "TTFB" in headers
    assert soup.find("h3", string="Accessibility (last check)") is None
