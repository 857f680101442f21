"""A client for the portal's test-control API (``/__test__/``).

The bundled mock offers it; a staging portal may offer the same contract. Every call sends the
test token in ``X-Test-Token``.

What a portal offers is asked once, with ``GET /__test__/``::

    with TestControl(url, token) as api:
        if api.offers("accounts"):
            api.create_citizen(name=..., birth_date=..., account={"status": "active", ...})

A portal that does not answer that call (404, or not with this contract's JSON) is taken to
offer the base contract only: citizens and their outbox.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import quote, quote_plus

import httpx

from flows.context import TargetUnreachable
from flows.production import host_of, is_production_host, is_production_url
from runtime.tokens import TokenError, check_characters

CONTRACT = "portal-sentinel test-control"
# Every capability the harness knows, in the order the bundled mock lists them.
ALL_CAPABILITIES: tuple[str, ...] = (
    "citizens",  # POST /__test__/citizens (with "cmd"), GET /__test__/citizens/{niss}
    "outbox",  # GET /__test__/outbox
    "accounts",  # the "account" field of POST /__test__/citizens
    "clock",
    "faults",
    "wording",
    "markup",
    "reset",
)
# What any portal's test-control API is expected to offer.
BASE_CONTRACT: frozenset[str] = frozenset({"citizens", "outbox"})


class TestApiError(RuntimeError):
    """The test-control API refused a call or is not there; the message says which and why."""

    __test__ = False  # not a pytest test class, despite the name


class TokenRefused(TestApiError, TokenError):
    """The portal refused the test token (401, or 403): a setting to put right, not the
    portal's fault; the message never repeats the token."""

    __test__ = False

    def __init__(self, status: int = 401) -> None:
        super().__init__(f"the portal refused the test token ({status})")
        self.status = status


class TestApiUnreachable(TestApiError, TargetUnreachable):
    """The test-control API did not answer, or answered as a server that is down (5xx)."""

    __test__ = False


class TestControl:
    """The test-control API of one portal. Never the production portal's: it has none, and
    the harness never sends it a synthetic citizen or a token."""

    __test__ = False

    def __init__(self, base_url: str, token: str, *, timeout: float = 15.0):
        try:
            # Before the header is built: the HTTP client's own refusal quotes the value.
            check_characters(token)
        except TokenError as error:
            raise TestApiError(str(error)) from None
        self._token = token
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"), headers={"X-Test-Token": token}, timeout=timeout
        )
        # The host this client will contact, as httpx reads the URL, and as a browser does.
        contacted = self.client.base_url.raw_host.decode("ascii").lower()
        browser = host_of(base_url).strip("[]")
        if is_production_host(contacted) or is_production_url(base_url):
            self.client.close()
            raise TestApiError(
                f"refusing to call a test-control API on {contacted or browser}, the production "
                "portal: it has none, and synthetic citizens and tokens never go there"
            )
        if contacted.rstrip(".") != browser.rstrip("."):
            self.client.close()
            raise TestApiError(
                f"the URL {base_url!r} names the host {contacted} to the test-control client "
                f"but {browser} to a browser: write it plainly (scheme://host:port/path)"
            )
        self._capabilities: frozenset[str] | None = None

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> TestControl:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def capabilities(self) -> frozenset[str]:
        """What this portal's test-control API offers (names of ``ALL_CAPABILITIES``, and any
        other it lists), asked once. ``BASE_CONTRACT`` when the portal does not know the call
        or does not answer it with this contract's JSON. A refused token is a ``TestApiError``
        and a portal that does not answer a ``TestApiUnreachable``; neither is remembered."""
        if self._capabilities is None:
            self._capabilities = self._ask_capabilities()
        return self._capabilities

    def offers(self, name: str) -> bool:
        """Whether the portal offers the capability ``name``, one of ``ALL_CAPABILITIES``."""
        if name not in ALL_CAPABILITIES:
            raise ValueError(
                f"no test-control capability {name!r}; known: {', '.join(ALL_CAPABILITIES)}"
            )
        return name in self.capabilities()

    def _ask_capabilities(self) -> frozenset[str]:
        response = self._send("GET", "")
        # 404 or 405: a portal whose test API predates the call, or has no such call.
        if response.status_code in (404, 405):
            return BASE_CONTRACT
        self._check(response, "GET", "")
        return _declared(response) or BASE_CONTRACT

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return self.client.request(method, f"/__test__/{path}", **kwargs)
        except httpx.TransportError as error:
            raise TestApiUnreachable(
                "the portal's test-control API did not answer: "
                f"{type(error).__name__}: {self._scrub(str(error))}"
            ) from None
        except httpx.HTTPError as error:
            raise TestApiError(f"test-control API call failed: {self._scrub(str(error))}") from None

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        """The JSON answer; each caller casts it to the shape the contract gives that call."""
        response = self._send(method, path, **kwargs)
        self._check(response, method, path)
        if response.is_redirect:
            # A single-sign-on proxy in front of /__test__/ sends the client to its login.
            raise TestApiError(
                f"{method} /__test__/{path}: the portal answered {response.status_code} "
                "(a redirect), not the test-control API: is a proxy in front of /__test__/?"
            )
        try:
            return response.json()
        except ValueError:
            kind = response.headers.get("content-type", "no content type").split(";")[0]
            raise TestApiError(
                f"{method} /__test__/{path}: the answer ({kind}) is not the test-control "
                "API's JSON: is a proxy or a web app answering /__test__/?"
            ) from None

    def _check(self, response: httpx.Response, method: str, path: str) -> None:
        """Raise the error an unsuccessful answer means; a successful one passes."""
        # A proxy's error page may quote the request's headers, the token among them.
        detail = _detail(response, self._scrub)
        if response.status_code == 404 and path == "reset":
            # No API at all, or one that offers the base contract only (see capabilities()).
            raise TestApiError(
                "this portal has no test-control API, or one without reset (404)"
                + (f": {detail}" if detail else "")
            )
        if response.status_code in (401, 403):
            # Which option gave the token is the caller's to say: the CLI and pytest differ.
            raise TokenRefused(response.status_code)
        if response.status_code >= 500:
            # A portal that is down behind a proxy answers 502-504 on every path, ours too.
            raise TestApiUnreachable(
                f"the portal's test-control API answered HTTP {response.status_code} "
                f"to {method} /__test__/{path}"
            )
        if response.is_error:
            raise TestApiError(f"{method} /__test__/{path}: {response.status_code} {detail}")

    def _scrub(self, text: str) -> str:
        """``text`` without the token, in the forms an error page or message may give it."""
        token = self._token
        forms = {token, quote(token, safe=""), quote_plus(token), html.escape(token)}
        forms.add(json.dumps(token)[1:-1])
        for form in sorted(forms, key=len, reverse=True):
            text = text.replace(form, "[the test token]")
        return text

    def create_citizen(self, **record: Any) -> dict[str, Any]:
        return cast(dict[str, Any], self._call("POST", "citizens", json=record))

    def citizen(self, niss: str) -> dict[str, Any]:
        return cast(dict[str, Any], self._call("GET", f"citizens/{niss}"))

    def outbox(self, niss: str) -> list[dict[str, Any]]:
        return cast(list[dict[str, Any]], self._call("GET", "outbox", params={"niss": niss}))

    def advance_clock(self, seconds: float) -> str:
        return cast(str, self._call("POST", "clock", json={"advance_seconds": seconds})["now"])

    def set_faults(self, **faults: Any) -> dict[str, Any]:
        return cast(dict[str, Any], self._call("POST", "faults", json=faults))

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def set_wording(self, profile: str) -> None:
        self._call("POST", "wording", json={"profile": profile})

    def set_markup(self, style: str) -> None:
        self._call("POST", "markup", json={"style": style})

    def reset(self) -> None:
        self._call("POST", "reset")


def check_token_accepted(api: TestControl) -> None:
    """Ask the portal once (``GET /__test__/``, the capabilities call) whether it takes the
    token, before anything runs: ``TokenRefused`` when it refuses it (401). Any other answer,
    or none, is left to the first real use of the API to report, as it reports it now."""
    try:
        api.capabilities()
    except TokenRefused:
        raise
    except TestApiError:
        pass


def _detail(response: httpx.Response, scrub: Callable[[str], str]) -> str:
    """The ``error`` of a JSON answer, else its text: a staging portal's proxy may answer an
    error with a page of its own. Passed through ``scrub`` before it is cut short, or a token
    the page quotes could be cut in two and stay in it."""
    try:
        answer = response.json()
    except ValueError:
        return scrub(response.text)[:200].strip()
    error = answer.get("error") if isinstance(answer, dict) else None
    if isinstance(error, str):
        return scrub(error)
    return scrub(response.text)[:200].strip()


def _declared(response: httpx.Response) -> frozenset[str] | None:
    """The capabilities an answer to ``GET /__test__/`` lists, or None when it is not this
    contract's answer (a portal's own page, a redirect to a login, another API's JSON)."""
    if not response.is_success:
        return None
    try:
        answer = response.json()
    except ValueError:
        return None
    if not isinstance(answer, dict) or answer.get("contract") != CONTRACT:
        return None
    names = answer.get("capabilities")
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        return None
    return frozenset(names)
