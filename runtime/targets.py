"""Where the harness points: the bundled mock, a staging URL, never production for writes.

``resolve_target`` is the one check of a ``--target`` for ``sentinel run``, ``monitor`` and
``guide``: it reads the URL as the browser will (see ``flows.production``), accepts only http
and https, and refuses flows that create or change accounts on the production portal. The
runner refuses them again, in the browser, for every request such a flow makes.
"""

from __future__ import annotations

import contextlib
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from flows.flow import Flow
from flows.production import (
    PRODUCTION_DOMAIN,
    has_invalid_host,
    is_production_url,
    parse,
    writers_refused,
)
from runtime.mock_process import start_in_background
from runtime.testapi import TestApiError, TestControl, check_token_accepted
from runtime.tokens import check_characters
from runtime.usage import UsageError

__all__ = [
    "PRODUCTION_DOMAIN",
    "Target",
    "TargetError",
    "is_production",
    "open_target",
    "resolve_target",
]

MOCK = "mock"


class TargetError(UsageError):
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
    refusal = writers_refused(flows, address.host)
    if refusal:
        raise TargetError(refusal)
    scheme = address.scheme or "https"
    userinfo = f"{address.userinfo}@" if address.userinfo else ""
    port = f":{address.port}" if address.port else ""
    resolved = f"{scheme}://{userinfo}{address.host}{port}{address.rest}".rstrip("/")
    # What is handed on must read as what was checked, by the browser and by the test API.
    if parse(resolved).host != address.host:
        raise TargetError(f"the target {target!r} does not read the same once written out")
    return resolved


@dataclass(frozen=True)
class Target:
    """An open portal: its URL, the test token of its test-control API (None: no API), and
    whether it is the bundled mock this process started."""

    url: str
    # Not in its repr: pytest prints a fixture's value in a failed test's traceback.
    token: str | None = field(repr=False)
    bundled: bool = False
    database: Path | None = None  # the bundled mock's SQLite file

    @property
    def has_test_control(self) -> bool:
        """Whether the harness may call a test-control API here: a token, never production
        (which has none, and is never sent a token or a synthetic citizen)."""
        return bool(self.token) and not is_production(self.url)

    def test_control(self) -> TestControl:
        """A client of this portal's test-control API (close it, or use it in ``with``)."""
        if not self.token:
            raise TestApiError("this portal has no test-control API here (no test token)")
        return TestControl(self.url, self.token)

    @cached_property
    def capabilities(self) -> frozenset[str]:
        """What the test-control API offers (``GET /__test__/``, asked once): nothing without
        a token, the base contract where the call is unknown."""
        if not self.has_test_control:
            return frozenset()
        with self.test_control() as api:
            return api.capabilities()


@contextmanager
def open_target(
    target: str,
    flows: Iterable[Flow] = (),
    *,
    token: str | None = None,
    database: Path | None = None,
    announce: Callable[[str], None] | None = None,
) -> Iterator[Target]:
    """The portal to run ``flows`` on, open for the ``with`` block.

    ``mock``: the bundled mock, started in its own process with a fresh random token, on the
    SQLite file ``database`` (in a temporary folder when None), stopped at the end. A URL: read as
    the browser reads it and refused for flows that write on production (``resolve_target``),
    with ``token`` for its test-control API. ``announce`` is told the mock's URL once it
    listens. Raises ``TargetError`` (and ``TokenError`` for a token that cannot be used).
    """
    resolved = resolve_target(target, flows)
    if resolved != MOCK:
        if token:
            check_characters(token)
        opened = Target(resolved, token or None, bundled=False)
        if opened.has_test_control:
            # A wrong token is a setting: refused now (TokenRefused), not at every use.
            with opened.test_control() as api:
                check_token_accepted(api)
        yield opened
        return
    with contextlib.ExitStack() as stack:
        if database is None:
            scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="sentinel-"))
            database = Path(scratch) / "portal.db"
        fresh = secrets.token_urlsafe(16)
        mock = start_in_background(database, fresh)
        stack.callback(mock.stop)
        if announce is not None:
            announce(mock.url)
        yield Target(mock.url, fresh, bundled=True, database=database)
