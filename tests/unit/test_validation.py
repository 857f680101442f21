from __future__ import annotations

import pytest

from mock_portal import validation
from mock_portal.validation import Invalid


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("912345678", "+351912345678"),
        ("912 345 678", "+351912345678"),
        ("+351 912-345-678", "+351912345678"),
        ("+44 7700 900123", "+447700900123"),
        ("0033612345678", "+33612345678"),
    ],
)
def test_mobile_numbers_in_international_form(raw: str, expected: str) -> None:
    assert validation.mobile(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "812345678", "+351212345678", "12345", "+1", "9123456789012345678"]
)
def test_bad_mobile_numbers(raw: str) -> None:
    with pytest.raises(Invalid):
        validation.mobile(raw)


def test_niss_messages_say_what_is_wrong() -> None:
    with pytest.raises(Invalid, match="11 algarismos"):
        validation.niss("123")
    with pytest.raises(Invalid, match="controlo"):
        validation.niss("11115611237")
    assert validation.niss("111 156 112 36") == "11115611236"


@pytest.mark.parametrize("raw", ["12345", "1234567", "12a456", ""])
def test_codes_have_six_digits(raw: str) -> None:
    with pytest.raises(Invalid):
        validation.code(raw)


def test_pin_and_email() -> None:
    assert validation.pin("1234") == "1234"
    with pytest.raises(Invalid):
        validation.pin("12345")
    assert validation.email(" ana@exemplo.pt ") == "ana@exemplo.pt"
    with pytest.raises(Invalid):
        validation.email("<script>@x.pt")


def test_masked_contacts_hide_most_of_the_value() -> None:
    assert validation.mask_contact("ana.silva@exemplo.pt") == "a***@exemplo.pt"
    assert validation.mask_contact("+351912345678") == "+351 *** *** 78"
