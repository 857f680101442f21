"""The monitor's settings that say where its alerts go and what they say of it: the alert
webhooks, the monitor's region and its status page's public address.

Each comes from its option, else from its environment variable (what the systemd unit's
environment file sets). An option given empty is refused; a variable set empty is unset, as an
environment file leaves one it does not fill. A refusal is one ``UsageError`` line naming the
option or variable, which never repeats a webhook URL: those often carry their secret.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from runtime.usage import UsageError

WEBHOOK_ENV = "SENTINEL_ALERT_WEBHOOK"
REGION_ENV = "SENTINEL_REGION"
PUBLIC_URL_ENV = "SENTINEL_PUBLIC_URL"
# A label an operator types and a chat shows: short, and nothing a message would mangle.
_REGION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}", re.ASCII)


def webhooks(given: Sequence[str] | None, environ: Mapping[str, str]) -> list[str]:
    """``--alert-webhook`` (repeatable), else the URLs in ``$SENTINEL_ALERT_WEBHOOK``
    separated by spaces; none means alerts go to the log only."""
    if given is not None:
        return [webhook(url, "--alert-webhook") for url in given]
    urls = environ.get(WEBHOOK_ENV, "").split()
    if len(urls) == 1:
        return [webhook(urls[0], f"${WEBHOOK_ENV}")]
    return [webhook(url, f"${WEBHOOK_ENV}'s URL {n}") for n, url in enumerate(urls, start=1)]


def webhook(url: str, setting: str = "--alert-webhook") -> str:
    """An alert webhook must be a URL the alerts can reach, or no alert would ever arrive."""
    if not url.strip():
        raise UsageError(
            f"{setting} is empty: give an http:// or https:// URL, or leave it out (alerts "
            f"then go to the log only)"
        )
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018  (raises on a port that is not a number or out of range)
    except ValueError:
        valid = False
    if not valid:
        # Not echoed: a webhook URL often carries its secret in its path.
        raise UsageError(f"{setting} takes an http:// or https:// URL with a host")
    if ",http://" in url or ",https://" in url:
        raise UsageError(f"{setting} holds two URLs joined by a comma: separate them with spaces")
    return url


def region(given: str | None, environ: Mapping[str, str]) -> str:
    """``--region``, else ``$SENTINEL_REGION``: a short name such as ``lisbon``; "" for none."""
    setting, text = ("--region", given) if given is not None else (f"${REGION_ENV}", None)
    if text is None:
        text = environ.get(REGION_ENV, "").strip()
        if not text:
            return ""
    if not _REGION.fullmatch(text):
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise UsageError(
            f"{setting} takes a short name of letters, digits, '.', '_' and '-', such as "
            f"lisbon or eu-west-1, not {shown!r}"
        )
    return text


def public_url(given: str | None, environ: Mapping[str, str]) -> str:
    """``--public-url``, else ``$SENTINEL_PUBLIC_URL``: where people open the status page
    (behind a proxy, say), which alerts link to; "" for no links. An http(s) URL with a host
    and no user name, password, query or fragment, since the links are made from it."""
    setting, text = ("--public-url", given) if given is not None else (f"${PUBLIC_URL_ENV}", None)
    if text is None:
        text = environ.get(PUBLIC_URL_ENV, "").strip()
        if not text:
            return ""
    example = "such as https://mon.example.org/ or http://10.0.0.5:9464/"
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  (raises on a port that is not a number or out of range)
    except ValueError:
        raise UsageError(f"{setting} takes the status page's address, {example}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{setting} takes the status page's http(s) address, {example}")
    if "@" in parts.netloc or parts.query or parts.fragment:
        # Alerts travel to chats and mail: no credentials in the links made from it.
        raise UsageError(
            f"{setting} takes an address without a user name, password, query or fragment, "
            f"{example}"
        )
    return text if text.endswith("/") else text + "/"
