"""Home, the login choice, NISS + password login with its one-time code, contacts, home area."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mock_portal import codes, passwords, records, sessions
from mock_portal.screens.common import (
    CHANNEL_LABELS,
    begin_attempt,
    channel_options,
    code_problem,
    current_user,
    finish_attempt,
    finish_login,
)
from mock_portal.store import transaction
from mock_portal.timekeeping import iso
from mock_portal.validation import Invalid, code, email, mask_contact, mobile, niss
from mock_portal.web import Page, PageError, screen

TWO_STEPS = "Verificação em dois passos"
CHOOSE_CHANNEL = "Escolha um dos canais indicados."


@screen
async def home(page: Page) -> Response:
    return page.render("home.html")


@screen
async def choice(page: Page) -> Response:
    # The modern and sso markups reveal the form in place; ?metodo=utilizador opens it
    # without script.
    expanded = page.request.query_params.get("metodo") == "utilizador"
    return page.render("login_choice.html", expanded=expanded)


def _login_form(page: Page, status: int = 200, errors=None, values=None) -> Response:
    template = "login_user.html" if page.style == "classic" else "login_choice.html"
    return page.render(
        template, status=status, errors=errors or {}, values=values or {}, expanded=True
    )


@screen
async def user(page: Page) -> Response:
    if page.request.method == "GET":
        if page.style == "modern":
            return page.render("login_choice.html", expanded=True)
        if page.style == "sso":  # every arrival at the login screen finds it collapsed
            return page.redirect("login_choice")
        return _login_form(page)
    form = await page.form()
    values = {"niss": form.value("niss")}
    password = form.value("password")
    errors: dict[str, str] = {}
    try:
        number = niss(values["niss"])
    except Invalid as problem:
        errors["niss"] = page.say(str(problem))
    if not password:
        errors["password"] = page.say("Indique a palavra-passe.")
    if errors:
        return _login_form(page, status=400, errors=errors, values=values)
    begin_attempt(page, number, "login", page.config.login_max_attempts)
    account = records.account(page.conn, number)
    stored = account.password_hash if account else None
    good = await run_in_threadpool(passwords.verify_password, password, stored)
    if account and account.status == "pending":
        with transaction(page.conn):  # no password yet: nothing was guessed
            codes.withdraw_attempt(page.conn, number, "login", page.now)
        message = page.say(
            "A sua conta ainda não foi ativada. Use «{activate}» com o código de verificação "
            "que recebeu.",
            activate=page.wording["activate"],
        )
        return _login_form(page, status=403, errors={"niss": message}, values=values)
    result = finish_attempt(page, number, "login", good, page.config.login_max_attempts)
    if result.verdict is not codes.Verdict.ACCEPTED:
        if result.verdict is codes.Verdict.BLOCKED:
            status, message = code_problem(page, result, restart_hint="")
        else:
            status, message = 401, page.say("O NISS ou a palavra-passe não estão corretos.")
        return _login_form(page, status=status, errors={"password": message}, values=values)
    citizen = records.citizen(page.conn, number)
    if page.config.login_two_factor and citizen and citizen.channels != ["letter"]:
        page.session.renew()
        page.session.put("login", {"niss": number, "stage": "channel"})
        return page.redirect("login_code")
    return finish_login(page, number)


@screen
async def second_factor(page: Page) -> Response:
    state = page.session.get("login")
    if page.request.method == "GET":
        if not state:
            return page.redirect("login_choice")
        return _second_factor_form(page, state)
    form = await page.form()
    state = page.step("login", restart="login_choice")
    citizen = records.citizen(page.conn, state["niss"])
    if citizen is None:
        raise PageError(409, "Sessão indisponível", "Inicie sessão novamente.")
    if state["stage"] == "channel":
        chosen = form.value("channel")
        if chosen not in citizen.channels or chosen == "letter":
            return _second_factor_form(
                page, state, status=400, errors={"channel": page.say(CHOOSE_CHANNEL)}
            )
        with transaction(page.conn):
            codes.send(
                page.conn,
                niss=citizen.niss,
                purpose="login",
                channel=chosen,
                recipient=citizen.recipient(chosen),
                now=page.now,
                config=page.config,
            )
        page.session.put("login", {"niss": citizen.niss, "stage": "code", "channel": chosen})
        return page.redirect("login_code")
    try:
        typed = code(form.value("code"), "código de autenticação")
    except Invalid as problem:
        return _second_factor_form(page, state, status=400, errors={"code": page.say(str(problem))})
    with transaction(page.conn):
        result = codes.check(
            page.conn,
            niss=citizen.niss,
            purpose="login",
            code=typed,
            now=page.now,
            config=page.config,
        )
    if result.verdict is not codes.Verdict.ACCEPTED:
        status, message = code_problem(
            page,
            result,
            restart_hint=page.say("Inicie sessão de novo para receber outro código."),
        )
        if result.verdict is codes.Verdict.BLOCKED:
            page.session.drop("login")
        return _second_factor_form(page, state, status=status, errors={"code": message})
    return finish_login(page, citizen.niss)


def _second_factor_form(page: Page, state: dict, status: int = 200, errors=None) -> Response:
    citizen = records.citizen(page.conn, state["niss"])
    if citizen is None:
        return page.redirect("login_choice")
    if state["stage"] == "channel":
        options = [o for o in channel_options(citizen) if o["value"] != "letter"]
        return page.render(
            "channel.html",
            status=status,
            errors=errors or {},
            heading=page.say(TWO_STEPS),
            intro=page.say(
                "Por segurança, enviamos-lhe um código de autenticação. "
                "Escolha como o quer receber."
            ),
            options=options,
            action=page.url("login_code"),
            submit="Enviar código",
        )
    return page.render(
        "code_only.html",
        status=status,
        errors=errors or {},
        heading=page.say(TWO_STEPS),
        intro=page.say(
            "Introduza o código de autenticação que lhe enviámos ({channel}).",
            channel=CHANNEL_LABELS[state["channel"]],
        ),
        label="Código de autenticação",
        action=page.url("login_code"),
        submit="Validar código",
    )


@screen
async def contacts(page: Page) -> Response:
    citizen = current_user(page)
    if page.request.method == "GET":
        values = {"email": citizen.email or "", "mobile": citizen.mobile or ""}
        return page.render("contacts.html", values=values)
    form = await page.form()
    values = {"email": form.value("email"), "mobile": form.value("mobile")}
    errors: dict[str, str] = {}
    new_email = new_mobile = None
    if values["email"].strip():
        try:
            new_email = email(values["email"])
        except Invalid as problem:
            errors["email"] = page.say(str(problem))
    if values["mobile"].strip():
        try:
            new_mobile = mobile(values["mobile"])
        except Invalid as problem:
            errors["mobile"] = page.say(str(problem))
    if not errors and not (new_email or new_mobile):
        errors["email"] = page.say("Indique pelo menos um contacto: email ou telemóvel.")
    if errors:
        return page.render("contacts.html", status=400, errors=errors, values=values)
    chosen = "sms" if new_mobile else "email"
    recipient = new_mobile or new_email
    with transaction(page.conn):
        codes.send(
            page.conn,
            niss=citizen.niss,
            purpose="contacts",
            channel=chosen,
            recipient=recipient,
            now=page.now,
            config=page.config,
        )
    page.session.put(
        "contacts",
        {
            "email": new_email,
            "mobile": new_mobile,
            "channel": chosen,
            "masked": mask_contact(recipient),
        },
    )
    return page.redirect("contacts_code")


@screen
async def contacts_code(page: Page) -> Response:
    citizen = current_user(page)
    state = page.session.get("contacts")
    if page.request.method == "GET":
        if not state:
            return page.redirect("contacts")
        return _contacts_code_form(page, state)
    form = await page.form()
    state = page.step("contacts", restart="contacts")
    try:
        typed = code(form.value("code"), "código de validação")
    except Invalid as problem:
        return _contacts_code_form(page, state, status=400, errors={"code": page.say(str(problem))})
    with transaction(page.conn):
        result = codes.check(
            page.conn,
            niss=citizen.niss,
            purpose="contacts",
            code=typed,
            now=page.now,
            config=page.config,
        )
        if result.verdict is codes.Verdict.ACCEPTED:
            records.update_contacts(page.conn, citizen.niss, state["email"], state["mobile"])
            records.confirm_contacts(page.conn, citizen.niss, iso(page.now))
    if result.verdict is not codes.Verdict.ACCEPTED:
        status, message = code_problem(
            page, result, restart_hint=page.say("Volte a indicar os contactos.")
        )
        return _contacts_code_form(page, state, status=status, errors={"code": message})
    page.session.drop("contacts")
    page.session.put("flash", page.say("Os seus contactos foram atualizados e validados."))
    return page.redirect("area")


def _contacts_code_form(page: Page, state: dict, status: int = 200, errors=None) -> Response:
    return page.render(
        "code_only.html",
        status=status,
        errors=errors or {},
        heading=page.say("contacts_code.heading"),
        intro=page.say("Enviámos um código de validação para {masked}.", masked=state["masked"]),
        label="Código de validação",
        action=page.url("contacts_code"),
        submit="Validar contactos",
    )


@screen
async def area(page: Page) -> Response:
    citizen = current_user(page)
    flash = page.session.get("flash")
    page.session.drop("flash")
    first_name = citizen.name.split()[0] if citizen.name.split() else ""
    return page.render("area.html", first_name=first_name, flash=flash)


@screen
async def logout(page: Page) -> Response:
    if page.request.method == "POST":
        await page.form()
    with transaction(page.conn):
        sessions.delete(page.conn, page.session.id)
    page.session = sessions.Session(None)
    return page.render(
        "notice.html",
        heading=page.say("Sessão terminada"),
        message=page.say("Terminou a sessão na Segurança Social Direta."),
        next_label=page.say("Voltar à página inicial"),
        next_route="home",
    )
