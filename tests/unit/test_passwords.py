from __future__ import annotations

from datetime import date

import pytest

from mock_portal import passwords
from mock_portal.config import PortalConfig

CONFIG = PortalConfig()
NISS = "11115611236"
BIRTH = date(1985, 3, 2)


def problems(password: str, confirmation: str | None = None) -> list[str]:
    confirmation = password if confirmation is None else confirmation
    return passwords.problems(password, confirmation, niss=NISS, birth=BIRTH, config=CONFIG)


def test_a_password_keeping_every_rule_passes() -> None:
    assert problems("Verao-Lisboa-2025") == []


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("", "Indique"),
        ("Ab1!", "pelo menos 9 caracteres"),
        ("abcdefghijk", "3 tipos"),
        ("abcdefgh12", "3 tipos"),
        (f"Xx{NISS}", "NISS"),
        ("Ana!19850302", "data de nascimento"),
        ("Ana!02-03-1985", "data de nascimento"),
        ("Ana!02031985", "data de nascimento"),
        ("A" * 100 + "b1!" + "c" * 30, "mais de 128"),
        ("Abcdefgh1\x07", "controlo"),
    ],
)
def test_each_rule_has_its_message(password: str, fragment: str) -> None:
    assert any(fragment in message for message in problems(password))


def test_confirmation_must_match() -> None:
    assert problems("Verao-Lisboa-2025", "Verao-Lisboa-2026") == [
        "A confirmação não é igual à palavra-passe."
    ]


def test_rules_text_states_the_configured_policy() -> None:
    text = " ".join(passwords.rules_text(PortalConfig(password_min_length=12)))
    assert "12 caracteres" in text
    assert "NISS" in text


def test_hash_verifies_only_the_same_password_and_never_holds_it() -> None:
    stored = passwords.hash_password("Verao-Lisboa-2025", n=2**10)
    assert "Verao" not in stored
    assert passwords.verify_password("Verao-Lisboa-2025", stored)
    assert not passwords.verify_password("Verao-Lisboa-2026", stored)
    assert not passwords.verify_password("anything", None)


def test_hashes_are_salted() -> None:
    assert passwords.hash_password("same", n=2**10) != passwords.hash_password("same", n=2**10)
