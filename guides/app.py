"""``sentinel guide``: make the guides, or check the screens against the last ones."""

from __future__ import annotations

import contextlib
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Playwright, sync_playwright

from flows import catalog
from flows.context import CodeSource
from flows.errors import FlowError
from guides import check
from guides.make import GUIDES, GuideSpec, make, select
from guides.text import LANGUAGES
from runtime.browser import connect_headers, launch_options
from runtime.codes import CodeSettings, open_codes
from runtime.targets import open_target
from runtime.testapi import TestControl
from runtime.tokens import TOKEN_ENV
from runtime.usage import UsageError

FORMATS = ("html", "md", "pdf")


@dataclass
class Options:
    target: str = "mock"
    flows: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: list(LANGUAGES))
    formats: set[str] = field(default_factory=lambda: set(FORMATS))
    out: Path = Path("reports/guides")
    check: bool = False
    test_token: str | None = field(default=None, repr=False)  # a repr is printed
    wording: str | None = None  # bundled mock only: show it in another wording profile
    connect: str | None = None  # a Playwright browser server instead of a local Chromium
    debug: bool = False  # a failed flow's traceback too, not only its line
    codes: CodeSettings = field(default_factory=CodeSettings)  # where the codes come from
    channel: str = "sms"  # the citizens' first channel, where a guide pictures none


def run(options: Options) -> int:
    specs = select(options.flows)
    if not specs:
        names = ", ".join(spec.name for spec in GUIDES)
        raise UsageError(
            f"no guide for {', '.join(options.flows)}: the guides are {names} "
            "(--flow takes a guide's name or its flow's)"
        )
    with contextlib.ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sentinel-guide-")))
        # Read as the browser will read it; every guide's flow writes, so none may run on
        # the production portal.
        target = stack.enter_context(
            open_target(
                options.target,
                catalog.with_prerequisites([spec.flow for spec in specs]),
                token=options.test_token,
                database=scratch / "portal.db",
            )
        )
        if not target.token:
            raise UsageError(
                "guides need the portal's test-control API (every guide's flow makes a "
                f"synthetic citizen): set ${TOKEN_ENV} or pass --test-token-file"
            )
        api = stack.enter_context(target.test_control())
        if options.wording:
            if not api.offers("wording"):
                raise UsageError("--wording: this portal's test-control API does not offer wording")
            api.set_wording(options.wording)
        codes = stack.enter_context(open_codes(options.codes, api))
        browser = _browser(stack.enter_context(sync_playwright()), options.connect)
        stack.callback(browser.close)
        out = scratch / "new" if options.check else options.out
        written, failed = _make(specs, options, out, browser, target.url, api, codes)
        if options.check:  # before the scratch folder, which holds the new guides, goes
            return _report(options, out, [p for p in written if p.suffix == ".html"], failed)
    for path in written:
        print(path)
    return 1 if failed else 0


def _browser(playwright: Playwright, connect: str | None) -> Browser:
    """This machine's Chromium, or the Playwright browser server at ``connect``."""
    if connect:
        return playwright.chromium.connect(connect, headers=connect_headers())
    return playwright.chromium.launch(**launch_options())


def _make(
    specs: list[GuideSpec],
    options: Options,
    out: Path,
    browser: Browser,
    base_url: str,
    api: TestControl,
    codes: CodeSource,
) -> tuple[list[Path], int]:
    """Write the guides to ``out``; returns the files written and how many guides failed,
    each told on stderr as it fails."""
    failed: list[GuideSpec] = []

    def not_written(spec: GuideSpec, error: FlowError) -> None:
        failed.append(spec)
        _say_not_written(spec, error, debug=options.debug)

    written = make(
        specs,
        options.languages,
        options.formats,
        out,
        browser,
        base_url,
        api,
        not_written,
        codes=codes,
        channel=options.channel,
    )
    return written, len(failed)


def _say_not_written(spec: GuideSpec, error: FlowError, *, debug: bool) -> None:
    """One line on stderr, as it happens: which guide is missing and why (the flow, the
    step, what was expected and the guide that documents it); with ``debug`` its traceback."""
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    print(f"sentinel guide: no guide written for {spec.name}: {error}", file=sys.stderr, flush=True)


def _report(options: Options, new: Path, pages: list[Path], unchecked: int = 0) -> int:
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
