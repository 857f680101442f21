"""The monitor's history in SQLite (WAL): every check with its steps (their Web Vitals and
accessibility) and its codes' delivery, and the alerts sent, kept across restarts. A database
of an older monitor gains the tables and columns it lacks on opening.

The status page's history (heartbeats, the duration chart, incidents) reads light rows,
``Beat``: one per check, without its steps or codes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.results import (
    NOT_DOWNTIME,
    CheckResult,
    CodeTiming,
    Finding,
    Outcome,
    StepA11y,
    StepTiming,
)
from runtime.vitals import StepVitals

if TYPE_CHECKING:
    from monitor.alerts import Notification

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
    maintenance INTEGER NOT NULL DEFAULT 0,
    audit_s REAL NOT NULL DEFAULT 0
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
-- A step's Web Vitals and accessibility, by its place among the check's steps (a flow that
-- starts again after an expired session repeats its step numbers).
CREATE TABLE IF NOT EXISTS step_vitals (
    check_id INTEGER NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    loaded INTEGER NOT NULL,
    ttfb_s REAL,
    fcp_s REAL,
    lcp_s REAL,
    cls REAL,
    inp_s REAL,
    requests INTEGER NOT NULL,
    transfer_bytes INTEGER NOT NULL,
    PRIMARY KEY (check_id, position)
);
CREATE TABLE IF NOT EXISTS step_a11y (
    check_id INTEGER NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    same_as TEXT NOT NULL,
    error TEXT NOT NULL,
    PRIMARY KEY (check_id, position)
);
CREATE TABLE IF NOT EXISTS a11y_findings (
    check_id INTEGER NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    rule TEXT NOT NULL,
    impact TEXT NOT NULL,
    nodes INTEGER NOT NULL,
    help TEXT NOT NULL,
    help_url TEXT NOT NULL,
    new INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS a11y_findings_by_check ON a11y_findings (check_id, position);
-- Every notification the monitor sent about a check (firing, reminder, resolved): the status
-- page says which incidents alerted. ``accessibility``: about a violation, not the check.
CREATE TABLE IF NOT EXISTS alerts (
    check_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    since TEXT NOT NULL,
    at TEXT NOT NULL,
    accessibility INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_by_check ON alerts (check_name, at);
"""
# Columns added to a table after its first release: (table, column, its definition).
ADDED_COLUMNS = (("checks", "audit_s", "REAL NOT NULL DEFAULT 0"),)


@dataclass(frozen=True)
class Beat:
    """One check as its history shows it: when, how it went, why it failed and where its
    evidence is, and whether it ran in a declared maintenance window. No steps, no codes."""

    started_at: datetime
    outcome: Outcome
    duration_s: float
    reason: str = ""
    message: str = ""
    failed_step: str = ""
    evidence: str = ""
    maintenance: bool = False
    audit_s: float = 0.0  # the accessibility audits' own time, part of duration_s

    @property
    def portal_s(self) -> float:
        """The time the degraded threshold is about: the audits aside (``CheckResult``'s)."""
        return max(self.duration_s - self.audit_s, 0.0)

    @property
    def counts_as_downtime(self) -> bool:
        return self.outcome == "failure" and self.reason not in NOT_DOWNTIME


@dataclass(frozen=True)
class SentAlert:
    """A notification sent about a check failing (not an accessibility one)."""

    kind: str  # firing, reminder, resolved
    reason: str
    since: datetime
    at: datetime


class History:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.executescript(SCHEMA)
        self._add_columns()

    def _add_columns(self) -> None:
        """Columns a database of an older monitor lacks (CREATE IF NOT EXISTS adds none)."""
        for table, column, definition in ADDED_COLUMNS:
            present = {row["name"] for row in self.conn.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")

    def record(self, result: CheckResult, *, maintenance: bool = False) -> int:
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            cursor = self.conn.execute(
                "INSERT INTO checks (check_name, started_at, outcome, duration_s, attempts,"
                " reason, message, failed_step, evidence, maintenance, audit_s)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    result.audit_s,
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
            self._record_steps(check_id, result.steps)
        return int(check_id)

    def _record_steps(self, check_id: int, steps: list[StepTiming]) -> None:
        """Each step's Web Vitals, accessibility and findings, by its position."""
        vitals = [(n, s.vitals) for n, s in enumerate(steps) if s.vitals is not None]
        self.conn.executemany(
            "INSERT INTO step_vitals (check_id, position, loaded, ttfb_s, fcp_s, lcp_s, cls,"
            " inp_s, requests, transfer_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(check_id, n, *_vitals_row(v)) for n, v in vitals],
        )
        audits = [(n, s.a11y) for n, s in enumerate(steps) if s.a11y is not None]
        self.conn.executemany(
            "INSERT INTO step_a11y (check_id, position, same_as, error) VALUES (?, ?, ?, ?)",
            [(check_id, n, a.same_as, a.error) for n, a in audits],
        )
        self.conn.executemany(
            "INSERT INTO a11y_findings (check_id, position, rule, impact, nodes, help, help_url,"
            " new) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (check_id, n, f.rule, f.impact, f.nodes, f.help, f.help_url, int(f.new))
                for n, a in audits
                for f in a.findings
            ],
        )

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

    def tail(self, check: str, limit: int) -> list[tuple[CheckResult, bool]]:
        """The last ``limit`` results of ``check``, oldest first, each with whether it ran in
        a declared maintenance window: what a restarted monitor replays."""
        rows = self.conn.execute(
            "SELECT * FROM checks WHERE check_name = ? ORDER BY id DESC LIMIT ?", (check, limit)
        ).fetchall()
        return [(self._result(r), bool(r["maintenance"])) for r in reversed(rows)]

    def last_success(self, check: str) -> datetime | None:
        """When ``check`` last worked (degraded included), or None."""
        row = self.conn.execute(
            "SELECT started_at FROM checks WHERE check_name = ? AND outcome != 'failure'"
            " ORDER BY id DESC LIMIT 1",
            (check,),
        ).fetchone()
        return datetime.fromisoformat(row["started_at"]) if row else None

    def beats(
        self, check: str, *, since: datetime | None = None, limit: int | None = None
    ) -> list[Beat]:
        """The checks of ``check``, oldest first: those since ``since``, the newest ``limit``
        of them (either, both or neither)."""
        query = (
            "SELECT started_at, outcome, duration_s, reason, message, failed_step, evidence,"
            " maintenance, audit_s FROM checks WHERE check_name = ? AND started_at >= ?"
            " ORDER BY started_at DESC, id DESC LIMIT ?"
        )
        after = since.isoformat() if since is not None else ""
        rows = self.conn.execute(query, (check, after, -1 if limit is None else limit))
        return [_beat(row) for row in reversed(rows.fetchall())]

    def record_alert(self, note: Notification) -> None:
        """Keep a notification that was sent, for the status page's incidents."""
        self.conn.execute(
            "INSERT INTO alerts (check_name, kind, reason, since, at, accessibility)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                note.check,
                note.kind,
                note.reason,
                note.since.isoformat(),
                note.at.isoformat(),
                int(note.violation is not None),
            ),
        )

    def alerts(self, check: str, since: datetime) -> list[SentAlert]:
        """The notifications sent since ``since`` about ``check`` failing, oldest first."""
        rows = self.conn.execute(
            "SELECT kind, reason, since, at FROM alerts WHERE check_name = ? AND at >= ?"
            " AND accessibility = 0 ORDER BY at, rowid",
            (check, since.isoformat()),
        )
        return [
            SentAlert(
                r["kind"],
                r["reason"],
                datetime.fromisoformat(r["since"]),
                datetime.fromisoformat(r["at"]),
            )
            for r in rows
        ]

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
        steps = self._steps(row["id"])
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
            audit_s=row["audit_s"],
        )

    def _steps(self, check_id: int) -> list[StepTiming]:
        vitals = {
            v["position"]: v
            for v in self.conn.execute("SELECT * FROM step_vitals WHERE check_id = ?", (check_id,))
        }
        audits = {
            a["position"]: a
            for a in self.conn.execute("SELECT * FROM step_a11y WHERE check_id = ?", (check_id,))
        }
        findings: dict[int, list[Finding]] = {}
        for f in self.conn.execute(
            "SELECT * FROM a11y_findings WHERE check_id = ? ORDER BY rowid", (check_id,)
        ):
            findings.setdefault(f["position"], []).append(
                Finding(
                    f["rule"], f["impact"], f["nodes"], f["help"], f["help_url"], bool(f["new"])
                )
            )
        steps = []
        rows = self.conn.execute(
            "SELECT * FROM steps WHERE check_id = ? ORDER BY rowid", (check_id,)
        )
        for n, s in enumerate(rows):
            v, a = vitals.get(n), audits.get(n)
            steps.append(
                StepTiming(
                    s["flow"],
                    s["step"],
                    s["duration_s"],
                    bool(s["passed"]),
                    s["title"],
                    vitals=_vitals(s, v) if v is not None else None,
                    a11y=StepA11y(tuple(findings.get(n, ())), a["same_as"], a["error"])
                    if a is not None
                    else None,
                )
            )
        return steps

    def close(self) -> None:
        self.conn.close()


def _beat(row: sqlite3.Row) -> Beat:
    return Beat(
        datetime.fromisoformat(row["started_at"]),
        row["outcome"],
        row["duration_s"],
        row["reason"],
        row["message"],
        row["failed_step"],
        row["evidence"],
        bool(row["maintenance"]),
        row["audit_s"],
    )


def _vitals_row(v: StepVitals) -> tuple[object, ...]:
    return (int(v.loaded), v.ttfb_s, v.fcp_s, v.lcp_s, v.cls, v.inp_s, v.requests, v.transfer_bytes)


def _vitals(step: sqlite3.Row, v: sqlite3.Row) -> StepVitals:
    return StepVitals(
        step["flow"],
        step["step"],
        step["title"],
        loaded=bool(v["loaded"]),
        ttfb_s=v["ttfb_s"],
        fcp_s=v["fcp_s"],
        lcp_s=v["lcp_s"],
        cls=v["cls"],
        inp_s=v["inp_s"],
        requests=v["requests"],
        transfer_bytes=v["transfer_bytes"],
    )
