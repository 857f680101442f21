from __future__ import annotations

import subprocess
import sys

import pytest

from fixtures.plugin import parse_shard
from sentinel.report import PROJECT_ROOT
from tests.helpers import shell_environment


def collected(*args: str) -> set[str]:
    env = shell_environment()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/unit",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    return {line for line in done.stdout.splitlines() if "::" in line}


def test_shards_split_the_suite_into_disjoint_parts_that_cover_it() -> None:
    everything = collected()
    parts = [collected("--shard", f"{i}/3") for i in (1, 2, 3)]
    assert set().union(*parts) == everything
    assert sum(len(p) for p in parts) == len(everything)
    assert all(parts)


def test_bad_shards_are_refused() -> None:
    assert parse_shard("2/3") == (2, 3)
    for text in ("0/3", "4/3", "a/b", "3"):
        with pytest.raises(pytest.UsageError):
            parse_shard(text)
