"""``sentinel guide --check``: what changed on the screens since the last guide.

A step changed when its words changed or when its picture differs beyond a small share of
pixels; a documented label disappeared when the last guide quoted it and the new one does not.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

from pages.labels import catalogue

PIXEL_THRESHOLD = 0.005  # share of pixels that may differ (anti-aliasing, a blinking caret)


@dataclass(frozen=True)
class Change:
    guide: str
    step: str
    what: str

    def __str__(self) -> str:
        return f"{self.guide}: step {self.step}: {self.what}"


def differing_share(before: bytes, after: bytes) -> float:
    old, new = (Image.open(io.BytesIO(b)).convert("RGB") for b in (before, after))
    if old.size != new.size:
        return 1.0
    diff = ImageChops.difference(old, new).convert("L").point(lambda v: 255 if v > 16 else 0)
    histogram = diff.histogram()
    return histogram[255] / (old.size[0] * old.size[1])


def compare(last: Path, new: Path, stem: str) -> list[Change]:
    """Changes between the guide ``stem`` in folder ``last`` and in folder ``new``."""
    before = json.loads((last / f"{stem}.json").read_text(encoding="utf-8"))
    after = json.loads((new / f"{stem}.json").read_text(encoding="utf-8"))
    old_steps = {s["number"]: s for s in before["steps"]}
    new_steps = {s["number"]: s for s in after["steps"]}
    changes = []
    for number in old_steps.keys() - new_steps.keys():
        changes.append(Change(stem, number, "the step is gone"))
    for number in new_steps.keys() - old_steps.keys():
        changes.append(Change(stem, number, "a new step"))
    for number in sorted(old_steps.keys() & new_steps.keys(), key=_order):
        old, fresh = old_steps[number], new_steps[number]
        if old["text"] != fresh["text"]:
            changes.append(Change(stem, number, f"words: {old['text']!r} -> {fresh['text']!r}"))
        if old["sha256"] != fresh["sha256"]:
            share = differing_share(
                (last / old["image"]).read_bytes(), (new / fresh["image"]).read_bytes()
            )
            if share > PIXEL_THRESHOLD:
                changes.append(Change(stem, number, f"screen: {share:.1%} of the picture"))
    return changes


def disappeared_labels(last: Path, new: Path, stem: str) -> list[str]:
    """Documented wordings the last guide quoted that the new one no longer does."""

    def quoted(folder: Path) -> str:
        data = json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
        return "\n".join(s["text"] for s in data["steps"])

    before, after = quoted(last), quoted(new)
    wordings = {w for label in catalogue().values() for w in label.wordings}
    return sorted(w for w in wordings if f"**{w}**" in before and f"**{w}**" not in after)


def _order(number: str) -> tuple[int, str]:
    digits = "".join(ch for ch in number if ch.isdigit())
    return (int(digits or 0), number)
