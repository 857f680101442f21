from __future__ import annotations

import re
from datetime import date

from mock_portal import niss as niss_rules
from mock_portal import passwords
from mock_portal.config import PortalConfig
from runtime.citizens import synthetic_faker


def test_generated_niss_are_valid_for_the_portal() -> None:
    fake = synthetic_faker(seed=7)
    for kind in ("person", "company"):
        numbers = [fake.niss(kind) for _ in range(100)]
        assert all(niss_rules.is_valid(n) and niss_rules.kind_of(n) == kind for n in numbers)


def test_generated_passwords_keep_the_portal_rules() -> None:
    fake = synthetic_faker(seed=11)
    for _ in range(100):
        password = fake.portal_password()
        problems = passwords.problems(
            password, password, niss=fake.niss(), birth=date(1980, 1, 2), config=PortalConfig()
        )
        assert problems == [], password


def test_mobiles_pins_and_birth_dates() -> None:
    fake = synthetic_faker(seed=3)
    assert re.fullmatch(r"\+3519[1236]\d{7}", fake.portuguese_mobile())
    assert not fake.foreign_mobile().startswith("+351")
    assert re.fullmatch(r"\d{4}", fake.cmd_pin())
    age = (date.today() - fake.adult_birth_date()).days / 365.25
    assert 18 <= age <= 91
