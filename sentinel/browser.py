"""Finding and launching Chromium the same way everywhere: tests, the CLI and the monitor.

Order of preference:
1. ``SENTINEL_CHROMIUM``: an executable path set by the user;
2. Playwright's own Chromium, where ``playwright install`` could download it;
3. the system's ``chromium`` (Debian's package), found on PATH or at the usual paths.
When none is there, ``BrowserNotFound`` says what to install.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

ENV_VAR = "SENTINEL_CHROMIUM"
SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# Chromium honours only the last --disable-features of its command line, and ours comes after
# Playwright's: it must carry Playwright's own list too. tests/unit/test_browser.py reads the
# switch Playwright really passes and fails when this copy falls behind.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
# RenderDocument gives every page load a new document host: without it a click that loads
# the next screen costs about a fifth less CPU and a sixth less time (measured on the 2-core
# machine of the README's performance section).
SENTINEL_DISABLED_FEATURES = ("RenderDocument",)

# Without the first five Chromium, running as root in a closed network, refuses to start or
# keeps trying to reach Google's services.
LAUNCH_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + SENTINEL_DISABLED_FEATURES),
]


class BrowserNotFound(RuntimeError):
    """No Chromium could be found; the message says how to get one."""


def playwright_chromium(environ: dict[str, str] | None = None) -> Path | None:
    """Playwright's own downloaded Chromium, when ``playwright install`` put it in place.

    Read from Playwright's browser list and cache folder rather than by starting its driver,
    so it also works inside a running event loop or an active Playwright.
    """
    environ = dict(os.environ) if environ is None else environ
    try:
        import playwright
    except ImportError:
        return None
    listing = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    try:
        browsers = json.loads(listing.read_text())["browsers"]
    except (OSError, ValueError, KeyError):
        return None
    revision = next((b["revision"] for b in browsers if b.get("name") == "chromium"), None)
    if revision is None:
        return None
    root = environ.get("PLAYWRIGHT_BROWSERS_PATH") or str(Path.home() / ".cache" / "ms-playwright")
    for candidate in sorted(Path(root).glob(f"chromium-{revision}/chrome-linux*/chrome")):
        if candidate.is_file():
            return candidate
    return None


def system_chromium(which: Callable[[str], str | None] = shutil.which) -> Path | None:
    for name in SYSTEM_NAMES:
        found = which(name)
        if found:
            return Path(found)
    return None


def find_chromium(
    environ: dict[str, str] | None = None,
    bundled: Callable[[], Path | None] = playwright_chromium,
    system: Callable[[], Path | None] = system_chromium,
) -> Path | None:
    """The Chromium executable to use, or None when Playwright's own should be used.

    None means Playwright's bundled browser is installed and needs no executable path.
    """
    environ = dict(os.environ) if environ is None else environ
    override = environ.get(ENV_VAR)
    if override:
        path = Path(override)
        if not path.is_file() or not os.access(path, os.X_OK):
            raise BrowserNotFound(f"{ENV_VAR}={override} is not an executable file.")
        return path
    if bundled() is not None:
        return None
    found = system()
    if found is None:
        raise BrowserNotFound(
            "No Chromium found. Install one of: Playwright's browser "
            "(`python -m playwright install chromium`), Debian's package "
            "(`apt-get install chromium`), or set SENTINEL_CHROMIUM to a Chromium executable."
        )
    return found


def launch_args(is_root: bool | None = None) -> list[str]:
    """Command-line switches for Chromium on this machine."""
    is_root = (os.geteuid() == 0) if is_root is None else is_root
    return [*LAUNCH_ARGS, *(["--no-sandbox"] if is_root else [])]


def launch_options(headless: bool = True) -> dict[str, object]:
    """Keyword arguments for ``BrowserType.launch``."""
    options: dict[str, object] = {"headless": headless, "args": launch_args()}
    executable = find_chromium()
    if executable is not None:
        options["executable_path"] = str(executable)
    return options


CONNECT_ENV = "SENTINEL_BROWSER_WS"


def connect_endpoint(explicit: str | None = None, environ: dict[str, str] | None = None):
    """The WebSocket endpoint of a Playwright browser server to use instead of launching one:
    ``--connect`` when given, else ``SENTINEL_BROWSER_WS``, else None."""
    environ = dict(os.environ) if environ is None else environ
    return explicit or environ.get(CONNECT_ENV) or None


def connect_headers(options: dict[str, object] | None = None) -> dict[str, str]:
    """How the server should launch Chromium: by default the switches and executable used here.

    Playwright's browser server reads them, in its own (camelCase) names, from this header;
    ``run-server --unsafe`` lets it take an executable path and switches.
    """
    options = launch_options() if options is None else options
    camel = {_camel(key): value for key, value in options.items()}
    return {"x-playwright-launch-options": json.dumps(camel)}


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def main() -> int:
    """``python -m sentinel.browser``: say which Chromium will be used, or what to install."""
    try:
        found = find_chromium()
    except BrowserNotFound as error:
        print(error)
        return 1
    print(f"Chromium: {found}" if found else "Chromium: Playwright's own browser")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
