"""``sentinel guide``: make the guides, or check the screens against the last ones."""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import sync_playwright

from flows import catalog
from guides import check
from guides.make import make, select
from guides.text import LANGUAGES
from sentinel.browser import connect_headers, launch_options
from sentinel.mock_server import start_in_background
from sentinel.targets import TargetError, resolve_target
from sentinel.testapi import TestControl

FORMATS = ("html", "md", "pdf")


class UsageError(ValueError):
    pass


@dataclass
class Options:
    target: str = "mock"
    flows: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: list(LANGUAGES))
    formats: set[str] = field(default_factory=lambda: set(FORMATS))
    out: Path = Path("reports/guides")
    check: bool = False
    test_token: str | None = None
    wording: str | None = None  # bundled mock only: show it in another wording profile
    connect: str | None = None  # a Playwright browser server instead of a local Chromium


def run(options: Options) -> int:
    specs = select(options.flows)
    if not specs:
        raise UsageError("no guide for those flows")
    try:
        # Read as the browser will read it; every guide's flow writes, so none may run on the
        # production portal.
        options.target = resolve_target(
            options.target, catalog.with_prerequisites([spec.flow for spec in specs])
        )
    except TargetError as error:
        raise UsageError(str(error)) from None
    with tempfile.TemporaryDirectory(prefix="sentinel-guide-") as scratch:
        mock = None
        if options.target == "mock":
            options.test_token = secrets.token_urlsafe(16)
            mock = start_in_background(Path(scratch) / "portal.db", options.test_token)
            base_url = mock.url
        else:
            base_url = options.target.rstrip("/")
        if not options.test_token:
            raise UsageError("guides need the test-control API: pass --test-token")
        try:
            with TestControl(base_url, options.test_token) as api, sync_playwright() as pw:
                if options.wording:
                    api.set_wording(options.wording)
                if options.connect:
                    browser = pw.chromium.connect(options.connect, headers=connect_headers())
                else:
                    browser = pw.chromium.launch(**launch_options())
                try:
                    target = Path(scratch) / "new" if options.check else options.out
                    written = make(
                        specs, options.languages, options.formats, target, browser, base_url, api
                    )
                finally:
                    browser.close()
            if options.check:
                return _report(options, target, [p for p in written if p.suffix == ".html"])
            for path in written:
                print(path)
            return 0
        finally:
            if mock:
                mock.stop()


def _report(options: Options, new: Path, pages: list[Path]) -> int:
    stems = sorted({p.name.removesuffix(".html") for p in pages}) or sorted(
        p.name.removesuffix(".json") for p in new.glob("*.json")
    )
    found = 0
    for stem in stems:
        if not (options.out / f"{stem}.json").exists():
            print(f"{stem}: no previous guide in {options.out}: run `sentinel guide` first")
            found += 1
            continue
        for change in check.compare(options.out, new, stem):
            print(change)
            found += 1
        for label in check.disappeared_labels(options.out, new, stem):
            print(f"{stem}: the documented label {label!r} is no longer on the screens")
            found += 1
    print("No changes." if not found else f"{found} change(s).")
    return 1 if found else 0
