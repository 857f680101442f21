from __future__ import annotations

import pytest

from flows import catalog
from flows.errors import ProductionRefused
from sentinel.targets import guard, is_production


@pytest.mark.parametrize(
    "url",
    ["https://www.seg-social.pt/", "https://app.seg-social.pt/ptss", "http://SEG-SOCIAL.PT."],
)
def test_production_hosts(url: str) -> None:
    assert is_production(url)
    with pytest.raises(ProductionRefused, match="production portal"):
        guard(catalog.REGISTRATION, url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "https://staging.example.pt", "https://notseg-social.pt"]
)
def test_other_hosts_are_allowed(url: str) -> None:
    assert not is_production(url)
    guard(catalog.REGISTRATION, url)


def test_read_only_flows_may_target_production() -> None:
    from dataclasses import replace

    guard(replace(catalog.REGISTRATION, writes=False), "https://www.seg-social.pt")
