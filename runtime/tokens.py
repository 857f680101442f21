"""The test token: what makes one usable, and reading it from a file.

A token goes into an HTTP header (``X-Test-Token``). One that holds more than a token (a
whole ``NAME=value`` line, two lines, a space) would be refused by the HTTP client with an
error that quotes it, and that error would reach logs and reports: such a token is refused
here, up front, with a message that never repeats it.
"""

from __future__ import annotations

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
    """Refuse a token that is not one word of visible ASCII (what a header value may hold)."""
    if not token:
        raise TokenError(f"{where} is empty")
    bad = next((c for c in token if not ("!" <= c <= "~")), None)
    if bad is not None:
        kind = "a space" if bad.isspace() else "a character that is not visible ASCII"
        hint = " (is it a whole NAME=value line?)" if "=" in token and bad.isspace() else ""
        raise TokenError(
            f"{where} holds {kind} at position {token.index(bad) + 1}{hint}: a token is one "
            f"word of visible ASCII letters, digits and punctuation, such as {HOW_TO_MAKE} prints"
        )


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
