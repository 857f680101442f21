"""A documented step is a value; a flow is an ordered tuple of them.

A step does its work in two parts so that observers can look between them: ``locate`` reaches
the screen and returns the elements the step acts on (a guide highlights them), then ``act``
acts on them and, when the step leads to another screen, checks that it arrived.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from playwright.sync_api import Locator

from flows.context import Run
from pages.labels import Label

Verb = Literal["open", "click", "fill", "choose", "check", "see"]
Locate = Callable[[Run], Sequence[Locator]]
Act = Callable[[Run, Sequence[Locator]], None]


@dataclass(frozen=True)
class Step:
    number: str
    label: Label
    verb: Verb
    locate: Locate
    act: Act
    # The step types a secret (password, PIN, code): observers must not show its values.
    secret: bool = False
    # Once it has passed, the portal's records have changed (a request made, a code used): a
    # flow whose session expires after it is not started again, or it would do it twice.
    commits: bool = False

    @property
    def title(self) -> str:
        """``4. Registar (Register)``: the number and wording the documentation gives."""
        return f"{self.number}. {self.label.gloss()}"


@dataclass(frozen=True)
class Flow:
    name: str
    title_pt: str
    title_en: str
    steps: tuple[Step, ...]
    # Flows that must have run for the same citizen first (activation needs registration).
    requires: tuple[str, ...] = ()
    # Creates or changes accounts: never against the production portal.
    writes: bool = True
    source: str = ""

    def __post_init__(self) -> None:
        numbers = [s.number for s in self.steps]
        if len(set(numbers)) != len(numbers):
            raise ValueError(f"flow {self.name!r} repeats a step number")

    @property
    def title(self) -> str:
        return f"{self.title_pt} ({self.title_en})"

    def until(self, number: str) -> Flow:
        """The flow's steps up to and including ``number``: to stop where a test takes over."""
        numbers = [s.number for s in self.steps]
        if number not in numbers:
            raise ValueError(f"flow {self.name!r} has no step {number!r}")
        return replace(self, steps=self.steps[: numbers.index(number) + 1])


def committing(step: Step) -> Step:
    """The step, marked as one that changes the portal's records (``Step.commits``)."""
    return replace(step, commits=True)
