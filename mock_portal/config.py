"""The portal's configurable rules, with documented defaults.

Every field can be set from the environment as ``SENTINEL_MOCK_<FIELD>`` (upper case) or on the
command line as ``sentinel mock --set field=value``. The README lists them.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ENV_PREFIX = "SENTINEL_MOCK_"


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
            if key.startswith(ENV_PREFIX)
        }
        return cls().with_overrides(overrides)


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
