"""A synthetic citizen never shows its data where Python shows a value: reprs and tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from flows.context import Citizen, NoCodes, Run

ROOT = Path(__file__).resolve().parents[2]
ANA = Citizen(
    niss="11115611236",
    name="Ana Planted Silva",
    birth_date=date(1980, 1, 2),
    password="Planted!Secret9",
    email="ana.planted@example.org",
    mobile="+351912345678",
    cmd_pin="4821",
)


def test_a_citizen_and_a_run_show_no_personal_data() -> None:
    shown = repr(Run(page=None, base_url="http://portal", citizen=ANA, codes=NoCodes()))
    assert "Citizen(kind='person'" in shown
    assert [value for value in ANA.secrets() if value in shown] == []


def test_a_long_traceback_of_a_failed_step_shows_no_personal_data(tmp_path: Path) -> None:
    """pytest's long tracebacks (``sentinel run --debug``, Allure's) print every argument."""
    (tmp_path / "test_fails.py").write_text(
        "from tests.security.test_citizen_repr import ANA\n"
        "def type_password(citizen):\n"
        "    assert citizen.kind == 'company'\n"
        "def test_step():\n"
        "    type_password(ANA)\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "--tb=long",
            "--rootdir",
            str(tmp_path),
            str(tmp_path / "test_fails.py"),
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "citizen = Citizen(kind='person', <synthetic data not shown>)" in done.stdout
    assert [value for value in ANA.secrets() if value in done.stdout] == []
