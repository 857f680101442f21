from __future__ import annotations

import dataclasses
import io
import re

from PIL import Image

from flows import catalog, detours
from guides import text
from guides.capture import Box, CapturedStep
from guides.render import Guide, manifest, to_html, to_markdown

REGISTER = catalog.REGISTRATION.steps[3]


def png(colour: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def captured(shown: str = "Registar") -> CapturedStep:
    return CapturedStep(REGISTER, png(), [Box(1, 2, 10, 5)], 40, 30, shown)


def test_portuguese_quotes_the_screen_and_english_adds_the_gloss() -> None:
    assert text.instruction(captured(), "pt") == "Clique em **Registar**"
    assert text.instruction(captured(), "en") == "Click on **Registar** (Register)"
    # A portal worded as a relocation guide: the screen's words, the same gloss.
    assert text.instruction(captured("Efetuar Registo"), "en") == (
        "Click on **Efetuar Registo** (Register)"
    )


def test_html_is_one_self_contained_page_with_contents() -> None:
    page = to_html(Guide("registration-sms", catalog.REGISTRATION, "en", [captured()]))
    assert "<html lang='en'>" in page
    assert "<a href='#step-4'>Click on <strong>Registar</strong> (Register)</a>" in page
    assert "<section id='step-4'>" in page
    assert re.findall(r"src='([^']*)'", page)[0].startswith("data:image/png;base64,")
    assert "http" not in page  # nothing to fetch: it opens offline
    assert "width=device-width" in page


def test_markdown_points_to_the_images_beside_it() -> None:
    markdown = to_markdown(Guide("activation", catalog.ACTIVATION, "pt", [captured()]))
    assert "## Passo 4\n\nClique em **Registar**\n\n![Passo 4](activation.pt/04.png)" in markdown


def test_the_manifest_keeps_words_pictures_and_boxes_for_checks() -> None:
    [step] = manifest(Guide("g", catalog.REGISTRATION, "pt", [captured()]))["steps"]
    assert step["number"] == "4"
    assert step["size"] == [40, 30]
    assert step["boxes"] == [[1, 2, 10, 5]]


def test_what_the_portal_asked_on_the_way_is_a_note_of_the_step() -> None:
    step = captured()
    step.detours.append(detours.CONTACTS_PROMPT)
    notes = {lang: detours.CONTACTS_PROMPT.note(lang) for lang in ("pt", "en")}
    for language, note in notes.items():
        guide = Guide("cmd", catalog.CMD, language, [step])
        assert note.split(":")[0] in to_html(guide)
        assert "Lembrar mais tarde" in to_markdown(guide)
        assert manifest(guide)["steps"][0]["notes"] == text.notes(step, language)
    assert "<p class='note'><strong>Nota:</strong>" in to_html(
        Guide("x", catalog.CMD, "pt", [step])
    )


def test_the_screen_words_in_markdown_are_text_not_markup() -> None:
    """A portal's own words (quoted by meaning, so never checked letter by letter) may hold
    what Markdown reads as emphasis, a link or raw HTML: they are shown as written."""
    step = captured("Seguinte <img src=x onerror=alert(1)> *já* [aqui](http://evil)")
    step.detours.append(dataclasses.replace(detours.CONTACTS_PROMPT, shown="Mais <b>tarde</b>"))
    markdown = to_markdown(Guide("registration", catalog.REGISTRATION, "pt", [step]))
    assert (
        r"Clique em **Seguinte \<img src=x onerror=alert(1)\> \*já\* \[aqui\](http://evil)**"
        in markdown
    )
    assert r"Mais \<b\>tarde\</b\>" in markdown
    # Nothing Markdown would read as a tag or a link is left unescaped.
    assert re.findall(r"(?<!\\)[<\[]", markdown.split("## ", 1)[1]) == ["["]  # the picture


def test_plain_screen_words_are_written_as_they_are_in_markdown() -> None:
    markdown = to_markdown(Guide("registration", catalog.REGISTRATION, "pt", [captured()]))
    assert "Clique em **Registar**" in markdown
