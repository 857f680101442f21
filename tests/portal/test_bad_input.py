"""Bad input gets a clear message and a 4xx, and never changes what is stored."""

from __future__ import annotations

import httpx
import pytest

from tests.portal.conftest import dmy, open_registration

SCRIPT = "<script>alert('x')</script>"


def identification(open_portal):
    return open_registration(open_portal())


def post_identification(form, citizen, **fields):
    values = {"NISS": citizen["niss"], "Data de nascimento": dmy(citizen["birth_date"])}
    values.update(fields)
    return form.submit(
        "Seguinte: Canal de verificação",
        fields=values,
        choices={"Tipo de conta": "Cidadão"},
        checks=["Não sou robô"],
    )


@pytest.mark.parametrize(
    "value",
    [
        SCRIPT,
        "1' OR '1'='1",
        "11115611236; DROP TABLE citizens",
        "１１１１５６１１２３６",
        "x" * 5000,
    ],
)
def test_hostile_niss_values_are_refused_and_shown_escaped(
    open_portal, api, make_citizen, value
) -> None:
    citizen = make_citizen()
    refused = post_identification(identification(open_portal), citizen, NISS=value)
    assert refused.status == 400
    assert refused.error_for("NISS")
    assert SCRIPT not in refused.html
    assert api.get(f"/__test__/citizens/{citizen['niss']}").json()["account"] is None
    assert (
        api.post("/__test__/citizens", json={"name": "A", "birth_date": "1990-01-01"}).status_code
        == 201
    )


def test_script_in_a_date_is_escaped(open_portal, make_citizen) -> None:
    refused = post_identification(
        identification(open_portal), make_citizen(), **{"Data de nascimento": SCRIPT}
    )
    assert refused.status == 400
    assert SCRIPT not in refused.html
    assert "&lt;script&gt;" in refused.html


def test_a_form_without_its_csrf_token_is_refused(open_portal, make_citizen) -> None:
    form = identification(open_portal)
    citizen = make_citizen()
    refused = form.submit(
        "Seguinte: Canal de verificação",
        fields={"NISS": citizen["niss"], "Data de nascimento": dmy(citizen["birth_date"])},
        choices={"Tipo de conta": "Cidadão"},
        checks=["Não sou robô"],
        drop=["csrf_token"],
    )
    assert refused.status == 403
    assert "sessão expirou" in refused.text


def test_a_form_posted_from_another_session_is_refused(open_portal, portal) -> None:
    form = identification(open_portal)
    action, data = form.form_data("Seguinte: Canal de verificação")
    with httpx.Client() as stranger:  # another browser: no session cookie
        refused = stranger.post(action, data=data)
    assert refused.status_code == 403


def test_oversized_and_foreign_bodies(open_portal) -> None:
    form = identification(open_portal)
    action, data = form.form_data("Seguinte: Canal de verificação")
    client = form.client
    huge = client.post(action, data={**data, "niss": "1" * 100_000})
    assert huge.status_code == 413
    as_json = client.post(action, json=data)
    assert as_json.status_code == 415
    garbled = client.post(
        action,
        content=b"niss=%ff%fe&csrf_token=" + data["csrf_token"].encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert garbled.status_code == 400
    many = "&".join(f"f{i}=1" for i in range(100))
    assert (
        client.post(
            action,
            content=many.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ).status_code
        == 400
    )


def test_unknown_pages_and_methods(open_portal) -> None:
    client = open_portal().client
    missing = client.get("/nao-existe")
    assert missing.status_code == 404
    assert "Página não encontrada" in missing.text
    assert client.put("/registo").status_code == 405


def test_a_tampered_channel_is_refused(open_portal, api, make_citizen) -> None:
    citizen = make_citizen(email=None)
    channels = post_identification(identification(open_portal), citizen)
    refused = channels.submit(
        "Pedir código de verificação", extra={"canal": "letter", "deliveryChannel": "letter"}
    )
    assert refused.status == 400
    assert api.get("/__test__/outbox", params={"niss": citizen["niss"]}).json() == []
