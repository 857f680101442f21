"""Registration: terms, identification, verification channel, request of the code.

The screens follow the portal's guide: accept the terms, choose the account type and give the
NISS and birth date (with the "Não sou robô" check), choose the channel among the contacts in
the records (or a letter when there are none), request the code.
"""

from __future__ import annotations

from starlette.responses import Response

from mock_portal import codes, records
from mock_portal.screens.common import CHANNEL_LABELS, channel_options
from mock_portal.store import transaction
from mock_portal.timekeeping import add_business_days, iso
from mock_portal.validation import Invalid, birth_date, niss
from mock_portal.web import Page, PageError, screen

ACCOUNT_TYPES = {"cidadao": "person", "empresa": "company"}


@screen
async def terms(page: Page) -> Response:
    if page.request.method == "POST":
        await page.form()
        page.session.put("reg", {"terms": True})
        return page.redirect("reg_ident")
    return page.render("reg_terms.html")


@screen
async def identification(page: Page) -> Response:
    if page.request.method == "GET":
        if page.request.query_params.get("termos") == "aceites":
            page.session.put("reg", {"terms": True})  # modern markup: the link accepts
        if not page.session.get("reg"):
            return page.redirect("reg_terms")
        return page.render("reg_ident.html")
    form = await page.form()
    page.step("reg", restart="reg_terms")
    values = {k: form.value(k) for k in ("account_type", "niss", "birth_date", "robot")}
    errors: dict[str, str] = {}
    kind = ACCOUNT_TYPES.get(values["account_type"])
    if kind is None:
        errors["account_type"] = "Escolha o tipo de conta."
    try:
        number = niss(values["niss"])
    except Invalid as problem:
        errors["niss"] = str(problem)
    try:
        born = birth_date(values["birth_date"], page.now.date())
    except Invalid as problem:
        errors["birth_date"] = str(problem)
    if not values["robot"]:
        errors["robot"] = "Confirme que não é um robô."
    if not errors:
        status, errors = _match_records(page, number, born, kind)
    else:
        status = 400
    if errors:
        return page.render(
            "reg_ident.html", status=status, errors=page.say_each(errors), values=values
        )
    page.session.put("reg", {"terms": True, "niss": number})
    return page.redirect("reg_channel")


def _match_records(page: Page, number: str, born, kind) -> tuple[int, dict[str, str]]:
    if (number.startswith("1") and kind != "person") or (
        number.startswith("2") and kind != "company"
    ):
        return 400, {"niss": "O NISS indicado não corresponde ao tipo de conta escolhido."}
    citizen = records.citizen(page.conn, number)
    if citizen is None:
        return 400, {
            "niss": "Não encontrámos este NISS no Sistema de Informação da Segurança Social. "
            "Confirme o número no seu cartão ou documento de identificação."
        }
    if citizen.birth_date != born:
        return 400, {"birth_date": "A data de nascimento não corresponde ao NISS indicado."}
    account = records.account(page.conn, number)
    if account and account.status == "active":
        return 409, {
            "niss": "Este NISS já tem registo na Segurança Social Direta. Inicie sessão com a "
            "sua palavra-passe ou, se não se lembra dela, use «Perdi a minha palavra-passe»."
        }
    return 200, {}


@screen
async def channel(page: Page) -> Response:
    state = page.session.get("reg") or {}
    if page.request.method == "GET" and not state.get("niss"):
        return page.redirect("reg_terms")
    if page.request.method == "GET":
        return _channel_form(page, state["niss"])
    form = await page.form()
    state = page.step("reg", restart="reg_terms")
    if not state.get("niss"):
        return page.redirect("reg_ident")
    citizen = records.citizen(page.conn, state["niss"])
    chosen = form.value("channel")
    if citizen is None:
        raise PageError(409, "Registo indisponível", "O registo já não pode ser concluído.")
    if chosen not in citizen.channels:
        errors = {"channel": page.say("Escolha um dos canais indicados.")}
        return _channel_form(page, citizen.niss, status=400, errors=errors)
    with transaction(page.conn):
        if not records.create_pending_account(page.conn, citizen.niss, iso(page.now)):
            raise PageError(
                409,
                "NISS já registado",
                "Este NISS já tem registo na Segurança Social Direta.",
                restart="login_choice",
            )
        codes.send(
            page.conn,
            niss=citizen.niss,
            purpose="registration",
            channel=chosen,
            recipient=citizen.recipient(chosen),
            now=page.now,
            config=page.config,
        )
    page.session.drop("reg")
    done = {"channel": chosen}
    if chosen == "letter":
        done["deliver_by"] = add_business_days(page.now, page.config.letter_business_days).strftime(
            "%d-%m-%Y"
        )
    page.session.put("reg_done", done)
    return page.redirect("reg_done")


def _channel_form(page: Page, number: str, status: int = 200, errors=None) -> Response:
    citizen = records.citizen(page.conn, number)
    if citizen is None:
        return page.redirect("reg_terms")
    return page.render(
        "channel.html",
        status=status,
        errors=errors or {},
        heading=page.say("reg_channel.heading"),
        intro=page.say(
            "A Segurança Social vai enviar-lhe um código de verificação para definir a sua "
            "palavra-passe. Escolha como o quer receber."
        ),
        options=channel_options(citizen),
        action=page.url("reg_channel"),
        submit="Pedir código de verificação",
    )


@screen
async def done(page: Page) -> Response:
    state = page.session.get("reg_done")
    if not state:
        return page.redirect("reg_terms")
    return page.render("reg_done.html", done=state, channel_label=CHANNEL_LABELS[state["channel"]])
