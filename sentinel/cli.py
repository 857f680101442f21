"""The ``sentinel`` command line.

sentinel mock --host 127.0.0.1 --port 8000 --db reports/mock-portal/portal.db
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from flows.catalog import FLOWS
from mock_portal.config import ConfigError, PortalConfig, parse_assignments

DEFAULT_DB = Path("reports/mock-portal/portal.db")
FLOW_NAMES = list(FLOWS)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sentinel",
        description="Test harness and synthetic monitor for the Segurança Social Direta portal.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    mock = commands.add_parser(
        "mock",
        help="serve the bundled mock portal",
        description="Serve the bundled mock of the portal (uvicorn, SQLite).",
    )
    mock.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    mock.add_argument(
        "--port", type=int, default=8000, help="port; 0 picks a free one (default: %(default)s)"
    )
    mock.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help="SQLite file (default: %(default)s)"
    )
    mock.add_argument(
        "--test-token",
        default=os.environ.get("SENTINEL_TEST_TOKEN"),
        help="enable the /__test__/ API with this token (default: $SENTINEL_TEST_TOKEN)",
    )
    mock.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a portal rule, e.g. --set code_ttl_minutes=10 (repeatable)",
    )
    mock.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])

    run = commands.add_parser(
        "run",
        help="run the documented flows once and build the Allure report",
        description="Run the documented flows in a real browser and build the Allure report.",
    )
    run.add_argument(
        "--target",
        default="mock",
        help="'mock' (start the bundled mock portal) or a staging URL (default: %(default)s)",
    )
    run.add_argument(
        "--flow",
        dest="flows",
        action="append",
        choices=FLOW_NAMES,
        metavar="NAME",
        help=f"a flow to run, repeatable: {', '.join(FLOW_NAMES)} (default: all)",
    )
    run.add_argument("--test-token", default=None, help="test-control API token for a URL target")
    run.add_argument("--headed", action="store_true", help="show the browser")
    run.add_argument("--no-report", action="store_true", help="write results, skip the HTML")
    add_report_paths(run)

    report = commands.add_parser(
        "report",
        help="build the Allure HTML report from reports/allure-results",
        description="Build reports/allure-report/index.html (Allure Report 3) from the results.",
    )
    add_report_paths(report)
    return parser


def add_report_paths(parser: argparse.ArgumentParser) -> None:
    from sentinel.report import REPORT, RESULTS

    parser.add_argument(
        "--results", type=Path, default=RESULTS, help="Allure results folder (default: %(default)s)"
    )
    parser.add_argument(
        "--output", type=Path, default=REPORT, help="HTML report folder (default: %(default)s)"
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="Allure config (default: the project's allurerc.mjs)",
    )


def run_mock(args: argparse.Namespace) -> int:
    from sentinel.mock_server import serve

    try:
        config = PortalConfig.from_env().with_overrides(parse_assignments(args.settings))
    except ConfigError as error:
        print(f"sentinel mock: {error}", file=sys.stderr)
        return 2
    if not 0 <= args.port <= 65535:
        print("sentinel mock: --port must be between 0 and 65535", file=sys.stderr)
        return 2
    try:
        serve(
            host=args.host,
            port=args.port,
            db=args.db,
            config=config,
            test_token=args.test_token,
            log_level=args.log_level,
        )
    except OSError as error:
        print(f"sentinel mock: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def run_flows(args: argparse.Namespace) -> int:
    from sentinel import flow_suite, report
    from sentinel.targets import is_production

    names = args.flows or FLOW_NAMES
    if args.target != "mock" and is_production(args.target):
        writing = [n for n in names if FLOWS[n].writes]
        print(
            f"sentinel run: refusing to run {', '.join(writing)} against the production portal "
            f"{args.target}: these flows create or change accounts. Use the bundled mock or a "
            "staging URL.",
            file=sys.stderr,
        )
        return 2
    results = args.results.resolve()
    shutil.rmtree(results, ignore_errors=True)  # the history is kept apart, in its own file
    pytest_args = [
        sys.executable,
        "-m",
        "pytest",
        flow_suite.__file__,
        "--alluredir",
        str(results),
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(report.PROJECT_ROOT),
        "-q",
        *(f"--flow={name}" for name in names),
    ]
    if args.target != "mock":
        pytest_args.append(f"--base-url={args.target}")
    if args.test_token:
        pytest_args.append(f"--test-token={args.test_token}")
    if args.headed:
        pytest_args.append("--headed")
    print(f"Running {', '.join(names)} against {args.target}...", flush=True)
    # A process of its own: pytest must import (and rewrite) the harness's modules itself.
    code = subprocess.run(pytest_args, cwd=report.PROJECT_ROOT, check=False).returncode
    print(f"Allure results: {results}")
    if not args.no_report:
        built = build_report(args)
        return code or built
    return code


def build_report(args: argparse.Namespace) -> int:
    from sentinel import report

    try:
        index = report.build(args.results.resolve(), args.output.resolve(), config=args.config)
    except report.ReportError as error:
        print(f"sentinel {args.command}: {error}", file=sys.stderr)
        return 1
    print(f"Allure report:  {index}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handlers = {"mock": run_mock, "run": run_flows, "report": build_report}
    return handlers[args.command](args)
