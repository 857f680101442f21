"""Where a label is documented (``labels.Source``): one value, written for a message or a reader."""

from __future__ import annotations

import pytest

from guides import text
from pages import labels
from pages.labels import GUIDE_000, GUIDE_001, Source

FORMS = [
    # (source, in a one-line message, in a Portuguese guide, in an English guide)
    (
        Source(GUIDE_000, "registration", 4),
        "000_a0bd499d4e80e2a3.txt registration 4",
        "guia do portal da Segurança Social, registo, passo 4",
        "the Social Security portal's guide, registration 4",
    ),
    (
        Source(GUIDE_001, "activation", 6),
        "001_366f566992ce04bf.txt activation 6",
        "guia de mudança para Portugal, ativação, passo 6",
        "a relocation guide, activation 6",
    ),
    (
        Source(GUIDE_000, "Digital Mobile Key", 3),
        "000_a0bd499d4e80e2a3.txt Digital Mobile Key 3",
        "guia do portal da Segurança Social, Chave Móvel Digital, passo 3",
        "the Social Security portal's guide, Digital Mobile Key 3",
    ),
    (
        Source(GUIDE_000, "registration", 10, after=True),
        "000_a0bd499d4e80e2a3.txt registration, after step 10",
        "guia do portal da Segurança Social, registo, depois do passo 10",
        "the Social Security portal's guide, registration, after step 10",
    ),
    (
        Source(GUIDE_000, "activation", after=True),
        "000_a0bd499d4e80e2a3.txt after activation",
        "guia do portal da Segurança Social, depois da ativação",
        "the Social Security portal's guide, after activation",
    ),
]


@pytest.mark.parametrize(("source", "line", "pt", "en"), FORMS)
def test_a_source_reads_the_same_in_messages_and_in_both_languages(
    source: Source, line: str, pt: str, en: str
) -> None:
    assert str(source) == line
    assert f"(documented in {source})" == f"(documented in {line})"
    assert source.for_reader("pt") == pt
    assert source.for_reader("en") == en
    # The guides write it as the catalogue does.
    assert text.source(source, "pt") == pt


def test_labels_carry_their_guide_part_and_step_as_values() -> None:
    assert labels.REGISTER.source == Source(GUIDE_000, "registration", 4)
    assert labels.LOST_PASSWORD.source is not None
    assert labels.LOST_PASSWORD.source.guide == GUIDE_001
    assert labels.REQUEST_CODE.source is not None
    assert labels.REQUEST_CODE.source.step == 10
    assert labels.ENTER.source is None  # a customary label: no guide quotes it


@pytest.mark.parametrize(
    "arguments",
    [
        ("002_unknown.txt", "registration", 1),
        (GUIDE_000, "registo", 1),  # a part by its English name, as the guides head it
        (GUIDE_000, "registration", 0),
    ],
)
def test_a_source_that_names_no_documented_place_is_refused(
    arguments: tuple[str, str, int],
) -> None:
    with pytest.raises(ValueError, match="documented"):
        Source(*arguments)


def test_a_source_is_written_only_in_the_guides_languages() -> None:
    with pytest.raises(ValueError, match="'fr'"):
        labels.REGISTER.source.for_reader("fr")  # type: ignore[union-attr]
