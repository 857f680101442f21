"""The URL that was checked is the URL that is used: by the browser, by the test-control
client and by `sentinel run`'s own pytest, whatever the environment says."""

from __future__ import annotations

import subprocess
import sys

import pytest

from flows import catalog
from flows.errors import ProductionRefused
from monitor.executor import reason_of
from runtime import targets
from runtime.testapi import TestApiError, TestControl
from sentinel import cli
from sentinel.report import PROJECT_ROOT
from tests.helpers import run_pytest, shell_environment

TOKEN = "a-token-of-sixteen-or-more"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9\\@www.seg-social.pt",  # httpx reads the host after the "@"
        "http://127.0.0.1:9\\@seg-social.pt.",
    ],
)
def test_the_test_api_client_refuses_what_it_would_read_as_production(url: str) -> None:
    with pytest.raises(TestApiError, match="production portal"):
        TestControl(url, TOKEN)


def test_the_test_api_client_refuses_a_url_it_reads_otherwise_than_a_browser() -> None:
    with pytest.raises(TestApiError, match="write it plainly"):
        TestControl("http://127.0.0.1:9\\@staging.example.pt", TOKEN)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "https://staging.example.pt/x"])
def test_plain_urls_are_taken(url: str) -> None:
    TestControl(url, TOKEN).close()


def test_a_port_in_other_digits_is_refused() -> None:
    with pytest.raises(targets.TargetError, match="invalid port"):
        targets.resolve_target("http://127.0.0.1:\uff18\uff10\uff19\uff10", [catalog.PORTAL])


BASE_URL_SEEN = """
def test_base_url(base_url):
    print("BASE", base_url)
"""


def test_the_plugin_uses_the_base_url_as_the_browser_reads_it(tmp_path) -> None:
    probe = tmp_path / "test_probe.py"
    probe.write_text(BASE_URL_SEEN)
    done = run_pytest(str(probe), "-s", "--base-url", "http://127.0.0.1:9\\@www.seg-social.pt")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "BASE http://127.0.0.1:9/@www.seg-social.pt" in done.stdout


def test_a_base_url_no_browser_would_take_is_a_usage_error(tmp_path) -> None:
    probe = tmp_path / "test_probe.py"
    probe.write_text(BASE_URL_SEEN)
    done = run_pytest(str(probe), "--base-url", "http://seg-social.pt%2f")
    output = done.stdout + done.stderr
    assert done.returncode == 4, output  # pytest's usage error, before any test
    assert "ERROR: --base-url: the target 'http://seg-social.pt%2f' has an invalid host" in output


@pytest.mark.browser
def test_sentinel_run_on_the_mock_ignores_an_inherited_base_url(tmp_path) -> None:
    """`PYTEST_BASE_URL` or `PYTEST_ADDOPTS` in a shell must not replace the bundled mock
    behind the target's checks: here they name a port where nothing listens."""
    inherited = {
        "PYTEST_BASE_URL": "http://127.0.0.1:9",
        "PYTEST_ADDOPTS": "--base-url=http://127.0.0.1:9",
    }
    command = ["run", "--target", "mock", "--flow", "portal", "--results", str(tmp_path / "r")]
    done = subprocess.run(
        [sys.executable, "-m", "sentinel", *command, "--no-report"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**shell_environment(), **inherited},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "portal: passed" in done.stdout


def test_a_check_led_to_production_is_filed_as_such() -> None:
    refused = ProductionRefused("the browser was sent to www.seg-social.pt", flow="login", step="3")
    assert reason_of(refused) == "production_refused"


def test_a_guide_led_to_production_ends_in_one_line(monkeypatch, capsys) -> None:
    from guides import app

    def led_to_production(options) -> int:
        raise ProductionRefused("the browser was sent to www.seg-social.pt", flow="x", step="1")

    monkeypatch.setattr(app, "run", led_to_production)
    assert cli.main(["guide"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "www.seg-social.pt" in err[0]
