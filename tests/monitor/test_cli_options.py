"""``sentinel monitor``'s accessibility and network options: a wrong one stops the monitor in
one line naming it, before a port is bound, a portal started or a database written."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinel import cli


def monitor(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> tuple[int, str]:
    """``sentinel monitor --once ARGS``, in this process; its exit code and its stderr."""
    data = tmp_path / "monitor"
    argv = ["monitor", "--once", "--flow", "portal", "--data", str(data), *args]
    try:
        code = cli.main(argv)
    except SystemExit as done:  # argparse's own refusals
        code = int(done.code or 0)
    assert not (data / "monitor.db").exists()
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["--a11y", "fail"],
            "sentinel monitor: argument --a11y: fail is for the test suite (pytest, sentinel "
            "run): the monitor never fails a check for accessibility, its uptime is the portal "
            "working; report (the default) alerts on new serious or critical violations "
            "(see sentinel monitor --help)",
        ),
        (
            ["--a11y", "on"],
            "sentinel monitor: argument --a11y: takes off or report, not 'on' "
            "(see sentinel monitor --help)",
        ),
        (
            ["--a11y", "off", "--a11y-baseline", "baseline.json"],
            "sentinel monitor: --a11y-baseline needs the audits that --a11y off turns off",
        ),
        (
            ["--target", "http://127.0.0.1:6000"],
            "sentinel monitor: --target: browsers refuse to connect to port 6000 (a 'bad port' "
            "of the Fetch standard) of http://127.0.0.1:6000, so every check would fail",
        ),
        (
            ["--every", "0s"],
            "sentinel monitor: --every '0s' is zero: give a duration such as 30s, 5m or 1h",
        ),
        (
            ["--network", "4g"],
            "sentinel monitor: --network unknown network '4g': use one of fast-3g, slow-3g, "
            "offline-after=[FLOW:]STEP",
        ),
    ],
)
def test_a_wrong_setting_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], said: str
) -> None:
    code, err = monitor(capsys, tmp_path, *args)
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith(said), line


def test_a_baseline_that_is_not_one_is_refused_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text("[]", encoding="utf-8")
    code, err = monitor(capsys, tmp_path, "--a11y-baseline", str(baseline))
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith(f"sentinel monitor: --a11y-baseline: {baseline} is not an acc"), line
