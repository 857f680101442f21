from __future__ import annotations

from pathlib import Path

import pytest

from mock_portal import store


def test_file_databases_use_wal(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "sub" / "portal.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_failed_transaction_writes_nothing(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "portal.db")

    def write_then_fail() -> None:
        with store.transaction(conn):
            store.set_setting(conn, "wording", "guide")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert store.settings(conn) == {}


def test_reset_empties_every_table(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "portal.db")
    with store.transaction(conn):
        store.set_setting(conn, "clock_offset", 60)
        conn.execute(
            "INSERT INTO citizens (niss, kind, name, birth_date, created_at) "
            "VALUES ('11115611236', 'person', 'A', '1980-01-01', 'now')"
        )
    store.reset(conn)
    for table in store.TABLES:
        assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0  # noqa: S608
