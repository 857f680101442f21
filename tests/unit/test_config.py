from __future__ import annotations

import pytest

from mock_portal.config import ConfigError, PortalConfig, parse_assignments


def test_defaults_are_the_documented_rules() -> None:
    config = PortalConfig()
    assert (config.code_ttl_minutes, config.letter_business_days) == (60, 8)
    assert (config.password_min_length, config.password_min_classes) == (9, 3)
    assert config.login_two_factor is True


def test_overrides_are_parsed_by_type() -> None:
    config = PortalConfig().with_overrides({"code_ttl_minutes": "10", "login_two_factor": "off"})
    assert config.code_ttl_minutes == 10
    assert config.login_two_factor is False


def test_environment_sets_rules() -> None:
    config = PortalConfig.from_env({"SENTINEL_MOCK_CODE_MAX_ATTEMPTS": "3", "OTHER": "x"})
    assert config.code_max_attempts == 3


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"no_such_rule": "1"}, "unknown setting"),
        ({"code_ttl_minutes": "ten"}, "whole number"),
        ({"code_ttl_minutes": "-1"}, "negative"),
        ({"login_two_factor": "maybe"}, "true or false"),
    ],
)
def test_bad_settings_are_refused_clearly(overrides: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        PortalConfig().with_overrides(overrides)


def test_assignments_need_a_name_and_an_equals_sign() -> None:
    assert parse_assignments(["a=1", " b = 2 "]) == {"a": "1", "b": "2"}
    with pytest.raises(ConfigError):
        parse_assignments(["novalue"])
