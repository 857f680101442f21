"""Masked screenshots, checked pixel by pixel: no typed value and no personal data shows."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page

from flows.context import Citizen, NoCodes, Run
from runtime.masking import masked_screenshot

PERSON = Citizen(
    niss="11115611236",
    name="Maria Dos Santos",
    birth_date=date(1980, 5, 17),
    password="Verao-Lisboa-2025",
    email="maria.santos@exemplo.pt",
)
MAGENTA = (255, 0, 255)
PAGE = """
<main style="font: 20px sans-serif">
  <h1 id="heading">Dados de identificação</h1>
  <p id="greeting" style="color: #123">Olá, <b style="color: red">Maria</b>, bem-vinda.</p>
  <p id="split">NISS: <span>11115</span><span>611236</span></p>
  <p id="other">Texto sem dados pessoais.</p>
  <label>Palavra-passe <input id="typed" type="password" style="width: 300px"></label>
  <label>Email <input id="email" style="width: 300px; color: green"></label>
</main>
"""


@pytest.fixture
def page_with_secrets(page: Page) -> Page:
    page.set_content(PAGE)
    page.fill("#typed", PERSON.password)
    page.fill("#email", PERSON.email)
    return page


def picture(page: Page) -> Image.Image:
    run = Run(page=page, base_url="about:blank", citizen=PERSON, codes=NoCodes())
    return Image.open(io.BytesIO(masked_screenshot(run))).convert("RGB")


def colours_inside(image: Image.Image, element: Locator) -> set[tuple[int, int, int]]:
    box = element.bounding_box()
    assert box is not None
    # A pixel in from each edge: anti-aliased borders are neither one colour nor the other.
    left, top = int(box["x"]) + 1, int(box["y"]) + 1
    right, bottom = int(box["x"] + box["width"]) - 1, int(box["y"] + box["height"]) - 1
    found = image.crop((left, top, right, bottom)).getcolors(maxcolors=1 << 24)
    return {colour for _, colour in found}


def test_typed_values_are_painted_over_entirely(page_with_secrets: Page) -> None:
    image = picture(page_with_secrets)
    for field in ("#typed", "#email"):
        assert colours_inside(image, page_with_secrets.locator(field)) == {MAGENTA}, field


def test_the_citizens_data_is_painted_over_even_split_or_coloured(page_with_secrets: Page) -> None:
    image = picture(page_with_secrets)
    # The name's element holds "Maria" in red: painted whole, the red text gone too.
    assert colours_inside(image, page_with_secrets.locator("#greeting b")) == {MAGENTA}
    # An NISS split across two elements paints the element that holds it whole.
    assert colours_inside(image, page_with_secrets.locator("#split")) == {MAGENTA}


def test_text_without_personal_data_stays_readable(page_with_secrets: Page) -> None:
    image = picture(page_with_secrets)
    # "Dos" (in the name) is not the heading's "Dados": whole words only.
    for element in ("#heading", "#other"):
        colours = colours_inside(image, page_with_secrets.locator(element))
        assert MAGENTA not in colours, element
        assert len(colours) > 2, f"{element} shows no text"


def test_the_page_gets_its_own_styles_back(page_with_secrets: Page) -> None:
    # Chromium leaves an empty style="" where there was none, which styles nothing.
    styles = "() => [...document.querySelectorAll('*')].map(e => e.getAttribute('style') || '')"
    before = page_with_secrets.evaluate(styles)
    picture(page_with_secrets)
    assert page_with_secrets.evaluate(styles) == before
    assert page_with_secrets.evaluate("() => window.__sentinelMasked") is None
