"""Writing a guide as one self-contained HTML file, Markdown with images beside it, and PDF."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser

from flows.flow import Flow
from guides import text
from guides.capture import CapturedStep

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1c2330;
line-height:1.5;background:#fff}main{max-width:860px;margin:auto;padding:16px}
h1{color:#0b3d91;font-size:1.6rem}nav ol{padding-left:1.4em}
section{border-top:1px solid #d5d9e0;padding-top:12px;margin-top:20px;break-inside:avoid}
h2{font-size:1.2rem;margin:.2em 0}.instruction{font-size:1.1rem}
img{max-width:100%;height:auto;border:1px solid #d5d9e0;border-radius:6px}
.source{color:#5a6270;font-size:.85rem}
.note{background:#fff8e1;border-left:4px solid #f2a900;padding:6px 10px;border-radius:4px}
@media print{main{max-width:none}section{page-break-inside:avoid}}
"""


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


def _bold(markdown: str) -> str:
    escaped = html.escape(markdown)
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)


def to_html(guide: Guide) -> str:
    w = text.words(guide.language)
    title = text.title(guide.flow, guide.language, guide.variant)
    toc = "".join(
        f"<li><a href='#{guide.anchor(c)}'>{_bold(text.instruction(c, guide.language))}</a></li>"
        for c in guide.steps
    )
    sections = "".join(
        f"<section id='{guide.anchor(c)}'><h2>{w['step']} {html.escape(c.step.number)}</h2>"
        f"<p class='instruction'>{_bold(text.instruction(c, guide.language))}</p>"
        + _notes(c, guide.language)
        + f"<img alt='{w['step']} {html.escape(c.step.number)}' width='{c.width}' "
        f"height='{c.height}' src='data:image/png;base64,{base64.b64encode(c.png).decode()}'>"
        + _source_note(c, guide.language)
        + "</section>"
        for c in guide.steps
    )
    return (
        f"<!doctype html><html lang='{w['lang']}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body><main>"
        f"<h1>{html.escape(title)}</h1><p>{w['intro']}</p>"
        f"<nav aria-label='{w['contents']}'><h2>{w['contents']}</h2><ol>{toc}</ol></nav>"
        f"{sections}</main></body></html>\n"
    )


def _notes(captured: CapturedStep, language: str) -> str:
    label = text.words(language)["note"]
    return "".join(
        f"<p class='note'><strong>{label}:</strong> {html.escape(note)}</p>"
        for note in text.notes(captured, language)
    )


def _source_note(captured: CapturedStep, language: str) -> str:
    documented = captured.step.label.source
    if not documented:
        return ""
    where = html.escape(text.source(documented, language))
    return f"<p class='source'>{text.words(language)['source']}: {where}</p>"


def image_name(captured: CapturedStep) -> str:
    return f"{captured.step.number.zfill(2)}.png"


def to_markdown(guide: Guide) -> str:
    w = text.words(guide.language)
    lines = [f"# {text.title(guide.flow, guide.language, guide.variant)}", "", w["intro"], ""]
    for c in guide.steps:
        lines += [
            f"## {w['step']} {c.step.number}",
            "",
            text.instruction(c, guide.language),
            "",
            *(f"> **{w['note']}:** {note}\n" for note in text.notes(c, guide.language)),
            f"![{w['step']} {c.step.number}]({guide.stem}/{image_name(c)})",
            "",
        ]
    return "\n".join(lines)


def manifest(guide: Guide) -> dict:
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
