from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from mock_portal import codes, store
from mock_portal.config import PortalConfig

CONFIG = PortalConfig()
NISS = "11115611236"
T0 = datetime(2026, 11, 23, 10, tzinfo=UTC)


@pytest.fixture
def conn() -> Iterator:
    connection = store.connect(":memory:")
    yield connection
    connection.close()


def send(conn, channel: str = "sms", now: datetime = T0) -> str:
    with store.transaction(conn):
        codes.send(
            conn,
            niss=NISS,
            purpose="registration",
            channel=channel,
            recipient="x",
            now=now,
            config=CONFIG,
        )
    return codes.outbox(conn, NISS, now + timedelta(days=365))[0]["code"]


def check(conn, code: str, now: datetime = T0) -> codes.Check:
    with store.transaction(conn):
        return codes.check(
            conn, niss=NISS, purpose="registration", code=code, now=now, config=CONFIG
        )


def test_a_code_works_once(conn) -> None:
    code = send(conn)
    assert check(conn, code).verdict is codes.Verdict.ACCEPTED
    assert check(conn, code).verdict is codes.Verdict.USED


def test_a_newer_code_supersedes_older_ones(conn) -> None:
    old = send(conn)
    new = send(conn, now=T0 + timedelta(minutes=1))
    assert old != new or pytest.skip("the same random code came twice")
    later = T0 + timedelta(minutes=2)
    assert check(conn, old, now=later).verdict is codes.Verdict.EXPIRED
    assert check(conn, new, now=later).verdict is codes.Verdict.ACCEPTED


def test_a_code_expires_after_its_validity(conn) -> None:
    code = send(conn)
    later = T0 + timedelta(minutes=CONFIG.code_ttl_minutes)
    assert check(conn, code, now=later).verdict is codes.Verdict.EXPIRED


def test_wrong_codes_block_after_the_limit_until_the_block_ends(conn) -> None:
    code = send(conn)
    wrong = "000000" if code != "000000" else "111111"
    results = [check(conn, wrong) for _ in range(CONFIG.code_max_attempts)]
    assert [r.attempts_left for r in results[:-1]] == list(
        range(CONFIG.code_max_attempts - 1, 0, -1)
    )
    assert results[-1].verdict is codes.Verdict.BLOCKED
    assert check(conn, code).verdict is codes.Verdict.BLOCKED  # even the right code
    after = T0 + timedelta(minutes=CONFIG.block_minutes, seconds=1)
    assert check(conn, code, now=after).verdict is codes.Verdict.ACCEPTED


def test_a_letter_code_is_hidden_and_refused_until_delivered(conn) -> None:
    with store.transaction(conn):
        codes.send(
            conn,
            niss=NISS,
            purpose="registration",
            channel="letter",
            recipient="Rua A",
            now=T0,
            config=CONFIG,
        )
    [message] = codes.outbox(conn, NISS, T0)
    assert message["code"] is None
    assert message["delivered"] is False
    delivered = datetime.fromisoformat(message["deliver_at"])
    assert (delivered - T0).days >= CONFIG.letter_business_days
    [message] = codes.outbox(conn, NISS, delivered)
    assert message["delivered"] is True
    assert check(conn, message["code"], now=delivered - timedelta(seconds=1)).verdict is (
        codes.Verdict.WRONG
    )
    assert check(conn, message["code"], now=delivered).verdict is codes.Verdict.ACCEPTED


def test_outbox_lists_newest_first(conn) -> None:
    send(conn, "email")
    send(conn, "sms", now=T0 + timedelta(seconds=5))
    channels = [m["channel"] for m in codes.outbox(conn, NISS, T0 + timedelta(minutes=1))]
    assert channels == ["sms", "email"]
