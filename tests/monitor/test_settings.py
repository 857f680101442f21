"""Where alerts go and what they say of the monitor: from the option, else its variable; an
empty option refused, an empty variable unset; a webhook never echoed."""

from __future__ import annotations

import pytest

from monitor import settings
from runtime.usage import UsageError

HOOK = "https://hooks.example.org/services/T0/B0/s3cr3t"


def test_webhooks_come_from_the_options_else_the_variable_split_on_spaces() -> None:
    env = {"SENTINEL_ALERT_WEBHOOK": f" {HOOK}  http://10.0.0.2:8080/hook\n"}
    assert settings.webhooks(None, env) == [HOOK, "http://10.0.0.2:8080/hook"]
    assert settings.webhooks([HOOK], {"SENTINEL_ALERT_WEBHOOK": "nonsense"}) == [HOOK]
    assert settings.webhooks(None, {"SENTINEL_ALERT_WEBHOOK": "   "}) == []
    assert settings.webhooks(None, {}) == []


@pytest.mark.parametrize(
    ("given", "env", "said"),
    [
        ([""], {}, "--alert-webhook is empty: give an http:// or https:// URL, or leave it out"),
        (["  "], {}, "--alert-webhook is empty"),
        (["ftp://hooks.example.org/s3cr3t"], {}, "--alert-webhook takes an http:// or https://"),
        (["https:///s3cr3t"], {}, "--alert-webhook takes"),
        (["https://hooks.example.org:99999/s3cr3t"], {}, "--alert-webhook takes"),
        (None, {"SENTINEL_ALERT_WEBHOOK": "hooks.example.org/s3cr3t"}, "$SENTINEL_ALERT_WEBHOOK"),
    ],
)
def test_a_wrong_webhook_is_refused_without_repeating_it(
    given: list[str] | None, env: dict[str, str], said: str
) -> None:
    with pytest.raises(UsageError) as refused:
        settings.webhooks(given, env)
    assert str(refused.value).startswith(said)
    assert "s3cr3t" not in str(refused.value)


def test_a_region_is_a_short_name() -> None:
    assert settings.region("eu-west-1", {}) == "eu-west-1"
    assert settings.region(None, {"SENTINEL_REGION": " lisbon "}) == "lisbon"
    assert settings.region(None, {"SENTINEL_REGION": ""}) == ""
    for wrong in ("", "lisbon north", "<b>porto</b>", "x" * 64, "-lead", "lisboa\u00e9"):
        with pytest.raises(UsageError, match=r"^--region takes a short name"):
            settings.region(wrong, {})


def test_the_public_url_gets_its_slash_and_carries_no_credentials() -> None:
    assert settings.public_url("https://mon.example.org", {}) == "https://mon.example.org/"
    assert settings.public_url(None, {"SENTINEL_PUBLIC_URL": "http://10.0.0.5:9464/s/"}) == (
        "http://10.0.0.5:9464/s/"
    )
    assert settings.public_url(None, {}) == ""
    for wrong, said in [
        ("mon.example.org", "takes the status page's http(s) address"),
        ("https://user:pw@mon.example.org/", "without a user name, password, query or fragment"),
        ("https://mon.example.org/?token=x", "without a user name"),
        ("https://mon.example.org:70000/", "takes the status page's address"),
        ("", "takes the status page's http(s) address"),
    ]:
        with pytest.raises(UsageError) as refused:
            settings.public_url(wrong, {})
        assert str(refused.value).startswith("--public-url ")
        assert said in str(refused.value)


def test_a_list_of_webhooks_names_the_wrong_one_and_refuses_commas() -> None:
    env = {"SENTINEL_ALERT_WEBHOOK": f"{HOOK} hooks.example.org/s3cr3t"}
    with pytest.raises(UsageError) as refused:
        settings.webhooks(None, env)
    assert str(refused.value) == (
        "$SENTINEL_ALERT_WEBHOOK's URL 2 takes an http:// or https:// URL with a host"
    )
    with pytest.raises(UsageError) as refused:
        settings.webhooks(None, {"SENTINEL_ALERT_WEBHOOK": f"{HOOK},{HOOK}"})
    assert "joined by a comma: separate them with spaces" in str(refused.value)
    assert "s3cr3t" not in str(refused.value)
