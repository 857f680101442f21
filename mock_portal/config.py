"""The portal's configurable rules, with documented defaults, and where codes are sent.

Every rule can be set from the environment as ``SENTINEL_MOCK_<FIELD>`` (upper case) or on the
command line as ``sentinel mock --set field=value``. The README lists them.

``DeliverySettings`` says where codes go out for real (``sentinel mock --smtp``,
``--mail-from``, ``--sms-webhook``, or ``SENTINEL_MOCK_SMTP``, ``SENTINEL_MOCK_MAIL_FROM``,
``SENTINEL_MOCK_SMS_WEBHOOK``); these are options of the server, not rules, so ``--set`` does
not take them. A light module: the command line reads it to check those options.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ENV_PREFIX = "SENTINEL_MOCK_"
# Variables of the same prefix that are not rules (see DeliverySettings).
DELIVERY_ENV = {
    "smtp": "SENTINEL_MOCK_SMTP",
    "mail_from": "SENTINEL_MOCK_MAIL_FROM",
    "sms_webhook": "SENTINEL_MOCK_SMS_WEBHOOK",
}
DEFAULT_MAIL_FROM = "Segurança Social Direta <nao-responder@seg-social.test>"
# An alphanumeric SMS sender id, as gateways show it (11 characters at most).
SMS_SENDER = "SegSocial"


class ConfigError(ValueError):
    """A setting was named or valued wrongly."""


@dataclass(frozen=True)
class PortalConfig:
    # Verification codes (registration, password reset, login, contacts).
    code_ttl_minutes: int = 60
    code_max_attempts: int = 5
    block_minutes: int = 30
    # Letters: delivered after this many business days, the code then valid for this long.
    letter_business_days: int = 8
    letter_code_valid_days: int = 30
    # Passwords: the public administration's guideline.
    password_min_length: int = 9
    password_max_length: int = 128
    password_min_classes: int = 3
    # Login: NISS + password needs a one-time code by SMS or email (since 2026).
    login_two_factor: bool = True
    login_max_attempts: int = 5
    # Ask to update and validate contacts when they were last confirmed this long ago.
    contacts_review_days: int = 180
    # Chave Móvel Digital: the temporary security code sent by SMS.
    cmd_code_ttl_minutes: int = 5
    cmd_max_attempts: int = 3
    # Sessions expire after this much inactivity.
    session_idle_minutes: int = 30
    # Largest request body accepted, in bytes.
    max_body_bytes: int = 16_384
    # Scrypt cost; lower only to speed up tests of unrelated things.
    scrypt_n: int = 2**14
    # Codes sent for real (--smtp, --sms-webhook): tries per code (1 or more), and the wait
    # before the first retry, doubled for each next one (up to a minute).
    delivery_attempts: int = 5
    delivery_retry_ms: int = 1000

    def with_overrides(self, overrides: Mapping[str, str]) -> PortalConfig:
        """A copy with fields set from strings (``{"code_ttl_minutes": "10"}``)."""
        fields = {f.name: f for f in dataclasses.fields(self)}
        changes: dict[str, object] = {}
        for name, raw in overrides.items():
            if name not in fields:
                known = ", ".join(sorted(fields))
                raise ConfigError(f"unknown setting {name!r}; known settings: {known}")
            changes[name] = _parse(name, fields[name].type, raw)
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> PortalConfig:
        environ = os.environ if environ is None else environ
        overrides = {
            key[len(ENV_PREFIX) :].lower(): value
            for key, value in environ.items()
            if key.startswith(ENV_PREFIX) and key not in DELIVERY_ENV.values()
        }
        return cls().with_overrides(overrides)


@dataclass(frozen=True)
class DeliverySettings:
    """Where the portal sends its codes for real, besides its outbox: email codes through an
    SMTP server (``smtp``: host and port; plain SMTP without a login, as a test mail server
    takes it), SMS codes to a gateway's webhook (``sms_webhook``: an http or https URL).
    Neither: nothing is sent. Letters are never sent electronically."""

    smtp: tuple[str, int] | None = None
    mail_from: str = DEFAULT_MAIL_FROM
    sms_webhook: str | None = None
    sms_sender: str = SMS_SENDER
    timeout_s: float = 5.0

    @property
    def channels(self) -> frozenset[str]:
        """The channels whose codes are sent."""
        return frozenset(
            channel
            for channel, target in (("email", self.smtp), ("sms", self.sms_webhook))
            if target
        )

    @property
    def smtp_server(self) -> str:
        """The SMTP server as logs name it."""
        if self.smtp is None:
            return "none"
        host, port = self.smtp
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    @property
    def webhook_server(self) -> str:
        """The webhook's scheme, host and port only: its path or query often carries the
        gateway account's secret, and a URL may hold a user and password."""
        if not self.sms_webhook:
            return "none"
        from urllib.parse import urlsplit

        parts = urlsplit(self.sms_webhook)
        host = parts.hostname or ""
        shown = f"[{host}]" if ":" in host else host
        return f"{parts.scheme}://{shown}" + (f":{parts.port}" if parts.port else "")


def smtp_address(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:25`` for an IPv6 address) -> ``("HOST", PORT)``."""
    host, sep, port = text.strip().rpartition(":")
    bracketed = host.startswith("[") and host.endswith("]")
    if bracketed:
        host = host[1:-1]
    if (
        not sep
        or not host
        or (":" in host and not bracketed)  # an IPv6 address needs its brackets
        or any(c.isspace() or not c.isprintable() or c in "/@[]" for c in host)
        or not (port.isascii() and port.isdigit() and 0 < int(port) <= 65535)
    ):
        raise ConfigError(
            f"takes HOST:PORT, such as 127.0.0.1:2525, with a port from 1 to 65535, not {text!r}"
        )
    return host, int(port)


def webhook_url(text: str) -> str:
    """An http:// or https:// URL with a host. The message never repeats the URL: a webhook's
    URL often carries its secret."""
    from urllib.parse import urlsplit

    problem = "takes an http:// or https:// URL with a host"
    if any(c.isspace() or not c.isprintable() for c in text):
        raise ConfigError(f"{problem}, without spaces or control characters")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - reading it checks it: a port that is no number raises
    except ValueError:
        raise ConfigError(f"{problem} and a valid port") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigError(problem)
    return text


def mail_from(text: str) -> str:
    """A From header: ``Name <address>`` or an address. One line (no header injection)."""
    from email.utils import parseaddr

    if any(not c.isprintable() for c in text):
        raise ConfigError("takes one line, such as 'Portal <nao-responder@example.test>'")
    _name, address = parseaddr(text)
    local, at, domain = address.rpartition("@")
    if not (local and at and "." in domain.strip(".")) or any(c.isspace() for c in address):
        raise ConfigError(
            f"takes an email address, optionally with a name ('Portal <a@b.test>'), not {text!r}"
        )
    return text.strip()


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """``["a=1", "b=2"]`` -> ``{"a": "1", "b": "2"}``, for ``--set``."""
    result: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"expected NAME=VALUE, got {item!r}")
        result[name.strip()] = value.strip()
    return result


def _parse(name: str, type_name: object, raw: str) -> object:
    if type_name in ("bool", bool):
        lowered = raw.lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"{name} must be true or false, got {raw!r}")
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative, got {value}")
    return value
