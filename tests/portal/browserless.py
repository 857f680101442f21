"""A citizen's way through the portal over plain HTTP, for the portal's own tests.

Forms are found by their submit button's text and fields by their label text, never by the
mock's names or ids, so the same test passes on every markup and wording. A text to look for
is either the exact text or a pattern searched in it (a translated label's meaning). Redirects
are followed as a browser does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx
from bs4 import BeautifulSoup, Tag

Wanted = str | re.Pattern[str]


def _text(node: Tag) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def _is(text: str, wanted: Wanted) -> bool:
    return bool(wanted.search(text)) if isinstance(wanted, re.Pattern) else text == wanted


@dataclass
class Screen:
    client: httpx.Client
    response: httpx.Response

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def url(self) -> str:
        return str(self.response.url)

    @property
    def html(self) -> str:
        return self.response.text

    @property
    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.response.text, "html.parser")

    @property
    def heading(self) -> str:
        h1 = self.soup.find("h1")
        return _text(h1) if h1 else ""

    @property
    def text(self) -> str:
        return _text(self.soup.body or self.soup)

    @property
    def errors(self) -> list[str]:
        """Every error message on the page: the summary's and the fields'."""
        soup = self.soup
        found = [_text(n).removeprefix("Erro: ") for n in soup.select(".field-error")]
        found += [_text(n) for n in soup.select("[role=alert] p")]
        return found

    def error_for(self, label: Wanted) -> str:
        """The error message tied to a field (``aria-describedby``), found by its label."""
        soup = self.soup
        control = _control(soup, label)
        for ref in (control.get("aria-describedby") or "").split():
            node = soup.find(id=ref)
            if node and "field-error" in (node.get("class") or []):
                return _text(node).removeprefix("Erro: ").strip()
        return ""

    # Actions ----------------------------------------------------------------------------
    def click(self, text: Wanted) -> Screen:
        """Follow a link or press a button (that submits its form) with this visible text."""
        soup = self.soup
        for link in soup.find_all("a"):
            if _is(_text(link), text):
                return self._go("GET", urljoin(self.url, link["href"]), None)
        return self.submit(text)

    def submit(
        self,
        button: Wanted,
        fields: dict[Wanted, str] | None = None,
        choices: dict[Wanted, str] | None = None,
        checks: list[Wanted] | None = None,
        extra: dict[str, str] | None = None,
        drop: list[str] | None = None,
    ) -> Screen:
        """Fill the form of ``button``: ``fields`` by label, ``choices`` as {legend: option
        label}, ``checks`` as checkbox labels; then press it."""
        soup = self.soup
        pressed = _button(soup, button)
        form = pressed.find_parent("form")
        assert form is not None, f"button {button!r} is not in a form"
        data = _defaults(form)
        for label, value in (fields or {}).items():
            data[_control(form, label)["name"]] = value
        for legend, option in (choices or {}).items():
            radio = _radio(form, legend, option)
            data[radio["name"]] = radio["value"]
        for label in checks or []:
            box = _control(form, label)
            data[box["name"]] = box.get("value", "on")
        if pressed.get("name"):
            data[pressed["name"]] = pressed.get("value", "")
        data.update(extra or {})
        for name in drop or []:
            data.pop(name, None)
        method = (form.get("method") or "get").upper()
        action = urljoin(self.url, form.get("action") or self.url)
        return self._go(method, action, data)

    def form_data(self, button: Wanted) -> tuple[str, dict[str, str]]:
        """The action URL and default values of a form, to replay or tamper with it."""
        form = _button(self.soup, button).find_parent("form")
        return urljoin(self.url, form.get("action")), _defaults(form)

    def _go(self, method: str, url: str, data: dict[str, str] | None) -> Screen:
        if method == "GET":
            response = self.client.get(url, params=data)
        else:
            response = self.client.post(url, data=data)
        return Screen(self.client, response)


def _buttons(soup: Tag) -> list[tuple[str, Tag]]:
    """Every submit button with its visible text: a ``<button>`` or an ``<input>``'s value."""
    found = [(_text(node), node) for node in soup.find_all("button")]
    for node in soup.find_all("input", attrs={"type": "submit"}):
        found.append((" ".join(node.get("value", "").split()), node))
    return found


def _button(soup: Tag, text: Wanted) -> Tag:
    buttons = _buttons(soup)
    for name, node in buttons:
        if _is(name, text):
            return node
    raise AssertionError(f"no button {text!r}; buttons: {[name for name, _ in buttons]}")


def _label_text(label: Tag) -> str:
    copy = BeautifulSoup(str(label), "html.parser")
    for inner in copy.find_all(["input", "select", "textarea"]):
        inner.decompose()
    return _text(copy)


def _control(scope: Tag, label_text: Wanted) -> Tag:
    """The control labelled so: by a ``<label>`` (wrapping it or pointing to it with ``for``)
    or by the elements its ``aria-labelledby`` names."""
    root = scope
    document = scope
    while document.parent is not None:
        document = document.parent
    for label in root.find_all("label"):
        if not _is(_label_text(label), label_text):
            continue
        if label.get("for"):
            control = document.find(id=label["for"])
        else:
            control = label.find(["input", "select", "textarea"])
        if control is not None:
            return control
    for control in root.find_all(["input", "select", "textarea"], attrs={"aria-labelledby": True}):
        names = [document.find(id=ref) for ref in control["aria-labelledby"].split()]
        if _is(" ".join(_text(n) for n in names if n is not None), label_text):
            return control
    raise AssertionError(f"no field labelled {label_text!r}")


def _radio(form: Tag, legend: Wanted, option: Wanted) -> Tag:
    for fieldset in form.find_all("fieldset"):
        if _is(_text(fieldset.find("legend")), legend):
            return _control(fieldset, option)
    raise AssertionError(f"no choice group {legend!r}")


def _defaults(form: Tag) -> dict[str, str]:
    data: dict[str, str] = {}
    for control in form.find_all("input"):
        name = control.get("name")
        kind = control.get("type", "text")
        if not name or kind in ("submit", "button"):
            continue
        if kind in ("radio", "checkbox"):
            if control.has_attr("checked"):
                data[name] = control.get("value", "on")
            continue
        data[name] = control.get("value", "")
    return data
