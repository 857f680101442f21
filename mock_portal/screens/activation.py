"""Activation: NISS and verification code, then the password, then the way in."""

from __future__ import annotations

from starlette.responses import Response

from mock_portal import records
from mock_portal.screens.credentials import (
    check_code,
    new_password_hash,
    password_form,
    read_niss_and_code,
)
from mock_portal.store import transaction
from mock_portal.timekeeping import iso
from mock_portal.web import Page, PageError, screen

HEADING = "Definir palavra-passe"


@screen
async def code(page: Page) -> Response:
    if page.request.method == "GET":
        return _code_form(page)
    form = await page.form()
    values, errors, number, typed = read_niss_and_code(page, form)
    if errors:
        return _code_form(page, status=400, errors=errors, values=values)
    account = records.account(page.conn, number)
    if account is None:
        message = page.say(
            "Não existe um pedido de registo para este NISS. Comece por «{register}».",
            register=page.wording["register"],
        )
        return _code_form(page, status=400, errors={"niss": message}, values=values)
    if account.status == "active":
        message = page.say(
            "Esta conta já está ativa. Inicie sessão com a sua palavra-passe ou use "
            "«Perdi a minha palavra-passe»."
        )
        return _code_form(page, status=409, errors={"niss": message}, values=values)
    refused = check_code(
        page,
        number,
        typed,
        "registration",
        restart_hint=page.say(
            "Se necessário, peça um novo código em «{register}».",
            register=page.wording["register"],
        ),
    )
    if refused:
        status, message = refused
        return _code_form(page, status=status, errors={"code": message}, values=values)
    page.session.put("act", {"niss": number})
    return page.redirect("act_password")


def _code_form(page: Page, status: int = 200, errors=None, values=None) -> Response:
    return page.render(
        "code_entry.html",
        status=status,
        errors=errors or {},
        values=values or {},
        heading=page.wording["activate"],
        intro=page.say(
            "Introduza o seu NISS e o código de verificação que recebeu no canal que indicou."
        ),
        action=page.url("act_code"),
    )


@screen
async def password(page: Page) -> Response:
    if page.request.method == "GET":
        if not page.session.get("act"):
            return page.redirect("act_code")
        return password_form(page, heading=HEADING, action=page.url("act_password"))
    form = await page.form()
    state = page.step("act", restart="act_code")
    citizen = records.citizen(page.conn, state["niss"])
    if citizen is None:
        raise PageError(409, "Ativação indisponível", "A ativação já não pode ser concluída.")
    hashed, errors = await new_password_hash(page, form, citizen)
    if hashed is None:
        return password_form(
            page, heading=HEADING, action=page.url("act_password"), status=400, errors=errors
        )
    with transaction(page.conn):
        activated = records.activate(page.conn, citizen.niss, hashed, iso(page.now))
    page.session.drop("act")
    if not activated:
        raise PageError(409, "Conta já ativa", "Esta conta já foi ativada.", restart="login_choice")
    page.session.put("act_done", True)
    return page.redirect("act_done")


@screen
async def done(page: Page) -> Response:
    if not page.session.get("act_done"):
        return page.redirect("act_code")
    return page.render(
        "notice.html",
        heading=page.say("Conta ativada"),
        message=page.say("A sua conta na Segurança Social Direta foi ativada com sucesso."),
        access_link=True,
    )
