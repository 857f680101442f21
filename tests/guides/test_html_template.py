"""The HTML guide comes from a Jinja2 template: every value in it escaped, the template shipped."""

from __future__ import annotations

import fnmatch
import io
import tomllib
from dataclasses import replace
from pathlib import Path

from bs4 import BeautifulSoup
from PIL import Image

from flows import catalog, detours
from guides import text
from guides.capture import Box, CapturedStep
from guides.render import Guide, to_html

ROOT = Path(__file__).resolve().parents[2]
# Each value would, written into the page as it is, open an element or leave its attribute.
HOSTILE = "<b>x</b> & 'q' \"dq\""


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


def hostile_guide(language: str) -> Guide:
    flow = replace(catalog.REGISTRATION, title_pt=f"pt {HOSTILE}", title_en=f"en {HOSTILE}")
    step = replace(flow.steps[3], number=f"4{HOSTILE}")
    note = replace(detours.CONTACTS_PROMPT, shown=HOSTILE)
    captured = CapturedStep(step, png(), [Box(1, 2, 10, 5)], 40, 30, HOSTILE, [note])
    return Guide("g", flow, language, [captured], variant=HOSTILE)


def test_every_value_in_the_page_is_text_not_markup() -> None:
    for language in ("pt", "en"):
        guide = hostile_guide(language)
        [captured] = guide.steps
        page = BeautifulSoup(to_html(guide), "html.parser")
        # No element came from a value: the only <b> would be the hostile one.
        assert page.find("b") is None
        title = text.title(guide.flow, language, guide.variant)
        assert page.title.string == title
        assert page.h1.string == title
        anchor = guide.anchor(captured)
        assert page.find("a")["href"] == f"#{anchor}"
        [section] = page.find_all("section")
        assert section["id"] == anchor
        # The instruction: the screen's words in <strong>, as text, nothing else as markup.
        instruction = text.instruction(captured, language)
        shown = section.find("p", class_="instruction")
        assert shown.get_text() == instruction.replace("**", "")
        assert [s.string for s in shown.find_all("strong")] == [HOSTILE]
        assert (
            section.find("p", class_="note").get_text().endswith(text.notes(captured, language)[0])
        )
        assert section.img["alt"] == f"{text.words(language)['step']} {captured.step.number}"


def test_the_template_ships_with_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = project["tool"]["setuptools"]["package-data"].get("guides", [])
    templates = [
        p.relative_to(ROOT / "guides").as_posix()
        for p in (ROOT / "guides" / "templates").rglob("*")
        if p.is_file()
    ]
    assert templates, "no template in guides/templates"
    for template in templates:
        assert any(fnmatch.fnmatch(template, pattern) for pattern in shipped), template
