"""Pieces several flows share: code outcomes, channel choices, and finishing a login."""

from __future__ import annotations

from datetime import timedelta

from starlette.responses import Response

from mock_portal import codes, records
from mock_portal.store import transaction
from mock_portal.timekeeping import parse_iso
from mock_portal.validation import mask_contact
from mock_portal.web import Page, PageError

CHANNEL_LABELS = {"email": "Email", "sms": "SMS", "letter": "Por carta"}


def channel_options(citizen: records.Citizen) -> list[dict[str, str]]:
    """The channels offered for a citizen, each with a masked hint of where it goes (the
    template says the hint in the portal's wording)."""
    options = []
    for channel in citizen.channels:
        if channel == "letter":
            hint = "Para a morada registada no Sistema de Informação da Segurança Social."
        else:
            hint = mask_contact(citizen.recipient(channel))
        options.append({"value": channel, "label": CHANNEL_LABELS[channel], "hint": hint})
    return options


def code_problem(page: Page, check: codes.Check, *, restart_hint: str) -> tuple[int, str]:
    """The HTTP status and message for a code that was not accepted; ``restart_hint`` is a
    sentence already said in the portal's wording."""
    if check.verdict is codes.Verdict.WRONG:
        left = check.attempts_left
        plural = "tentativa" if left == 1 else "tentativas"
        return 400, page.say(
            "O código não está correto. Resta-lhe {left} {plural}.", left=left, plural=plural
        )
    if check.verdict is codes.Verdict.EXPIRED:
        return 400, page.say(
            "O código expirou. Confirme que está a introduzir o código mais recente (ativo) "
            "que recebeu. {hint}",
            hint=restart_hint,
        )
    if check.verdict is codes.Verdict.USED:
        return 400, page.say("Este código já foi utilizado. {hint}", hint=restart_hint)
    until = check.blocked_until
    when = until.strftime("%H:%M") if until else "mais tarde"
    return 429, page.say(
        "Excedeu o número de tentativas permitidas. Por segurança, esta operação ficou "
        "bloqueada. Tente novamente depois das {when} (hora de Lisboa UTC).",
        when=when,
    )


def begin_attempt(page: Page, niss: str, purpose: str, max_attempts: int) -> None:
    """Count an attempt at a password or PIN before checking it (see ``codes.begin_attempt``);
    stop with 429 when ``purpose`` is blocked for ``niss`` or no attempt is left."""
    with transaction(page.conn):
        refused = codes.begin_attempt(
            page.conn,
            niss,
            purpose,
            page.now,
            max_attempts=max_attempts,
            block_minutes=page.config.block_minutes,
        )
    if refused:
        _, message = code_problem(page, refused, restart_hint="")
        raise PageError(429, "Acesso bloqueado temporariamente", message)


def finish_attempt(
    page: Page, niss: str, purpose: str, good: bool, max_attempts: int
) -> codes.Check:
    """Settle an attempt counted by ``begin_attempt`` once the secret has been checked."""
    with transaction(page.conn):
        return codes.finish_attempt(
            page.conn,
            niss,
            purpose,
            page.now,
            good,
            max_attempts=max_attempts,
            block_minutes=page.config.block_minutes,
        )


def finish_login(page: Page, niss: str) -> Response:
    """The citizen is authenticated: start a fresh session and go on to contacts or home."""
    page.session.renew()
    for key in ("login", "gov"):
        page.session.drop(key)
    page.session.put("user", niss)
    account = records.account(page.conn, niss)
    if account and contacts_due(page, account):
        return page.redirect("contacts")
    return page.redirect("area")


def contacts_due(page: Page, account: records.Account) -> bool:
    confirmed = account.contacts_confirmed_at
    if not confirmed:
        return True
    return parse_iso(confirmed) < page.now - timedelta(days=page.config.contacts_review_days)


def current_user(page: Page) -> records.Citizen:
    niss = page.session.get("user")
    citizen = records.citizen(page.conn, niss) if niss else None
    if citizen is None:
        raise PageError(
            401,
            "Sessão não iniciada",
            "Para continuar, inicie sessão na Segurança Social Direta.",
            restart="login_choice",
        )
    return citizen
