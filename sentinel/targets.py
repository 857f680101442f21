"""Where the harness points: the bundled mock, a staging URL, never production for writes.

``resolve_target`` is the one check of a ``--target`` for ``sentinel run``, ``monitor`` and
``guide``: it reads the URL as the browser will (see ``flows.production``), accepts only http
and https, and refuses flows that create or change accounts on the production portal. The
runner refuses them again, in the browser, for every request such a flow makes.
"""

from __future__ import annotations

from collections.abc import Iterable

from flows.flow import Flow
from flows.production import (
    PRODUCTION_DOMAIN,
    has_invalid_host,
    is_production_host,
    is_production_url,
    parse,
)

__all__ = ["PRODUCTION_DOMAIN", "TargetError", "is_production", "resolve_target"]

MOCK = "mock"


class TargetError(ValueError):
    """A ``--target`` that cannot be used; the message is one line for the user."""


def is_production(url: str) -> bool:
    """True for the production portal's hosts: ``seg-social.pt`` and its subdomains, however
    the URL writes them (as Chromium reads it)."""
    return is_production_url(url)


def resolve_target(target: str, flows: Iterable[Flow]) -> str:
    """``mock``, or the URL to use for ``target``: with a scheme (https when it has none) and
    the host as the browser will read it. Raises ``TargetError`` for anything but http(s), a URL
    without a host, or flows that write pointed at the production portal (naming them)."""
    if target == MOCK:
        return MOCK
    address = parse(target)
    if not address.web:
        raise TargetError(
            f"the target must be an http or https URL (or 'mock'), not a {address.scheme}: URL"
        )
    if not address.host or address.host.strip(".") == "":
        raise TargetError(f"the target {target!r} has no host")
    if has_invalid_host(address):
        raise TargetError(
            f"the target {target!r} has an invalid host (a browser would refuse it): write the "
            "host without percent-encoded '/', ':', '@', '#', '?', '%', spaces or control "
            "characters"
        )
    port_ok = address.port.isascii() and address.port.isdigit() and int(address.port) <= 65535
    if address.port and not port_ok:
        raise TargetError(f"the target {target!r} has an invalid port {address.port!r}")
    if is_production_host(address.host):
        writing = sorted({flow.name for flow in flows if flow.writes})
        if writing:
            raise TargetError(
                f"refusing to run {', '.join(writing)} against {address.host}, the production "
                "portal: these flows create or change accounts, and only read-only checks "
                "(portal) may watch the production portal. Use the bundled mock or a staging URL."
            )
    scheme = address.scheme or "https"
    userinfo = f"{address.userinfo}@" if address.userinfo else ""
    port = f":{address.port}" if address.port else ""
    resolved = f"{scheme}://{userinfo}{address.host}{port}{address.rest}".rstrip("/")
    # What is handed on must read as what was checked, by the browser and by the test API.
    if parse(resolved).host != address.host:
        raise TargetError(f"the target {target!r} does not read the same once written out")
    return resolved
