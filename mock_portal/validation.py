"""Reading form fields into valid values, with the Portuguese message for each mistake."""

from __future__ import annotations

import re
from datetime import date

from mock_portal import niss as niss_rules
from mock_portal.timekeeping import DateProblem, parse_birth_date

NISS_MESSAGES = {
    niss_rules.NissProblem.EMPTY: "Indique o NISS.",
    niss_rules.NissProblem.NOT_DIGITS: "O NISS só pode conter algarismos.",
    niss_rules.NissProblem.LENGTH: "O NISS tem 11 algarismos.",
    niss_rules.NissProblem.KIND: "O NISS começa por 1 (pessoa singular) ou 2 (pessoa coletiva).",
    niss_rules.NissProblem.CHECK_DIGIT: (
        "O NISS indicado não é válido: o algarismo de controlo não confere. "
        "Verifique se o escreveu corretamente."
    ),
}
_EMAIL = re.compile(r"^[^@\s<>\"'(),;:]+@[^@\s<>\"'(),;:]+\.[A-Za-z]{2,}$")
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
_CODE = re.compile(r"^\d{6}$")
_PIN = re.compile(r"^\d{4}$")


class Invalid(ValueError):
    """A field's value is not acceptable; ``str(error)`` is the message for the page."""


def control_character(value: str) -> str | None:
    """The first character of ``value`` that is no text, as ``U+XXXX``, or None.

    The portal's one rule for them, as its passwords follow it: what ``str.isprintable``
    refuses (NUL and the other C0 controls, newlines and tabs, DEL, C1, format characters,
    separators other than the space). Stored, such a character could never be typed into a
    form, and would reach evidence and log lines as it is.
    """
    found = next((c for c in value if not c.isprintable()), None)
    return None if found is None else f"U+{ord(found):04X}"


def niss(raw: str) -> str:
    value = niss_rules.normalise(raw)
    found = niss_rules.problem(value)
    if found:
        raise Invalid(NISS_MESSAGES[found])
    return value


def birth_date(raw: str, today: date) -> date:
    if not raw.strip():
        raise Invalid("Indique a data de nascimento.")
    try:
        return parse_birth_date(raw, today)
    except DateProblem as problem:
        raise Invalid(str(problem)) from None


def code(raw: str, what: str = "código de verificação") -> str:
    value = "".join(raw.split())
    if not value:
        raise Invalid(f"Indique o {what}.")
    if not _CODE.match(value):
        raise Invalid(f"O {what} tem 6 algarismos.")
    return value


def pin(raw: str) -> str:
    if not raw:
        raise Invalid("Indique o PIN.")
    if not _PIN.match(raw):
        raise Invalid("O PIN da Chave Móvel Digital tem 4 algarismos.")
    return raw


def email(raw: str) -> str:
    value = raw.strip()
    # The pattern refuses whitespace but not NUL, ESC or DEL.
    if not _EMAIL.match(value) or len(value) > 254 or control_character(value):
        raise Invalid("Indique um endereço de email válido, por exemplo nome@exemplo.pt.")
    return value


def mobile(raw: str) -> str:
    """A mobile number in international form: 912345678 -> +351912345678."""
    value = re.sub(r"[\s\-().]", "", raw)
    if not value:
        raise Invalid("Indique o número de telemóvel.")
    if value.startswith("00"):
        value = "+" + value[2:]
    if re.fullmatch(r"9\d{8}", value):
        value = "+351" + value
    if not _E164.match(value) or (value.startswith("+351") and not value.startswith("+3519")):
        raise Invalid(
            "Indique um número de telemóvel válido: 9 algarismos começados por 9, "
            "ou um número estrangeiro com o indicativo do país (por exemplo +44 7700 900123)."
        )
    return value


def mask_contact(value: str) -> str:
    """What a screen may show of a contact: enough to recognise it, not to read it."""
    if "@" in value:
        user, _, domain = value.partition("@")
        return f"{user[:1]}***@{domain}"
    return f"{value[:4]} *** *** {value[-2:]}"
