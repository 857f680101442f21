"""The words of a guide, in Portuguese or English.

English guides keep the Portuguese label in bold with the English gloss in parentheses, as the
public guides do, because citizens must recognise the Portuguese text on the real screens.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flows.flow import Flow, Verb
from guides.capture import CapturedStep
from pages.labels import Source

LANGUAGES = ("pt", "en")
# How a guide says each kind of step, before the label it quotes.
VERBS_EN: dict[Verb, str] = {
    "open": "Open",
    "click": "Click on",
    "fill": "Fill in",
    "choose": "Choose",
    "check": "Tick",
    "see": "Make sure you see",
}
VERBS_PT: dict[Verb, str] = {
    "open": "Abra",
    "click": "Clique em",
    "fill": "Preencha",
    "choose": "Escolha",
    "check": "Assinale",
    "see": "Confirme que vê",
}
WORDS = {
    "pt": {
        "step": "Passo",
        "contents": "Índice",
        "source": "Documentado em",
        "note": "Nota",
        "intro": "Guia passo a passo gerado a partir dos ecrãs do portal. Os dados pessoais "
        "estão ocultados nas imagens.",
        "lang": "pt-PT",
    },
    "en": {
        "step": "Step",
        "contents": "Contents",
        "source": "Documented in",
        "note": "Note",
        "intro": "A step-by-step guide made from the portal's own screens. Personal data is "
        "hidden in the pictures.",
        "lang": "en",
    },
}


def title(flow: Flow, language: str, variant: str = "") -> str:
    base = flow.title_pt if language == "pt" else f"{flow.title_en} ({flow.title_pt})"
    return f"{base}: {variant}" if variant else base


def instruction(captured: CapturedStep, language: str, quote: Callable[[str], str] = str) -> str:
    """``Clique em **Efetuar Registo**`` or ``Click on **Efetuar Registo** (Register)``.
    ``quote`` writes what the screen shows as the output format needs it (``markdown_text``)."""
    step = captured.step
    shown = quote(captured.shown or step.label.pt)
    if language == "pt":
        return f"{VERBS_PT[step.verb]} **{shown}**"
    gloss = "" if step.label.en == shown else f" ({step.label.en})"
    return f"{VERBS_EN[step.verb]} **{shown}**{gloss}"


# What Markdown (CommonMark) reads as markup or raw HTML; each escaped with a backslash.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&~])")


def markdown_text(text: str) -> str:
    """``text`` as Markdown that shows it as it is: the screen's own words may hold
    characters Markdown reads as emphasis, links or raw HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def notes(captured: CapturedStep, language: str) -> list[str]:
    """What the portal asked for on the way to this step's screen, in the guide's language."""
    return [detour.note(language) for detour in captured.detours]


def words(language: str) -> dict[str, str]:
    return WORDS[language]


def source(documented: Source, language: str) -> str:
    """Where a step is documented, named for readers rather than by file name."""
    return documented.for_reader(language)
