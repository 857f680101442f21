"""The test-control API under ``/__test__/``: the contract the harness and staging adapters use.

Enabled only when the server has a test token; every call carries it in ``X-Test-Token``.
Disabled: 404. Wrong or missing token: 401. JSON in and out; bad input gets 400 or 422 with
``{"error": "..."}`` and changes nothing.

``GET /__test__/`` lists the capabilities offered (see ``contract``). A call of a capability the
portal does not offer answers 404 to every method, as on a portal that never had it, and an
``account`` field is then an unknown field: nothing is created.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mock_portal import codes, contract, markup, passwords, records, store, wording
from mock_portal import niss as niss_rules
from mock_portal.timekeeping import iso, now
from mock_portal.validation import Invalid, control_character, email, mobile, pin
from mock_portal.web import read_body

MAX_JSON_BYTES = 8192
MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600
FAULT_FIELDS = {
    "latency_ms",
    "error_rate",
    "error_status",
    "maintenance",
    "path_prefix",
    "withhold_codes",
    "inaccessible",
}
CITIZEN_FIELDS = {"niss", "birth_date", "name", "email", "mobile", "address", "kind", "cmd"}
EVERY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


Endpoint = Callable[[Request], Awaitable[Any]]


def _api(handler: Endpoint, status: int = 200) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        portal = request.app.state.portal
        if not portal.test_token:
            return JSONResponse({"error": "not found"}, status_code=404)
        given = request.headers.get("x-test-token", "")
        if not hmac.compare_digest(given.encode(), portal.test_token.encode()):
            return JSONResponse({"error": "missing or wrong X-Test-Token"}, status_code=401)
        try:
            result = await handler(request)
        except ApiError as error:
            return JSONResponse({"error": error.message}, status_code=error.status)
        return JSONResponse(result, status_code=status)

    return endpoint


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await read_body(request, MAX_JSON_BYTES)
    except Exception:
        raise ApiError(413, f"body larger than {MAX_JSON_BYTES} bytes") from None
    if not body:
        return {}
    try:
        value = json.loads(body, parse_constant=_no_constant)
        # A lone surrogate ("\ud800") decodes, but no database or answer can hold it.
        json.dumps(value, ensure_ascii=False).encode()
    except RecursionError:
        raise ApiError(400, "body is not valid JSON: nested too deeply") from None
    except ValueError:
        # Bad syntax, bad UTF-8, NaN or Infinity, or an integer too long to read.
        raise ApiError(400, "body is not valid JSON") from None
    if not isinstance(value, dict):
        raise ApiError(400, "body must be a JSON object")
    return value


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (RFC 8259), though Python's parser takes them."""
    raise ValueError(f"{name} is not a JSON value")


def _conn(request: Request):
    return request.app.state.portal.conn


def _now(request: Request):
    return now(store.settings(_conn(request)).get("clock_offset", 0))


def _text(body: dict[str, Any], key: str, *, required: bool = False, limit: int = 200):
    value = body.get(key)
    if value is None:
        if required:
            raise ApiError(422, f"{key} is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise ApiError(422, f"{key} must be a non-empty string")
    if len(value) > limit:
        raise ApiError(422, f"{key} is longer than {limit} characters")
    _no_control(key, value)
    return value.strip()


def _no_control(key: str, value: str) -> None:
    """400, as for a body that is not JSON: such a value is no text at all, and the portal's
    forms would refuse it (see validation.control_character)."""
    found = control_character(value)
    if found:
        raise ApiError(400, f"{key} must not contain control characters ({found} found)")


def _offered(request: Request) -> tuple[str, ...]:
    return request.app.state.test_capabilities


async def capabilities(request: Request) -> dict[str, Any]:
    return {
        "contract": contract.NAME,
        "version": contract.VERSION,
        "capabilities": list(_offered(request)),
    }


async def create_citizen(request: Request) -> dict[str, Any]:
    body = await _json(request)
    known = CITIZEN_FIELDS | ({"account"} if "accounts" in _offered(request) else set())
    unknown = set(body) - known
    if unknown:
        raise ApiError(422, f"unknown fields: {', '.join(sorted(unknown))}")
    clock = _now(request)
    kind = body.get("kind", "person")
    if kind not in ("person", "company"):
        raise ApiError(422, "kind must be 'person' or 'company'")
    number = _text(body, "niss")
    if number is not None:
        problem = niss_rules.problem(number)
        if problem:
            raise ApiError(422, f"niss is not valid ({problem.value})")
        if niss_rules.kind_of(number) != kind:
            raise ApiError(422, f"niss {number[0]}... does not fit kind {kind!r}")
    born = _birth_date(_text(body, "birth_date", required=True), clock.date())
    values: dict[str, Any] = {
        "kind": kind,
        "name": _text(body, "name", required=True),
        "birth_date": born.isoformat(),
        "address": _text(body, "address", limit=500),
        "created_at": iso(clock),
    }
    try:
        raw_email, raw_mobile = _text(body, "email", limit=254), _text(body, "mobile", limit=32)
        values["email"] = email(raw_email) if raw_email else None
        values["mobile"] = mobile(raw_mobile) if raw_mobile else None
    except Invalid as problem:
        raise ApiError(422, str(problem)) from None
    values.update(await _cmd(body.get("cmd"), request))
    account = await _account(body.get("account"), request)
    conn = _conn(request)
    with store.transaction(conn):
        if number is None:
            number = _unused_niss(conn, kind)
        elif records.citizen(conn, number):
            raise ApiError(409, "a citizen with this niss exists")
        if values.get("cmd_mobile") and records.citizen_by_cmd_mobile(conn, values["cmd_mobile"]):
            raise ApiError(409, "another citizen has this Chave Móvel Digital mobile")
        records.insert_citizen(conn, {"niss": number, **values})
        if account is not None:
            _open_account(request, number, account, clock)
    return _citizen_json(conn, number)


async def _account(raw: Any, request: Request) -> dict[str, Any] | None:
    """The account a citizen starts with, as the documented flows would have left it:
    ``{"status": "pending", "channel": "sms"}`` (registered, the code sent) or
    ``{"status": "active", "password": "..."}`` (registered and activated)."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or raw.get("status") not in ("pending", "active"):
        raise ApiError(422, "account must be an object with status 'pending' or 'active'")
    if raw["status"] == "pending":
        if set(raw) != {"status", "channel"} or raw["channel"] not in ("sms", "email", "letter"):
            raise ApiError(422, "a pending account needs only channel: sms, email or letter")
        return {"status": "pending", "channel": raw["channel"]}
    password = raw.get("password")
    if set(raw) != {"status", "password"} or not isinstance(password, str):
        raise ApiError(422, "an active account needs only its password")
    if not 0 < len(password) <= 128:
        raise ApiError(422, "password must have 1 to 128 characters")
    _no_control("account.password", password)
    n = request.app.state.portal.config.scrypt_n
    hashed = await run_in_threadpool(passwords.hash_password, password, n=n)
    return {"status": "active", "password_hash": hashed}


def _open_account(request: Request, number: str, account: dict[str, Any], clock) -> None:
    """Within the caller's transaction: the same records registration and activation write."""
    conn = _conn(request)
    citizen = records.citizen(conn, number)
    assert citizen is not None
    records.create_pending_account(conn, number, iso(clock))
    if account["status"] == "active":
        records.activate(conn, number, account["password_hash"], iso(clock))
        return
    if account["channel"] not in citizen.channels:
        offered = ", ".join(citizen.channels)
        raise ApiError(422, f"the portal offers this citizen {offered}, not {account['channel']}")
    codes.send(
        conn,
        niss=number,
        purpose="registration",
        channel=account["channel"],
        recipient=citizen.recipient(account["channel"]),
        now=clock,
        config=request.app.state.portal.config,
    )


def _birth_date(raw: str, today: date) -> date:
    try:
        born = date.fromisoformat(raw)
    except ValueError:
        raise ApiError(422, "birth_date must be YYYY-MM-DD") from None
    if born > today or born.year < 1900:
        raise ApiError(422, "birth_date must be between 1900-01-01 and today")
    return born


async def _cmd(raw: Any, request: Request) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or set(raw) != {"mobile", "pin"}:
        raise ApiError(422, "cmd must be an object with mobile and pin")
    for key in ("mobile", "pin"):
        _no_control(f"cmd.{key}", str(raw[key]))
    try:
        cmd_mobile = mobile(str(raw["mobile"]))
        cmd_pin = pin(str(raw["pin"]))
    except Invalid as problem:
        raise ApiError(422, f"cmd: {problem}") from None
    n = request.app.state.portal.config.scrypt_n
    pin_hash = await run_in_threadpool(passwords.hash_password, cmd_pin, n=n)
    return {"cmd_mobile": cmd_mobile, "cmd_pin_hash": pin_hash}


def _unused_niss(conn, kind: str) -> str:
    while True:
        number = niss_rules.generate(kind)
        if records.citizen(conn, number) is None:
            return number


def _citizen_json(conn, number: str) -> dict[str, Any]:
    citizen = records.citizen(conn, number)
    account = records.account(conn, number)
    assert citizen is not None
    return {
        "niss": citizen.niss,
        "kind": citizen.kind,
        "name": citizen.name,
        "birth_date": citizen.birth_date.isoformat(),
        "email": citizen.email,
        "mobile": citizen.mobile,
        "address": citizen.address,
        "cmd": {"mobile": citizen.cmd_mobile} if citizen.cmd_mobile else None,
        "account": {"status": account.status, "origin": account.origin} if account else None,
    }


async def get_citizen(request: Request) -> dict[str, Any]:
    number = request.path_params["niss"]
    conn = _conn(request)
    if records.citizen(conn, number) is None:
        raise ApiError(404, "no citizen with this niss")
    return _citizen_json(conn, number)


async def outbox(request: Request) -> list[dict[str, Any]]:
    number = request.query_params.get("niss", "")
    if niss_rules.problem(number):
        raise ApiError(400, "niss query parameter must be a valid NISS")
    return codes.outbox(_conn(request), number, _now(request))


async def clock(request: Request) -> dict[str, Any]:
    conn = _conn(request)
    if request.method == "POST":
        body = await _json(request)
        advance = body.get("advance_seconds")
        if isinstance(advance, bool) or not isinstance(advance, int | float):
            raise ApiError(422, "advance_seconds must be a number")
        if not 0 <= advance <= MAX_ADVANCE_SECONDS:
            raise ApiError(422, "advance_seconds must be between 0 and ten years")
        with store.transaction(conn):
            offset = store.settings(conn).get("clock_offset", 0) + advance
            store.set_setting(conn, "clock_offset", offset)
    return {"now": iso(_now(request))}


async def faults(request: Request) -> dict[str, Any]:
    """``POST``: the faults in force, replacing any set before (fields of ``FAULT_FIELDS``):
    ``latency_ms``, ``error_rate`` with ``error_status``, ``maintenance`` (a 503 page) on the
    pages under ``path_prefix``; ``withhold_codes`` (no new code is delivered); ``inaccessible``
    (the registration's identification screen shows an image without alt text, an input
    without a label and low-contrast text). ``DELETE``: none."""
    conn = _conn(request)
    if request.method == "DELETE":
        with store.transaction(conn):
            store.delete_setting(conn, "faults")
        return {"faults": None}
    body = await _json(request)
    unknown = set(body) - FAULT_FIELDS
    if unknown:
        raise ApiError(422, f"unknown fields: {', '.join(sorted(unknown))}")
    spec = _fault_spec(body)
    with store.transaction(conn):
        store.set_setting(conn, "faults", spec)
    return {"faults": spec}


def _fault_spec(body: dict[str, Any]) -> dict[str, Any]:
    latency = body.get("latency_ms", 0)
    rate = body.get("error_rate", 0)
    status = body.get("error_status", 500)
    prefix = body.get("path_prefix", "/")
    maintenance = body.get("maintenance", False)
    # Every new code is then written without being delivered, by any channel (see delivery).
    withhold = body.get("withhold_codes", False)
    # The registration's identification screen then breaks three WCAG rules (see web.Page).
    inaccessible = body.get("inaccessible", False)
    if isinstance(latency, bool) or not isinstance(latency, int) or not 0 <= latency <= 120_000:
        raise ApiError(422, "latency_ms must be a whole number from 0 to 120000")
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 1:
        raise ApiError(422, "error_rate must be a number from 0 to 1")
    if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
        raise ApiError(422, "error_status must be an HTTP error status (400-599)")
    if not isinstance(prefix, str) or not prefix.startswith("/") or len(prefix) > 200:
        raise ApiError(422, "path_prefix must be a path starting with /")
    _no_control("path_prefix", prefix)
    if not isinstance(maintenance, bool):
        raise ApiError(422, "maintenance must be true or false")
    if not isinstance(withhold, bool):
        raise ApiError(422, "withhold_codes must be true or false")
    if not isinstance(inaccessible, bool):
        raise ApiError(422, "inaccessible must be true or false")
    return {
        "latency_ms": latency,
        "error_rate": rate,
        "error_status": status,
        "maintenance": maintenance,
        "path_prefix": prefix,
        "withhold_codes": withhold,
        "inaccessible": inaccessible,
    }


def _choice(key: str, field: str, allowed: tuple[str, ...]) -> Endpoint:
    async def handler(request: Request) -> dict[str, Any]:
        body = await _json(request)
        value = body.get(field)
        if value not in allowed:
            raise ApiError(422, f"{field} must be one of: {', '.join(allowed)}")
        conn = _conn(request)
        with store.transaction(conn):
            store.set_setting(conn, key, value)
        return {field: value}

    return handler


async def reset(request: Request) -> dict[str, Any]:
    conn = _conn(request)
    store.reset(conn)
    # Freshly installed as this process was started: with its startup wording and markup.
    set_startup(conn, request.app.state.startup_settings)
    return {"reset": True}


def set_startup(conn, startup: dict[str, str]) -> None:
    """Store the settings chosen when the portal started (``sentinel mock --wording ...``),
    as the calls that change them would."""
    if startup:
        with store.transaction(conn):
            for key, value in startup.items():
                store.set_setting(conn, key, value)


async def _not_offered(request: Request) -> Any:
    offered = ", ".join(_offered(request))
    name = getattr(request.app.state, "test_contract", "base")
    raise ApiError(
        404,
        f"this portal's test-control API offers only the {name} contract ({offered}): "
        f"{request.method} {request.url.path} is not part of it",
    )


set_wording = _choice("wording", "profile", tuple(wording.PROFILES))
set_markup = _choice("markup", "style", markup.STYLES)

# Path, methods, the capability it belongs to (None: always there), handler, success status.
CALLS: list[tuple[str, list[str], str | None, Endpoint, int]] = [
    ("/__test__/", ["GET"], None, capabilities, 200),
    ("/__test__/citizens", ["POST"], "citizens", create_citizen, 201),
    ("/__test__/citizens/{niss}", ["GET"], "citizens", get_citizen, 200),
    ("/__test__/outbox", ["GET"], "outbox", outbox, 200),
    ("/__test__/clock", ["GET", "POST"], "clock", clock, 200),
    ("/__test__/faults", ["POST", "DELETE"], "faults", faults, 200),
    ("/__test__/wording", ["POST"], "wording", set_wording, 200),
    ("/__test__/markup", ["POST"], "markup", set_markup, 200),
    ("/__test__/reset", ["POST"], "reset", reset, 200),
]


def routes(offered: tuple[str, ...]) -> list[Route]:
    """The API's routes when it offers ``offered`` (names from ``contract.CAPABILITIES``)."""
    found: list[Route] = []
    for path, methods, capability, handler, status in CALLS:
        if capability is None or capability in offered:
            found.append(Route(path, _api(handler, status=status), methods=methods))
        else:
            found.append(Route(path, _api(_not_offered), methods=EVERY_METHOD))
    return found
