"""The monitor's HTTP endpoint: the status page, the evidence files and ``/metrics``."""

from __future__ import annotations

import html
import http.client
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, expect

from monitor import history as history_module
from monitor import status, timeline, web
from monitor.alerts import Alerter, AlertPolicy, Notification
from monitor.executor import CheckSpec
from monitor.history import Beat, History
from monitor.metrics import Metrics
from monitor.results import CheckResult, CodeTiming, Finding, StepA11y, StepTiming
from monitor.service import Monitor, serve_http
from runtime.accessibility import audit_page
from tests.monitor import sample_history as sample
from tests.monitor.sample_checks import REGION, TERMS, found, registration
from tests.monitor.sample_history import NOW, a_month

FOLDER = "20261123T100000Z-portal"
HOSTILE = "<script>alert('x')</script>&\"'"
Filled = TypeVar("Filled")


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


@pytest.mark.parametrize(
    "path", ["/", "/api/status", "/metrics", f"/evidence/{FOLDER}/screenshot.png"]
)
def test_head_is_answered_as_get_is_without_a_body(served: Served, path: str) -> None:
    got = httpx.get(served.base + path)
    head = httpx.head(served.base + path)
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == got.headers["content-type"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/"),
        ("POST", "/api/status"),
        ("PUT", "/metrics"),
        ("DELETE", f"/evidence/{FOLDER}/screenshot.png"),
    ],
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


# --- the history: heartbeats, the duration chart, incidents, /api/status -----------------

FIRST_TIMEOUT = NOW - timedelta(minutes=sample.TIMEOUTS[0])  # 10:15, an incident of three


class Scaled(NoChecks):
    """An executor on a slow network: it holds every check to three times its limits."""

    def limits(self, spec: CheckSpec) -> CheckSpec:
        return replace(spec, timeout_s=spec.timeout_s * 3, degraded_s=spec.degraded_s * 3)


def serve_history(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fill: Callable[[History, Path], Filled],
    specs: list[CheckSpec],
    executor: type[NoChecks] = NoChecks,
) -> Iterator[tuple[Served, Filled]]:
    """A monitor of ``specs`` serving the history ``fill`` records, at ``NOW``."""
    # Half a minute after the month's last check: the page is as of its minute.
    monkeypatch.setattr(web, "clock", lambda: NOW + timedelta(seconds=30))
    evidence = tmp_path / "evidence"
    history = History(tmp_path / "monitor.db")
    filled = fill(history, evidence)
    monitor = Monitor(executor(evidence), specs, history, Metrics(), Alerter())
    server = serve_http(monitor, "127.0.0.1", 0)
    port = server.server_address[1]
    try:
        yield Served(f"http://127.0.0.1:{port}", port, evidence, monitor), filled
    finally:
        server.shutdown()
        server.server_close()
        history.close()


def serve_month(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, executor: type[NoChecks] = NoChecks
) -> Iterator[tuple[Served, sample.Month]]:
    specs = [CheckSpec("login", degraded_s=sample.DEGRADED_S), CheckSpec("portal")]
    yield from serve_history(tmp_path, monkeypatch, a_month, specs, executor)


@pytest.fixture
def month(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Served, sample.Month]]:
    yield from serve_month(tmp_path, monkeypatch)


def soup_of(served: Served, path: str = "/") -> BeautifulSoup:
    response = httpx.get(served.base + path)
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def outcome_classes(elements) -> dict[str, int]:
    """How many of ``elements`` have each ``s-<status>`` class."""
    counts: dict[str, int] = {}
    for element in elements:
        [status] = [c for c in element["class"] if c.startswith("s-")]
        counts[status] = counts.get(status, 0) + 1
    return counts


def test_the_heartbeat_bar_shows_the_last_100_checks_by_outcome(
    month: tuple[Served, sample.Month],
) -> None:
    served, _ = month
    soup = soup_of(served)
    section = soup.find("section", id="check-login")
    beats = section.find("ol", class_="beats").find_all("li", recursive=False)
    # The last 100 checks are the last 8 h 15 min: the timeouts, the outage, our error and
    # the two slow checks are in it; the maintenance window (02:05-02:30) is not.
    assert outcome_classes(beats) == {"s-up": 93, "s-down": 4, "s-degraded": 2, "s-error": 1}
    assert len([li for li in beats if "wide-only" in li["class"]]) == 50  # a phone: 50
    assert section.find(class_="tally").get_text(" ") == (
        "Last 100 checks: 93 up, 2 degraded, 4 down, 1 monitor error (not downtime)"
        " Last 50 checks: 44 up, 2 degraded, 3 down, 1 monitor error (not downtime)"
    )
    names = [li.find(class_="vh").get_text() for li in beats]
    assert names[-1] == f"{NOW:%Y-%m-%d %H:%M} UTC: up, {sample.duration(0) - 0.4:.1f} s"
    assert "2026-12-08 10:15 UTC: down (timeout at step 3)" in names


def test_a_failed_beat_links_its_incident_and_its_evidence_by_keyboard(
    month: tuple[Served, sample.Month],
) -> None:
    served, _ = month
    soup = soup_of(served)
    link = soup.find("a", class_="mark", string="2026-12-08 10:15 UTC: down (timeout at step 3)")
    incident = f"check-login-incident-{FIRST_TIMEOUT:%Y%m%dT%H%M%SZ}"
    assert link["href"] == f"#{incident}"
    assert soup.find(id=incident).name == "tr"
    tip = soup.find(id=link["aria-describedby"])
    assert "tip" in tip["class"]
    assert tip.parent is link.parent  # shown on the beat's hover or focus, links included
    evidence = {a.get_text(): a["href"] for a in tip.find_all("a")}
    assert sorted(evidence) == ["note", "screenshot"]
    for href in evidence.values():
        assert httpx.get(served.base + html.unescape(href)).status_code == 200


def test_a_degraded_beat_can_be_focused_to_say_why(month: tuple[Served, sample.Month]) -> None:
    served, _ = month
    soup = soup_of(served)
    [slow, _] = soup.select("#check-login li.beat.s-degraded")
    assert slow["tabindex"] == "0"
    tip = soup.find(id=slow["aria-describedby"])
    assert "the check took 34.0 s, over 30 s" in tip.get_text()
    assert soup.select("#check-login li.beat.s-up[tabindex]") == []  # not 93 more tab stops


def test_the_duration_chart_draws_each_check_and_the_threshold(
    month: tuple[Served, sample.Month],
) -> None:
    served, _ = month
    soup = soup_of(served)
    svg = soup.select_one("#check-login figure.chart svg")
    assert svg["role"] == "img"
    title, desc = (soup.find(id=i) for i in svg["aria-labelledby"].split())
    assert (title.name, desc.name) == ("title", "desc")
    assert desc.get_text().startswith("Duration of the last 24 h: 288 checks, median ")
    # What is drawn: the slowest where it is, the three timeouts at the top (62 s, on a
    # scale to 50 s), and above the threshold only the checks that worked.
    assert desc.get_text().endswith(
        ", slowest 41.5 s at 08:50 UTC; 3 failed checks slower than the scale's 50 s, drawn at"
        " its top (up to 62.0 s at 10:15 UTC); degraded above 30 s: 2 working checks above it."
    )
    points = svg.select("g.points use.pt")
    assert outcome_classes(points) == {
        "s-up": 275,
        "s-maintenance": len(sample.MAINTENANCE),
        "s-down": 4,
        "s-degraded": 2,
        "s-error": 1,
    }
    assert points[-1]["x"] == "100.0%"  # the newest, at the right
    # The threshold: dashed, where 30 s is on the scale from 0 to 50 s, and labelled.
    line = svg.find("line", class_="threshold")
    height = float(svg.find("text", string="0 s")["y"]) - 4  # the axis, at the scale's 0
    assert float(line["y1"]) == pytest.approx(height * (1 - 30 / 50))
    label = svg.find("text", class_="threshold-label")
    assert label.get_text() == "degraded: 30 s"
    # At the left end, above the line, drawn after the points so that none hides it.
    assert (label["x"], float(label["y"])) == ("4", float(line["y1"]) - 5)
    assert label in svg.select_one("g.points").find_all_next("text")
    fifty = svg.find("text", string="50 s")
    assert float(fifty["y"]) - 4 == pytest.approx(0)  # the scale's top
    # The timeouts past the top: each with an arrow up, and how far up they went.
    clipped = svg.select("use.clip")
    assert outcome_classes(clipped) == {"s-down": 3}
    assert [use["x"] for use in clipped] == [
        use["x"] for use in points if "s-down" in use["class"] and use["y"] == "0.0"
    ]
    assert svg.find("text", class_="peak").get_text() == "↑ up to 62.0 s"


def test_the_incidents_of_the_month_say_when_how_long_why_and_whether_they_alerted(
    month: tuple[Served, sample.Month],
) -> None:
    served, recorded = month
    soup = soup_of(served)
    rows = section_table(soup, "Incidents (last 30 days)").tbody.find_all("tr")
    drift_start = NOW - timedelta(days=sample.DRIFT_DAYS) + sample.EVERY
    assert [row["id"] for row in rows] == [
        f"check-login-incident-{at:%Y%m%dT%H%M%SZ}"
        for at in (FIRST_TIMEOUT, recorded.at(sample.OUTAGE), drift_start)
    ]
    assert [cells(row) for row in rows] == [
        {
            "Start": "2026-12-08 10:15 UTC",
            "End": "2026-12-08 10:30 UTC",
            "Duration": "15 min",
            "Reason": "timeout at step 3",
            "Failed checks": "3",
            "Alert": "yes, at 10:25 UTC (3rd failure)",
            "Evidence": "screenshot note",
        },
        {
            "Start": "2026-12-08 06:00 UTC",
            "End": "2026-12-08 06:05 UTC",
            "Duration": "5 min",
            "Reason": "portal_unavailable at step 1",
            "Failed checks": "1",
            "Alert": "no (1 failed check; alerts after 3)",
            "Evidence": "screenshot note",
        },
        {
            "Start": "2026-11-28 12:05 UTC",
            "End": "2026-11-28 12:30 UTC",
            "Duration": "25 min",
            "Reason": "documentation_drift at step 5",
            "Failed checks": "5",
            "Alert": "yes, at 12:15 UTC (3rd failure)",
            "Evidence": "screenshot note",
        },
    ]
    [ours] = section_table(soup, "Monitor's own errors (last 30 days, not downtime)").tbody("tr")
    assert cells(ours)["Start"] == "2026-12-08 08:00 UTC"
    assert cells(ours)["Reason"] == "harness_error before the first step"
    assert "Alert" not in cells(ours)


def test_an_alert_the_monitor_recorded_is_shown_as_sent(
    month: tuple[Served, sample.Month],
) -> None:
    served, _ = month
    at = FIRST_TIMEOUT + timedelta(minutes=10)
    served.monitor.history.record_alert(
        Notification("firing", "login", "timeout", FIRST_TIMEOUT, at)
    )
    row = soup_of(served).find(id=f"check-login-incident-{FIRST_TIMEOUT:%Y%m%dT%H%M%SZ}")
    assert cells(row)["Alert"] == "sent 10:25 UTC"


def test_a_check_not_run_yet_has_an_empty_history(month: tuple[Served, sample.Month]) -> None:
    served, _ = month
    section = soup_of(served).find("section", id="check-portal")
    assert section.h2.get_text() == "portal Not run yet"
    assert section.find("ol", class_="beats") is None
    assert section.find("svg") is None
    texts = [p.get_text() for p in section.find_all("p")]
    assert "No checks in the last 24 h." in texts
    assert "No incidents in the last 30 days." in texts


def test_the_threshold_is_the_one_the_executor_holds_the_check_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for served, _ in serve_month(tmp_path, monkeypatch, Scaled):
        soup = soup_of(served)
        label = soup.select_one("#check-login text.threshold-label")
        assert label.get_text() == "degraded: 90 s"
        [login, _] = httpx.get(served.base + "/api/status").json()["checks"]
        assert login["durations"]["degraded_s"] == 90.0


def test_api_status_gives_the_same_as_json(month: tuple[Served, sample.Month]) -> None:
    served, recorded = month
    response = httpx.get(served.base + "/api/status")
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    assert data["updated"] == NOW.isoformat()
    login, portal = data["checks"]
    assert (login["name"], login["id"], login["state"]) == ("login", "check-login", "up")
    assert set(login["uptime"]) == {"24h", "7d", "30d"}
    last = login["last_check"]
    assert (last["started_at"], last["outcome"]) == (NOW.isoformat(), "success")
    beats = login["heartbeats"]
    assert len(beats) == 100
    statuses = [b["status"] for b in beats]
    assert {s: statuses.count(s) for s in set(statuses)} == {
        "up": 93, "down": 4, "degraded": 2, "error": 1,
    }  # fmt: skip
    [first] = [b for b in beats if b["started_at"] == FIRST_TIMEOUT.isoformat()]
    assert first["name"] == "2026-12-08 10:15 UTC: down (timeout at step 3)"
    assert first["reason"] == "timeout"
    assert first["incident"] == f"check-login-incident-{FIRST_TIMEOUT:%Y%m%dT%H%M%SZ}"
    folder = recorded.evidence[FIRST_TIMEOUT].name
    assert first["evidence"] == [
        f"/evidence/{folder}/screenshot.png",
        f"/evidence/{folder}/failure.txt",
    ]
    durations = login["durations"]
    assert durations["degraded_s"] == 30.0
    assert len(durations["points"]) == 288
    assert durations["points"][-1]["portal_s"] == sample.duration(0) - 0.4
    timeouts, harness, outage, drift = login["incidents"]  # newest first, our own among them
    assert [i["kind"] for i in (timeouts, harness, outage, drift)] == [
        "portal", "monitor", "portal", "portal",
    ]  # fmt: skip
    assert harness["id"] == f"check-login-error-{recorded.at(sample.HARNESS):%Y%m%dT%H%M%SZ}"
    assert (harness["reasons"], harness["alert"]) == (["harness_error"], None)
    assert timeouts["duration_s"] == 15 * 60
    assert (timeouts["ongoing"], timeouts["failed_checks"]) == (False, 3)
    assert timeouts["alert"] == {
        "kind": "firing",
        "at": (FIRST_TIMEOUT + timedelta(minutes=10)).isoformat(),
        "recorded": False,
    }
    assert outage["alert"] is None
    assert portal == {
        "name": "portal",
        "id": "check-portal",
        "state": "none",
        "uptime": {"24h": None, "7d": None, "30d": None},
        "future_checks": 0,
        "last_check": None,
        "heartbeats": [],
        "durations": {
            "since": (NOW - timedelta(days=1)).isoformat(),
            "until": NOW.isoformat(),
            "degraded_s": 30.0,
            "summary": "No checks in the last 24 h.",
            "points": [],
        },
        "incidents": [],
    }


def test_an_ongoing_incident_is_said_on_the_page_and_in_json(
    month: tuple[Served, sample.Month],
) -> None:
    served, _ = month
    start = NOW + timedelta(seconds=10)  # within the page's minute
    served.monitor.history.record(failed("login", reason="portal_unavailable", failed_step="1"))
    served.monitor.history.conn.execute(
        "UPDATE checks SET started_at = ? WHERE id = (SELECT MAX(id) FROM checks)",
        (start.isoformat(),),
    )
    row = soup_of(served).find(id=f"check-login-incident-{start:%Y%m%dT%H%M%SZ}")
    assert (cells(row)["End"], cells(row)["Duration"]) == ("ongoing", "0 s")
    [ongoing, *_] = httpx.get(served.base + "/api/status").json()["checks"][0]["incidents"]
    assert (ongoing["end"], ongoing["ongoing"]) == (None, True)


@pytest.mark.parametrize("path", ["/", "/api/status"])
def test_a_client_that_has_the_page_of_this_minute_gets_304(
    month: tuple[Served, sample.Month], path: str
) -> None:
    served, _ = month
    first = httpx.get(served.base + path)
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    for asked in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        again = httpx.get(served.base + path, headers={"If-None-Match": asked})
        assert (again.status_code, again.content) == (304, b""), asked
        assert again.headers["etag"] == tag
    head = httpx.head(served.base + path, headers={"If-None-Match": tag})
    assert head.status_code == 304
    assert httpx.get(served.base + path, headers={"If-None-Match": '"other"'}).status_code == 200
    # A check run since: another page, another tag.
    served.monitor.history.record(failed("login", reason="timeout"))
    changed = httpx.get(served.base + path, headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != tag


@pytest.mark.parametrize("path", ["/", "/api/status"])
def test_the_page_is_gzipped_for_a_client_that_takes_it(
    month: tuple[Served, sample.Month], path: str
) -> None:
    served, _ = month
    plain = httpx.get(served.base + path, headers={"Accept-Encoding": "identity"})
    zipped = httpx.get(served.base + path, headers={"Accept-Encoding": "br, gzip;q=0.5"})
    refused = httpx.get(served.base + path, headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in plain.headers
    assert "content-encoding" not in refused.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert zipped.content == plain.content  # httpx unzipped it
    assert int(zipped.headers["content-length"]) < len(plain.content) / 4
    # One tag per encoding: a gzipped copy is not the plain one.
    assert zipped.headers["etag"] != plain.headers["etag"]
    again = httpx.get(
        served.base + path,
        headers={"Accept-Encoding": "identity", "If-None-Match": zipped.headers["etag"]},
    )
    assert again.status_code == 200


@pytest.mark.parametrize(("path", "builds"), [("/", "render"), ("/api/status", "snapshot")])
def test_the_page_of_a_minute_is_built_once_and_a_304_builds_nothing(
    month: tuple[Served, sample.Month], monkeypatch: pytest.MonkeyPatch, path: str, builds: str
) -> None:
    served, _ = month
    built: list[datetime] = []
    build = getattr(status, builds)

    def counted(history: History, checks: object, now: datetime, **options: object) -> object:
        built.append(now)
        return build(history, checks, now, **options)

    monkeypatch.setattr(status, builds, counted)
    first = httpx.get(served.base + path)
    tag = first.headers["etag"]
    again = httpx.get(served.base + path, headers={"If-None-Match": tag})
    assert again.status_code == 304
    plain = httpx.get(served.base + path, headers={"Accept-Encoding": "identity"})
    assert plain.content == first.content
    assert len(built) == 1  # the 304 and the other encoding: from what was built
    served.monitor.history.record(failed("login", reason="timeout"))
    assert httpx.get(served.base + path, headers={"If-None-Match": tag}).status_code == 200
    assert len(built) == 2


def test_checks_dated_in_the_future_are_left_out_and_said(
    month: tuple[Served, sample.Month],
) -> None:
    served, _ = month
    before = soup_of(served).find("section", id="check-login")
    before_json = httpx.get(served.base + "/api/status").json()
    # A clock set wrong: a failure two hours ahead, and a check that worked three days ahead.
    history = served.monitor.history
    history.record(replace(failed("login", reason="timeout"), started_at=NOW + timedelta(hours=2)))
    history.record(CheckResult("login", NOW + timedelta(days=3), "success", 4.0))
    after = soup_of(served).find("section", id="check-login")
    clock = after.find("p", class_="clock")
    assert clock.get_text() == (
        "2 checks dated in the future are not shown: is this machine's clock right?"
    )
    clock.decompose()
    # The state, uptimes, bar, chart and incidents alike.
    assert " ".join(str(after).split()) == " ".join(str(before).split())
    data = httpx.get(served.base + "/api/status").json()
    assert data["checks"][0].pop("future_checks") == 2
    assert before_json["checks"][0].pop("future_checks") == 0
    assert data == before_json


def test_recent_failures_are_the_last_checks_newest_first_in_utc(
    month: tuple[Served, sample.Month],
) -> None:
    served, recorded = month
    rows = section_table(soup_of(served), "Recent failures").tbody("tr")
    minutes = [*reversed(sample.TIMEOUTS), sample.HARNESS, sample.OUTAGE]
    assert [cells(row)["step"] for row in rows] == [
        timeline.when(recorded.at(m)) for m in sorted(minutes)
    ]
    assert cells(rows[0])["step"].endswith(" UTC")


def test_a_one_check_incident_says_its_seconds(tmp_path: Path) -> None:
    history = History(tmp_path / "monitor.db")
    start = NOW - timedelta(minutes=10)
    history.record(CheckResult("login", start - timedelta(seconds=30), "success", 4.0))
    history.record(CheckResult("login", start, "failure", 4.0, reason="timeout"))
    history.record(CheckResult("login", start + timedelta(seconds=30), "success", 4.0))
    soup = BeautifulSoup(status.render(history, ["login"], NOW), "html.parser")
    history.close()
    [row] = section_table(soup, "Incidents (last 30 days)").tbody("tr")
    assert [cells(row)[column] for column in ("Start", "End", "Duration")] == [
        "2026-12-08 11:50:00 UTC",
        "2026-12-08 11:50:30 UTC",
        "30 s",
    ]


def test_a_duration_no_number_or_too_long_to_be_true_leaves_the_page_readable(
    tmp_path: Path,
) -> None:
    history = History(tmp_path / "monitor.db")
    durations = [4.0, math.inf, 1e308, 1e9, 4.123456789]
    for n, seconds in enumerate(durations):
        at = NOW - timedelta(minutes=5 * (len(durations) - n))
        history.record(CheckResult("login", at, "success", seconds))
    history.record(CheckResult("login", NOW, "failure", 1e308, reason="timeout"))
    checks = [status.Watched("login", 30.0)]
    soup = BeautifulSoup(status.render(history, checks, NOW), "html.parser")
    data = status.snapshot(history, checks, NOW)
    history.close()
    names = [li.find(class_="vh").get_text() for li in soup.select("li.beat")]
    assert names[1].endswith(": up, duration unknown")
    assert names[2].endswith(": up, 1e+308 s")
    # The scale stops at a day: its labels stay a few characters wide, in hours.
    labels = [t.get_text() for t in soup.select("figure.chart .grid text")]
    assert labels == ["0 h", "10 h", "20 h", "30 h", "40 h", "50 h"]
    assert (
        soup.find("p", class_="summary")
        .get_text()
        .startswith(
            "Duration of the last 24 h: 6 checks, median 1e+09 s, slowest 4.1 s at 11:55 UTC;"
            " 3 checks slower than the scale's 50 h, drawn at its top (up to 1e+308 s at 11:45"
            " UTC); 1 of unknown duration, not drawn;"
        )
    )
    # JSON has no infinity: an unknown duration is null; the others to the millisecond.
    json.dumps(data, allow_nan=False)
    login = data["checks"][0]
    assert [b["duration_s"] for b in login["heartbeats"]][1:] == [None, 1e308, 1e9, 4.123, 1e308]
    assert login["durations"]["points"][1]["portal_s"] is None


def test_a_month_of_checks_every_30_s_is_read_as_its_day_its_bar_and_its_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = History(tmp_path / "monitor.db")
    every = timedelta(seconds=30)
    rows = [
        ("login", (NOW - n * every).isoformat(), "failure" if n % 500 == 7 else "success", 4.0)
        for n in range(30 * 2880)
    ]
    with history.conn:
        history.conn.execute("BEGIN")
        history.conn.executemany(
            "INSERT INTO checks (check_name, started_at, outcome, duration_s, attempts, reason,"
            " message, failed_step, evidence) VALUES (?, ?, ?, ?, 1, 'timeout', '', '3', '')",
            rows,
        )
    read: list[object] = []
    beat = history_module._beat

    def counted(row: object) -> Beat:
        read.append(row)
        return beat(row)

    monkeypatch.setattr(history_module, "_beat", counted)
    [data] = status.collect(history, ["login"], NOW)
    # The chart's day and the bar, then the month's 173 failures and the checks after them.
    assert len(read) < 2880 + 100 + 2 * 2 * 173
    assert len(data.chart.beats) == 2881  # from 12:00 the day before to 12:00
    assert len(data.incidents) == 173
    monkeypatch.undo()
    every_check = history.beats("login", since=NOW - timedelta(days=30))
    assert data.incidents == timeline.incidents("login", every_check, NOW, AlertPolicy())
    assert data.uptimes["30d"] == 1 - 173 / len(every_check)
    history.close()


def many_incidents(history: History, evidence: Path) -> list[datetime]:
    """25 one-check incidents, two hours apart, the newest five minutes before ``NOW``;
    their starts, newest first."""
    starts = [NOW - timedelta(minutes=5, hours=2 * n) for n in range(status.INCIDENT_ROWS + 5)]
    for start in starts:  # a failure, then a check that worked
        history.record(CheckResult("login", start + timedelta(minutes=5), "success", 4.0))
        history.record(CheckResult("login", start, "failure", 4.0, reason="timeout"))
    return starts


def test_a_month_of_many_incidents_lists_the_newest_and_folds_the_rest(tmp_path: Path) -> None:
    history = History(tmp_path / "monitor.db")
    starts = many_incidents(history, tmp_path)
    page = status.render(history, ["login"], NOW)
    data = status.snapshot(history, ["login"], NOW)
    history.close()
    soup = BeautifulSoup(page, "html.parser")
    table = section_table(soup, "Incidents (last 30 days)")
    rows = table.tbody("tr")
    assert len(rows) == status.INCIDENT_ROWS
    assert cells(rows[0])["Start"] == timeline.when(starts[0])
    # The older ones are folded away, each still under its id: an alert links to any.
    older = table.find_next_sibling("details")
    assert older.summary.get_text() == "5 older incidents"
    assert [row["id"] for row in older.table.tbody("tr")] == [
        timeline.incident_id("login", start) for start in starts[status.INCIDENT_ROWS :]
    ]
    assert len(data["checks"][0]["incidents"]) == 25


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_the_page_fits_a_phone_and_a_desktop_passes_axe_and_works_by_keyboard(
    month: tuple[Served, sample.Month], browser: Browser, width: int
) -> None:
    served, _ = month
    unusual(served.monitor.history)
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(served.base + "/")
        assert page.evaluate("document.documentElement.scrollWidth") == width  # no sideways
        found = [(v.rule, v.impact, v.targets) for v in audit_page(page)]
        assert not found, found
        # The chart by its text alternative.
        chart = page.get_by_role("img", name="Duration of each check of login")
        expect(chart).to_be_visible()
        # A failed beat, by keyboard: its tip shows, and Tab goes to its evidence.
        beat = page.get_by_role("link", name="2026-12-08 10:15 UTC: down (timeout at step 3)")
        tip = beat.locator("xpath=..").locator(".tip")
        expect(tip).to_be_hidden()
        beat.focus()
        expect(tip).to_be_visible()
        expect(tip).to_contain_text("Evidence: screenshot note")
        page.keyboard.press("Tab")
        expect(tip.get_by_role("link", name="screenshot")).to_be_focused()
        box = tip.bounding_box()
        assert box is not None
        assert 0 <= box["x"] < box["x"] + box["width"] <= width  # on the screen
        # The tip points up at its beat.
        arrow = beat.evaluate("mark => getComputedStyle(mark, '::after').borderBottomWidth")
        assert arrow == "8px"
        # A phone shows the newest 50 beats, a desktop all 100.
        shown = page.locator("#check-login li.beat:visible")
        expect(shown).to_have_count(50 if width < 640 else 100)
        portal = page.locator("#check-portal")
        expect(portal.get_by_text("1 check dated in the future is not shown")).to_be_visible()
        # A message of one long word wraps inside its tip, and its time stays on one line.
        long_one = portal.get_by_role("link", name=re.compile(r"down \(assertion at step 2\)"))
        long_one.focus()
        long_tip = long_one.locator("xpath=..").locator(".tip")
        expect(long_tip).to_be_visible()
        assert long_tip.evaluate("tip => tip.scrollWidth <= tip.clientWidth")
        for when in portal.locator("table.failures td.when").all():
            assert when.evaluate(LINES) == 1, when.text_content()
    finally:
        context.close()


# How many lines an element's text takes.
LINES = """e => {
    const range = document.createRange();
    range.selectNodeContents(e);
    return range.getClientRects().length;
}"""
LONG_URL = "https://www.seg-social.pt/sso/login?service=" + "x" * 40 + "%2F" * 60 + "end"


def unusual(history: History) -> None:
    """Failures whose messages are one long word (a URL of 290 characters, 10 kB of it),
    then a check that was slow, saying so with that URL; and one dated in the future."""
    unreachable = f"page.goto: net::ERR_HTTP2_PROTOCOL_ERROR at {LONG_URL}"
    for minutes, reason, step, message in (
        (20, "portal_unavailable", "1", unreachable),
        (15, "assertion", "2", "A" * 10_000),
    ):
        at = NOW - timedelta(minutes=minutes)
        checked = CheckResult("portal", at, "failure", 3.0, reason=reason, failed_step=step)
        history.record(replace(checked, message=message))
    slow = f"the check took 40.0 s, over 30 s, at {LONG_URL}"
    at = NOW - timedelta(minutes=10)
    history.record(CheckResult("portal", at, "degraded", 40.0, message=slow))
    history.record(CheckResult("portal", NOW + timedelta(hours=1), "success", 2.0))


@pytest.mark.browser
def test_an_alerts_link_to_an_older_incident_opens_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser: Browser
) -> None:
    for served, starts in serve_history(
        tmp_path, monkeypatch, many_incidents, [CheckSpec("login")]
    ):
        oldest = timeline.incident_id("login", starts[-1])
        page = browser.new_page(viewport={"width": 390, "height": 900})
        try:
            page.goto(f"{served.base}/#{oldest}")
            row = page.locator(f"tr[id='{oldest}']")
            expect(row).to_be_visible()
            expect(row).to_be_in_viewport()
            expect(page.locator("details.older")).to_have_attribute("open", "")
            found = [(v.rule, v.impact, v.targets) for v in audit_page(page)]
            assert not found, found
        finally:
            page.close()


def test_the_page_reloads_itself_only_when_asked(month: tuple[Served, sample.Month]) -> None:
    served, _ = month
    still = soup_of(served)
    assert still.find("meta", attrs={"http-equiv": "refresh"}) is None
    asked = soup_of(served, still.find("a", string="Refresh every minute")["href"])
    assert asked.find("meta", attrs={"http-equiv": "refresh"})["content"] == "60"
    assert asked.find("a", string="stop")["href"] == "/"
