"""NISS (Número de Identificação da Segurança Social): format, check digit, generation.

An NISS has 11 digits. The first is 1 for a person and 2 for a company; the last is a check
digit: 9 - (sum of the first ten digits weighted 29,23,19,17,13,11,7,5,3,2) mod 10.
"""

from __future__ import annotations

import secrets
from enum import Enum

WEIGHTS = (29, 23, 19, 17, 13, 11, 7, 5, 3, 2)
LENGTH = 11


class NissProblem(Enum):
    """Why a string is not a valid NISS, from the most basic to the most specific."""

    EMPTY = "empty"
    NOT_DIGITS = "not_digits"
    LENGTH = "length"
    KIND = "kind"
    CHECK_DIGIT = "check_digit"


def check_digit(first_ten: str) -> int:
    """The check digit for the first ten digits of an NISS."""
    total = sum(int(d) * w for d, w in zip(first_ten, WEIGHTS, strict=True))
    return 9 - total % 10


def normalise(raw: str) -> str:
    """Drop the spaces people type inside numbers ("111 156 112 36")."""
    return "".join(raw.split())


def problem(niss: str) -> NissProblem | None:
    """The first thing wrong with an (already normalised) NISS, or None when it is valid."""
    if not niss:
        return NissProblem.EMPTY
    if not niss.isascii() or not niss.isdigit():
        return NissProblem.NOT_DIGITS
    if len(niss) != LENGTH:
        return NissProblem.LENGTH
    if niss[0] not in "12":
        return NissProblem.KIND
    if check_digit(niss[:10]) != int(niss[10]):
        return NissProblem.CHECK_DIGIT
    return None


def is_valid(niss: str) -> bool:
    return problem(niss) is None


def kind_of(niss: str) -> str:
    """'person' for an NISS starting with 1, 'company' for one starting with 2."""
    return "person" if niss.startswith("1") else "company"


def generate(kind: str = "person") -> str:
    """A random valid NISS of the given kind."""
    first = "1" if kind == "person" else "2"
    body = first + "".join(str(secrets.randbelow(10)) for _ in range(9))
    return body + str(check_digit(body))
