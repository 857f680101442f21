"""Where the harness points: the bundled mock, a staging URL, never production for writes."""

from __future__ import annotations

from urllib.parse import urlsplit

from flows.errors import ProductionRefused
from flows.flow import Flow

PRODUCTION_DOMAIN = "seg-social.pt"


def is_production(url: str) -> bool:
    """True for the production portal's hosts: ``seg-social.pt`` and its subdomains."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host == PRODUCTION_DOMAIN or host.endswith("." + PRODUCTION_DOMAIN)


def guard(flow: Flow, url: str) -> None:
    """Refuse a flow that creates or changes accounts against the production portal."""
    if flow.writes and is_production(url):
        raise ProductionRefused(
            f"refusing to run {flow.name!r} against {url}: it creates or changes accounts, "
            "and this is the production portal. Use the bundled mock or a staging URL."
        )
