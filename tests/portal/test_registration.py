"""Registration, screen by screen as the portal's guide documents it."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.portal.conftest import (
    GUIDE,
    identify,
    latest_code,
    open_registration,
    other_valid_niss,
    register,
)


@pytest.mark.parametrize("channel", ["Email", "SMS"])
def test_a_citizen_registers_and_gets_a_code_by_the_chosen_channel(
    open_portal, api, make_citizen, markup, channel
) -> None:
    citizen = make_citizen()
    done = register(open_portal(), citizen, channel)
    assert done.status == 200
    assert "O pedido de acesso à Segurança Social Direta foi efetuado com sucesso." in done.text
    [message] = api.get("/__test__/outbox", params={"niss": citizen["niss"]}).json()
    assert message["channel"] == channel.lower()
    assert message["to"] == citizen[{"Email": "email", "SMS": "mobile"}[channel]]
    assert message["purpose"] == "registration"
    assert len(message["code"]) == 6
    assert message["code"].isdigit()
    assert api.get(f"/__test__/citizens/{citizen['niss']}").json()["account"] == {
        "status": "pending",
        "origin": "registration",
    }


def test_only_registered_contacts_are_offered(open_portal, make_citizen) -> None:
    citizen = make_citizen(email=None)
    channels = identify(open_registration(open_portal()), citizen)
    group = channels.soup.find("fieldset")
    offered = [label.get_text(" ", strip=True) for label in group.find_all("label")]
    assert offered == ["SMS"]
    assert "*** ***" in channels.text  # the mobile shows masked
    assert citizen["mobile"] not in channels.html


def test_without_contacts_the_only_option_is_a_letter_delivered_in_8_business_days(
    open_portal, api, make_citizen
) -> None:
    citizen = make_citizen(email=None, mobile=None)
    channels = identify(open_registration(open_portal()), citizen)
    offered = [label.get_text(" ", strip=True) for label in channels.soup.find_all("label")]
    assert offered == ["Por carta"]
    assert "8 dias úteis" in channels.text
    done = channels.submit("Pedir código de verificação")
    assert "por carta para a morada registada" in done.text
    [letter] = api.get("/__test__/outbox", params={"niss": citizen["niss"]}).json()
    assert letter["channel"] == "letter"
    assert letter["to"] == citizen["address"]
    assert letter["delivered"] is False
    assert letter["code"] is None
    sent, due = (datetime.fromisoformat(letter[k]) for k in ("sent_at", "deliver_at"))
    assert (due - sent).days >= 8
    api.post("/__test__/clock", json={"advance_seconds": (due - sent).total_seconds()})
    [letter] = api.get("/__test__/outbox", params={"niss": citizen["niss"]}).json()
    assert letter["delivered"] is True
    assert letter["code"]


def test_a_foreign_mobile_number_receives_the_code(open_portal, api, make_citizen) -> None:
    citizen = make_citizen(email=None, mobile="+44 7700 900123")
    register(open_portal(), citizen, "SMS")
    [message] = api.get("/__test__/outbox", params={"niss": citizen["niss"]}).json()
    assert message["to"] == "+447700900123"


def test_a_company_registers_with_a_company_niss(open_portal, make_citizen) -> None:
    company = make_citizen(kind="company")
    assert company["niss"].startswith("2")
    channels = identify(open_registration(open_portal()), company, account_type="Empresa")
    assert channels.status == 200, channels.errors


def test_the_guide_wording_reaches_the_same_screens(open_portal, api, make_citizen) -> None:
    api.post("/__test__/wording", json={"profile": "guide"}).raise_for_status()
    citizen = make_citizen()
    channels = identify(open_registration(open_portal(), GUIDE), citizen)
    assert channels.heading == "Canal de verificação"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"NISS": "11115611237"}, "NISS", "algarismo de controlo não confere"),
        ({"NISS": "1111561123"}, "NISS", "11 algarismos"),
        ({"Data de nascimento": "01-01-1901"}, "Data de nascimento", "não corresponde ao NISS"),
        ({"Data de nascimento": "31-02-1990"}, "Data de nascimento", "não existe"),
        ({"Data de nascimento": "01-01-2999"}, "Data de nascimento", "futuro"),
    ],
)
def test_identification_mistakes_get_a_message_on_their_field(
    open_portal, make_citizen, markup, change, field, message
) -> None:
    citizen = make_citizen()
    refused = identify(open_registration(open_portal()), citizen, **change)
    assert refused.status == 400
    assert message in refused.error_for(field)
    assert refused.heading == "Dados de identificação"


def test_an_niss_missing_from_the_records(open_portal, make_citizen) -> None:
    citizen = make_citizen()
    stranger = {**citizen, "niss": other_valid_niss()}
    refused = identify(open_registration(open_portal()), stranger)
    assert refused.status == 400
    assert "Não encontrámos este NISS" in refused.error_for("NISS")


def test_a_person_niss_with_the_company_account_type(open_portal, make_citizen) -> None:
    refused = identify(open_registration(open_portal()), make_citizen(), account_type="Empresa")
    assert refused.status == 400
    assert "não corresponde ao tipo de conta" in refused.error_for("NISS")


def test_the_robot_check_and_empty_fields(open_portal) -> None:
    form = open_registration(open_portal())
    refused = form.submit("Seguinte: Canal de verificação")
    assert refused.status == 400
    assert refused.error_for("NISS") == "Indique o NISS."
    assert refused.error_for("Data de nascimento") == "Indique a data de nascimento."
    assert refused.error_for("Não sou robô") == "Confirme que não é um robô."
    assert "Escolha o tipo de conta." in refused.errors


def test_an_active_account_cannot_register_again(open_portal, api, make_citizen) -> None:
    from tests.portal.conftest import activate

    citizen = make_citizen()
    register(open_portal(), citizen)
    activate(open_portal(), api, citizen)
    refused = identify(open_registration(open_portal()), citizen)
    assert refused.status == 409
    assert "já tem registo" in refused.error_for("NISS")


def test_registering_again_before_activating_sends_a_new_code(
    open_portal, api, make_citizen
) -> None:
    citizen = make_citizen()
    register(open_portal(), citizen, "SMS")
    register(open_portal(), citizen, "Email")
    messages = api.get("/__test__/outbox", params={"niss": citizen["niss"]}).json()
    assert [m["channel"] for m in messages] == ["email", "sms"]
    assert [m["superseded"] for m in messages] == [False, True]
    assert latest_code(api, citizen["niss"], "registration") == messages[0]["code"]


def test_a_replayed_code_request_sends_nothing_more(open_portal, api, make_citizen) -> None:
    citizen = make_citizen(email=None)  # one channel, chosen already
    channels = identify(open_registration(open_portal()), citizen)
    action, data = channels.form_data("Pedir código de verificação")
    first = channels.client.post(action, data=data)
    assert first.status_code == 200
    replay = channels.client.post(action, data=data)
    assert replay.status_code == 409
    assert "Não é possível repetir o pedido" in replay.text
    assert len(api.get("/__test__/outbox", params={"niss": citizen["niss"]}).json()) == 1


def test_skipping_ahead_returns_to_the_terms(open_portal) -> None:
    home = open_portal()
    channel = home.client.get("/registo/canal")
    assert channel.url.path == "/registo"
    identification = home.client.get("/registo/identificacao")
    assert identification.url.path == "/registo"
