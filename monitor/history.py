"""The monitor's history in SQLite (WAL): every check with its steps (their Web Vitals and
accessibility) and its codes' delivery, kept across restarts. A database of an older monitor
gains the tables it lacks on opening."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from monitor.results import NOT_DOWNTIME, CheckResult, CodeTiming, Finding, StepA11y, StepTiming
from runtime.vitals import StepVitals

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
