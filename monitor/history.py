"""The monitor's history in SQLite (WAL): every check with its steps and its codes' delivery,
kept across restarts. A database of an older monitor gains the tables it lacks on opening."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from monitor.results import NOT_DOWNTIME, CheckResult, CodeTiming, StepTiming

SCHEMA = """
CREATE TABLE IF NOT EXISTS checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    check_name TEXT NOT NULL,
    started_at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    duration_s REAL NOT NULL,
    attempts INTEGER NOT NULL,
    reason TEXT NOT NULL,
    message TEXT NOT NULL,
    failed_step TEXT NOT NULL,
    evidence TEXT NOT NULL,
    maintenance INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS checks_by_name ON checks (check_name, started_at);
CREATE TABLE IF NOT EXISTS steps (
    check_id INTEGER NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    flow TEXT NOT NULL,
    step TEXT NOT NULL,
    duration_s REAL NOT NULL,
    passed INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS codes (
    check_id INTEGER NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    flow TEXT NOT NULL,
    purpose TEXT NOT NULL,
    channel TEXT NOT NULL,
    arrived INTEGER NOT NULL,
    seconds REAL,
    attempt INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS codes_by_check ON codes (check_id);
"""


class History:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.executescript(SCHEMA)

    def record(self, result: CheckResult, *, maintenance: bool = False) -> int:
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            cursor = self.conn.execute(
                "INSERT INTO checks (check_name, started_at, outcome, duration_s, attempts,"
                " reason, message, failed_step, evidence, maintenance)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    result.check,
                    result.started_at.isoformat(),
                    result.outcome,
                    result.duration_s,
                    result.attempts,
                    result.reason,
                    result.message,
                    result.failed_step,
                    result.evidence,
                    int(maintenance),
                ),
            )
            check_id = cursor.lastrowid
            assert check_id is not None  # sqlite3 sets it after every INSERT
            self.conn.executemany(
                "INSERT INTO steps (check_id, flow, step, duration_s, passed, title)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (check_id, s.flow, s.step, s.duration_s, int(s.passed), s.title)
                    for s in result.steps
                ],
            )
            self.conn.executemany(
                "INSERT INTO codes (check_id, flow, purpose, channel, arrived, seconds, attempt)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (check_id, c.flow, c.purpose, c.channel, int(c.arrived), c.seconds, c.attempt)
                    for c in result.codes
                ],
            )
        return int(check_id)

    def last(self, check: str) -> CheckResult | None:
        row = self.conn.execute(
            "SELECT * FROM checks WHERE check_name = ? ORDER BY id DESC LIMIT 1", (check,)
        ).fetchone()
        return self._result(row) if row else None

    def recent(self, check: str, limit: int = 50) -> list[CheckResult]:
        rows = self.conn.execute(
            "SELECT * FROM checks WHERE check_name = ? ORDER BY id DESC LIMIT ?", (check, limit)
        ).fetchall()
        return [self._result(r) for r in rows]

    def uptime(self, check: str, since: datetime) -> float | None:
        """Share of checks since ``since`` that were not portal downtime; maintenance and our
        own errors do not count. None when nothing was checked."""
        rows = self.conn.execute(
            "SELECT outcome, reason FROM checks WHERE check_name = ? AND started_at >= ?"
            " AND maintenance = 0",
            (check, since.isoformat()),
        ).fetchall()
        counted = [
            r for r in rows if not (r["outcome"] == "failure" and r["reason"] in NOT_DOWNTIME)
        ]
        if not counted:
            return None
        up = sum(1 for r in counted if r["outcome"] != "failure")
        return up / len(counted)

    def uptimes(self, check: str, now: datetime) -> dict[str, float | None]:
        return {
            label: self.uptime(check, now - delta)
            for label, delta in (
                ("24h", timedelta(days=1)),
                ("7d", timedelta(days=7)),
                ("30d", timedelta(days=30)),
            )
        }

    def _result(self, row: sqlite3.Row) -> CheckResult:
        steps = [
            StepTiming(s["flow"], s["step"], s["duration_s"], bool(s["passed"]), s["title"])
            for s in self.conn.execute(
                "SELECT * FROM steps WHERE check_id = ? ORDER BY rowid", (row["id"],)
            )
        ]
        codes = [
            CodeTiming(
                c["flow"],
                c["purpose"],
                c["channel"],
                bool(c["arrived"]),
                c["seconds"],
                c["attempt"],
            )
            for c in self.conn.execute(
                "SELECT * FROM codes WHERE check_id = ? ORDER BY rowid", (row["id"],)
            )
        ]
        return CheckResult(
            check=row["check_name"],
            started_at=datetime.fromisoformat(row["started_at"]),
            outcome=row["outcome"],
            duration_s=row["duration_s"],
            attempts=row["attempts"],
            reason=row["reason"],
            message=row["message"],
            failed_step=row["failed_step"],
            evidence=row["evidence"],
            steps=steps,
            codes=codes,
        )

    def close(self) -> None:
        self.conn.close()
