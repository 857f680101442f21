"""The mock portal's wording profiles: one table of paraphrases, said by ``wording.say``."""

from __future__ import annotations

import string

import pytest

from mock_portal import wording
from pages import labels as catalogue

KEPT = {
    wording_
    for label in catalogue.catalogue().values()
    if not label.translated
    for wording_ in label.wordings
}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(wording.PARAPHRASE))
def test_a_paraphrase_fills_the_same_placeholders(key: str) -> None:
    official = wording.NAMED.get(key, key)
    assert placeholders(wording.PARAPHRASE[key]) == placeholders(official)


def test_a_paraphrase_is_said_as_it_is() -> None:
    """``say`` is idempotent: a sentence said already is never reworded twice."""
    for reworded in wording.PARAPHRASE.values():
        assert reworded not in wording.PARAPHRASE
        assert reworded not in wording.NAMED


def test_no_documented_label_is_reworded() -> None:
    """A sentence worded like a documented label is said by name (``wording.NAMED``)."""
    assert not KEPT & set(wording.PARAPHRASE), "say it by a name from wording.NAMED"
    assert not KEPT & set(wording.PARAPHRASE.values())


def test_every_named_sentence_has_its_paraphrase() -> None:
    assert set(wording.NAMED) <= set(wording.PARAPHRASE)


def test_every_profile_words_the_same_labels() -> None:
    keys = {frozenset(labels) for labels in wording.PROFILES.values()}
    assert len(keys) == 1


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("ss_user", catalogue.SS_USER),
        ("register", catalogue.REGISTER),
        ("activate", catalogue.ACTIVATE),
        ("accept_terms", catalogue.ACCEPT_TERMS),
    ],
)
def test_the_paraphrase_shows_documented_labels(name: str, label: catalogue.Label) -> None:
    assert wording.PROFILES["paraphrase"][name] in label.wordings


def test_the_official_profile_says_the_sentence_it_is_given() -> None:
    sentence = "O código não está correto. Resta-lhe {left} {plural}."
    said = wording.say("official", sentence, left=2, plural="tentativas")
    assert said == "O código não está correto. Resta-lhe 2 tentativas."
    assert wording.say("guide", "login.heading") == "Iniciar sessão"
    assert wording.say("official", "Maria {Silva}") == "Maria {Silva}"  # data, not a template


def test_the_paraphrase_rewords_with_the_values_given() -> None:
    sentence = "O código não está correto. Resta-lhe {left} {plural}."
    said = wording.say("paraphrase", sentence, left=1, plural="tentativa")
    assert said == "Código errado: ainda tem 1 tentativa."
    assert wording.say("paraphrase", "login.heading") == "Aceder à Segurança Social Direta"


def test_a_finished_sentence_is_known_by_its_template() -> None:
    """The portal's rules write their numbers in (a password of at least 12 characters)."""
    finished = "A palavra-passe tem de ter pelo menos 12 caracteres."
    assert wording.say("paraphrase", finished) == "Use 12 ou mais caracteres na palavra-passe."
    assert wording.say("official", finished) == finished
    assert wording.say("paraphrase", "Indique o código de autenticação.") == (
        "Falta o código de autenticação."
    )


def test_what_no_profile_rewords_is_said_as_it_is() -> None:
    assert wording.say("paraphrase", "Joana Silva") == "Joana Silva"
    assert wording.say("paraphrase", "Entrar") == "Entrar"
