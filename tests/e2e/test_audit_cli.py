"""``sentinel audit`` as users run it: on the clean bundled mock it exits 0 with its reports;
with the mock's ``inaccessible`` fault it exits 1 naming each rule at its step, until
``--update-baseline`` accepts them; a wrong setting is one line and exit 2. In-process, a
planted citizen's data is in none of the reports, and the HTML report passes its own audit
at a phone's width."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from runtime.accessibility import AuditCache, Baseline, Known, audit_page
from runtime.codes import CodeSettings, open_codes
from runtime.mock_process import BackgroundMock, start_in_background
from runtime.targets import Target
from sentinel.audit import audit_flow, report_data, verdict, write_reports
from tests.helpers import run_sentinel
from tests.security.leaks import RecordingControl, Scanner, planted_faker, planted_values

pytestmark = pytest.mark.slow

TOKEN = secrets.token_urlsafe(16)
# The identification form the fault spoils: registration's step 5 lands on it (6 and 7 fill
# it in, on the same screen).
FAULTS = {"image-alt": "critical", "label": "critical", "color-contrast": "serious"}
NISS_LIKE = re.compile(r"(?<![\w-])\d{11}(?![\w-])")


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BackgroundMock, Path]]:
    """A mock of this module's own with the ``inaccessible`` fault set, and its token file."""
    folder = tmp_path_factory.mktemp("inaccessible")
    server = start_in_background(folder / "portal.db", TOKEN, "scrypt_n=1024")
    with RecordingControl(server.url, TOKEN) as api:
        api.set_faults(inaccessible=True)
    (folder / "token").write_text(TOKEN, encoding="utf-8")
    yield server, folder / "token"
    server.stop()


def audit(faulty: tuple[BackgroundMock, Path], out: Path, *args: str):
    """``sentinel audit`` of the registration on the faulty mock, as a staging URL."""
    mock, token = faulty
    return run_sentinel(
        "audit",
        *("--target", mock.url, "--test-token-file", str(token)),
        *("--flow", "registration", "--out", str(out), *args),
    )


def report(out: Path) -> dict[str, Any]:
    return json.loads((out / "audit.json").read_text(encoding="utf-8"))


def test_a_clean_portal_passes_with_its_reports(tmp_path: Path) -> None:
    done = run_sentinel("audit", "--flow", "portal", "--out", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "portal: 7 steps, " in done.stdout
    assert "No violations outside the baseline." in done.stdout
    assert f"Audit report: {tmp_path / 'index.html'}" in done.stdout
    found = report(tmp_path)
    assert (found["target"], found["new"], found["baseline"]) == ("the bundled mock", 0, None)
    [flow] = found["flows"]
    assert [step["number"] for step in flow["steps"]] == ["1", "2", "2a", "3", "3a", "4", "5"]
    assert all(step["audited"] and not step["violations"] for step in flow["steps"])
    assert flow["steps"][0]["vitals"]["ttfb_s"] > 0
    assert "No violations outside the baseline." in (tmp_path / "index.html").read_text()


def test_the_faulty_screen_fails_until_the_baseline_accepts_it(faulty, tmp_path: Path) -> None:
    done = audit(faulty, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"^registration: 10 steps, .* violations \(.*\), \d+ new$", done.stdout, re.M)
    step = "step 5. Li e aceito os termos e condições (I have read and accept the terms and "
    for rule, impact in FAULTS.items():
        assert f"new: {step}conditions) of registration: {rule} ({impact}, 1 element)" in (
            done.stdout
        )
    assert "not in the baseline (none yet); once they are known, accept them" in done.stdout
    [flow] = report(tmp_path)["flows"]
    found = {s["number"]: sorted(v["rule"] for v in s["violations"]) for s in flow["steps"]}
    # Each rule at the step that lands on the faulty form, and on the form as it is filled in.
    assert found.pop("5") == found.pop("6") == found.pop("7") == sorted(FAULTS)
    assert not any(found.values())  # every other screen is clean
    for name in ("audit.json", "index.html"):
        assert not NISS_LIKE.search((tmp_path / name).read_text(encoding="utf-8")), name

    accepted = audit(faulty, tmp_path, "--update-baseline")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    baseline = tmp_path / "accessibility-baseline.json"
    assert f"Baseline written: {baseline} (9 accepted)" in accepted.stdout
    assert {known.step for known in Baseline.load(baseline).known} == {"5", "6", "7"}

    again = audit(faulty, tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert ", 0 new" in again.stdout
    assert "No violations outside the baseline." in again.stdout
    assert report(tmp_path)["baseline"] == str(baseline)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--baseline", "{folder}/missing.json"), "sentinel audit: --baseline: cannot read"),
        (("--baseline", "{folder}/notes.json"), "notes.json is not an accessibility baseline"),
        (("--network", "4g"), "argument --network: unknown network '4g': use one of fast-3g"),
        (("--network", "offline-after=registration:99"), "--network offline-after="),
        (("--out", "{folder}/notes.json"), "sentinel audit: --out "),
    ],
    ids=["missing", "not-a-baseline", "network", "network-step", "out-is-a-file"],
)
def test_a_wrong_setting_is_one_line_and_exit_2(
    tmp_path: Path, args: tuple[str, ...], said: str
) -> None:
    (tmp_path / "notes.json").write_text('{"notes": "not a baseline"}', encoding="utf-8")
    done = run_sentinel(
        "audit", "--flow", "registration", *(a.format(folder=tmp_path) for a in args)
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert said in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stdout == ""  # refused before any flow ran


@pytest.fixture(scope="module")
def planted_audit(
    faulty, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, RecordingControl, list[str]]:
    """The registration audited in this process for a planted citizen (the data in every
    encoding: tests/security/leaks.py), typed into the faulty form; its reports."""
    out = tmp_path_factory.mktemp("planted-audit")
    mock, _ = faulty
    api = RecordingControl(mock.url, TOKEN)
    target = Target(mock.url, TOKEN)
    with api, open_codes(CodeSettings(), api) as codes:
        flow = audit_flow(
            browser, target, codes, api, "registration", cache=AuditCache(), fake=planted_faker()
        )
        accepted = Baseline({Known("registration", "5", r) for r in ("image-alt", "label")})
        # A baseline that accepts two of the three: the third is new.
        said: list[str] = []
        assert verdict([flow], accepted, out / "b.json", said.append, failed=False) == 1
        assert len(said) == 2
        assert "of registration: color-contrast (serious, 1 element)" in said[0]
        write_reports(out, report_data([flow], accepted, target=target.url, baseline_path=None))
        codes_sent = api.codes()
    return out, api, codes_sent


def test_the_planted_citizen_is_in_no_report(planted_audit) -> None:
    out, api, codes_sent = planted_audit
    leaks = Scanner(planted_values(api.citizens(), codes_sent)).files(out)
    assert not leaks, "\n".join(map(str, leaks))


def test_the_html_report_passes_its_own_audit_on_a_phone(planted_audit, page: Page) -> None:
    out, _, _ = planted_audit
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto((out / "index.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    assert audit_page(page) == ()
    assert page.get_by_text("1 violation not in the baseline.").is_visible()
