"""The ``sentinel`` command line.

sentinel mock --host 127.0.0.1 --port 8000 --db reports/mock-portal/portal.db
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from mock_portal.config import ConfigError, PortalConfig, parse_assignments

DEFAULT_DB = Path("reports/mock-portal/portal.db")


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
    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "mock":
        return run_mock(args)
    return 2  # argparse rejects unknown commands before this
