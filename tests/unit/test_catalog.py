from __future__ import annotations

import pytest

from flows import catalog
from pages import labels


def test_registration_has_the_ten_documented_steps_in_order() -> None:
    steps = catalog.REGISTRATION.steps
    assert [s.number for s in steps] == [str(n) for n in range(1, 11)]
    assert steps[1].label is labels.LOG_IN
    assert steps[3].title == "4. Registar (Register)"
    assert steps[4].label is labels.ACCEPT_TERMS
    assert steps[7].label is labels.NEXT_CHANNEL
    assert steps[9].label is labels.REQUEST_CODE


def test_activation_has_the_eight_documented_steps() -> None:
    steps = catalog.ACTIVATION.steps
    assert [s.number for s in steps] == [str(n) for n in range(1, 9)]
    assert [s.label for s in steps] == [
        labels.ACTIVATE,
        labels.NISS,
        labels.VERIFICATION_CODE,
        labels.CONFIRM_CODE,
        labels.PASSWORD,
        labels.PASSWORD_CONFIRMATION,
        labels.CONFIRM_PASSWORD,
        labels.ACCESS_LINK,
    ]


def test_steps_that_type_secrets_say_so() -> None:
    secret = [s.title for s in catalog.ACTIVATION.steps if s.secret]
    assert secret == [
        "3. Código de verificação (verification code)",
        "5. Palavra-passe (Password)",
        "6. Confirmação da palavra-passe (Confirm your password)",
    ]


def test_prerequisites_come_first_and_once() -> None:
    names = [f.name for f in catalog.with_prerequisites(["login", "password_reset"])]
    assert names == ["registration", "activation", "login", "password_reset"]


def test_until_stops_after_the_named_step() -> None:
    assert [s.number for s in catalog.REGISTRATION.until("6").steps][-1] == "6"
    with pytest.raises(ValueError, match="no step"):
        catalog.REGISTRATION.until("11")


def test_every_flow_is_named_for_the_cli() -> None:
    assert list(catalog.FLOWS) == [
        "registration",
        "activation",
        "login",
        "password_reset",
        "cmd",
        "portal",
    ]
    assert [f.name for f in catalog.FLOWS.values() if not f.writes] == ["portal"]
