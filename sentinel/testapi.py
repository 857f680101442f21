"""A client for the portal's test-control API (``/__test__/``).

The bundled mock offers it; a staging portal may offer the same contract. Every call sends the
test token in ``X-Test-Token``.
"""

from __future__ import annotations

from typing import Any

import httpx

from flows.context import TargetUnreachable
from flows.production import host_of, is_production_host, is_production_url


class TestApiError(RuntimeError):
    """The test-control API refused a call or is not there; the message says which and why."""

    __test__ = False  # not a pytest test class, despite the name


class TestApiUnreachable(TestApiError, TargetUnreachable):
    """The test-control API did not answer, or answered as a server that is down (5xx)."""

    __test__ = False


class TestControl:
    """The test-control API of one portal. Never the production portal's: it has none, and
    the harness never sends it a synthetic citizen or a token."""

    __test__ = False

    def __init__(self, base_url: str, token: str, *, timeout: float = 15.0):
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

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> TestControl:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self.client.request(method, f"/__test__/{path}", **kwargs)
        except httpx.TransportError as error:
            raise TestApiUnreachable(
                f"the portal's test-control API did not answer: {type(error).__name__}: {error}"
            ) from None
        except httpx.HTTPError as error:
            raise TestApiError(f"test-control API call failed: {error}") from None
        if response.status_code == 404 and path == "reset":
            raise TestApiError("this portal has no test-control API (404)")
        if response.status_code == 401:
            raise TestApiError(
                "the test token was refused (401): check the token given "
                "(--test-token-file, SENTINEL_TEST_TOKEN or --test-token)"
            )
        if response.status_code >= 500:
            # A portal that is down behind a proxy answers 502-504 on every path, ours too.
            raise TestApiUnreachable(
                f"the portal's test-control API answered HTTP {response.status_code} "
                f"to {method} /__test__/{path}"
            )
        if response.is_error:
            detail = response.json().get("error", response.text) if response.content else ""
            raise TestApiError(f"{method} /__test__/{path}: {response.status_code} {detail}")
        return response.json()

    def create_citizen(self, **record: Any) -> dict[str, Any]:
        return self._call("POST", "citizens", json=record)

    def citizen(self, niss: str) -> dict[str, Any]:
        return self._call("GET", f"citizens/{niss}")

    def outbox(self, niss: str) -> list[dict[str, Any]]:
        return self._call("GET", "outbox", params={"niss": niss})

    def advance_clock(self, seconds: float) -> str:
        return self._call("POST", "clock", json={"advance_seconds": seconds})["now"]

    def set_faults(self, **faults: Any) -> dict[str, Any]:
        return self._call("POST", "faults", json=faults)

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def set_wording(self, profile: str) -> None:
        self._call("POST", "wording", json={"profile": profile})

    def set_markup(self, style: str) -> None:
        self._call("POST", "markup", json={"style": style})

    def reset(self) -> None:
        self._call("POST", "reset")
