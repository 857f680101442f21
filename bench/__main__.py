"""``python -m bench`` (``make bench``): every figure in one run, a table and a JSON file.

Benchmarks report; they never fail on a time, only on errors.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench import cold_start, journey, monitor_cost, portal_load, suite
from runtime.browser import launch_options
from runtime.targets import open_target

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=10, help="journeys of each kind")
    parser.add_argument(
        "--requests", type=int, default=4000, help="registrations posted (and GETs without wrk)"
    )
    parser.add_argument("--load-seconds", type=float, default=5, help="each GET load with wrk")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--monitor-checks", type=int, default=300)
    parser.add_argument("--suite", action="store_true", help="also time the e2e suite")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "reports/bench/latest.json")
    args = parser.parse_args()

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
                print(f"journey x{args.runs}...", flush=True)
                results["journey"] = journey.measure(browser, mock.url, api, args.runs)
                browser.close()
                print(f"monitor, {args.monitor_checks} checks...", flush=True)
                results["monitor"] = monitor_cost.measure(
                    playwright, mock.url, api, args.monitor_checks, Path(scratch) / "mon"
                )
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
    j, p, m, c = r["journey"], r["portal"], r["monitor"], r["cold_start"]
    last = m[f"at_check_{m['checks']}"]
    lines = [
        "journey (registration + activation), median seconds:",
        *(
            f"  {k:<28} {j[k]['median']:7.3f}  (min {j[k]['min']:.3f}, max {j[k]['max']:.3f})"
            for k in journey.KINDS
        ),
        *(f"  {k:<33} {v:5.2f}x" for k, v in j["ratios"].items()),
        f"mock portal at {r['concurrency']} connections ({p['home page']['client']}):",
        *(
            f"  {k:<24} {v['per_second']:8.0f}/s  p50 {v['p50_ms']:6.1f} ms  "
            f"p99 {v['p99_ms']:6.1f} ms  errors {v['errors']}"
            for k, v in p.items()
        ),
        f"  registrations stored: {p['registration form post']['stored']}"
        f" of {p['registration form post']['posted']} posted",
        f"monitor, {m['checks']} checks: {m['check_s']:.3f}s per check, bare flow "
        f"{m['bare_flow_s']:.3f}s, overhead {m['overhead']:+.1%}, memory growth "
        f"{m['memory_growth']:+.1%}, browser processes over checks 1-10 "
        f"{_span(m['at_check_10'])}, over the last 10 {_span(last)}",
        f"cold start: sentinel run --flow registration {c['sentinel_run_registration_s']:.1f}s,"
        f" first page {c['first_page_s']:.2f}s",
    ]
    if "suite" in r:
        s = r["suite"]
        lines.append(
            f"e2e suite: serial {s['serial_s']:.0f}s, -n 2 {s['two_workers_s']:.0f}s, "
            f"speed-up {s['speed_up']:.2f}x; the serial run keeps "
            f"{s['serial_busy_cores']:.2f} cores busy, so at most {s['speed_up_bound']:.2f}x"
        )
    return "\n".join(lines)


def _span(mark: dict) -> str:
    low, high = mark["browser_processes_min"], mark["browser_processes"]
    return str(high) if low == high else f"{low}-{high}"


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    raise SystemExit(main())
