"""Perdi a minha palavra-passe: NISS and birth date, channel, code, new password."""

from __future__ import annotations

from starlette.responses import Response

from mock_portal import codes, records
from mock_portal.screens.common import CHANNEL_LABELS, channel_options
from mock_portal.screens.credentials import (
    check_code,
    new_password_hash,
    password_form,
    read_niss_and_code,
)
from mock_portal.store import transaction
from mock_portal.validation import Invalid, birth_date, niss
from mock_portal.web import Page, PageError, screen

HEADING = "reset.heading"  # said by name: its text is the label "Perdi a minha palavra-passe"


@screen
async def start(page: Page) -> Response:
    if page.request.method == "GET":
        return page.render("reset_start.html")
    form = await page.form()
    values = {"niss": form.value("niss"), "birth_date": form.value("birth_date")}
    errors: dict[str, str] = {}
    try:
        number = niss(values["niss"])
    except Invalid as problem:
        errors["niss"] = str(problem)
    try:
        born = birth_date(values["birth_date"], page.now.date())
    except Invalid as problem:
        errors["birth_date"] = str(problem)
    if not errors:
        errors = _match(page, number, born)
    if errors:
        return page.render(
            "reset_start.html", status=400, errors=page.say_each(errors), values=values
        )
    page.session.put("reset", {"niss": number})
    return page.redirect("reset_channel")


def _match(page: Page, number: str, born) -> dict[str, str]:
    citizen = records.citizen(page.conn, number)
    account = records.account(page.conn, number)
    if citizen is None or citizen.birth_date != born:
        return {"birth_date": "O NISS e a data de nascimento não correspondem a uma conta."}
    if account is None:
        message = "Este NISS ainda não tem registo. Use «{register}»."
        return {"niss": page.say(message, register=page.wording["register"])}
    if account.status != "active":
        message = (
            "A conta deste NISS ainda não foi ativada. Use «{activate}» com o código de "
            "verificação que recebeu."
        )
        return {"niss": page.say(message, activate=page.wording["activate"])}
    return {}


@screen
async def channel(page: Page) -> Response:
    if page.request.method == "GET":
        state = page.session.get("reset")
        if not state:
            return page.redirect("reset_start")
        return _channel_form(page, state["niss"])
    form = await page.form()
    state = page.step("reset", restart="reset_start")
    citizen = records.citizen(page.conn, state["niss"])
    if citizen is None:
        raise PageError(409, "Pedido indisponível", "O pedido já não pode ser concluído.")
    chosen = form.value("channel")
    if chosen not in citizen.channels:
        errors = {"channel": page.say("Escolha um dos canais indicados.")}
        return _channel_form(page, citizen.niss, status=400, errors=errors)
    with transaction(page.conn):
        codes.send(
            page.conn,
            niss=citizen.niss,
            purpose="password_reset",
            channel=chosen,
            recipient=citizen.recipient(chosen),
            now=page.now,
            config=page.config,
        )
    page.session.drop("reset")
    page.session.put("reset_sent", {"channel": chosen})
    return page.redirect("reset_sent")


def _channel_form(page: Page, number: str, status: int = 200, errors=None) -> Response:
    citizen = records.citizen(page.conn, number)
    if citizen is None:
        return page.redirect("reset_start")
    return page.render(
        "channel.html",
        status=status,
        errors=errors or {},
        heading=page.say(HEADING),
        intro=page.say("Escolha como quer receber o código para definir uma nova palavra-passe."),
        options=channel_options(citizen),
        action=page.url("reset_channel"),
        submit="Pedir código de verificação",
    )


@screen
async def sent(page: Page) -> Response:
    state = page.session.get("reset_sent")
    if not state:
        return page.redirect("reset_start")
    label = CHANNEL_LABELS[state["channel"]]
    return page.render(
        "notice.html",
        heading=page.say("Código enviado"),
        message=page.say(
            "Enviámos-lhe um código de verificação ({channel}). "
            "Introduza-o para definir uma nova palavra-passe.",
            channel=label,
        ),
        next_label="Introduzir código",
        next_route="reset_code",
    )


@screen
async def code(page: Page) -> Response:
    if page.request.method == "GET":
        return _code_form(page)
    form = await page.form()
    values, errors, number, typed = read_niss_and_code(page, form)
    if errors:
        return _code_form(page, status=400, errors=errors, values=values)
    refused = check_code(
        page,
        number,
        typed,
        "password_reset",
        restart_hint=page.say(
            "Se necessário, peça um novo código em «Perdi a minha palavra-passe»."
        ),
    )
    if refused:
        status, message = refused
        return _code_form(page, status=status, errors={"code": message}, values=values)
    page.session.put("reset_ok", {"niss": number})
    return page.redirect("reset_password")


def _code_form(page: Page, status: int = 200, errors=None, values=None) -> Response:
    return page.render(
        "code_entry.html",
        status=status,
        errors=errors or {},
        values=values or {},
        heading=page.say(HEADING),
        intro=page.say("Introduza o seu NISS e o código de verificação que recebeu."),
        action=page.url("reset_code"),
    )


@screen
async def password(page: Page) -> Response:
    heading = "Nova palavra-passe"
    if page.request.method == "GET":
        if not page.session.get("reset_ok"):
            return page.redirect("reset_code")
        return password_form(page, heading=heading, action=page.url("reset_password"))
    form = await page.form()
    state = page.step("reset_ok", restart="reset_start")
    citizen = records.citizen(page.conn, state["niss"])
    if citizen is None:
        raise PageError(409, "Pedido indisponível", "O pedido já não pode ser concluído.")
    hashed, errors = await new_password_hash(page, form, citizen)
    if hashed is None:
        return password_form(
            page, heading=heading, action=page.url("reset_password"), status=400, errors=errors
        )
    with transaction(page.conn):
        changed = records.set_password(page.conn, citizen.niss, hashed)
        codes.clear_failures(page.conn, citizen.niss, "login")
    page.session.drop("reset_ok")
    if not changed:
        raise PageError(409, "Conta indisponível", "Esta conta não está ativa.")
    page.session.put("reset_done", True)
    return page.redirect("reset_done")


@screen
async def done(page: Page) -> Response:
    if not page.session.get("reset_done"):
        return page.redirect("reset_start")
    return page.render(
        "notice.html",
        heading="Palavra-passe alterada",  # a customary label: a landmark
        message=page.say("A sua nova palavra-passe foi definida com sucesso."),
        access_link=True,
    )
