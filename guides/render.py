"""Writing a guide as one self-contained HTML file, Markdown with images beside it, and PDF."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from playwright.sync_api import Browser

from flows.flow import Flow
from guides import text
from guides.capture import CapturedStep

TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class Guide:
    name: str
    flow: Flow
    language: str
    steps: list[CapturedStep]
    variant: str = ""

    @property
    def stem(self) -> str:
        return f"{self.name}.{self.language}"

    def anchor(self, captured: CapturedStep) -> str:
        return f"{text.words(self.language)['step'].lower()}-{captured.step.number}"


@dataclass(frozen=True)
class _Section:
    """One step as the page shows it: plain values, escaped by the template."""

    anchor: str
    number: str
    instruction: str  # Markdown whose only markup is **bold**
    notes: list[str]
    width: int
    height: int
    image: str  # a data: URL, so the page needs nothing beside it
    source: str  # where the step is documented, for readers; "" when it is not


def _bold(markdown: str) -> Markup:
    """The instruction's ``**words**`` as <strong>, everything else escaped."""
    escaped = str(escape(markdown))
    # Markup on purpose: the text is escaped above, and only **...** becomes a tag.
    return Markup(re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped))  # noqa: S704


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        # The template ships with the package and is read once per process.
        auto_reload=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["bold"] = _bold
    return environment


def to_html(guide: Guide) -> str:
    template = _environment().get_template("guide.html")
    return template.render(
        words=text.words(guide.language),
        title=text.title(guide.flow, guide.language, guide.variant),
        sections=[_section(guide, c) for c in guide.steps],
    )


def _section(guide: Guide, captured: CapturedStep) -> _Section:
    return _Section(
        anchor=guide.anchor(captured),
        number=captured.step.number,
        instruction=text.instruction(captured, guide.language),
        notes=text.notes(captured, guide.language),
        width=captured.width,
        height=captured.height,
        image=f"data:image/png;base64,{base64.b64encode(captured.png).decode()}",
        source=_source(captured, guide.language),
    )


def _source(captured: CapturedStep, language: str) -> str:
    documented = captured.step.label.source
    return text.source(documented, language) if documented else ""


def image_name(captured: CapturedStep) -> str:
    return f"{captured.step.number.zfill(2)}.png"


def to_markdown(guide: Guide) -> str:
    w = text.words(guide.language)
    lines = [f"# {text.title(guide.flow, guide.language, guide.variant)}", "", w["intro"], ""]
    for c in guide.steps:
        lines += [
            f"## {w['step']} {c.step.number}",
            "",
            text.instruction(c, guide.language, quote=text.markdown_text),
            "",
            *(
                f"> **{w['note']}:** {text.markdown_text(note)}\n"
                for note in text.notes(c, guide.language)
            ),
            f"![{w['step']} {c.step.number}]({guide.stem}/{image_name(c)})",
            "",
        ]
    return "\n".join(lines)


def manifest(guide: Guide) -> dict[str, Any]:
    """What ``--check`` compares: each step's words, picture and highlighted boxes."""
    return {
        "guide": guide.name,
        "language": guide.language,
        "steps": [
            {
                "number": c.step.number,
                "text": text.instruction(c, guide.language),
                "notes": text.notes(c, guide.language),
                "image": f"{guide.stem}/{image_name(c)}",
                "sha256": hashlib.sha256(c.png).hexdigest(),
                "size": [c.width, c.height],
                "boxes": [[b.x, b.y, b.width, b.height] for b in c.boxes],
            }
            for c in guide.steps
        ],
    }


def write(guide: Guide, out: Path, formats: set[str], browser: Browser) -> list[Path]:
    """Write the guide in the asked formats; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    images = out / guide.stem
    images.mkdir(exist_ok=True)
    for c in guide.steps:
        (images / image_name(c)).write_bytes(c.png)
    written = []
    (out / f"{guide.stem}.json").write_text(
        json.dumps(manifest(guide), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    page_html = to_html(guide)
    if "html" in formats:
        path = out / f"{guide.stem}.html"
        path.write_text(page_html, encoding="utf-8")
        written.append(path)
    if "md" in formats:
        path = out / f"{guide.stem}.md"
        path.write_text(to_markdown(guide), encoding="utf-8")
        written.append(path)
    if "pdf" in formats:
        path = out / f"{guide.stem}.pdf"
        page = browser.new_page()
        page.set_content(page_html, wait_until="load")
        page.pdf(
            path=str(path),
            format="A4",
            print_background=True,
            margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"},
        )
        page.close()
        written.append(path)
    return written
