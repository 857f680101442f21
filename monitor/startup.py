"""What ``sentinel monitor`` checks before its first check, beyond each setting's own form:
a target on a port browsers refuse, and what the checks that write need of the portal (a
synthetic citizen, a source for their codes); and what it says for ``--dry-run``."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flows import catalog
from flows.codes import NoCodes
from flows.context import TargetUnreachable
from runtime.codes import ByChannel
from runtime.journey import citizen_for, needs_test_control
from runtime.masking import masked_urls
from runtime.targets import MOCK, Target
from runtime.testapi import TestApiError, TestControl, TokenRefused
from runtime.usage import UsageError

if TYPE_CHECKING:
    from monitor.app import Options

log = logging.getLogger("monitor")


# The Fetch standard's "bad ports": Chromium refuses to connect to them (ERR_UNSAFE_PORT), so a
# portal served on one fails every check as unavailable. https://fetch.spec.whatwg.org/#bad-port
BAD_PORTS = frozenset(
    {
        *(1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95),
        *(101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161),
        *(179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563),
        *(587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060),
        *(5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6697, 10080),
    }
)


def check_port(target: str) -> None:
    """A target on a port browsers refuse would fail every check as the portal's downtime."""
    if target == MOCK:
        return
    port = urlsplit(target).port
    if port in BAD_PORTS:
        raise UsageError(
            f"--target: browsers refuse to connect to port {port} (a 'bad port' of the Fetch "
            f"standard) of {target}, so every check would fail: serve the portal on another port"
        )


def preflight(options: Options, target: Target, api: TestControl, codes: ByChannel) -> None:
    """What the checks that write need of the portal, tried once before the first: a check
    that could never work is a setting to change, refused in one line (``UsageError``), not
    a harness error filed at every check. A portal that does not answer now is left to the
    checks, which report it as the portal's unavailability."""
    writers = [flow for flow in options.flows if needs_test_control([flow])]
    if not writers:
        return
    names = " and ".join(writers) + (" checks" if len(writers) > 1 else " check")
    cmd = any(f.name == "cmd" for f in catalog.with_prerequisites(writers))
    for channel in sorted({options.channel, "sms"} if cmd else {options.channel}):
        source = codes.source_for(channel)
        if isinstance(source, NoCodes):
            raise UsageError(f"the {names} cannot get codes by {channel}: {source.why}")
    if target.bundled:
        return  # started by us, with every capability
    try:
        citizen_for(writers, api, channel=options.channel)
    except TargetUnreachable as error:
        log.warning("the portal's test-control API does not answer yet: %s", error)
    except TokenRefused:
        raise
    except TestApiError as error:
        raise UsageError(
            f"a synthetic citizen for the {names} comes from the test-control API of "
            f"{shown(target)}, which did not make one ({error}): enable that API for this "
            "token, or watch the portal with --flow portal, which needs none"
        ) from None


def shown(target: Target) -> str:
    """The target as alerts name it: the bundled mock as such, a URL without its user name,
    password or query (which may carry secrets)."""
    if target.bundled:
        return f"the bundled mock ({target.url})"
    parts = urlsplit(target.url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def describe(options: Options) -> str:
    """What a monitor with these (valid) settings would do, for ``--dry-run``."""
    target = "the bundled mock" if options.target == MOCK else masked_urls(options.target)
    when = "once" if options.once else f"every {_duration(options.every_s)}"
    lines = [
        f"Settings are valid: checks {', '.join(options.flows)} of {target}, {when}.",
        f"Time limit {_duration(options.timeout_s)}, degraded above "
        f"{_duration(options.degraded_s)}, "
        f"{options.retries} retr{'y' if options.retries == 1 else 'ies'}.",
    ]
    if not options.once:
        lines.append(
            f"Status page and /metrics: http://{options.metrics_host}:{options.metrics_port}/ "
            "(not bound by --dry-run)."
        )
    hooks = len(options.webhooks)
    alerts = f"{hooks} webhook{'' if hooks == 1 else 's'}" if hooks else "the log only"
    region = f", region {options.region}" if options.region else ""
    links = f", linking to {options.public_url}" if options.public_url else ""
    lines.append(f"Alerts: to {alerts}{region}{links}.")
    now = datetime.now(UTC)
    for start, end in options.maintenance:
        over = " (over)" if end <= now else " (open now)" if start <= now else ""
        lines.append(f"Maintenance: {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC{over}.")
    lines.append(f"History and evidence: {options.data}")
    return "\n".join(lines)


def _duration(seconds: float) -> str:
    """``5m``, ``90s``, ``2h``: a duration as the options write it."""
    whole = int(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if whole >= size and whole % size == 0:
            return f"{whole // size}{unit}"
    return f"{seconds:g}s"
