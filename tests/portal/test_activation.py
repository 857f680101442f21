"""Activation: NISS and verification code, then the password, then the documented link."""

from __future__ import annotations

import pytest

from tests.portal.conftest import PASSWORD, activate, latest_code, log_in, register

ACCESS_LINK = "pode efetuar o acesso na Segurança Social Direta com a sua palavra-passe"


def code_form(home):
    from tests.portal.conftest import OFFICIAL

    return home.click("Iniciar sessão").click(OFFICIAL["ss_user"]).click(OFFICIAL["activate"])


def confirm(form, niss: str, code: str):
    return form.submit(
        "Confirmar código de verificação", fields={"NISS": niss, "Código de verificação": code}
    )


def test_activation_ends_with_the_documented_link_to_log_in(
    open_portal, api, make_citizen, markup
) -> None:
    citizen = make_citizen()
    register(open_portal(), citizen)
    done = activate(open_portal(), api, citizen)
    assert done.status == 200, done.errors
    assert done.heading == "Conta ativada"
    login = done.click(ACCESS_LINK)
    assert "Palavra-passe" in login.text
    assert api.get(f"/__test__/citizens/{citizen['niss']}").json()["account"]["status"] == "active"


def test_the_password_screen_shows_the_formation_rules(open_portal, api, make_citizen) -> None:
    citizen = make_citizen()
    register(open_portal(), citizen)
    screen = confirm(
        code_form(open_portal()), citizen["niss"], latest_code(api, citizen["niss"], "registration")
    )
    assert "Regras de formação da palavra-passe" in screen.text
    assert "pelo menos 9 caracteres" in screen.text


@pytest.mark.parametrize(
    ("password", "confirmation", "field", "fragment"),
    [
        ("curta1!", "curta1!", "Palavra-passe", "pelo menos 9"),
        ("sooletras", "sooletras", "Palavra-passe", "tipos de caracteres"),
        ("Verao-Lisboa-2025", "Verao-Lisboa-2026", "Confirmação da palavra-passe", "não é igual"),
    ],
)
def test_passwords_breaking_a_rule_are_refused(
    open_portal, api, make_citizen, password, confirmation, field, fragment
) -> None:
    citizen = make_citizen()
    register(open_portal(), citizen)
    screen = confirm(
        code_form(open_portal()), citizen["niss"], latest_code(api, citizen["niss"], "registration")
    )
    refused = screen.submit(
        "Confirmar palavra-passe",
        fields={"Palavra-passe": password, "Confirmação da palavra-passe": confirmation},
    )
    assert refused.status == 400
    assert fragment in refused.error_for(field)
    assert api.get(f"/__test__/citizens/{citizen['niss']}").json()["account"]["status"] == "pending"


def test_a_password_containing_the_niss_is_refused(open_portal, api, make_citizen) -> None:
    citizen = make_citizen()
    register(open_portal(), citizen)
    screen = confirm(
        code_form(open_portal()), citizen["niss"], latest_code(api, citizen["niss"], "registration")
    )
    weak = f"Ab!{citizen['niss']}"
    refused = screen.submit(
        "Confirmar palavra-passe",
        fields={"Palavra-passe": weak, "Confirmação da palavra-passe": weak},
    )
    assert "NISS" in refused.error_for("Palavra-passe")


def test_an_expired_code_says_so_and_the_latest_code_works(open_portal, api, make_citizen) -> None:
    citizen = make_citizen()
    register(open_portal(), citizen)
    old = latest_code(api, citizen["niss"], "registration")
    api.post("/__test__/clock", json={"advance_seconds": 61 * 60})
    refused = confirm(code_form(open_portal()), citizen["niss"], old)
    assert refused.status == 400
    message = refused.error_for("Código de verificação")
    assert "expirou" in message
    assert "mais recente" in message
    register(open_portal(), citizen)
    accepted = confirm(
        code_form(open_portal()), citizen["niss"], latest_code(api, citizen["niss"], "registration")
    )
    assert accepted.heading == "Definir palavra-passe"


def test_a_new_code_request_invalidates_the_older_code(open_portal, api, make_citizen) -> None:
    citizen = make_citizen()
    register(open_portal(), citizen)
    old = latest_code(api, citizen["niss"], "registration")
    register(open_portal(), citizen)
    new = latest_code(api, citizen["niss"], "registration")
    if old == new:
        pytest.skip("the same random code came twice")
    refused = confirm(code_form(open_portal()), citizen["niss"], old)
    assert "expirou" in refused.error_for("Código de verificação")
    assert (
        confirm(code_form(open_portal()), citizen["niss"], new).heading == "Definir palavra-passe"
    )


def test_wrong_codes_block_activation_for_a_while(open_portal, api, make_citizen) -> None:
    citizen = make_citizen()
    register(open_portal(), citizen)
    right = latest_code(api, citizen["niss"], "registration")
    wrong = "000000" if right != "000000" else "999999"
    form = code_form(open_portal())
    statuses = [confirm(form, citizen["niss"], wrong) for _ in range(5)]
    assert [s.status for s in statuses] == [400, 400, 400, 400, 429]
    assert "Resta-lhe 1 tentativa" in statuses[3].error_for("Código de verificação")
    assert "bloqueada" in statuses[4].error_for("Código de verificação")
    assert confirm(form, citizen["niss"], right).status == 429
    api.post("/__test__/clock", json={"advance_seconds": 31 * 60})
    register(open_portal(), citizen)  # the old code has expired meanwhile: ask for another
    accepted = confirm(
        code_form(open_portal()), citizen["niss"], latest_code(api, citizen["niss"], "registration")
    )
    assert accepted.heading == "Definir palavra-passe"


def test_a_code_cannot_be_used_twice(open_portal, api, make_citizen) -> None:
    citizen = make_citizen()
    register(open_portal(), citizen)
    code = latest_code(api, citizen["niss"], "registration")
    assert confirm(code_form(open_portal()), citizen["niss"], code).status == 200
    again = confirm(code_form(open_portal()), citizen["niss"], code)
    assert again.status == 400
    assert "já foi utilizado" in again.error_for("Código de verificação")


def test_a_letter_code_works_once_delivered(open_portal, api, make_citizen) -> None:
    citizen = make_citizen(email=None, mobile=None)
    register(open_portal(), citizen, "Por carta")
    api.post("/__test__/clock", json={"advance_seconds": 12 * 24 * 3600})
    done = activate(open_portal(), api, citizen)
    assert done.heading == "Conta ativada"


def test_activation_without_a_registration(open_portal, make_citizen) -> None:
    citizen = make_citizen()
    refused = confirm(code_form(open_portal()), citizen["niss"], "123456")
    assert refused.status == 400
    assert "Não existe um pedido de registo" in refused.error_for("NISS")


def test_a_replayed_password_form_changes_nothing(open_portal, api, make_citizen) -> None:
    citizen = make_citizen()
    register(open_portal(), citizen)
    screen = confirm(
        code_form(open_portal()), citizen["niss"], latest_code(api, citizen["niss"], "registration")
    )
    action, data = screen.form_data("Confirmar palavra-passe")
    first_fields = {**data}
    password_field, confirm_field = [k for k in data if k != "csrf_token"]
    first_fields.update({password_field: PASSWORD, confirm_field: PASSWORD})
    assert screen.client.post(action, data=first_fields).status_code == 200
    other = "Outra-Senha-2026"
    replay = screen.client.post(
        action, data={**first_fields, password_field: other, confirm_field: other}
    )
    assert replay.status_code == 409

    assert log_in(open_portal(), citizen, PASSWORD).status == 200
