"""Guides made against the mock, in both languages, checked as a reader and an auditor would."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from flows import catalog
from guides.make import GUIDES, capture
from guides.render import Guide, write
from tests.helpers import run_sentinel

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NISS_LIKE = re.compile(r"(?<![\w.-])\d{11}(?![\w.-])")


@pytest.mark.parametrize("spec", GUIDES, ids=[g.name for g in GUIDES])
def test_a_guide_in_both_languages(
    spec, browser: Browser, sentinel_target, test_control, portal_access, tmp_path: Path
) -> None:
    flow, steps, citizen = capture(spec, browser, sentinel_target.url, test_control)
    codes = [m["code"] for m in test_control.outbox(citizen.niss) if m["code"]]
    formats = {"html", "md", "pdf"} if spec.name == "activation" else {"html", "md"}
    for language in ("pt", "en"):
        guide = Guide(spec.name, flow, language, steps, spec.variant.get(language, ""))
        written = write(guide, tmp_path, formats, browser)
        page = (tmp_path / f"{guide.stem}.html").read_text()
        markdown = (tmp_path / f"{guide.stem}.md").read_text()
        data = json.loads((tmp_path / f"{guide.stem}.json").read_text())

        # One section per documented step, in order.
        expected = [s.number for s in catalog.FLOWS[spec.flow].steps]
        assert re.findall(r"<section id='[a-z]+-([0-9a-z]+)'>", page) == expected
        # Every documented label is quoted (in one of its documented wordings).
        for step in catalog.FLOWS[spec.flow].steps:
            assert any(f"<strong>{w}</strong>" in page for w in step.label.wordings), step.title
            if language == "en" and step.label.en != step.label.pt:
                assert f"({step.label.en})" in page
        # Highlighted boxes lie inside their pictures.
        for entry in data["steps"]:
            width, height = entry["size"]
            for x, y, w, h in entry["boxes"]:
                assert min(x, y) >= 0, entry
                assert x + w <= width, entry
                assert y + h <= height, entry
        # No personal data or secret anywhere in the text.
        readable = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", page)
        for secret in [*citizen.secrets(), *codes]:
            pattern = re.compile(rf"(?<!\w){re.escape(secret)}(?!\w)")
            assert not pattern.search(readable), secret
            assert not pattern.search(markdown), secret
        assert not NISS_LIKE.search(markdown)
        if "pdf" in formats:
            assert (tmp_path / f"{guide.stem}.pdf").read_bytes().startswith(b"%PDF")
        assert len(written) == len(formats)


def test_check_finds_nothing_twice_and_the_changed_steps_after_a_rewording(tmp_path) -> None:
    def guide(*extra: str) -> subprocess.CompletedProcess[str]:
        return run_sentinel(
            "guide",
            "--flow",
            "registration-sms",
            "--lang",
            "en",
            "--format",
            "html",
            "--out",
            str(tmp_path),
            *extra,
        )

    assert guide("--format", "html,md").returncode == 0
    again = tmp_path / "again"
    assert guide("--out", str(again), "--format", "md").returncode == 0
    # The same portal gives byte-identical words and pictures of the same size.
    first = (tmp_path / "registration-sms.en.json").read_text()
    second = (again / "registration-sms.en.json").read_text()
    assert [s["text"] for s in json.loads(first)["steps"]] == [
        s["text"] for s in json.loads(second)["steps"]
    ]
    assert [s["size"] for s in json.loads(first)["steps"]] == [
        s["size"] for s in json.loads(second)["steps"]
    ]
    assert (again / "registration-sms.en.md").read_bytes() == (
        (tmp_path / "registration-sms.en.md").read_bytes()
    )
    same = guide("--check")
    assert (same.returncode, same.stdout.strip()) == (0, "No changes."), same.stderr
    reworded = guide("--check", "--wording", "guide")
    assert reworded.returncode == 1
    assert (
        "step 4: words: 'Click on **Registar** (Register)' -> 'Click on **Efetuar Registo** "
        "(Register)'" in reworded.stdout
    )
    assert "the documented label 'Registar' is no longer on the screens" in reworded.stdout
