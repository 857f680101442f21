"""Which guides ``sentinel guide --flow`` makes, and what it says when there is none."""

from __future__ import annotations

import pytest

from guides import app
from guides.make import select
from runtime.usage import UsageError


def test_a_flow_selects_its_guides_and_a_name_one_guide() -> None:
    assert [g.name for g in select(["registration"])] == [
        "registration-sms",
        "registration-email",
        "registration-letter",
    ]
    assert [g.name for g in select(["registration-email"])] == ["registration-email"]


def test_a_flow_without_a_guide_is_refused_naming_the_guides_there_are() -> None:
    with pytest.raises(UsageError) as refused:
        app.run(app.Options(flows=["login"]))
    assert str(refused.value).startswith("no guide for login: the guides are registration-sms, ")
    assert "cmd (--flow takes a guide's name or its flow's)" in str(refused.value)
