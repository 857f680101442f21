"""Perdi a minha palavra-passe: NISS and birth date, channel, code, new password."""

from __future__ import annotations

from tests.portal.conftest import PASSWORD, dmy, latest_code, log_in, register
from tests.portal.test_login import active_citizen

NEW_PASSWORD = "Outono-Porto-2026"


def reset_form(home):
    from tests.portal.conftest import OFFICIAL

    return (
        home.click("Iniciar sessão").click(OFFICIAL["ss_user"]).click("Perdi a minha palavra-passe")
    )


def start(home, citizen, birth: str | None = None):
    return reset_form(home).submit(
        "Seguinte",
        fields={"NISS": citizen["niss"], "Data de nascimento": birth or dmy(citizen["birth_date"])},
    )


def test_a_citizen_sets_a_new_password_and_logs_in_with_it(
    open_portal, api, make_citizen, markup
) -> None:
    citizen = active_citizen(open_portal, api, make_citizen)
    sent = start(open_portal(), citizen).submit(
        "Pedir código de verificação", choices={"Canal de verificação": "Email"}
    )
    assert sent.heading == "Código enviado"
    code_form = sent.click("Introduzir código")
    chosen = code_form.submit(
        "Confirmar código de verificação",
        fields={
            "NISS": citizen["niss"],
            "Código de verificação": latest_code(api, citizen["niss"], "password_reset"),
        },
    )
    done = chosen.submit(
        "Confirmar palavra-passe",
        fields={"Palavra-passe": NEW_PASSWORD, "Confirmação da palavra-passe": NEW_PASSWORD},
    )
    assert done.heading == "Palavra-passe alterada"
    assert log_in(open_portal(), citizen, PASSWORD).status == 401
    assert log_in(open_portal(), citizen, NEW_PASSWORD).heading == "Verificação em dois passos"


def test_the_birth_date_must_match(open_portal, api, make_citizen) -> None:
    citizen = active_citizen(open_portal, api, make_citizen)
    refused = start(open_portal(), citizen, birth="01-01-1901")
    assert refused.status == 400
    assert "não correspondem" in refused.error_for("Data de nascimento")


def test_an_account_not_activated_is_sent_to_activation(open_portal, make_citizen) -> None:
    citizen = make_citizen()
    register(open_portal(), citizen)
    refused = start(open_portal(), citizen)
    assert refused.status == 400
    assert "Ativar conta" in refused.error_for("NISS")


def test_without_contacts_the_code_goes_by_letter(open_portal, api, make_citizen) -> None:
    citizen = active_citizen(open_portal, api, make_citizen, email=None, mobile=None)
    sent = start(open_portal(), citizen).submit("Pedir código de verificação")
    assert sent.heading == "Código enviado"
    [letter] = [
        m
        for m in api.get("/__test__/outbox", params={"niss": citizen["niss"]}).json()
        if m["purpose"] == "password_reset"
    ]
    assert letter["channel"] == "letter"
    assert letter["code"] is None
