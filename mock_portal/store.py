"""The portal's SQLite database: schema, transactions and portal-wide settings.

One connection per server process, used only from the event loop's thread (the code
dispatcher, ``delivery``, has its own). Writes go through ``transaction()`` (``BEGIN
IMMEDIATE``), so a check and the write it guards are atomic even when several server processes
share the file. WAL mode keeps readers and a writer from blocking each other, and every
committed write survives a restart or a kill. ``after_commit`` runs a callback once the
current transaction has committed (a rolled-back one drops it): what must not happen before
the data is there for everyone, such as waking the dispatcher.

The schema only grows, by ``CREATE ... IF NOT EXISTS``: a database written by an older version
gets the new tables when it is opened, and keeps everything it had.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterator
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
-- How each email or SMS code goes out for real (sentinel mock --smtp / --sms-webhook), or
-- that it was withheld. Times here are real epoch seconds, not the portal's virtual clock:
-- retries wait for real servers.
CREATE TABLE IF NOT EXISTS deliveries (
    message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    state TEXT NOT NULL
        CHECK (state IN ('pending', 'sent', 'failed', 'expired', 'withheld')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    claimed_until REAL,
    last_error TEXT,
    sent_at TEXT
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, next_attempt_at);
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

log = logging.getLogger("mock_portal.store")

# Every table that holds data; reset empties them all.
TABLES = ("deliveries", "messages", "attempts", "accounts", "citizens", "sessions", "settings")


class Connection(sqlite3.Connection):
    """A connection that keeps the callbacks to run when its current transaction commits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on_commit: list[Callable[[], None]] = []


def connect(path: str | Path) -> Connection:
    """Open (creating when needed) the database at ``path`` in WAL mode with the schema."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, factory=Connection)
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
        _take_callbacks(conn)  # what the rolled-back writes asked for never happens
        raise
    conn.execute("COMMIT")
    for callback in _take_callbacks(conn):
        try:
            callback()
        except Exception:  # the commit is done: a callback's failure must not undo the answer
            log.exception("a callback after a commit failed")


def after_commit(conn: sqlite3.Connection, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current ``transaction`` commits; at once outside one."""
    if isinstance(conn, Connection) and conn.in_transaction:
        conn.on_commit.append(callback)
    else:
        callback()


def _take_callbacks(conn: sqlite3.Connection) -> list[Callable[[], None]]:
    if not isinstance(conn, Connection):
        return []
    taken, conn.on_commit = conn.on_commit, []
    return taken


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
