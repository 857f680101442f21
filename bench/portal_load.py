"""The mock portal under load: throughput and latency at 32 concurrent connections.

A bounded async client (httpx) on loopback; beside the portal's pages, a bare page served by
the same ASGI server (``/healthz``) is the ceiling.
"""

from __future__ import annotations

import asyncio
import re
import time

import httpx

from bench.stats import summary

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def _load(url: str, concurrency: int, requests: int, make_request) -> dict:
    latencies: list[float] = []
    errors = 0
    remaining = requests

    async def worker(client: httpx.AsyncClient, state: dict) -> None:
        nonlocal remaining, errors
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            try:
                response = await make_request(client, state)
                ok = response.status_code < 400
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - started)
            errors += 0 if ok else 1

    clients = [httpx.AsyncClient(base_url=url, timeout=30) for _ in range(concurrency)]
    states = [await _prepare(client, make_request) for client in clients]
    started = time.perf_counter()
    await asyncio.gather(*(worker(c, s) for c, s in zip(clients, states, strict=True)))
    elapsed = time.perf_counter() - started
    for client in clients:
        await client.aclose()
    stats = summary(latencies)
    return {
        "requests": len(latencies),
        "errors": errors,
        "per_second": len(latencies) / elapsed,
        "p50_ms": stats["median"] * 1000,
        "p99_ms": stats["p99"] * 1000,
    }


async def _prepare(client: httpx.AsyncClient, make_request) -> dict:
    prepare = getattr(make_request, "prepare", None)
    return await prepare(client) if prepare else {}


async def _get_home(client: httpx.AsyncClient, state: dict) -> httpx.Response:
    return await client.get("/")


async def _get_bare(client: httpx.AsyncClient, state: dict) -> httpx.Response:
    return await client.get("/healthz")


def _identification(citizen: dict):
    """Registration's identification form, posted again and again by one session each."""

    async def prepare(client: httpx.AsyncClient) -> dict:
        token = CSRF.search((await client.get("/registo")).text).group(1)
        await client.post("/registo", data={"csrf_token": token})
        page = await client.get("/registo/identificacao")
        return {"token": CSRF.search(page.text).group(1)}

    async def post(client: httpx.AsyncClient, state: dict) -> httpx.Response:
        return await client.post(
            "/registo/identificacao",
            data={
                "csrf_token": state["token"],
                "tipo_conta": "cidadao",
                "niss": citizen["niss"],
                "data_nascimento": citizen["birth_date"],
                "nao_sou_robo": "sim",
            },
        )

    post.prepare = prepare
    return post


def measure(url: str, citizen: dict, concurrency: int, requests: int) -> dict:
    return {
        "bare page (ceiling)": asyncio.run(_load(url, concurrency, requests, _get_bare)),
        "home page": asyncio.run(_load(url, concurrency, requests, _get_home)),
        "registration form post": asyncio.run(
            _load(url, concurrency, requests, _identification(citizen))
        ),
    }
