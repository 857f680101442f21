"""Bad settings and unreachable portals get one line naming what is wrong, never a traceback;
and every setting of ``sentinel monitor`` is checked before anything starts."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import run_sentinel


def assert_one_line_error(done: subprocess.CompletedProcess[str], code: int, *names: str) -> str:
    output = done.stdout + done.stderr
    assert done.returncode == code, output
    assert "Traceback" not in output
    [line] = done.stderr.strip().splitlines()
    for name in names:
        assert name in line, line
    return line


def monitor(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``sentinel monitor`` with a fresh data folder; a wrong setting must stop it at once."""
    return run_sentinel(
        "monitor", "--flow", "portal", "--data", str(tmp_path / "m"), *args, timeout=60
    )


def nothing_started(done: subprocess.CompletedProcess[str], tmp_path: Path) -> None:
    assert "Bundled mock portal" not in done.stdout
    assert not (tmp_path / "m" / "monitor.db").exists()


@pytest.mark.parametrize("option", ["--every", "--timeout", "--degraded", "--reminder"])
def test_durations_over_a_year_are_refused(tmp_path: Path, option: str) -> None:
    done = monitor(tmp_path, "--once", option, "99999999999h")
    line = assert_one_line_error(done, 2, option, "99999999999h")
    assert "year" in line
    nothing_started(done, tmp_path)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--retries", "-1"),
        ("--failures-to-alert", "0"),
        ("--successes-to-recover", "0"),
        ("--retries", "1000"),
    ],
)
def test_counts_out_of_range_are_refused_not_clamped(
    tmp_path: Path, option: str, value: str
) -> None:
    done = monitor(tmp_path, "--once", option, value)
    assert_one_line_error(done, 2, option, value)
    nothing_started(done, tmp_path)


@pytest.mark.parametrize("port", ["70000", "-1"])
def test_metrics_ports_out_of_range_are_refused(tmp_path: Path, port: str) -> None:
    done = monitor(tmp_path, "--metrics-port", port)
    assert_one_line_error(done, 2, "--metrics-port", port)
    nothing_started(done, tmp_path)


def test_a_metrics_port_in_use_is_refused_before_the_mock_starts(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = monitor(tmp_path, "--metrics-port", port)
    assert_one_line_error(done, 2, "--metrics-port", port)
    nothing_started(done, tmp_path)


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """A folder nobody may write in, root included (root ignores the mode: immutable)."""
    folder.mkdir()
    folder.chmod(0o555)
    immutable = os.geteuid() == 0
    if immutable:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        try:
            (folder / "probe").touch()
        except OSError:
            pass
        else:
            pytest.skip("cannot make a folder read-only here")
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def test_data_that_is_a_file_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "history.db"
    data.write_text("mine")
    done = run_sentinel("monitor", "--once", "--flow", "portal", "--data", str(data), timeout=60)
    assert_one_line_error(done, 2, "--data", str(data))
    assert data.read_text() == "mine"
    assert "Bundled mock portal" not in done.stdout


def test_data_that_cannot_be_created_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    data = tmp_path / "file" / "monitor"
    done = run_sentinel("monitor", "--once", "--flow", "portal", "--data", str(data), timeout=60)
    assert_one_line_error(done, 2, "--data", str(data))
    assert "Bundled mock portal" not in done.stdout


def test_data_that_is_read_only_is_refused(tmp_path: Path) -> None:
    with read_only(tmp_path / "ro") as data:
        done = run_sentinel(
            "monitor", "--once", "--flow", "portal", "--data", str(data), timeout=60
        )
        assert_one_line_error(done, 2, "--data", str(data))
        assert not any(data.iterdir())
    assert "Bundled mock portal" not in done.stdout


def unreachable_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.mark.slow
def test_a_guide_of_a_portal_that_does_not_answer_fails_in_one_line(tmp_path: Path) -> None:
    target = unreachable_url()
    done = run_sentinel(
        "guide",
        "--target",
        target,
        "--test-token",
        "t" * 20,
        "--flow",
        "registration",
        "--out",
        str(tmp_path / "guides"),
        timeout=120,
    )
    line = assert_one_line_error(done, 1, target)
    assert "cannot be reached" in line


@pytest.mark.parametrize("url", ["hooks.example/alert", "ftp://127.0.0.1/x", "http://:80/x"])
def test_webhooks_that_cannot_be_posted_to_are_refused(tmp_path: Path, url: str) -> None:
    done = monitor(tmp_path, "--once", "--alert-webhook", url)
    line = assert_one_line_error(done, 2, "--alert-webhook")
    assert url not in line  # a webhook URL may carry its secret
    nothing_started(done, tmp_path)


# int() reads any Unicode digit, a sign, spaces and underscores: "５" is 5, "1_0" is 10.
# A port or a count typed on the command line is ASCII digits, or it is a typo.
NOT_ASCII_DIGITS = {
    "a full-width digit": "５",
    "Arabic-Indic digits": "٩٤٦٤",
    "an underscore": "1_0",
    "a plus sign": "+5",
    "a space": " 5",
}
NUMBER_OPTIONS = ["--metrics-port", "--retries", "--failures-to-alert", "--successes-to-recover"]


@pytest.mark.parametrize("value", NOT_ASCII_DIGITS.values(), ids=NOT_ASCII_DIGITS)
@pytest.mark.parametrize("option", NUMBER_OPTIONS)
def test_monitor_numbers_must_be_ascii_digits(tmp_path: Path, option: str, value: str) -> None:
    done = monitor(tmp_path, "--once", option, value)
    line = assert_one_line_error(done, 2, option)
    assert "digits" in line
    nothing_started(done, tmp_path)


@pytest.mark.parametrize("value", ["０", "1_0", "+0"])
def test_the_mock_port_must_be_ascii_digits(value: str) -> None:
    try:
        done = run_sentinel("mock", "--port", value, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail(f"sentinel mock --port {value!r} started a portal instead of refusing it")
    line = assert_one_line_error(done, 2, "--port")
    assert "digits" in line


def test_plain_numbers_are_still_read(tmp_path: Path) -> None:
    done = monitor(tmp_path, "--once", "--retries", "0", "--failures-to-alert", "007")
    assert done.returncode == 0, done.stdout + done.stderr
