"""Verification codes: sending them (the outbox), checking them, and blocking guessers.

Every code sent is a row of ``messages``: the simulated email, SMS or letter. A new code for the
same NISS and purpose supersedes the older ones, so only the newest works. A code is single use.
Wrong codes count per NISS and purpose; too many block that purpose for a while.

A portal started with an SMTP server or an SMS webhook also sends email and SMS codes for real
(``delivery``), once the transaction that wrote them commits. A withheld code (the
``withhold_codes`` fault) is never delivered, by any channel: it cannot be known, like a
letter still on its way.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from mock_portal import delivery
from mock_portal.config import PortalConfig
from mock_portal.timekeeping import add_business_days, iso, parse_iso

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
    inserted = conn.execute(
        "INSERT INTO messages (niss, purpose, channel, recipient, code, sent_at, deliver_at,"
        " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (niss, purpose, channel, recipient, new_code(), iso(now), iso(deliver_at), iso(expires_at)),
    )
    assert inserted.lastrowid is not None
    delivery.enqueue(conn, inserted.lastrowid, purpose, channel)


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
    _count_failure(conn, niss, purpose)
    failures = _failures(conn, niss, purpose)
    if failures >= max_attempts:
        return _block(conn, niss, purpose, now, block_minutes)
    return Check(Verdict.WRONG, attempts_left=max_attempts - failures)


def clear_failures(conn: sqlite3.Connection, niss: str, purpose: str) -> None:
    conn.execute("DELETE FROM attempts WHERE niss = ? AND purpose = ?", (niss, purpose))


# Secrets checked by a slow hash (password, PIN) are checked outside any transaction, so that
# the database is not locked for the hash's time. Each check is therefore counted as a failure
# BEFORE it starts, in one transaction with the block check (``begin_attempt``), and settled
# after (``finish_attempt``). Checks in flight thus hold attempts: however many requests arrive
# together, no more than ``max_attempts`` secrets are checked before the purpose is blocked.
# A check whose process dies midway stays counted as a failure (the safe side).


def _count_failure(conn: sqlite3.Connection, niss: str, purpose: str) -> None:
    conn.execute(
        "INSERT INTO attempts (niss, purpose, failures) VALUES (?, ?, 1) "
        "ON CONFLICT (niss, purpose) DO UPDATE SET failures = failures + 1",
        (niss, purpose),
    )


def _failures(conn: sqlite3.Connection, niss: str, purpose: str) -> int:
    row = conn.execute(
        "SELECT failures FROM attempts WHERE niss = ? AND purpose = ?", (niss, purpose)
    ).fetchone()
    return row["failures"] if row else 0


def _block(
    conn: sqlite3.Connection, niss: str, purpose: str, now: datetime, block_minutes: int
) -> Check:
    until = now + timedelta(minutes=block_minutes)
    conn.execute(
        "INSERT INTO attempts (niss, purpose, failures, blocked_until) VALUES (?, ?, 0, ?) "
        "ON CONFLICT (niss, purpose) DO UPDATE SET failures = 0, blocked_until = ?",
        (niss, purpose, iso(until), iso(until)),
    )
    return Check(Verdict.BLOCKED, blocked_until=until)


def begin_attempt(
    conn: sqlite3.Connection,
    niss: str,
    purpose: str,
    now: datetime,
    *,
    max_attempts: int,
    block_minutes: int,
) -> Check | None:
    """Count one attempt before its secret is checked; call inside a transaction.

    None: go on and check it, then call ``finish_attempt``. A BLOCKED check: do not check the
    secret at all, because the purpose is blocked or every allowed attempt has been used
    (some may still be in flight); using up the last one starts the block.
    """
    until = blocked_until(conn, niss, purpose, now)
    if until:
        return Check(Verdict.BLOCKED, blocked_until=until)
    if _failures(conn, niss, purpose) >= max_attempts:
        return _block(conn, niss, purpose, now, block_minutes)
    _count_failure(conn, niss, purpose)
    return None


def finish_attempt(
    conn: sqlite3.Connection,
    niss: str,
    purpose: str,
    now: datetime,
    good: bool,
    *,
    max_attempts: int,
    block_minutes: int,
) -> Check:
    """Settle an attempt counted by ``begin_attempt``; call inside a transaction.

    A block set while the secret was being checked wins, even over a right secret, and is
    kept. A right secret otherwise clears the count; a wrong one keeps its failure, and the
    one that reaches ``max_attempts`` blocks.
    """
    until = blocked_until(conn, niss, purpose, now)
    if until:
        return Check(Verdict.BLOCKED, blocked_until=until)
    if good:
        clear_failures(conn, niss, purpose)
        return Check(Verdict.ACCEPTED)
    failures = _failures(conn, niss, purpose)
    if failures >= max_attempts:
        return _block(conn, niss, purpose, now, block_minutes)
    return Check(Verdict.WRONG, attempts_left=max_attempts - failures)


def withdraw_attempt(conn: sqlite3.Connection, niss: str, purpose: str, now: datetime) -> None:
    """Give back an attempt counted by ``begin_attempt`` that was neither right nor wrong
    (an account not yet activated has no password to guess); call inside a transaction."""
    if blocked_until(conn, niss, purpose, now) is None:
        conn.execute(
            "UPDATE attempts SET failures = MAX(failures - 1, 0) WHERE niss = ? AND purpose = ?",
            (niss, purpose),
        )


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
        "SELECT m.id, m.deliver_at, m.expires_at, m.used_at, m.superseded_at,"
        " d.state = 'withheld' AS withheld FROM messages m"
        " LEFT JOIN deliveries d ON d.message_id = m.id"
        " WHERE m.niss = ? AND m.purpose = ? AND m.code = ? ORDER BY m.id DESC LIMIT 1",
        (niss, purpose, code),
    ).fetchone()
    stamp = iso(now)
    if row is None or row["deliver_at"] > stamp or row["withheld"]:
        # An undelivered letter's code, or a withheld one, cannot be known: treat it as a guess.
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
    """Messages sent to ``niss``, newest first; a letter's code shows only once delivered, a
    withheld code never. ``dispatch``: how the code went out by SMTP or the SMS webhook
    (``state`` pending, sent, failed, expired or withheld, ``attempts``, ``sent_at`` in real
    time), None when the portal does not send it for real."""
    stamp = iso(now)
    rows = conn.execute(
        "SELECT m.*, d.state, d.attempts, d.sent_at AS dispatched_at FROM messages m"
        " LEFT JOIN deliveries d ON d.message_id = m.id WHERE m.niss = ? ORDER BY m.id DESC",
        (niss,),
    ).fetchall()
    result = []
    for row in rows:
        withheld = row["state"] == "withheld"
        delivered = row["deliver_at"] <= stamp and not withheld
        dispatch = None
        if row["state"] is not None:
            dispatch = {
                "state": row["state"],
                "attempts": row["attempts"],
                "sent_at": row["dispatched_at"],
            }
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
                "withheld": withheld,
                "dispatch": dispatch,
            }
        )
    return result
