"""The portal's SQLite database: schema, transactions and portal-wide settings.

One connection per server process, used only from the event loop's thread. Writes go through
``transaction()`` (``BEGIN IMMEDIATE``), so a check and the write it guards are atomic even when
several server processes share the file. WAL mode keeps readers and a writer from blocking each
other, and every committed write survives a restart or a kill.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS citizens (
    niss TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'company')),
    name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    email TEXT,
    mobile TEXT,
    address TEXT,
    cmd_mobile TEXT UNIQUE,
    cmd_pin_hash TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (
    niss TEXT PRIMARY KEY REFERENCES citizens (niss),
    status TEXT NOT NULL CHECK (status IN ('pending', 'active')),
    origin TEXT NOT NULL CHECK (origin IN ('registration', 'cmd')),
    password_hash TEXT,
    created_at TEXT NOT NULL,
    activated_at TEXT,
    contacts_confirmed_at TEXT
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    niss TEXT NOT NULL,
    purpose TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'letter')),
    recipient TEXT NOT NULL,
    code TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    deliver_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    superseded_at TEXT
);
CREATE INDEX IF NOT EXISTS messages_by_niss ON messages (niss, purpose, id);
CREATE TABLE IF NOT EXISTS attempts (
    niss TEXT NOT NULL,
    purpose TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    blocked_until TEXT,
    PRIMARY KEY (niss, purpose)
);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# Every table that holds data; reset empties them all.
TABLES = ("messages", "attempts", "accounts", "citizens", "sessions", "settings")


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating when needed) the database at ``path`` in WAL mode with the schema."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.executescript(SCHEMA)
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """An immediate write transaction: committed on success, rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def settings(conn: sqlite3.Connection) -> dict[str, Any]:
    """All portal-wide settings (clock offset, wording, markup, faults) in one read."""
    return {row["key"]: json.loads(row["value"]) for row in conn.execute("SELECT * FROM settings")}


def set_setting(conn: sqlite3.Connection, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value)),
    )


def delete_setting(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM settings WHERE key = ?", (key,))


def reset(conn: sqlite3.Connection) -> None:
    """Empty every table: the portal as freshly installed."""
    with transaction(conn):
        for table in TABLES:
            conn.execute(f"DELETE FROM {table}")  # noqa: S608 - table names are constants
        conn.execute("DELETE FROM sqlite_sequence")
