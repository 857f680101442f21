"""Autenticação.gov with the Chave Móvel Digital: mobile number and PIN, authorise, the
temporary security code by SMS, then back to the portal, creating the account on first use."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mock_portal import codes, passwords, records
from mock_portal.screens.common import (
    begin_attempt,
    code_problem,
    finish_attempt,
    finish_login,
)
from mock_portal.store import transaction
from mock_portal.timekeeping import iso
from mock_portal.validation import Invalid, code, mobile, pin
from mock_portal.web import Page, PageError, screen


@screen
async def choice(page: Page) -> Response:
    return page.render("gov_choice.html")


@screen
async def credentials(page: Page) -> Response:
    if page.request.method == "GET":
        return page.render("gov_cmd.html", values={"cmd_mobile": "+351 "})
    form = await page.form()
    values = {"cmd_mobile": form.value("cmd_mobile")}
    errors: dict[str, str] = {}
    try:
        number = mobile(values["cmd_mobile"])
    except Invalid as problem:
        errors["cmd_mobile"] = page.say(str(problem))
    try:
        typed_pin = pin(form.value("pin"))
    except Invalid as problem:
        errors["pin"] = page.say(str(problem))
    if errors:
        return page.render("gov_cmd.html", status=400, errors=errors, values=values)
    citizen = records.citizen_by_cmd_mobile(page.conn, number)
    if citizen is not None:
        begin_attempt(page, citizen.niss, "cmd_pin", page.config.cmd_max_attempts)
    stored = citizen.cmd_pin_hash if citizen else None
    good = await run_in_threadpool(passwords.verify_password, typed_pin, stored)
    result = None
    if citizen is not None:
        result = finish_attempt(page, citizen.niss, "cmd_pin", good, page.config.cmd_max_attempts)
    if result is None or result.verdict is not codes.Verdict.ACCEPTED:
        status, message = 401, page.say("O número de telemóvel ou o PIN não estão corretos.")
        if result is not None and result.verdict is codes.Verdict.BLOCKED:
            status, message = code_problem(page, result, restart_hint="")
        return page.render("gov_cmd.html", status=status, errors={"pin": message}, values=values)
    page.session.put("gov", {"niss": citizen.niss, "stage": "authorize"})
    return page.redirect("gov_authorize")


@screen
async def authorize(page: Page) -> Response:
    state = page.session.get("gov")
    if page.request.method == "GET":
        if not state or state["stage"] != "authorize":
            return page.redirect("gov_choice")
        return page.render("gov_authorize.html")
    form = await page.form()
    state = page.step("gov", restart="gov_choice")
    if state["stage"] != "authorize":
        return page.redirect("gov_code")
    # The sso markup's submit inputs send their label ("Autorizar"), the others a value.
    if form.value("decision").casefold() != "autorizar":
        page.session.drop("gov")
        return page.render(
            "notice.html",
            status=200,
            heading=page.say("Autenticação cancelada"),
            message=page.say("Cancelou a autenticação. Nenhum dado foi partilhado."),
            next_label=page.say("Voltar a Iniciar sessão"),
            next_route="login_choice",
        )
    citizen = records.citizen(page.conn, state["niss"])
    if citizen is None or not citizen.cmd_mobile:
        raise PageError(
            409, "Autenticação indisponível", "Recomece a autenticação.", restart="gov_choice"
        )
    with transaction(page.conn):
        codes.send(
            page.conn,
            niss=citizen.niss,
            purpose="cmd",
            channel="sms",
            recipient=citizen.cmd_mobile,
            now=page.now,
            config=page.config,
            ttl_minutes=page.config.cmd_code_ttl_minutes,
        )
    page.session.put("gov", {"niss": citizen.niss, "stage": "code"})
    return page.redirect("gov_code")


@screen
async def security_code(page: Page) -> Response:
    state = page.session.get("gov")
    if page.request.method == "GET":
        if not state or state["stage"] != "code":
            return page.redirect("gov_choice")
        return _code_form(page)
    form = await page.form()
    state = page.step("gov", restart="gov_choice")
    if state["stage"] != "code":
        return page.redirect("gov_authorize")
    try:
        typed = code(form.value("code"), "código de segurança")
    except Invalid as problem:
        return _code_form(page, status=400, errors={"code": page.say(str(problem))})
    with transaction(page.conn):
        result = codes.check(
            page.conn,
            niss=state["niss"],
            purpose="cmd",
            code=typed,
            now=page.now,
            config=page.config,
            max_attempts=page.config.cmd_max_attempts,
        )
        created = result.verdict is codes.Verdict.ACCEPTED and records.create_cmd_account(
            page.conn, state["niss"], iso(page.now)
        )
    if result.verdict is not codes.Verdict.ACCEPTED:
        status, message = code_problem(
            page, result, restart_hint=page.say("Recomece a autenticação.")
        )
        if result.verdict is codes.Verdict.BLOCKED:
            page.session.drop("gov")
        return _code_form(page, status=status, errors={"code": message})
    response = finish_login(page, state["niss"])
    if created:
        page.session.put(
            "flash",
            page.say(
                "A sua conta na Segurança Social Direta foi criada com a Chave Móvel Digital."
            ),
        )
    return response


def _code_form(page: Page, status: int = 200, errors=None) -> Response:
    return page.render(
        "code_only.html",
        status=status,
        errors=errors or {},
        heading=page.say("Código de segurança"),
        intro=page.say(
            "Introduza o código de segurança temporário de 6 algarismos que enviámos "
            "por SMS para o seu telemóvel."
        ),
        label="Código de segurança",
        action=page.url("gov_code"),
        submit="Confirmar",
        gov=True,
    )
