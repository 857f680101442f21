"""Autenticação.gov with the Chave Móvel Digital, creating the account on first use."""

from __future__ import annotations

import pytest

from tests.portal.conftest import latest_code

CMD_MOBILE = "+351 913 000 111"
PIN = "4821"


@pytest.fixture
def cmd_citizen(make_citizen):
    return make_citizen(cmd={"mobile": CMD_MOBILE, "pin": PIN})


def authenticate(home, pin: str = PIN):
    form = home.click("Iniciar sessão").click("Autenticação.gov").click("Chave Móvel Digital")
    return form.submit("Continuar", fields={"Número de telemóvel": CMD_MOBILE, "PIN": pin})


def test_first_use_creates_the_account(open_portal, api, cmd_citizen, markup) -> None:
    consent = authenticate(open_portal())
    assert consent.heading == "Autorização"
    code_form = consent.submit("Autorizar")
    assert code_form.heading == "Código de segurança"
    [sms] = api.get("/__test__/outbox", params={"niss": cmd_citizen["niss"]}).json()
    assert (sms["channel"], sms["purpose"], sms["to"]) == ("sms", "cmd", "+351913000111")
    portal = code_form.submit("Confirmar", fields={"Código de segurança": sms["code"]})
    assert portal.heading == "Atualize e valide os seus contactos"
    home = portal.click("Lembrar mais tarde")
    assert "criada com a Chave Móvel Digital" in home.text
    account = api.get(f"/__test__/citizens/{cmd_citizen['niss']}").json()["account"]
    assert account == {"status": "active", "origin": "cmd"}


def test_a_second_use_logs_in_without_creating_again(open_portal, api, cmd_citizen) -> None:
    for _ in range(2):
        code_form = authenticate(open_portal()).submit("Autorizar")
        home = code_form.submit(
            "Confirmar",
            fields={"Código de segurança": latest_code(api, cmd_citizen["niss"], "cmd")},
        ).click("Lembrar mais tarde")
    assert "criada" not in home.text
    assert home.heading == "Segurança Social Direta"


def test_a_wrong_pin_is_refused_and_repeated_wrong_pins_block(open_portal, cmd_citizen) -> None:
    statuses = [authenticate(open_portal(), "0000") for _ in range(3)]
    assert [s.status for s in statuses] == [401, 401, 429]
    assert "PIN não estão corretos" in statuses[0].error_for("PIN")
    assert authenticate(open_portal()).status == 429


def test_a_bad_pin_format(open_portal, cmd_citizen) -> None:
    refused = authenticate(open_portal(), "12a")
    assert refused.status == 400
    assert "4 algarismos" in refused.error_for("PIN")


def test_cancelling_shares_nothing(open_portal, api, cmd_citizen) -> None:
    cancelled = authenticate(open_portal()).submit("Cancelar")
    assert cancelled.heading == "Autenticação cancelada"
    assert api.get("/__test__/outbox", params={"niss": cmd_citizen["niss"]}).json() == []
    assert api.get(f"/__test__/citizens/{cmd_citizen['niss']}").json()["account"] is None


def test_an_expired_security_code(open_portal, api, cmd_citizen) -> None:
    code_form = authenticate(open_portal()).submit("Autorizar")
    code = latest_code(api, cmd_citizen["niss"], "cmd")
    api.post("/__test__/clock", json={"advance_seconds": 6 * 60})
    refused = code_form.submit("Confirmar", fields={"Código de segurança": code})
    assert refused.status == 400
    assert "expirou" in refused.error_for("Código de segurança")
