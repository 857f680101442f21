"""Which steps of a flow carry a picture in the Allure report."""

from __future__ import annotations

import pytest

from fixtures.allure_observer import AllureObserver, pictured_steps
from flows import catalog


def test_by_default_each_screen_is_pictured_as_the_citizen_leaves_it() -> None:
    # Registration: 5 accepts the terms and lands on the empty identification form; 6-7 fill
    # it and 8 moves on: the picture after 7 shows the form filled in, 5 and 6 have none.
    assert pictured_steps(catalog.REGISTRATION, "screens") == {
        "1", "2", "3", "4", "7", "9", "10"
    }  # fmt: skip
    # Activation: the code form after 3, the password form after 6, and the last two screens.
    assert pictured_steps(catalog.ACTIVATION, "screens") == {"3", "6", "7", "8"}


def test_every_step_or_none_can_be_asked_for() -> None:
    steps = {step.number for step in catalog.LOGIN.steps}
    assert pictured_steps(catalog.LOGIN, "every") == steps
    assert pictured_steps(catalog.LOGIN, "off") == set()


def test_the_last_step_of_a_flow_cut_short_is_pictured() -> None:
    shortened = catalog.REGISTRATION.until("5")
    assert "5" in pictured_steps(shortened, "screens")


def test_an_unknown_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="screens"):
        pictured_steps(catalog.REGISTRATION, "sometimes")
    with pytest.raises(ValueError, match="screens"):
        AllureObserver(screenshots="sometimes")
