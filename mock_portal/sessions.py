"""Server-side sessions kept in SQLite, with a CSRF token each.

The browser holds only a random session id in an HttpOnly cookie; the wizard state of each
flow lives in the database, so a restarted server continues where the citizen was. Sessions
expire after a period of inactivity measured on the portal's clock.
"""

from __future__ import annotations

import hmac
import json
import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from mock_portal.timekeeping import iso

COOKIE = "ssd_sessao"
# The answer to the sso markup's cookie banner: a cookie of the browser session, apart from the
# portal session, so that a login, a logout or an expired session do not ask again.
CONSENT_COOKIE = "ssd_cookies"


@dataclass
class Session:
    id: str | None
    data: dict[str, Any] = field(default_factory=dict)
    dirty: bool = False
    previous_id: str | None = None

    @property
    def csrf(self) -> str:
        if "csrf" not in self.data:
            self.data["csrf"] = secrets.token_urlsafe(24)
            self.dirty = True
        return self.data["csrf"]

    def csrf_matches(self, token: str | None) -> bool:
        expected = self.data.get("csrf")
        return bool(token and expected and hmac.compare_digest(token, expected))

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def put(self, key: str, value: Any) -> None:
        self.data[key] = value
        self.dirty = True

    def drop(self, *keys: str) -> None:
        for key in keys:
            if key in self.data:
                del self.data[key]
                self.dirty = True

    def renew(self) -> None:
        """A new id after logging in, so an id seen before authentication is worthless."""
        self.previous_id = self.id
        self.id = None
        self.data.pop("csrf", None)
        self.dirty = True


def load(conn: sqlite3.Connection, session_id: str | None, now: datetime) -> Session:
    if session_id and len(session_id) <= 64:
        row = conn.execute(
            "SELECT data FROM sessions WHERE id = ? AND expires_at > ?", (session_id, iso(now))
        ).fetchone()
        if row:
            return Session(session_id, json.loads(row["data"]))
    return Session(None)


def worth_saving(session: Session) -> bool:
    """False for a visitor with no session who was given nothing to keep: no write at all."""
    return session.id is not None or session.dirty


def save(conn: sqlite3.Connection, session: Session, now: datetime, idle_minutes: int) -> bool:
    """Store the session and push its expiry; True when the browser needs a (new) cookie."""
    is_new = session.id is None
    if not worth_saving(session):
        return False
    if is_new:
        session.id = secrets.token_urlsafe(32)
        delete(conn, session.previous_id)
    conn.execute(
        "INSERT INTO sessions (id, data, expires_at) VALUES (?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
        (session.id, json.dumps(session.data), iso(now + timedelta(minutes=idle_minutes))),
    )
    return is_new


def delete(conn: sqlite3.Connection, session_id: str | None) -> None:
    if session_id:
        conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))


def prune(conn: sqlite3.Connection, now: datetime) -> None:
    conn.execute("DELETE FROM sessions WHERE expires_at <= ?", (iso(now),))
