"""Checking a code typed with an NISS, and choosing a password: shared by activation and
password reset, which differ only in the code's purpose and what the password does."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool

from mock_portal import codes, passwords, records
from mock_portal.screens.common import code_problem
from mock_portal.store import transaction
from mock_portal.validation import Invalid, code, niss
from mock_portal.web import Form, Page


def read_niss_and_code(page: Page, form: Form) -> tuple[dict[str, str], dict[str, str], str, str]:
    """The typed values, field errors, and the NISS and code when both are well formed."""
    values = {"niss": form.value("niss"), "code": form.value("code")}
    errors: dict[str, str] = {}
    number = typed = ""
    try:
        number = niss(values["niss"])
    except Invalid as problem:
        errors["niss"] = page.say(str(problem))
    try:
        typed = code(values["code"])
    except Invalid as problem:
        errors["code"] = page.say(str(problem))
    return values, errors, number, typed


def check_code(page: Page, number: str, typed: str, purpose: str, restart_hint: str):
    """(status, message) for a refused code, or None once the code is accepted and used;
    ``restart_hint`` is said already."""
    with transaction(page.conn):
        result = codes.check(
            page.conn, niss=number, purpose=purpose, code=typed, now=page.now, config=page.config
        )
    if result.verdict is codes.Verdict.ACCEPTED:
        return None
    return code_problem(page, result, restart_hint=restart_hint)


async def new_password_hash(
    page: Page, form: Form, citizen: records.Citizen
) -> tuple[str | None, dict[str, str]]:
    """The hash of a password that keeps every rule, or the broken rules as field errors."""
    password = form.value("password")
    found = passwords.problems(
        password,
        form.value("password_confirm"),
        niss=citizen.niss,
        birth=citizen.birth_date,
        config=page.config,
    )
    if found:
        field = "password_confirm" if found[-1].startswith("A confirmação") else "password"
        return None, {field: " ".join(page.say(problem) for problem in found)}
    # scrypt is deliberately slow: keep it off the event loop.
    hashed = await run_in_threadpool(passwords.hash_password, password, n=page.config.scrypt_n)
    return hashed, {}


def password_form(page: Page, *, heading: str, action: str, status: int = 200, errors=None):
    """The password and its confirmation, under ``heading`` (an official sentence)."""
    return page.render(
        "password.html",
        status=status,
        errors=errors or {},
        heading=page.say(heading),
        action=action,
        rules=passwords.rules_text(page.config),
    )
