"""Citizens in the Social Security records, and their portal accounts.

A citizen record is what the Social Security Information System knows (NISS, birth date,
contacts, address); an account is the portal access created by registration or by a first
Chave Móvel Digital login. Registration needs the record; it never creates one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Citizen:
    niss: str
    kind: str
    name: str
    birth_date: date
    email: str | None
    mobile: str | None
    address: str | None
    cmd_mobile: str | None
    cmd_pin_hash: str | None

    @property
    def channels(self) -> list[str]:
        """The channels a code can go by: registered contacts, else only a letter."""
        found = [c for c, v in (("email", self.email), ("sms", self.mobile)) if v]
        return found or ["letter"]

    def recipient(self, channel: str) -> str:
        contact = {"email": self.email, "sms": self.mobile, "letter": self.address}[channel]
        return contact or "morada registada"


@dataclass(frozen=True)
class Account:
    niss: str
    status: str
    origin: str
    password_hash: str | None
    contacts_confirmed_at: str | None


def _citizen(row: sqlite3.Row | None) -> Citizen | None:
    if row is None:
        return None
    values = dict(row)
    values.pop("created_at")
    values["birth_date"] = date.fromisoformat(values["birth_date"])
    return Citizen(**values)


def citizen(conn: sqlite3.Connection, niss: str) -> Citizen | None:
    return _citizen(conn.execute("SELECT * FROM citizens WHERE niss = ?", (niss,)).fetchone())


def citizen_by_cmd_mobile(conn: sqlite3.Connection, mobile: str) -> Citizen | None:
    row = conn.execute("SELECT * FROM citizens WHERE cmd_mobile = ?", (mobile,)).fetchone()
    return _citizen(row)


def insert_citizen(conn: sqlite3.Connection, values: dict[str, object]) -> None:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    conn.execute(
        f"INSERT INTO citizens ({columns}) VALUES ({marks})",  # noqa: S608 - keys are ours
        tuple(values.values()),
    )


def update_contacts(conn: sqlite3.Connection, niss: str, email: str | None, mobile: str | None):
    conn.execute("UPDATE citizens SET email = ?, mobile = ? WHERE niss = ?", (email, mobile, niss))


def account(conn: sqlite3.Connection, niss: str) -> Account | None:
    row = conn.execute(
        "SELECT niss, status, origin, password_hash, contacts_confirmed_at "
        "FROM accounts WHERE niss = ?",
        (niss,),
    ).fetchone()
    return Account(**dict(row)) if row else None


def create_pending_account(conn: sqlite3.Connection, niss: str, now: str) -> bool:
    """Open a registration for ``niss``; False when an active account already exists.

    A pending account may be registered again (to get a new code): the row stays one row.
    """
    cursor = conn.execute(
        "INSERT INTO accounts (niss, status, origin, created_at) "
        "VALUES (?, 'pending', 'registration', ?) ON CONFLICT (niss) DO NOTHING",
        (niss, now),
    )
    if cursor.rowcount:
        return True
    existing = account(conn, niss)
    return existing is not None and existing.status == "pending"


def activate(conn: sqlite3.Connection, niss: str, password_hash: str, now: str) -> bool:
    """Set the first password of a pending account; False when it is not pending."""
    cursor = conn.execute(
        "UPDATE accounts SET status = 'active', password_hash = ?, activated_at = ? "
        "WHERE niss = ? AND status = 'pending'",
        (password_hash, now, niss),
    )
    return cursor.rowcount == 1


def set_password(conn: sqlite3.Connection, niss: str, password_hash: str) -> bool:
    cursor = conn.execute(
        "UPDATE accounts SET password_hash = ? WHERE niss = ? AND status = 'active'",
        (password_hash, niss),
    )
    return cursor.rowcount == 1


def create_cmd_account(conn: sqlite3.Connection, niss: str, now: str) -> bool:
    """The account a first Chave Móvel Digital login creates; False when one existed."""
    cursor = conn.execute(
        "INSERT INTO accounts (niss, status, origin, created_at, activated_at) "
        "VALUES (?, 'active', 'cmd', ?, ?) ON CONFLICT (niss) DO NOTHING",
        (niss, now, now),
    )
    if cursor.rowcount == 0:
        # A pending registration is completed by the stronger CMD authentication.
        conn.execute(
            "UPDATE accounts SET status = 'active', activated_at = ? "
            "WHERE niss = ? AND status = 'pending'",
            (now, niss),
        )
    return cursor.rowcount == 1


def confirm_contacts(conn: sqlite3.Connection, niss: str, now: str) -> None:
    conn.execute("UPDATE accounts SET contacts_confirmed_at = ? WHERE niss = ?", (now, niss))
