"""What every page object shares: finding actions, fields and choices by their labels."""

from __future__ import annotations

from datetime import date
from typing import Literal, Self

from playwright.sync_api import Locator, Page, expect

from pages.labels import Label

# What a region is (``Screen.region``): ARIA roles, as Playwright's ``get_by_role`` takes them.
RegionRole = Literal["status", "alert", "heading"]


class Screen:
    """One screen of the portal. Subclasses name what proves the citizen is on it."""

    def __init__(self, page: Page):
        self.page = page

    # Locating ------------------------------------------------------------------------------
    def action(self, label: Label) -> Locator:
        """A button or a link with one of the label's wordings: portals use either."""
        name = label.pattern
        return self.page.get_by_role("button", name=name).or_(
            self.page.get_by_role("link", name=name)
        )

    def field(self, label: Label) -> Locator:
        """A text field by its label (wrapping it or pointing to it with ``for``)."""
        return self.page.get_by_label(label.pattern)

    def option(self, label: Label) -> Locator:
        """A radio button by its label."""
        return self.page.get_by_role("radio", name=label.pattern)

    def checkbox(self, label: Label) -> Locator:
        return self.page.get_by_role("checkbox", name=label.pattern)

    def text(self, label: Label) -> Locator:
        return self.page.get_by_text(label.pattern)

    def region(self, role: RegionRole, label: Label) -> Locator:
        """A ``status`` or ``alert`` region, or a heading, whose text says what ``label``
        says: how a translated label (matched by its meaning) is looked for."""
        if role == "heading":
            return self.page.get_by_role("heading", name=label.pattern)
        return self.page.get_by_role(role).filter(has_text=label.pattern)

    # Checking where we are ----------------------------------------------------------------
    def landmarks(self) -> tuple[Locator, ...]:
        """What together shows this screen and no other: a documented label (the next
        documented action, most often) or the screen's structure, never a sentence only we
        wrote (``tests/unit/test_landmarks.py``). Subclasses override."""
        raise NotImplementedError

    def landmark(self) -> Locator:
        """The first landmark, to wait for: the screen has arrived when it is visible."""
        return self.landmarks()[0]

    def expect_loaded(self) -> Self:
        """Fail here, naming this screen, when the citizen is somewhere else."""
        for landmark in self.landmarks():
            expect(landmark, f"expected the screen {type(self).__name__}").to_be_visible()
        return self


def fill_date(field: Locator, value: date) -> None:
    """A date input takes ISO dates; a text field takes dd-mm-aaaa, as the portal asks."""
    if field.get_attribute("type") == "date":
        field.fill(value.isoformat())
    else:
        field.fill(value.strftime("%d-%m-%Y"))
