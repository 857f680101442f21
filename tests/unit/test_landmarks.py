"""Every page object knows its screen by what is documented, never by a sentence only we wrote.

No browser: each page object's ``landmarks()`` is built on a page that records what was asked
for (a role, a label, a text), and what was asked for is checked against the catalogue. A
landmark must rest on at least one label a guide quotes or the portal's screens customarily
show; a translated label (our Portuguese for an English sentence) may help only by its meaning,
never exactly, and never alone, in any branch of an ``or``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from typing import Any

import pytest

import pages
from pages import labels
from pages.base import Screen

# Roles that describe a screen's structure rather than naming a control.
STRUCTURE = {"heading", "status", "alert", "region", "main", "dialog"}


@dataclass
class Asked:
    """One thing a locator was asked for: how (``role:heading``, ``label``, ``text``) and
    with what name or text (a string or a pattern, or None)."""

    how: str
    name: str | re.Pattern[str] | None


@dataclass
class Recorded:
    """A locator built on the recording page: everything it requires (all of ``parts``), or
    one of several alternatives (``alternatives``)."""

    parts: list[Asked | Recorded] = field(default_factory=list)
    alternatives: list[Recorded] = field(default_factory=list)

    def _with(self, asked: Asked) -> Recorded:
        return Recorded(parts=[self, asked])

    def get_by_role(self, role: str, *, name: Any = None, **_: Any) -> Recorded:
        return self._with(Asked(f"role:{role}", name))

    def get_by_label(self, text: Any, **_: Any) -> Recorded:
        return self._with(Asked("label", text))

    def get_by_text(self, text: Any, **_: Any) -> Recorded:
        return self._with(Asked("text", text))

    def get_by_placeholder(self, text: Any, **_: Any) -> Recorded:
        return self._with(Asked("placeholder", text))

    def get_by_title(self, text: Any, **_: Any) -> Recorded:
        return self._with(Asked("title", text))

    def get_by_alt_text(self, text: Any, **_: Any) -> Recorded:
        return self._with(Asked("alt", text))

    def get_by_test_id(self, test_id: Any) -> Recorded:
        return self._with(Asked("test id", test_id))

    def locator(self, selector: str, *, has_text: Any = None, has: Any = None, **_: Any):
        return self._with(Asked("selector", selector)).filter(has_text=has_text, has=has)

    def filter(self, *, has_text: Any = None, has: Any = None, **_: Any) -> Recorded:
        parts: list[Asked | Recorded] = [self]
        if has_text is not None:
            parts.append(Asked("text", has_text))
        if isinstance(has, Recorded):
            parts.append(has)
        return Recorded(parts=parts)

    def or_(self, other: Recorded) -> Recorded:
        return Recorded(alternatives=[self, other])

    def and_(self, other: Recorded) -> Recorded:
        return Recorded(parts=[self, other])

    @property
    def first(self) -> Recorded:
        return self

    @property
    def last(self) -> Recorded:
        return self

    def nth(self, index: int) -> Recorded:
        return self


class RecordingPage(Recorded):
    """Stands in for a Playwright page: records, never touches a browser."""


TRANSLATED = [label for label in labels.catalogue().values() if label.translated]


def label_named(name: str | re.Pattern[str] | None) -> labels.Label | None:
    """The catalogue label a locator's name or text stands for, if any."""
    for label in labels.catalogue().values():
        if isinstance(name, re.Pattern) and name in (label.pattern, label.exact):
            return label
        if isinstance(name, str) and _same(name, label):
            return label
    return None


def _same(text: str, label: labels.Label) -> bool:
    return any(" ".join(text.split()).lower() == w.lower() for w in label.wordings)


def exact_translation(asked: Asked) -> labels.Label | None:
    """A translated label looked for by its exact words instead of its meaning."""
    name = asked.name
    for label in TRANSLATED:
        if isinstance(name, re.Pattern):
            if name is label.pattern:
                return None  # by meaning: allowed
            if name is label.exact or any(name.fullmatch(w) for w in label.wordings):
                return label
        elif (
            isinstance(name, str)
            and any(w.lower() in " ".join(name.split()).lower() for w in label.wordings)
            and not _documented(name)
        ):
            return label
    return None


def _documented(text: str) -> bool:
    """Is ``text`` the wording of a quoted or customary label (which may hold a translated
    one's words: "Pedir código de verificação")?"""
    return any(_same(text, label) for label in labels.catalogue().values() if not label.translated)


def asked_in(node: Asked | Recorded) -> list[Asked]:
    if isinstance(node, Asked):
        return [node]
    found = [a for part in node.parts for a in asked_in(part)]
    return found + [a for alternative in node.alternatives for a in asked_in(alternative)]


def anchored(node: Asked | Recorded) -> bool:
    """Does this locator rest on a label that is not a translation (in every alternative)?"""
    if isinstance(node, Asked):
        label = label_named(node.name)
        return label is not None and not label.translated
    if node.alternatives:
        return all(anchored(alternative) for alternative in node.alternatives)
    return any(anchored(part) for part in node.parts)


def problems(screen: type[Screen]) -> list[str]:
    """What is wrong with a page object's landmarks; empty when nothing is."""
    found: list[str] = []
    for method in ("landmark", "expect_loaded"):
        if method in vars(screen):
            found.append(f"overrides {method}(): say what shows the screen in landmarks()")
    landmarks = screen(RecordingPage()).landmarks()  # type: ignore[arg-type]
    for asked in (a for landmark in landmarks for a in asked_in(landmark)):
        translated = exact_translation(asked)
        if translated is not None:
            found.append(f"looks for our translation {translated.pt!r} word for word")
        elif asked.name is not None and asked.how != "selector" and not label_named(asked.name):
            found.append(f"looks for {asked.name!r}, which is no label of the catalogue")
        elif asked.how == "selector":
            found.append(f"looks for the selector {asked.name!r}: markup we did not document")
    if not any(anchored(landmark) for landmark in landmarks):
        found.append("rests on translated labels alone: add a quoted or customary label")
    return found


def page_objects() -> list[type[Screen]]:
    for module in pkgutil.iter_modules(pages.__path__):
        importlib.import_module(f"pages.{module.name}")
    return sorted(_subclasses(Screen), key=lambda cls: cls.__name__)


def _subclasses(cls: type[Screen]) -> set[type[Screen]]:
    direct = {c for c in cls.__subclasses__() if c.__module__.startswith("pages.")}
    return direct.union(*(_subclasses(c) for c in direct)) if direct else set()


@pytest.mark.parametrize("screen", page_objects(), ids=lambda cls: cls.__name__)
def test_every_page_object_knows_its_screen_by_what_is_documented(screen) -> None:
    assert problems(screen) == []


def test_every_screen_of_the_flows_is_walked() -> None:
    names = {cls.__name__ for cls in page_objects()}
    assert {"RegistrationDonePage", "ContactsPage", "CmdCodePage", "LoginFormPage"} <= names


# The check itself can fail: page objects written the way it forbids.
class ExactTranslatedLandmark(Screen):
    def landmarks(self):
        return (self.page.get_by_text(labels.REGISTRATION_DONE.pt),)


class TranslatedMeaningAlone(Screen):
    def landmarks(self):
        return (self.region("status", labels.REGISTRATION_DONE),)


class TranslatedInOneAlternative(Screen):
    def landmarks(self):
        return (self.action(labels.ACTIVATE).or_(self.text(labels.REGISTRATION_DONE)),)


class ExactTranslatedFieldBesideAnAction(Screen):
    def landmarks(self):
        exact = labels.CONTACTS.exact
        return (self.action(labels.SAVE_CONTACTS), self.page.get_by_role("heading", name=exact))


class OurOwnMarkup(Screen):
    def landmarks(self):
        return (self.page.locator("#registo-concluido"),)


def test_an_exact_translated_landmark_fails_the_check() -> None:
    assert "looks for our translation" in " ".join(problems(ExactTranslatedLandmark))
    assert "rests on translated labels alone" in " ".join(problems(ExactTranslatedLandmark))


def test_a_translated_label_alone_fails_even_by_its_meaning() -> None:
    assert problems(TranslatedMeaningAlone) == [
        "rests on translated labels alone: add a quoted or customary label"
    ]


def test_each_alternative_of_a_landmark_must_rest_on_a_documented_label() -> None:
    assert problems(TranslatedInOneAlternative) != []


def test_a_translation_matched_word_for_word_fails_beside_a_documented_label() -> None:
    assert problems(ExactTranslatedFieldBesideAnAction) == [
        f"looks for our translation {labels.CONTACTS.pt!r} word for word"
    ]


def test_a_selector_of_our_own_markup_fails_the_check() -> None:
    assert any("selector" in problem for problem in problems(OurOwnMarkup))


class OverridesWhatArriveWaitsFor(Screen):
    def landmarks(self):
        return (self.action(labels.ACTIVATE),)

    def landmark(self):
        return self.page.get_by_text(labels.REGISTRATION_DONE.pt)


def test_a_page_object_may_not_wait_for_something_else_than_its_landmarks() -> None:
    assert any(
        "overrides landmark()" in problem for problem in problems(OverridesWhatArriveWaitsFor)
    )


class QuotedLabelWrittenOut(Screen):
    def landmarks(self):
        return (self.page.get_by_role("button", name="Pedir código de verificação"),)


def test_a_quoted_label_holding_a_translated_ones_words_is_no_translation() -> None:
    assert problems(QuotedLabelWrittenOut) == []
