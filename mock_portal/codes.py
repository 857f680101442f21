"""Verification codes: sending them (the outbox), checking them, and blocking guessers.

Every code sent is a row of ``messages``: the simulated email, SMS or letter. A new code for the
same NISS and purpose supersedes the older ones, so only the newest works. A code is single use.
Wrong codes count per NISS and purpose; too many block that purpose for a while.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from mock_portal.config import PortalConfig
from mock_portal.timekeeping import add_business_days, iso, parse_iso

PURPOSES = ("registration", "login", "contacts", "password_reset", "cmd")
CODE_LENGTH = 6


class Verdict(Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    EXPIRED = "expired"  # past its validity, or superseded by a newer code
    USED = "used"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Check:
    verdict: Verdict
    attempts_left: int = 0
    blocked_until: datetime | None = None


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def send(
    conn: sqlite3.Connection,
    *,
    niss: str,
    purpose: str,
    channel: str,
    recipient: str,
    now: datetime,
    config: PortalConfig,
    ttl_minutes: int | None = None,
) -> None:
    """Send a new code, superseding every earlier live code for the same NISS and purpose."""
    if channel == "letter":
        deliver_at = add_business_days(now, config.letter_business_days)
        expires_at = deliver_at + timedelta(days=config.letter_code_valid_days)
    else:
        deliver_at = now
        expires_at = now + timedelta(minutes=ttl_minutes or config.code_ttl_minutes)
    conn.execute(
        "UPDATE messages SET superseded_at = ? "
        "WHERE niss = ? AND purpose = ? AND superseded_at IS NULL AND used_at IS NULL",
        (iso(now), niss, purpose),
    )
    conn.execute(
        "INSERT INTO messages (niss, purpose, channel, recipient, code, sent_at, deliver_at,"
        " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (niss, purpose, channel, recipient, new_code(), iso(now), iso(deliver_at), iso(expires_at)),
    )


def blocked_until(conn: sqlite3.Connection, niss: str, purpose: str, now: datetime):
    row = conn.execute(
        "SELECT blocked_until FROM attempts WHERE niss = ? AND purpose = ?", (niss, purpose)
    ).fetchone()
    if row and row["blocked_until"] and parse_iso(row["blocked_until"]) > now:
        return parse_iso(row["blocked_until"])
    return None


def record_failure(
    conn: sqlite3.Connection,
    niss: str,
    purpose: str,
    now: datetime,
    *,
    max_attempts: int,
    block_minutes: int,
) -> Check:
    """Count one wrong try; the last allowed one blocks the purpose for ``block_minutes``."""
    conn.execute(
        "INSERT INTO attempts (niss, purpose, failures) VALUES (?, ?, 1) "
        "ON CONFLICT (niss, purpose) DO UPDATE SET failures = failures + 1",
        (niss, purpose),
    )
    failures = conn.execute(
        "SELECT failures FROM attempts WHERE niss = ? AND purpose = ?", (niss, purpose)
    ).fetchone()["failures"]
    if failures >= max_attempts:
        until = now + timedelta(minutes=block_minutes)
        conn.execute(
            "UPDATE attempts SET failures = 0, blocked_until = ? WHERE niss = ? AND purpose = ?",
            (iso(until), niss, purpose),
        )
        return Check(Verdict.BLOCKED, blocked_until=until)
    return Check(Verdict.WRONG, attempts_left=max_attempts - failures)


def clear_failures(conn: sqlite3.Connection, niss: str, purpose: str) -> None:
    conn.execute("DELETE FROM attempts WHERE niss = ? AND purpose = ?", (niss, purpose))


def check(
    conn: sqlite3.Connection,
    *,
    niss: str,
    purpose: str,
    code: str,
    now: datetime,
    config: PortalConfig,
    max_attempts: int | None = None,
) -> Check:
    """Check ``code`` and, when accepted, use it up. Call inside a transaction."""
    max_attempts = max_attempts or config.code_max_attempts
    until = blocked_until(conn, niss, purpose, now)
    if until:
        return Check(Verdict.BLOCKED, blocked_until=until)
    row = conn.execute(
        "SELECT id, deliver_at, expires_at, used_at, superseded_at FROM messages "
        "WHERE niss = ? AND purpose = ? AND code = ? ORDER BY id DESC LIMIT 1",
        (niss, purpose, code),
    ).fetchone()
    stamp = iso(now)
    if row is None or row["deliver_at"] > stamp:
        # An undelivered letter's code cannot be known yet: treat it as a guess.
        return record_failure(
            conn, niss, purpose, now, max_attempts=max_attempts, block_minutes=config.block_minutes
        )
    if row["used_at"]:
        return Check(Verdict.USED)
    if row["superseded_at"] or row["expires_at"] <= stamp:
        return Check(Verdict.EXPIRED)
    conn.execute("UPDATE messages SET used_at = ? WHERE id = ?", (stamp, row["id"]))
    clear_failures(conn, niss, purpose)
    return Check(Verdict.ACCEPTED)


def outbox(conn: sqlite3.Connection, niss: str, now: datetime) -> list[dict[str, object]]:
    """Messages sent to ``niss``, newest first; a letter's code shows only once delivered."""
    stamp = iso(now)
    rows = conn.execute(
        "SELECT * FROM messages WHERE niss = ? ORDER BY id DESC", (niss,)
    ).fetchall()
    result = []
    for row in rows:
        delivered = row["deliver_at"] <= stamp
        result.append(
            {
                "channel": row["channel"],
                "to": row["recipient"],
                "purpose": row["purpose"],
                "code": row["code"] if delivered else None,
                "sent_at": row["sent_at"],
                "deliver_at": row["deliver_at"],
                "expires_at": row["expires_at"],
                "delivered": delivered,
                "used": row["used_at"] is not None,
                "superseded": row["superseded_at"] is not None,
            }
        )
    return result
