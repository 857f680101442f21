"""The monitor's history in SQLite (WAL): every check with its steps (their Web Vitals and
accessibility) and its codes' delivery, and the alerts sent, kept across restarts. A database
of an older monitor gains the tables and columns it lacks on opening.

The status page's history (heartbeats, the duration chart, incidents) reads light rows,
``Beat``: one per check, without its steps or codes. A month of checks every 30 s is 86,400
rows a check, so the page never reads them all: its incidents come from the failed rows (a
partial index holds them) and the checks right after each run, its uptimes from counts, and
each of its reads stops ``before`` the page's time, leaving out results a skewed clock dated
in the future."""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
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
-- The few checks that were not simply up: incidents and uptimes read these, not the month.
CREATE INDEX IF NOT EXISTS checks_not_up ON checks (check_name, started_at)
    WHERE outcome = 'failure' OR maintenance = 1;
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

    @cached_property  # the chart asks for it several times over thousands of beats
    def portal_s(self) -> float | None:
        """The time the degraded threshold is about: the audits aside (``CheckResult``'s).
        None when unknown: a duration that is not a finite number (a bad record)."""
        if not (math.isfinite(self.duration_s) and math.isfinite(self.audit_s)):
            return None
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

    def last(self, check: str, *, before: datetime | None = None) -> CheckResult | None:
        """The last check recorded; with ``before``, the last that started before it."""
        args: tuple[str, ...] = ()
        if before is None:
            query = "SELECT * FROM checks WHERE check_name = ? ORDER BY id DESC LIMIT 1"
        else:
            query = (
                "SELECT * FROM checks WHERE check_name = ? AND started_at < ?"
                " ORDER BY started_at DESC, id DESC LIMIT 1"
            )
            args = (before.isoformat(),)
        row = self.conn.execute(query, (check, *args)).fetchone()
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
        self,
        check: str,
        *,
        since: datetime | None = None,
        limit: int | None = None,
        before: datetime | None = None,
    ) -> list[Beat]:
        """The checks of ``check``, oldest first: those since ``since`` and before
        ``before``, the newest ``limit`` of them (any of these, or none)."""
        query = (
            "SELECT id, started_at, outcome, duration_s, reason, message, failed_step, evidence,"
            " maintenance, audit_s FROM checks WHERE check_name = ? AND started_at >= ?"
            " AND started_at < ? ORDER BY started_at DESC, id DESC LIMIT ?"
        )
        args = (check, _after(since), _before(before), -1 if limit is None else limit)
        return [_beat(row) for row in reversed(self.conn.execute(query, args).fetchall())]

    def failure_runs(
        self, check: str, *, since: datetime, before: datetime, follow: int = 1
    ) -> list[Beat]:
        """What the incidents between ``since`` and ``before`` are made of, oldest first:
        every check outside maintenance that failed, and after each run of them the next
        ``follow`` checks outside maintenance (the first ends the run; the alert policy
        recovers after ``successes_to_recover`` of them). Between two runs the checks that
        worked change nothing more, so a month of checks is read as its failures: a partial
        index holds them, and each one's next check is one step along the other index."""
        after, end = since.isoformat(), before.isoformat()
        failed = self.conn.execute(
            "SELECT id, started_at, outcome, duration_s, reason, message, failed_step, evidence,"
            " maintenance, audit_s, ("
            "  SELECT n.id FROM checks n WHERE n.check_name = c.check_name AND n.maintenance = 0"
            "  AND n.started_at >= c.started_at AND n.started_at < :before"
            "  AND (n.started_at > c.started_at OR n.id > c.id)"
            "  ORDER BY n.started_at, n.id LIMIT 1"
            ") AS next_id FROM checks c WHERE c.check_name = :check"
            " AND (c.outcome = 'failure' OR c.maintenance = 1)"  # the partial index's rows
            " AND c.outcome = 'failure' AND c.maintenance = 0"
            " AND c.started_at >= :since AND c.started_at < :before"
            " ORDER BY c.started_at, c.id",
            {"check": check, "since": after, "before": end},
        ).fetchall()
        rows = {row["id"]: row for row in failed}
        for n, row in enumerate(failed):
            following = failed[n + 1] if n + 1 < len(failed) else None
            if row["next_id"] is None or _same_run(row, following):
                continue  # nothing came after it yet, or the run goes on
            for after_run in self._next(check, row, end, max(follow, 1)):
                rows.setdefault(after_run["id"], after_run)
        ordered = sorted(rows.values(), key=lambda r: (r["started_at"], r["id"]))
        return [_beat(row) for row in ordered]

    def _next(self, check: str, row: sqlite3.Row, before: str, count: int) -> list[sqlite3.Row]:
        """The ``count`` checks outside maintenance after ``row`` (and before ``before``)."""
        return self.conn.execute(
            "SELECT id, started_at, outcome, duration_s, reason, message, failed_step, evidence,"
            " maintenance, audit_s FROM checks WHERE check_name = ? AND maintenance = 0"
            " AND started_at >= ? AND started_at < ? AND (started_at > ? OR id > ?)"
            " ORDER BY started_at, id LIMIT ?",
            (check, row["started_at"], before, row["started_at"], row["id"], count),
        ).fetchall()

    def later(self, check: str, at: datetime) -> int:
        """How many checks of ``check`` are dated ``at`` or later: in the future, for a page
        of that time (a clock set wrong when they ran, or now)."""
        row = self.conn.execute(
            "SELECT COUNT(*) FROM checks WHERE check_name = ? AND started_at >= ?",
            (check, at.isoformat()),
        ).fetchone()
        return int(row[0])

    def version(self) -> tuple[int, int]:
        """The last check's and the last alert's row numbers: they change whenever the
        history does (it is only added to), and reading them costs next to nothing."""
        checks = self.conn.execute("SELECT MAX(id) FROM checks").fetchone()[0]
        alerts = self.conn.execute("SELECT MAX(rowid) FROM alerts").fetchone()[0]
        return int(checks or 0), int(alerts or 0)

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

    def alerts(
        self, check: str, since: datetime, *, before: datetime | None = None
    ) -> list[SentAlert]:
        """The notifications sent since ``since`` (and before ``before``) about ``check``
        failing, oldest first."""
        rows = self.conn.execute(
            "SELECT kind, reason, since, at FROM alerts WHERE check_name = ? AND at >= ?"
            " AND at < ? AND accessibility = 0 ORDER BY at, rowid",
            (check, since.isoformat(), _before(before)),
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

    def uptime(
        self, check: str, since: datetime, *, before: datetime | None = None
    ) -> float | None:
        """Share of checks since ``since`` (before ``before``) that were not portal
        downtime; maintenance and our own errors do not count. None when nothing was
        checked."""
        return self._shares(check, (since, since, since), before)[0]

    def uptimes(
        self, check: str, now: datetime, *, before: datetime | None = None
    ) -> dict[str, float | None]:
        """The uptime over the 24 h, 7 days and 30 days up to ``now`` (checks before
        ``before``)."""
        day, week, month = (now - delta for _, delta in UPTIME_WINDOWS)
        shares = self._shares(check, (day, week, month), before)
        return {label: share for (label, _), share in zip(UPTIME_WINDOWS, shares, strict=True)}

    def _shares(
        self, check: str, starts: tuple[datetime, datetime, datetime], before: datetime | None
    ) -> list[float | None]:
        """The uptime of each of three windows (from each start, the last the longest),
        from counts: every check in them (the index alone answers), then of the few that
        were not simply up (the partial index's rows), those left out (maintenance, our own
        errors) and the rest, the portal's downtime."""
        since = [start.isoformat() for start in starts]
        bounds = (check, since[-1], _before(before))
        totals = self.conn.execute(
            "SELECT COUNT(CASE WHEN started_at >= ? THEN 1 END),"
            " COUNT(CASE WHEN started_at >= ? THEN 1 END), COUNT(*) FROM checks"
            " WHERE check_name = ? AND started_at >= ? AND started_at < ?",
            (*since[:2], *bounds),
        ).fetchone()
        counts = self.conn.execute(
            "WITH apart AS (SELECT value FROM json_each(?)),"
            " unusual AS (SELECT started_at, maintenance = 1 OR reason IN apart AS left_out"
            "  FROM checks WHERE check_name = ? AND started_at >= ? AND started_at < ?"
            "  AND (outcome = 'failure' OR maintenance = 1))"  # the partial index's rows
            " SELECT COUNT(CASE WHEN left_out AND started_at >= ? THEN 1 END),"
            " COUNT(CASE WHEN left_out AND started_at >= ? THEN 1 END),"
            " COUNT(CASE WHEN left_out THEN 1 END),"
            " COUNT(CASE WHEN NOT left_out AND started_at >= ? THEN 1 END),"
            " COUNT(CASE WHEN NOT left_out AND started_at >= ? THEN 1 END),"
            " COUNT(CASE WHEN NOT left_out THEN 1 END) FROM unusual",
            (json.dumps(NOT_DOWNTIME), *bounds, *since[:2], *since[:2]),
        ).fetchone()
        shares: list[float | None] = []
        for n, total in enumerate(totals):
            counted = total - counts[n]
            shares.append((counted - counts[3 + n]) / counted if counted else None)
        return shares

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


UPTIME_WINDOWS = (
    ("24h", timedelta(days=1)),
    ("7d", timedelta(days=7)),
    ("30d", timedelta(days=30)),
)


def _after(at: datetime | None) -> str:
    return at.isoformat() if at is not None else ""


def _before(at: datetime | None) -> str:
    """A bound above every time stored (ISO 8601 starts with a digit)."""
    return at.isoformat() if at is not None else "~"


def _same_run(failed: sqlite3.Row, following: sqlite3.Row | None) -> bool:
    """Whether the failed check ``following`` is the next after ``failed`` outside
    maintenance, and failed the same way: the portal's downtime, or our own error."""
    if following is None or failed["next_id"] != following["id"]:
        return False
    return (failed["reason"] in NOT_DOWNTIME) == (following["reason"] in NOT_DOWNTIME)


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
