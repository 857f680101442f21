"""``sentinel guide``: make the guides, or check the screens against the last ones."""

from __future__ import annotations

import secrets
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import sync_playwright

from flows import catalog
from flows.errors import FlowError
from guides import check
from guides.make import GuideSpec, make, select
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
    debug: bool = False  # a failed flow's traceback too, not only its line


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
                    if not api.offers("wording"):
                        raise UsageError(
                            "--wording: this portal's test-control API does not offer wording"
                        )
                    api.set_wording(options.wording)
                if options.connect:
                    browser = pw.chromium.connect(options.connect, headers=connect_headers())
                else:
                    browser = pw.chromium.launch(**launch_options())
                failed: list[GuideSpec] = []

                def not_written(spec: GuideSpec, error: FlowError) -> None:
                    failed.append(spec)
                    _say_not_written(spec, error, debug=options.debug)

                try:
                    target = Path(scratch) / "new" if options.check else options.out
                    written = make(
                        specs,
                        options.languages,
                        options.formats,
                        target,
                        browser,
                        base_url,
                        api,
                        on_failure=not_written,
                    )
                finally:
                    browser.close()
            if options.check:
                pages = [p for p in written if p.suffix == ".html"]
                return _report(options, target, pages, unchecked=len(failed))
            for path in written:
                print(path)
            return 1 if failed else 0
        finally:
            if mock:
                mock.stop()


def _say_not_written(spec: GuideSpec, error: FlowError, *, debug: bool) -> None:
    """One line on stderr, as it happens: which guide is missing and why (the flow, the
    step, what was expected and the guide that documents it); with ``debug`` its traceback."""
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    print(f"sentinel guide: no guide written for {spec.name}: {error}", file=sys.stderr, flush=True)


def _report(options: Options, new: Path, pages: list[Path], *, unchecked: int = 0) -> int:
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
    if unchecked:
        # Not "No changes.": the guides whose flow failed were not compared at all.
        print(f"{found} change(s); {unchecked} guide(s) not checked: their flow failed.")
        return 1
    print("No changes." if not found else f"{found} change(s).")
    return 1 if found else 0
