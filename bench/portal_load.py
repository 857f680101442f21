"""The mock portal under load: throughput and latency at 32 concurrent connections.

Three loads, each on its own: a bare page served by the same ASGI server (``/healthz``, the
ceiling), the home page, and the form post that stores a registration, each of those posted
once from its own session prepared beforehand. Afterwards every registration posted must be
in the portal's database, with its code in the outbox.

The load generator is Debian's ``wrk`` (installed by ``make setup``); without it, a bounded
async client (httpx), which shares the cores with the portal and so measures less.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import wrk
from bench.stats import summary
from runtime.citizens import citizen_record, synthetic_faker

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SESSION_COOKIE = "ssd_sessao"
LUA = Path(__file__).with_name("registration.lua")
# The bench's own portal runs the classic markup: its paths and field names.
CHANNEL_POST = "/registo/canal"
CHANNEL_FORM = "canal=sms"


@dataclass(frozen=True)
class Registration:
    """A session that has accepted the terms and identified a citizen: one post from stored."""

    niss: str
    session: str
    csrf: str


def measure(
    url: str, token: str, db: Path, *, concurrency: int, requests: int, seconds: float
) -> dict:
    """The three loads; GETs run ``seconds`` each (or ``requests`` without wrk), and
    ``requests`` registrations are posted."""
    prepared = asyncio.run(prepare(url, token, requests, concurrency))
    if wrk.available():
        loads = {
            "bare page (ceiling)": wrk.run(
                f"{url}/healthz", concurrency=concurrency, seconds=seconds
            ),
            "home page": wrk.run(f"{url}/", concurrency=concurrency, seconds=seconds),
            "registration form post": _wrk_registrations(url, db, prepared, concurrency),
        }
    else:
        loads = {
            "bare page (ceiling)": asyncio.run(_get(url, "/healthz", concurrency, requests)),
            "home page": asyncio.run(_get(url, "/", concurrency, requests)),
            "registration form post": asyncio.run(_post(url, prepared, concurrency)),
        }
    loads["registration form post"]["stored"] = stored(db, prepared)
    loads["registration form post"]["posted"] = len(prepared)
    return loads


# Preparing the registrations ----------------------------------------------------------------
async def prepare(url: str, token: str, count: int, concurrency: int) -> list[Registration]:
    """``count`` new citizens, each identified in a session of its own up to the channel."""
    fake = synthetic_faker()
    records = iter([citizen_record(fake) for _ in range(count)])
    prepared: list[Registration] = []

    async def connection() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            for record in records:
                client.cookies.clear()  # a session of its own
                created = await client.post(
                    "/__test__/citizens", json=record, headers={"X-Test-Token": token}
                )
                created.raise_for_status()
                prepared.append(await _identify(client, created.json()))

    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return prepared


async def _identify(client: httpx.AsyncClient, citizen: dict) -> Registration:
    csrf = CSRF.search((await client.get("/registo")).text).group(1)
    await client.post("/registo", data={"csrf_token": csrf})
    identified = await client.post(
        "/registo/identificacao",
        data={
            "csrf_token": csrf,
            "tipo_conta": "cidadao",
            "niss": citizen["niss"],
            "data_nascimento": _day_month_year(citizen["birth_date"]),
            "nao_sou_robo": "sim",
        },
    )
    if identified.status_code != 303:
        raise RuntimeError(f"identification refused ({identified.status_code})")
    return Registration(citizen["niss"], client.cookies[SESSION_COOKIE], csrf)


def _day_month_year(iso_date: str) -> str:
    year, month, day = iso_date.split("-")
    return f"{day}-{month}-{year}"


# Checking what the portal stored --------------------------------------------------------------
def stored(db: Path, prepared: Iterable[Registration]) -> int:
    """How many of the prepared registrations have a pending account and a code sent."""
    wanted = {registration.niss for registration in prepared}
    with closing(_read_only(db)) as conn:
        accounts = {n for (n,) in conn.execute("SELECT niss FROM accounts WHERE status='pending'")}
        codes = {
            n for (n,) in conn.execute("SELECT niss FROM messages WHERE purpose='registration'")
        }
    return len(wanted & accounts & codes)


def _pending_accounts(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM accounts WHERE status='pending'").fetchone()[0]


def _read_only(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)


# Loading with wrk --------------------------------------------------------------------------
def _wrk_registrations(url: str, db: Path, prepared: list[Registration], concurrency: int) -> dict:
    # One database connection for the whole run: the count is read every 20 ms while wrk posts.
    with tempfile.TemporaryDirectory() as scratch, closing(_read_only(db)) as conn:
        sessions = Path(scratch) / "sessions"
        sessions.write_text("".join(f"{r.session} {r.csrf}\n" for r in prepared))
        target = _pending_accounts(conn) + len(prepared)
        return wrk.run(
            f"{url}{CHANNEL_POST}",
            concurrency=concurrency,
            # At most: well under 100 posts a second would already be a failure.
            seconds=max(10.0, len(prepared) / 50),
            script=LUA,
            env={
                "SENTINEL_BENCH_SESSIONS": str(sessions),
                "SENTINEL_BENCH_POST": CHANNEL_POST,
                "SENTINEL_BENCH_BODY": CHANNEL_FORM,
            },
            done=lambda: _pending_accounts(conn) >= target,
        )


# Loading with a bounded async client (no wrk) ----------------------------------------------
Send = Callable[[httpx.AsyncClient, object], Awaitable[httpx.Response]]


async def _get(url: str, path: str, concurrency: int, requests: int) -> dict:
    async def send(client: httpx.AsyncClient, _: object) -> httpx.Response:
        return await client.get(path)

    return await _load(url, [None] * requests, concurrency, send)


async def _post(url: str, prepared: list[Registration], concurrency: int) -> dict:
    async def send(client: httpx.AsyncClient, registration: object) -> httpx.Response:
        assert isinstance(registration, Registration)
        return await client.post(
            CHANNEL_POST,
            content=f"{CHANNEL_FORM}&csrf_token={registration.csrf}",
            headers={
                "content-type": "application/x-www-form-urlencoded",
                "cookie": f"{SESSION_COOKIE}={registration.session}",
            },
        )

    return await _load(url, prepared, concurrency, send)


async def _load(url: str, work: list, concurrency: int, send: Send) -> dict:
    """Each of ``concurrency`` connections sends the next piece of work until none is left."""
    latencies: list[float] = []
    errors = 0
    queue = iter(work)

    async def connection() -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            for item in queue:
                started = time.perf_counter()
                try:
                    ok = (await send(client, item)).status_code < 400
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += 0 if ok else 1

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    stats = summary(latencies)
    return {
        "requests": len(latencies),
        "errors": errors,
        "per_second": len(latencies) / elapsed,
        "p50_ms": stats["median"] * 1000,
        "p99_ms": stats["p99"] * 1000,
        "client": "httpx",
    }
