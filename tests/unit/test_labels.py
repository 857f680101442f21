from __future__ import annotations

import pytest

from pages import labels


def test_every_label_has_a_portuguese_text_and_an_english_gloss() -> None:
    for name, label in labels.catalogue().items():
        assert label.pt.strip(), name
        assert label.en.strip(), name


@pytest.mark.parametrize(
    ("label", "text"),
    [
        (labels.REGISTER, "Registar"),
        (labels.REGISTER, "Efetuar Registo"),
        (labels.ACTIVATE, "Ativar a minha conta"),
        (labels.ACCEPT_TERMS, "Li e aceito os termos e condições do serviço"),
        (labels.SS_USER, "Autenticar com utilizador da Segurança Social"),
        (labels.PASSWORD, "  Palavra-passe "),
        # As public how-to pages of the live portal quote it.
        (labels.REGISTER, "Efetuar registo"),
        (labels.NEXT_CHANNEL, "Seguinte: canal de verificação"),
        (labels.LOST_PASSWORD, "Recuperar Senha"),
    ],
)
def test_every_documented_wording_matches(label: labels.Label, text: str) -> None:
    assert label.pattern.match(text)


@pytest.mark.parametrize(
    ("label", "text"),
    [
        (labels.PASSWORD, "Confirmação da palavra-passe"),
        (labels.CONFIRM_CODE, "Confirmar"),
        (labels.REGISTER, "Registar empresa"),
        (labels.EMAIL, "Email a***@x.pt"),
    ],
)
def test_other_text_does_not_match(label: labels.Label, text: str) -> None:
    assert not label.pattern.match(text)


def test_the_gloss_reads_as_the_guides_write_it() -> None:
    assert labels.REGISTER.gloss() == "Registar (Register)"
    assert labels.GOV.gloss() == "Autenticação.gov"


def test_documented_labels_name_their_guide_and_step() -> None:
    assert str(labels.REGISTER.source) == f"{labels.GUIDE_000} registration 4"
    assert labels.LOST_PASSWORD.source == labels.Source(labels.GUIDE_001, "activation", 5)


@pytest.mark.parametrize(
    ("label", "text"),
    [
        (labels.LOG_IN, "INICIAR SESSÃO"),
        (labels.LOG_IN, "Iniciar\u00a0sessão"),
        (labels.LOG_IN, "Iniciar   sessão"),
        (labels.NISS, "NISS *"),
        (labels.NISS, "NISS:"),
        (labels.ENTER, "Entrar »"),
        (labels.REGISTER, "«Registar»"),
        (labels.CONFIRM_CODE, "Confirmar código de verificação."),
    ],
)
def test_what_changes_no_meaning_is_tolerated(label: labels.Label, text: str) -> None:
    assert label.pattern.match(text)


@pytest.mark.parametrize(
    ("label", "text"),
    [
        (labels.REGISTRATION_DONE, "O seu pedido de registo ficou concluído."),
        (labels.REGISTRATION_DONE, "Enviámos-lhe um código de verificação por SMS."),
        (labels.REGISTRATION_DONE, "Pedido efetuado com sucesso"),
        (labels.PASSWORD_CONFIRMATION, "Volte a introduzir a palavra-passe"),
        (labels.PASSWORD_CONFIRMATION, "Repita a palavra-passe"),
        (labels.SESSION_EXPIRED, "A sua sessão expirou"),
        (labels.SESSION_EXPIRED, "Sessão expirada"),
        (labels.SESSION_EXPIRED, "Expirou o tempo da sessão"),
        (labels.CONTACTS, "Confirme os seus contactos"),
    ],
)
def test_a_translated_label_is_found_in_other_words_that_keep_its_meaning(
    label: labels.Label, text: str
) -> None:
    assert label.pattern.search(text)


@pytest.mark.parametrize(
    ("label", "text"),
    [
        (labels.REGISTRATION_DONE, "Este NISS já se encontra registado."),
        (labels.PASSWORD_CONFIRMATION, "Palavra-passe"),
        (labels.SESSION_EXPIRED, "Sessão terminada"),
        (labels.SESSION_EXPIRED, "Por segurança, a sessão termina após 15 minutos de inatividade"),
        (labels.SESSION_EXPIRED, "Não é possível iniciar sessão: a sua conta está inativa"),
        (labels.SESSION_EXPIRED, "O código expirou. Inicie sessão de novo"),
    ],
)
def test_a_translated_label_is_not_found_in_words_that_mean_something_else(
    label: labels.Label, text: str
) -> None:
    assert not label.pattern.search(text)
