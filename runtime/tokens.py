"""The test token: what makes one usable, and reading it from a file.

A token goes into an HTTP header (``X-Test-Token``). One that holds more than a token (a
whole ``NAME=value`` line, two lines, a space) would be refused by the HTTP client with an
error that quotes it, and that error would reach logs and reports: such a token is refused
here, up front, with a message that never repeats it.
"""

from __future__ import annotations

import re
from pathlib import Path

from runtime.usage import UsageError

# A test token guards the whole test-control API (read and change every synthetic citizen):
# the bundled mock wants one long enough that it cannot be guessed (token_urlsafe(16) has 22).
MIN_TOKEN_LENGTH = 16
TOKEN_ENV = "SENTINEL_TEST_TOKEN"  # noqa: S105 - the name of a variable
HOW_TO_MAKE = "python -c 'import secrets; print(secrets.token_urlsafe(16))'"


class TokenError(UsageError):
    """A test token that cannot be used; the message says why, never the token."""


def check_characters(token: str, where: str = "the test token") -> None:
    """Refuse a token that is not one word of visible ASCII (what a header value may hold),
    or that is a whole ``NAME=value`` line of an environment file."""
    if not token:
        raise TokenError(f"{where} is empty")
    bad = next((c for c in token if not ("!" <= c <= "~")), None)
    if bad is not None:
        hint = " (is it a whole NAME=value line?)" if "=" in token else ""
        raise TokenError(
            f"{where} holds {_kind(bad)} at position {token.index(bad) + 1}{hint}: {_ONE_WORD}"
        )
    if _ASSIGNMENT.match(token):
        # Visible ASCII, so a header could carry it, but the portal would refuse it (401)
        # and the whole line, variable's name and all, would go over the wire.
        raise TokenError(
            f"{where} is a whole NAME=value line of an environment file: give the value only"
        )


# An environment file's line copied whole: a variable's name (words joined by "_", such as
# SENTINEL_TEST_TOKEN) and "=" with something after it. Generated tokens never start so:
# token_urlsafe and token_hex have no "=", and base64 has "=" only as its closing padding.
_ASSIGNMENT = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+=[^=]")
_ONE_WORD = (
    "a token is one word of visible ASCII letters, digits and punctuation, such as "
    f"{HOW_TO_MAKE} prints"
)


def _kind(char: str) -> str:
    """What ``char`` is, in words (never the character itself, nor the token around it)."""
    if char in "\r\n":
        return "a line break"
    if char == "\t":
        return "a tab"
    if char == " ":
        return "a space"
    if char.isascii():
        return "a control character"
    return "a character that is not ASCII"


def check_token(token: str | None) -> None:
    """Refuse a token that the bundled mock would not take: too short, or not one word."""
    if not token:
        return
    check_characters(token)
    if len(token) < MIN_TOKEN_LENGTH:
        raise TokenError(
            f"the test token has {len(token)} characters; it needs at least "
            f"{MIN_TOKEN_LENGTH}. Make one with: {HOW_TO_MAKE}"
        )


def read_token_file(path: Path) -> str:
    """The token in ``path``, surrounding spaces and newlines ignored."""
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise TokenError(f"cannot read the test token file {path}: {reason}") from None
    if not token:
        raise TokenError(f"the test token file {path} is empty")
    check_characters(token, f"the test token file {path}")
    return token
