"""``python -m bench`` (``make bench``): every figure in one run, a table and a JSON file.

Benchmarks report; they never fail on a time, only on errors.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench import breakdown, cold_start, journey, monitor_cost, portal_load, suite, targets
from bench.peer import Peer
from runtime.browser import launch_options
from runtime.citizens import synthetic_faker
from runtime.targets import open_target

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SKIPPABLE = ("portal", "monitor", "cold-start")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--runs", type=int, default=10, metavar="N", help="journeys of each kind (default: 10)"
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=4000,
        metavar="N",
        help="registrations posted to the portal (and GETs, without wrk) (default: 4000)",
    )
    parser.add_argument(
        "--load-seconds",
        type=float,
        default=5,
        metavar="SECONDS",
        help="how long each GET load with wrk lasts (default: 5)",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=32,
        metavar="N",
        help="connections open at once in the portal's load, wrk's or the Python client's "
        "(default: 32)",
    )
    parser.add_argument(
        "--monitor-checks",
        type=int,
        default=300,
        metavar="N",
        help="portal checks the monitor runs back to back, to measure a check's cost and "
        "the monitor's memory over time (default: 300)",
    )
    parser.add_argument(
        "--kinds",
        type=_kinds,
        default=journey.KINDS,
        help=f"journey kinds to time, comma-separated (default: all, {','.join(journey.KINDS)})",
    )
    parser.add_argument(
        "--breakdown-runs",
        type=int,
        default=3,
        metavar="N",
        help="journeys that time the observers' parts (default: 3)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=SKIPPABLE,
        help="leave out a part (again for another); the journeys always run",
    )
    parser.add_argument("--suite", action="store_true", help="also time the e2e suite")
    parser.add_argument(
        "--out",
        type=Path,
        default=PROJECT_ROOT / "reports/bench/latest.json",
        metavar="FILE",
        help="the JSON file of every figure, written over (default: reports/bench/latest.json)",
    )
    return parser


def main() -> int:
    args = build_parser().parse_args()

    results: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": _cpus(), "python": platform.python_version()},
        "concurrency": args.concurrency,
    }
    with (
        tempfile.TemporaryDirectory(prefix="sentinel-bench-") as scratch,
        open_target("mock", database=Path(scratch) / "portal.db") as mock,
    ):
        assert mock.token is not None  # the bundled mock always has one
        with mock.test_control() as api:
            if "portal" not in args.skip:
                # The load test runs its own event loop: before Playwright starts one.
                print(f"mock portal, {args.requests} registrations...", flush=True)
                results["portal"] = portal_load.measure(
                    mock.url,
                    mock.token,
                    Path(scratch) / "portal.db",
                    concurrency=args.concurrency,
                    requests=args.requests,
                    seconds=args.load_seconds,
                )
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(**launch_options())
                peer = None
                if journey.PEER in args.kinds:
                    print("starting the Playwright Test (Node) peer...", flush=True)
                    peer = Peer(
                        mock.url, mock.token, args.runs, Path(scratch) / "peer", PROJECT_ROOT
                    )
                with peer or nullcontext():
                    print(f"journey x{args.runs} of each kind, in turn...", flush=True)
                    figures = journey.measure(
                        browser, mock.url, api, args.runs, peer, kinds=args.kinds
                    )
                if peer is not None:
                    figures["peer"] = peer.figures()
                print(f"observers' parts, {args.breakdown_runs} journeys...", flush=True)
                figures["breakdown"] = breakdown.measure(
                    browser, mock.url, api, synthetic_faker(), args.breakdown_runs
                )
                figures["ratios"] = targets.ratios(figures)
                figures["a11y_steps"] = targets.audited_steps(figures)
                figures["targets"] = targets.assess(figures)
                results["journey"] = figures
                browser.close()
                if "monitor" not in args.skip:
                    print(f"monitor, {args.monitor_checks} checks...", flush=True)
                    results["monitor"] = monitor_cost.measure(
                        playwright, mock.url, api, args.monitor_checks, Path(scratch) / "mon"
                    )
        if "cold-start" not in args.skip:
            print("cold start...", flush=True)
            results["cold_start"] = cold_start.measure(mock.url, PROJECT_ROOT)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")  # kept if the suite fails
    if args.suite:
        print("e2e suite, serial and -n 2...", flush=True)
        results["suite"] = suite.measure(PROJECT_ROOT)
        args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"Written: {args.out}")
    return 0


def table(r: dict) -> str:
    lines = _journey_lines(r["journey"])
    if "portal" in r:
        p = r["portal"]
        lines += [
            f"mock portal at {r['concurrency']} connections ({p['home page']['client']}):",
            *(
                f"  {k:<24} {v['per_second']:8.0f}/s  p50 {v['p50_ms']:6.1f} ms  "
                f"p99 {v['p99_ms']:6.1f} ms  errors {v['errors']}"
                for k, v in p.items()
            ),
            f"  registrations stored: {p['registration form post']['stored']}"
            f" of {p['registration form post']['posted']} posted",
        ]
    if "monitor" in r:
        m = r["monitor"]
        last = m[f"at_check_{m['checks']}"]
        lines.append(
            f"monitor, {m['checks']} check{'s' if m['checks'] != 1 else ''}: "
            f"{m['check_s']:.3f}s per check, bare flow "
            f"{m['bare_flow_s']:.3f}s, overhead {m['overhead']:+.1%}, memory growth "
            f"{m['memory_growth']:+.1%}, browser processes over checks 1-10 "
            f"{_span(m['at_check_10'])}, over the last 10 {_span(last)}"
        )
    if "cold_start" in r:
        c = r["cold_start"]
        lines.append(
            f"cold start: sentinel run --flow registration {c['sentinel_run_registration_s']:.1f}s,"
            f" first page {c['first_page_s']:.2f}s"
        )
    if "suite" in r:
        s = r["suite"]
        lines.append(
            f"e2e suite: serial {s['serial_s']:.0f}s, -n 2 {s['two_workers_s']:.0f}s, "
            f"speed-up {s['speed_up']:.2f}x; the serial run keeps "
            f"{s['serial_busy_cores']:.2f} cores busy, so at most {s['speed_up_bound']:.2f}x"
        )
    return "\n".join(lines)


def _journey_lines(j: dict) -> list[str]:
    kinds = [k for k in journey.KINDS if k in j]
    lines = [
        f"journey (registration + activation), median seconds, {j['runs']} of each kind in turn:",
        *(
            f"  {k:<28} {j[k]['median']:7.3f}  (min {j[k]['min']:.3f}, max {j[k]['max']:.3f})"
            for k in kinds
        ),
    ]
    if "peer" in j:
        node = j["peer"]
        lines.append(
            f"  ({journey.PEER}: @playwright/test {node['version']} in Node; from its command "
            f"to its first journey {node['start_to_first_journey_s']:.2f}s, left out above)"
        )
    best = targets.ratios(j, "min")
    lines += [f"  {k:<38} {v:5.2f}x  (best runs {best[k]:.2f}x)" for k, v in j["ratios"].items()]
    sums = targets.step_sums(j)
    if sums:
        lines.append(
            "  sum of the step medians: "
            + ", ".join(f"{kind} {seconds:.3f}" for kind, seconds in sums.items())
        )
    t = j["targets"]
    lines.append("cost targets:" if t else "cost targets: none (their kinds did not run)")
    if "screenshots_vs_playwright_test" in t:
        shots = t["screenshots_vs_playwright_test"]
        lines.append(
            f"  default screenshots vs Playwright Test {shots['figure']:5.2f}x (at most "
            f"{shots['at_most']:.2f}x): {_met(shots)}; best runs {shots['best']:.2f}x"
        )
    if "vitals_added" in t:
        vitals = t["vitals_added"]
        lines.append(
            f"  Web Vitals add                         {vitals['figure']:+6.1%} (under "
            f"{vitals['under']:.0%}): {_met(vitals)}; best runs {vitals['best']:+.1%}, "
            f"sum of the step medians {vitals['steps']:+.1%}"
        )
    if "a11y_worst_step" in t:
        audit = t["a11y_worst_step"]
        lines.append(
            f"  accessibility audit, worst step        {audit['figure']:5.2f}x at "
            f"{audit['step']} (at most {audit['at_most']:.0f}x): {_met(audit)}"
        )
    if not all(target["met"] for target in t.values()):
        lines += _where_the_time_goes(j)
    return lines


def _met(target: dict) -> str:
    return "met" if target["met"] else "NOT MET"


STEP_COLUMNS = (
    ("harness", "harness"),
    ("+shots", "harness+screenshots"),
    ("+a11y", "harness+a11y"),
    ("+vitals", "harness+vitals"),
    ("1st jpg", "first_jpeg_s"),
    ("jpeg", "jpeg_s"),
    ("masked", "masked_jpeg_s"),
    ("png", "png_s"),
    ("print", "fingerprint_s"),
    ("inject", "axe_inject_s"),
    ("axe run", "axe_run_s"),
)


def _where_the_time_goes(j: dict) -> list[str]:
    lines = ["where the time goes, from the peer to the harness with its default screenshots:"]
    before = None
    for label, seconds in targets.decomposition(j):
        step = "" if before is None else f"  {seconds - before:+.3f}"
        lines.append(f"  {label:<48} {seconds:7.3f}{step}")
        before = seconds
    parts = j["breakdown"]["per_screen"]
    if parts:
        found = [f"{name} {parts[key] * 1000:.0f}" for name, key in STEP_COLUMNS if key in parts]
        lines.append(
            f"  per screen, median ms: {', '.join(found)} (1st jpg: right after the step, "
            "the wait for a painted screen included; masked: with the secrets painted over; "
            "print: the screen's fingerprint)"
        )
    lines.append(
        "  per step, median ms (the kinds: each step with what its observers did after it; "
        "then the parts, by hand):"
    )
    lines.append("  " + f"{'step':<16}" + "".join(f"{name:>8}" for name, _ in STEP_COLUMNS))
    for row in targets.step_table(j):
        cells = "".join(
            f"{row[key] * 1000:8.0f}" if row.get(key) is not None else f"{'':>8}"
            for _, key in STEP_COLUMNS
        )
        lines.append(f"  {row['step']:<16}{cells}")
    return lines


def _kinds(text: str) -> tuple[str, ...]:
    chosen = tuple(kind.strip() for kind in text.split(",") if kind.strip())
    unknown = [kind for kind in chosen if kind not in journey.KINDS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown kind {', '.join(unknown) or '(none)'}; known: {', '.join(journey.KINDS)}"
        )
    return tuple(kind for kind in journey.KINDS if kind in chosen)  # in the usual order


def _span(mark: dict) -> str:
    low, high = mark["browser_processes_min"], mark["browser_processes"]
    return str(high) if low == high else f"{low}-{high}"


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    raise SystemExit(main())
