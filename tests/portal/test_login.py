"""Login with NISS and password, the one-time code, and the contacts prompt."""

from __future__ import annotations

from tests.portal.conftest import activate, latest_code, log_in, register


def active_citizen(open_portal, api, make_citizen, **fields):
    citizen = make_citizen(**fields)
    register(open_portal(), citizen, "SMS" if citizen.get("mobile") else "Por carta")
    if not citizen.get("mobile"):
        api.post("/__test__/clock", json={"advance_seconds": 12 * 24 * 3600})
    activate(open_portal(), api, citizen)
    return citizen


def second_factor(screen, api, citizen, channel: str = "SMS"):
    sent = screen.submit("Enviar código", choices={"Canal de verificação": channel})
    return sent.submit(
        "Validar código",
        fields={"Código de autenticação": latest_code(api, citizen["niss"], "login")},
    )


def test_login_asks_a_one_time_code_then_the_contacts(
    open_portal, api, make_citizen, markup
) -> None:
    citizen = active_citizen(open_portal, api, make_citizen)
    choice = log_in(open_portal(), citizen)
    assert choice.heading == "Verificação em dois passos"
    contacts = second_factor(choice, api, citizen)
    assert contacts.heading == "Atualize e valide os seus contactos"
    sent = contacts.submit("Guardar e validar", fields={"Telemóvel": "+44 7700 900123"})
    [message] = [
        m
        for m in api.get("/__test__/outbox", params={"niss": citizen["niss"]}).json()
        if m["purpose"] == "contacts"
    ]
    assert message["to"] == "+447700900123"
    home = sent.submit("Validar contactos", fields={"Código de validação": message["code"]})
    assert home.heading == "Segurança Social Direta"
    assert "Os seus contactos foram atualizados e validados." in home.text
    record = api.get(f"/__test__/citizens/{citizen['niss']}").json()
    assert record["mobile"] == "+447700900123"


def test_contacts_are_asked_again_only_when_due(open_portal, api, make_citizen) -> None:
    citizen = active_citizen(open_portal, api, make_citizen)
    contacts = second_factor(log_in(open_portal(), citizen), api, citizen)
    contacts.submit("Guardar e validar").submit(
        "Validar contactos",
        fields={"Código de validação": latest_code(api, citizen["niss"], "contacts")},
    )
    again = second_factor(log_in(open_portal(), citizen), api, citizen)
    assert again.heading == "Segurança Social Direta"


def test_a_wrong_password_is_refused_without_saying_which_part(
    open_portal, api, make_citizen
) -> None:
    citizen = active_citizen(open_portal, api, make_citizen)
    refused = log_in(open_portal(), citizen, "Errada-Senha-1")
    assert refused.status == 401
    assert refused.error_for("Palavra-passe") == "O NISS ou a palavra-passe não estão corretos."


def test_repeated_wrong_passwords_block_login(open_portal, api, make_citizen) -> None:
    citizen = active_citizen(open_portal, api, make_citizen)
    statuses = [log_in(open_portal(), citizen, "Errada-Senha-1").status for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    assert log_in(open_portal(), citizen).status == 429
    api.post("/__test__/clock", json={"advance_seconds": 31 * 60})
    assert log_in(open_portal(), citizen).heading == "Verificação em dois passos"


def test_an_account_not_yet_activated(open_portal, make_citizen) -> None:
    citizen = make_citizen()
    register(open_portal(), citizen)
    refused = log_in(open_portal(), citizen)
    assert refused.status == 403
    assert "ainda não foi ativada" in refused.error_for("NISS")


def test_a_wrong_one_time_code(open_portal, api, make_citizen) -> None:
    citizen = active_citizen(open_portal, api, make_citizen)
    sent = log_in(open_portal(), citizen).submit(
        "Enviar código", choices={"Canal de verificação": "Email"}
    )
    right = latest_code(api, citizen["niss"], "login")
    refused = sent.submit(
        "Validar código",
        fields={"Código de autenticação": "000000" if right != "000000" else "111111"},
    )
    assert refused.status == 400
    assert "não está correto" in refused.error_for("Código de autenticação")


def test_without_contacts_there_is_no_second_factor_but_contacts_are_required_next(
    open_portal, api, make_citizen
) -> None:
    citizen = active_citizen(open_portal, api, make_citizen, email=None, mobile=None)
    contacts = log_in(open_portal(), citizen)
    assert contacts.heading == "Atualize e valide os seus contactos"
    refused = contacts.submit("Guardar e validar", fields={"Email": "<b>x</b>@x"})
    assert refused.status == 400
    assert "email válido" in refused.error_for("Email")
    assert "<b>x</b>" not in refused.html
    assert "&lt;b&gt;x&lt;/b&gt;@x" in refused.html


def test_logging_out_ends_the_session(open_portal, api, make_citizen) -> None:
    citizen = active_citizen(open_portal, api, make_citizen)
    home = second_factor(log_in(open_portal(), citizen), api, citizen).click("Lembrar mais tarde")
    assert home.heading == "Segurança Social Direta"
    ended = home.submit("Terminar sessão")
    assert ended.heading == "Sessão terminada"
    assert ended.client.get("/conta").status_code == 401
