"""The target check: a URL read as Chromium reads it (tests/security/test_production_guard.py
checks these readings against Chromium itself)."""

from __future__ import annotations

import pytest

from flows import catalog
from runtime import targets
from runtime.targets import is_production
from runtime.testapi import TestApiError, TestControl

# Every way of writing a production host found by the review, and more.
PRODUCTION = [
    "https://www.seg-social.pt/",
    "https://app.seg-social.pt/ptss",
    "http://SEG-SOCIAL.PT.",
    "HTTPS://WWW.SEG-SOCIAL.PT",
    "https://seg-social.pt.",
    "https://www.seg-social.pt\\@example.com",  # a backslash ends the host, as a slash
    "https:\\\\www.seg-social.pt",
    "https:www.seg-social.pt",
    "https://www\u3002seg-social\u3002pt",  # ideographic full stops
    "https://www.seg-social\uff0ept",  # full-width full stop
    "https://www\uff61seg-social.pt",  # halfwidth ideographic full stop
    "https://www.seg-social.pt%2e",
    "https://www.seg%2Dsocial.pt",
    "https://\uff53\uff45\uff47-\uff53\uff4f\uff43\uff49\uff41\uff4c.\uff50\uff54",  # full-width
    "https://seg-soc\u00adial.pt",  # a soft hyphen, which IDNA drops
    "https://caf\u00e9.seg-social.pt",
    "https://xn--caf-dma.seg-social.pt",
    "https://XN--CAF-DMA.SEG-SOCIAL.PT",
    "https://user:pw@seg-social.pt",
    "https://example.com@seg-social.pt",
    "http://127.0.0.1@seg-social.pt",
    "https://seg-social.pt:443",
    "https://seg-social.pt#@example.com",
    "https://seg-social.pt?@example.com",
    "https://seg-\tsocial.pt",  # tabs and newlines are dropped anywhere
    "https://seg-social\n.pt",
    "\t https://www.seg-social.pt \n",
    "seg-social.pt",  # no scheme: read as a host, as an address bar does
    "//seg-social.pt",
    "www.seg-social.pt/sso",
    "seg-social.pt:443/sso",
]

NOT_PRODUCTION = [
    "http://127.0.0.1:8000",
    "https://staging.example.pt",
    "https://notseg-social.pt",
    "https://seg-social.pt.example.com",
    "https://seg-social.ptx",
    "https://seg-social.pt-example.com",
    "https://example.com/seg-social.pt",
    "https://example.com?u=seg-social.pt",
    "https://example.com#seg-social.pt",
    "https://seg-social.pt@example.com",
    "https://seg-social.pt%2F@example.com",
    "https://user:seg-social.pt@example.com",
    "localhost:8000",
]


@pytest.mark.parametrize("url", PRODUCTION)
def test_production_hosts(url: str) -> None:
    assert is_production(url)


@pytest.mark.parametrize("url", NOT_PRODUCTION)
def test_other_hosts_are_not_production(url: str) -> None:
    assert not is_production(url)


@pytest.mark.parametrize("url", PRODUCTION)
def test_flows_that_write_refuse_production_naming_them(url: str) -> None:
    with pytest.raises(targets.TargetError, match="production portal") as refused:
        targets.resolve_target(url, catalog.with_prerequisites(["login"]))
    named = str(refused.value).split(" against ")[0]
    assert "registration" in named
    assert "login" in named


def test_read_only_flows_may_target_production() -> None:
    assert (
        targets.resolve_target("https://www.seg-social.pt\\@x", [catalog.PORTAL])
        == "https://www.seg-social.pt/@x"
    )
    assert targets.resolve_target("seg-social.pt", [catalog.PORTAL]) == "https://seg-social.pt"


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("mock", "mock"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
        ("localhost:8000", "https://localhost:8000"),
        ("HTTPS://Staging.Example.PT/ptss/", "https://staging.example.pt/ptss"),
        (" https://staging.example.pt\\ptss ", "https://staging.example.pt/ptss"),
        ("https://staging\u3002example.pt", "https://staging.example.pt"),
    ],
)
def test_a_target_is_used_as_the_browser_reads_it(given: str, used: str) -> None:
    assert targets.resolve_target(given, catalog.with_prerequisites(["login"])) == used


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://staging.example.pt", "http or https"),
        ("file:///etc/passwd", "http or https"),
        ("javascript:alert(1)", "http or https"),
        ("https://", "no host"),
        ("https://staging.example.pt:99999", "invalid port"),
        ("https://staging.example.pt:80a", "invalid port"),
    ],
)
def test_other_targets_are_refused_clearly(url: str, says: str) -> None:
    with pytest.raises(targets.TargetError, match=says):
        targets.resolve_target(url, [catalog.PORTAL])


# Hosts a browser refuses (a forbidden character once percent-decoded), which read as
# production once the URL is written out again without the encoding.
INVALID_HOSTS_AROUND_PRODUCTION = [
    "http://seg-social.pt%2f",
    "http://seg-social.pt%2fx",
    "http://evil%40seg-social.pt",
    "http://seg-social.pt%3a80",
    "http://seg-social.pt%20",
    "http://seg-social.pt%09",
    "http://seg-social.pt%00",
    "http://seg-social.pt%23",
    "http://seg-social.pt%3f",
    "http://seg-social.pt%5c",
    "http://seg-social.pt%252e",
    "http://www.seg-social.pt%7c",
]


@pytest.mark.parametrize("url", INVALID_HOSTS_AROUND_PRODUCTION)
def test_a_host_that_decodes_around_production_is_refused(url: str) -> None:
    assert is_production(url)
    with pytest.raises(targets.TargetError):
        targets.resolve_target(url, catalog.with_prerequisites(["registration"]))
    with pytest.raises(targets.TargetError):
        targets.resolve_target(url, [catalog.PORTAL])  # a browser would refuse it anyway


def test_the_test_api_client_never_calls_production() -> None:
    with pytest.raises(TestApiError, match="production portal"):
        TestControl("https://www.seg-social.pt", "a-token-of-sixteen-or-more")
