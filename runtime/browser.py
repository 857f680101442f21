"""Finding and launching Chromium the same way everywhere: tests, the CLI and the monitor.

Order of preference:
1. ``SENTINEL_CHROMIUM``: an executable path set by the user;
2. Playwright's own Chromium, where ``playwright install`` could download it;
3. the system's ``chromium`` (Debian's package), found on PATH or at the usual paths.
When none is there, ``BrowserNotFound`` says what to install.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NotRequired, TypedDict

from flows.production import PRODUCTION_DOMAIN, is_production_url

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


# The third layer of the production guard (after flows.guard's route and DevTools
# interception, which see only what the pages of a context do): in a browser the harness
# launches, production's names resolve to nothing, for every request the browser makes,
# workers, shared and service workers, prefetches and redirects included, at no cost per
# request. Chromium matches each pattern against the whole host as it canonicalised it (in
# lower case, so WWW.SEG-SOCIAL.PT is caught): a trailing dot makes another name, so one
# trailing dot and two or more (``..*``: no DNS name has an empty label, so nothing a
# browser may legitimately reach matches it) have rules of their own. Look-alikes such as
# seg-social.pt.example.test stay reachable.
# Not covered: a browser server reached with --connect, which launches its Chromium itself
# (connect_headers asks it to take these switches; the route and DevTools layers hold there
# regardless), and requests through a proxy, which resolves names on its own side.
PRODUCTION_RESOLVER_RULES = tuple(
    f"MAP {pattern} ~NOTFOUND"
    for name in (PRODUCTION_DOMAIN, PRODUCTION_DOMAIN + ".", PRODUCTION_DOMAIN + "..*")
    for pattern in (name, "*." + name)
)


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


def host_resolver_rules(block_production: bool = True, extra: Sequence[str] = ()) -> list[str]:
    """The one ``--host-resolver-rules`` switch for a browser (or none): production's names
    unresolvable when ``block_production``, then the ``extra`` rules.

    Chromium keeps only the last switch of that name, and within it the first rule that
    matches a host wins: anyone who maps names too (a test sending hosts to loopback) must
    pass them here, after ours, never as a second switch that would silently drop ours.
    """
    rules = [*(PRODUCTION_RESOLVER_RULES if block_production else ()), *extra]
    return ["--host-resolver-rules=" + ",".join(rules)] if rules else []


def launch_args(
    is_root: bool | None = None,
    *,
    block_production: bool = True,
    resolver_rules: Sequence[str] = (),
) -> list[str]:
    """Command-line switches for Chromium on this machine.

    ``block_production``: production's names resolve to nothing in this browser (see
    ``PRODUCTION_RESOLVER_RULES``). Turn it off only for a browser whose target is
    production itself, which then runs read-only flows only (``resolve_target`` and the
    runner refuse the others there). ``resolver_rules``: more host mappings, after ours.
    """
    is_root = (os.geteuid() == 0) if is_root is None else is_root
    return [
        *LAUNCH_ARGS,
        *host_resolver_rules(block_production, resolver_rules),
        *(["--no-sandbox"] if is_root else []),
    ]


def blocks_production(base_url: str) -> bool:
    """Whether a browser pointed at ``base_url`` gets the production block: always, unless
    ``base_url`` is the production portal (as Chromium reads the URL)."""
    return not is_production_url(base_url)


class LaunchOptions(TypedDict):
    """The keyword arguments of ``BrowserType.launch`` that ``launch_options`` gives."""

    headless: bool
    args: list[str]
    executable_path: NotRequired[str]


def launch_options(headless: bool = True, *, block_production: bool = True) -> LaunchOptions:
    """Keyword arguments for ``BrowserType.launch`` (see ``launch_args``)."""
    args = launch_args(block_production=block_production)
    options: LaunchOptions = {"headless": headless, "args": args}
    executable = find_chromium()
    if executable is not None:
        options["executable_path"] = str(executable)
    return options


CONNECT_ENV = "SENTINEL_BROWSER_WS"


def connect_endpoint(
    explicit: str | None = None, environ: dict[str, str] | None = None
) -> str | None:
    """The WebSocket endpoint of a Playwright browser server to use instead of launching one:
    ``--connect`` when given, else ``SENTINEL_BROWSER_WS``, else None."""
    environ = dict(os.environ) if environ is None else environ
    return explicit or environ.get(CONNECT_ENV) or None


def connect_headers(options: LaunchOptions | None = None) -> dict[str, str]:
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


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m runtime.browser``: say which Chromium will be used, or what to install."""
    parser = argparse.ArgumentParser(
        prog="python -m runtime.browser",
        description="Say which Chromium the tests, the commands, the monitor and the guides "
        f"will launch: ${ENV_VAR} when set, else Playwright's own downloaded Chromium, else "
        "the system's chromium (Debian's package). Exit 1, saying what to install, when "
        "there is none.",
    )
    parser.parse_args(argv)
    try:
        found = find_chromium()
    except BrowserNotFound as error:
        print(error)
        return 1
    print(f"Chromium: {found}" if found else "Chromium: Playwright's own browser")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
