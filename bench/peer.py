"""The peer a team would pick instead: the same journey as a Playwright Test (Node) script.

``bench/playwright_test/registration.spec.mjs`` runs the bare script's journey (registration
then activation, the code from the mock's test-control outbox) with ``@playwright/test`` from
npm (pinned in package-lock.json: the version of the driver the Python playwright ships) on
the same Chromium, with the same switches and context options. One worker: one warm browser,
a fresh context per journey.

The script is started once, before the harness's journeys, and runs each of its journeys when
told to (a file with the citizen), in turn with the harness's kinds: the same machine at the
same moment for all. Each journey is timed inside Node, from its first call to its last; the
process's start (Node, the test runner, its worker, the browser) is reported apart, as the
time from the command to its first journey being ready.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

from flows.context import Citizen
from runtime.browser import launch_options

SPEC_DIR = Path(__file__).with_name("playwright_test")
CONFIG = SPEC_DIR / "playwright.config.mjs"
PACKAGE = Path("node_modules/@playwright/test")
START_S = 180.0  # from the command to the first journey ready, at most
JOURNEY_S = 120.0  # one journey, at most


def command(root: Path) -> list[str]:
    """How to run the peer, from the project root; RuntimeError saying what is missing."""
    node = shutil.which("node")
    cli = root / PACKAGE / "cli.js"
    if node is None or not cli.is_file():
        raise RuntimeError(
            "the Playwright Test peer needs Node and @playwright/test: `make setup` (npm ci)"
        )
    return [node, str(cli), "test", "--config", str(CONFIG)]


def version(root: Path) -> str:
    return str(json.loads((root / PACKAGE / "package.json").read_text())["version"])


def browser_settings() -> dict:
    """The harness's launch options, in Playwright Test's names."""
    options = launch_options()
    settings: dict = {"headless": options["headless"], "args": options["args"]}
    if "executable_path" in options:
        settings["executablePath"] = options["executable_path"]
    return settings


class Peer:
    """The Playwright Test script, running ``runs`` journeys one at a time when told to::

    with Peer(url, token, runs, scratch, root) as peer:
        seconds = peer.journey(citizen)   # ... ``runs`` times
    peer.figures()
    """

    def __init__(self, url: str, token: str, runs: int, scratch: Path, root: Path) -> None:
        self.url, self.token, self.runs, self.root = url, token, runs, root
        self.dir = scratch
        self.events = scratch / "events.jsonl"
        self.log = scratch / "output.txt"
        self._process: subprocess.Popen[bytes] | None = None
        self.secrets: set[str] = {token}  # kept out of its output when it fails
        self._done = 0
        self.launched = 0.0
        self.ready_s = 0.0
        self.wall_s = 0.0

    def __enter__(self) -> Peer:
        self.start()
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is None:
            self.finish()
        else:
            self._stop()

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PW_"))},
            "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
            "SENTINEL_BENCH_URL": self.url,
            "SENTINEL_BENCH_TOKEN": self.token,
            "SENTINEL_BENCH_DIR": str(self.dir),
            "SENTINEL_BENCH_RUNS": str(self.runs),
            "SENTINEL_BENCH_OUTPUT": str(self.dir / "test-results"),
            "SENTINEL_BENCH_LAUNCH": json.dumps(browser_settings()),
        }
        self.launched = time.time()
        with self.log.open("wb") as log:
            # A session of its own: Node's worker and Chromium go with it on an error.
            self._process = subprocess.Popen(
                command(self.root),
                cwd=self.root,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        ready = self._wait("waiting", 1, START_S)
        self.ready_s = ready["at"] - self.launched

    def journey(self, citizen: Citizen) -> float:
        """Run the next journey for ``citizen``: its time in seconds, as Node measured it."""
        self._done += 1
        self.secrets.update(citizen.secrets())
        go = self.dir / f"go-{self._done}.json"
        part = go.with_suffix(".part")
        record = {
            "niss": citizen.niss,
            "birthDate": citizen.birth_date.strftime("%d-%m-%Y"),
            "password": citizen.password,
        }
        # Private to this user, and whole when the script sees it.
        descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            json.dump(record, file)
        part.rename(go)
        return float(self._wait("done", self._done, JOURNEY_S)["seconds"])

    def finish(self) -> None:
        """Wait for the script to end once its journeys are run."""
        assert self._process is not None
        try:
            code = self._process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self._fail("did not end after its last journey")
        self.wall_s = time.time() - self.launched
        if code != 0:
            self._fail(f"ended with exit status {code}")

    def figures(self) -> dict:
        return {
            "version": version(self.root),
            "journeys": self._done,
            "start_to_first_journey_s": self.ready_s,
            "wall_s": self.wall_s,
        }

    def _wait(self, event: str, journey: int, limit_s: float) -> dict:
        """The script's ``event`` for ``journey``, waited for until ``limit_s``."""
        assert self._process is not None
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            for line in self._read():
                if line.get("event") == "failed":
                    self._fail(f"failed its journey {journey}")
                if line.get("event") == event and line.get("journey") == journey:
                    return line
            if self._process.poll() is not None:
                self._fail(f"ended (exit status {self._process.returncode})")
            time.sleep(0.005)  # the script's journey is timed in Node: this only waits
        self._fail(f"gave no '{event}' for journey {journey} within {limit_s:.0f} s")

    def _read(self) -> list[dict]:
        try:
            text = self.events.read_text()
        except FileNotFoundError:
            return []
        # A line still being written has no newline yet.
        return [json.loads(line) for line in text.splitlines(keepends=True) if line[-1] == "\n"]

    def _fail(self, what: str):
        self._stop()
        output = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
        raise RuntimeError(f"the Playwright Test peer {what}:\n{self.scrub(output)}")

    def _stop(self) -> None:
        """End the script (its session: Node, its worker); SIGTERM first, so that Playwright
        closes the browser it launched."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def scrub(self, text: str) -> str:
        """``text`` without the citizens' data, codes (runs of digits) or the test token."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            if secret:
                text = text.replace(secret, "•••")
        return re.sub(r"\d{4,}", "•••", text)
